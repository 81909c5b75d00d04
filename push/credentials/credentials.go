package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/channelconfig"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// ChannelConfigInput sets an app's credentials for one vendor channel.
type Input struct {
	AppID nodeid.ID
	// Credentials are in the API's form; their channel is the one set.
	Credentials core.Credentials
	// MaxPerSecond paces sends on this credential; 0 does not pace.
	MaxPerSecond int
	// MarketingPerDevice replaces the vendor's daily per-device cap of
	// content and marketing messages; 0 keeps the vendor's.
	MarketingPerDevice int
}

// MaxMarketingPerDevice bounds MarketingPerDevice.
const MaxMarketingPerDevice = 100

// MaxChannelRate bounds MaxPerSecond (a vendor's own limits are lower).
const MaxRate = 1_000_000

func credentialsAD(app nodeid.ID, c enum.Channel) seal.AD {
	// Bound to the app and channel, so a sealed blob cannot be moved to
	// another app's row or channel without Open failing.
	return seal.AD{AppID: string(app), Kind: "channel.credentials", RecordID: string(c)}
}

// Set validates an app's credentials for a vendor channel,
// seals them and stores them, replacing any earlier ones (and clearing a
// configuration error flagged on them). Only the summary is ever read back.
func (s *Service) Set(ctx context.Context, in Input) (*ent.ChannelConfig, error) {
	if err := tenant.Require(ctx, in.AppID, tenant.NeedOwner); err != nil {
		return nil, err
	}
	if in.MaxPerSecond < 0 || in.MaxPerSecond > MaxRate {
		return nil, core.Invalid("maxPerSecond", "must be from 0 (no pacing) to %d", MaxRate)
	}
	if in.MarketingPerDevice < 0 || in.MarketingPerDevice > MaxMarketingPerDevice {
		return nil, core.Invalid("marketingPerDevice", "must be from 0 (the vendor's cap) to %d", MaxMarketingPerDevice)
	}
	if s.channels == nil {
		return nil, &core.Error{Code: core.CodeInternal, Message: "vendor channels are not available in this process"}
	}
	checked, err := s.channels.Check(ctx, in.Credentials)
	if err != nil {
		return nil, err
	}
	ch := checked.Stored.Channel
	raw, err := json.Marshal(checked.Stored)
	if err != nil {
		return nil, err
	}
	sealed, err := s.sealer.Seal(raw, credentialsAD(in.AppID, ch))
	if err != nil {
		return nil, err
	}
	var env *channelconfig.Environment
	if checked.Environment != "" {
		e := channelconfig.Environment(checked.Environment)
		env = &e
	}
	sys := tenant.AsSystem(ctx)
	id, err := s.client.ChannelConfig.Create().
		SetAppID(in.AppID).SetChannel(ch).SetNillableEnvironment(env).
		SetCredentialsSealed(sealed).SetSummary(checked.Summary).SetMaxPerSecond(in.MaxPerSecond).
		SetMarketingPerDevice(in.MarketingPerDevice).
		OnConflictColumns(channelconfig.FieldAppID, channelconfig.FieldChannel).
		UpdateNewValues().
		Update(func(u *ent.ChannelConfigUpsert) {
			u.SetConfigError("").ClearConfigErrorAt()
			if env == nil {
				u.ClearEnvironment()
			}
		}).
		ID(sys)
	if err != nil {
		return nil, err
	}
	s.routes.Forget(in.AppID)
	return s.client.ChannelConfig.Get(ctx, id)
}

// Delete removes an app's credentials for a channel. Devices
// that only had that channel wait for the self-built one.
func (s *Service) Delete(ctx context.Context, app nodeid.ID, ch enum.Channel) (nodeid.ID, error) {
	if err := tenant.Require(ctx, app, tenant.NeedOwner); err != nil {
		return "", err
	}
	cfg, err := s.client.ChannelConfig.Query().
		Where(channelconfig.AppID(app), channelconfig.ChannelEQ(ch)).Only(ctx)
	if err != nil {
		return "", core.NotFoundAs(err, "channel config")
	}
	if err := s.client.ChannelConfig.DeleteOne(cfg).Exec(ctx); err != nil {
		return "", err
	}
	s.routes.Forget(app)
	if f, ok := s.channels.(interface{ Forget(nodeid.ID) }); ok {
		f.Forget(cfg.ID) // other processes drop it when they restart
	}
	return cfg.ID, nil
}

// Route is one configured vendor channel of an app, as a send sees it.
// Routes are shared by the send tasks of a process.
type Route struct {
	configID nodeid.ID
	// version is the config's updated_at: a flag applies to the
	// credentials that failed, not to ones saved since.
	version time.Time
	channel enum.Channel
	sender  core.Sender
	// marketingCap is the app's own daily per-device cap of content and
	// marketing messages on this channel; 0 keeps the vendor's.
	marketingCap int
	mu           sync.Mutex
	// broken is the configuration error that stops this channel.
	broken string
}

// StandIn is a route of no stored config: a process-wide sender that
// serves every app on channel c (tests, load runs).
func StandIn(c enum.Channel, snd core.Sender) *Route { return &Route{channel: c, sender: snd} }

// Channel is the route's vendor channel.
func (r *Route) Channel() enum.Channel { return r.channel }

// MarketingCap is the app's own daily per-device cap of content and
// marketing messages on the route; 0 keeps the vendor's.
func (r *Route) MarketingCap() int { return r.marketingCap }

// Sender sends on the route; nil when the route is broken.
func (r *Route) Sender() core.Sender { return r.sender }

// BrokenReason is the configuration error that stops the route; "" while
// it works.
func (r *Route) BrokenReason() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.broken
}

func (r *Route) setBroken(why string) {
	r.mu.Lock()
	r.broken = why
	r.mu.Unlock()
}

// Routes returns an app's vendor channels: its stored configs, opened,
// and the process-wide senders (a stand-in for tests and load runs) for
// channels it has not configured.
func (s *Service) Routes(ctx context.Context, app nodeid.ID) (map[enum.Channel]*Route, error) {
	now := s.now()
	if routes, ok := s.routes.Get(app, now); ok {
		return routes, nil
	}
	out := map[enum.Channel]*Route{}
	for c, snd := range s.senders {
		out[c] = StandIn(c, snd)
	}
	if s.channels != nil {
		cfgs, err := s.client.ChannelConfig.Query().Where(channelconfig.AppID(app)).All(tenant.AsSystem(ctx))
		if err != nil {
			return nil, err
		}
		for _, cfg := range cfgs {
			out[cfg.Channel] = s.openRoute(ctx, cfg)
		}
	}
	s.routes.Put(app, now, out)
	return out, nil
}

// openRoute unseals a stored config and gets its sender. A config that
// cannot be opened is a broken route, not an error: the other channels
// still work.
func (s *Service) openRoute(ctx context.Context, cfg *ent.ChannelConfig) *Route {
	r := &Route{configID: cfg.ID, version: cfg.UpdatedAt, channel: cfg.Channel, broken: cfg.ConfigError, marketingCap: cfg.MarketingPerDevice}
	if r.broken != "" {
		return r
	}
	raw, err := s.sealer.Open(cfg.CredentialsSealed, credentialsAD(cfg.AppID, cfg.Channel))
	var creds core.Credentials
	if err == nil {
		err = json.Unmarshal(raw, &creds)
	}
	if err == nil {
		r.sender, err = s.channels.Sender(ctx, core.StoredChannel{
			ConfigID: cfg.ID, AppID: cfg.AppID, Version: cfg.UpdatedAt.UnixNano(), Channel: cfg.Channel,
			MaxPerSecond: cfg.MaxPerSecond, Credentials: creds,
		})
	}
	if err != nil {
		s.log.ErrorContext(ctx, "vendor channel unusable", "app", cfg.AppID, "channel", cfg.Channel, "err", err)
		r.broken = "credentials cannot be used: " + err.Error()
		if errors.Is(err, seal.ErrOpen) {
			r.broken = "credentials cannot be unsealed (was the master key changed?)"
		}
	}
	return r
}

// Flag records that a vendor refused a channel's configuration:
// the channel stops (its pushes fail fast with the reason, visible on the
// config in GraphQL) until its credentials are saved again. It reports
// false when the config was saved again since the route was read: the new
// credentials deserve their own try.
func (s *Service) Flag(ctx context.Context, app nodeid.ID, r *Route, reason string) (bool, error) {
	s.routes.Forget(app)
	if r.configID == "" {
		r.setBroken(reason)
		return true, nil
	}
	n, err := s.client.ChannelConfig.Update().
		Where(channelconfig.ID(r.configID), channelconfig.UpdatedAt(r.version)).
		SetConfigError(reason).SetConfigErrorAt(s.now()).Save(tenant.AsSystem(ctx))
	if err != nil {
		return false, fmt.Errorf("flag channel config: %w", err)
	}
	if n == 0 {
		return false, nil
	}
	s.log.ErrorContext(ctx, "vendor refused the channel configuration", "app", app, "channel", r.channel, "reason", reason)
	r.setBroken(reason)
	return true, nil
}

// ReceiptURL returns the full receipt URL of a config, or "" when the
// vendor has no receipts or pushd's public URL is not configured.
func (s *Service) ReceiptURL(cfg *ent.ChannelConfig) string {
	if s.channels == nil {
		return ""
	}
	return s.channels.ReceiptURL(cfg.Channel, cfg.ID)
}

// Open returns a stored channel config and its unsealed
// credentials, for the transports that verify vendor callbacks with them
// (receipts). It is a system call: the caller has only the config's ID,
// from the callback URL.
func (s *Service) Open(ctx context.Context, id nodeid.ID) (*ent.ChannelConfig, core.Credentials, error) {
	var creds core.Credentials
	cfg, err := s.client.ChannelConfig.Get(tenant.AsSystem(ctx), id)
	if err != nil {
		return nil, creds, core.NotFoundAs(err, "channel config")
	}
	raw, err := s.sealer.Open(cfg.CredentialsSealed, credentialsAD(cfg.AppID, cfg.Channel))
	if err != nil {
		return nil, creds, err
	}
	if err := json.Unmarshal(raw, &creds); err != nil {
		return nil, creds, err
	}
	return cfg, creds, nil
}
