package devices

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/app"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// Registration is what a device reports when it registers.
type Registration struct {
	AppKey         string
	InstallationID string
	Platform       enum.Platform
	AppVersion     string
	OSVersion      string
	Model          string
	Brand          string
	Locale         string
	Timezone       string
	// Tokens are vendor tokens by channel; an empty token removes one.
	Tokens map[enum.Channel]string
	// DeviceToken is the bearer token of the installation's last
	// registration: the proof a registration of an installation that
	// registered before must carry (docs/device-protocol.md).
	DeviceToken string
}

// Device field limits, enforced on register.
const (
	maxInstallationID = 128
	maxVendorToken    = 4096
)

func checkLen(field, v string, max int) error {
	if len(v) > max || !utf8.ValidString(v) {
		return core.Invalid(field, "must be valid UTF-8 of at most %d bytes", max)
	}
	return nil
}

func (r *Registration) validate() error {
	r.InstallationID = strings.TrimSpace(r.InstallationID)
	if r.AppKey == "" {
		return core.Invalid("appKey", "is required")
	}
	if r.InstallationID == "" {
		return core.Invalid("installationID", "is required")
	}
	if !r.Platform.Valid() {
		return core.Invalid("platform", "must be one of ANDROID, IOS, HARMONY, WEB")
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"installationID", r.InstallationID, maxInstallationID},
		{"appVersion", r.AppVersion, 64}, {"osVersion", r.OSVersion, 64}, {"model", r.Model, 128},
		{"brand", r.Brand, 64}, {"locale", r.Locale, 35}, {"timezone", r.Timezone, 64},
	} {
		if err := checkLen(f.name, f.v, f.max); err != nil {
			return err
		}
	}
	return checkTokens(r.Tokens)
}

func checkTokens(tokens map[enum.Channel]string) error {
	for ch, tok := range tokens {
		if !ch.Vendor() {
			return core.Invalid("tokens", "%q is not a vendor channel", ch)
		}
		if err := checkLen("tokens."+strings.ToLower(string(ch)), tok, maxVendorToken); err != nil {
			return err
		}
	}
	return nil
}

// newDeviceToken returns a device's bearer token and the hash stored for it.
func newDeviceToken() (string, []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	tok := "dt_" + base64.RawURLEncoding.EncodeToString(b)
	return tok, hashToken(tok)
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// RegisterDevice registers a device. An installation that registered
// before (same app and installation ID) is updated only with proof, the
// bearer token of its last registration: the public app key and an
// installation ID are no credential, or anyone who learnt them could take
// the device over (its user binding, its pending messages, its vendor
// tokens). Without proof the answer is CONFLICT and nothing changes; an
// SDK that lost its token registers under a new installation ID. Each
// registration returns a fresh bearer token; earlier ones stop working.
func (s *Service) RegisterDevice(ctx context.Context, r Registration) (*ent.Device, string, error) {
	if err := r.validate(); err != nil {
		return nil, "", err
	}
	sys := tenant.AsSystem(ctx)
	a, err := s.client.App.Query().Where(app.AppKey(r.AppKey)).Only(sys)
	if ent.IsNotFound(err) {
		return nil, "", core.Invalid("appKey", "unknown app key")
	} else if err != nil {
		return nil, "", err
	}
	token, hash := newDeviceToken()
	var devID nodeid.ID
	err = core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		id, err := upsertDevice(sys, tx.Client(), s.dialect == dialect.Postgres, a.ID, r, hash, s.now())
		if err != nil {
			return err
		}
		devID = id
		return setTokens(sys, tx.Client(), a.ID, id, r.Tokens)
	})
	if err != nil {
		return nil, "", err
	}
	dev, err := s.client.Device.Get(sys, devID)
	if err != nil {
		return nil, "", err
	}
	return dev, token, nil
}

// errInstallationTaken answers a registration of a known installation
// without its proof.
var errInstallationTaken = &core.Error{Code: core.CodeConflict, Field: "installationID",
	Message: "this installation is already registered: send its current device token (Authorization: Bearer), or register under a new installation ID"}

// upsertDevice creates the installation's device, or updates it when r
// proves it owns it, and returns its ID. The row is locked while the
// proof is checked (lock, on PostgreSQL; SQLite runs one writer at a
// time), so two registrations cannot both pass on one token.
func upsertDevice(ctx context.Context, c *ent.Client, lock bool, appID nodeid.ID, r Registration, hash []byte, now time.Time) (nodeid.ID, error) {
	q := c.Device.Query().Where(device.AppID(appID), device.InstallationID(r.InstallationID))
	if lock {
		q = q.ForUpdate()
	}
	cur, err := q.Only(ctx)
	if ent.IsNotFound(err) {
		d, err := c.Device.Create().
			SetAppID(appID).SetInstallationID(r.InstallationID).SetPlatform(r.Platform).
			SetAppVersion(r.AppVersion).SetOsVersion(r.OSVersion).SetModel(r.Model).SetBrand(r.Brand).
			SetLocale(r.Locale).SetTimezone(r.Timezone).SetTokenHash(hash).SetLastSeenAt(now).
			Save(ctx)
		if ent.IsConstraintError(err) {
			return "", errInstallationTaken // registered at the same moment by another request
		} else if err != nil {
			return "", err
		}
		return d.ID, nil
	} else if err != nil {
		return "", err
	}
	if !strings.HasPrefix(r.DeviceToken, "dt_") || subtle.ConstantTimeCompare(hashToken(r.DeviceToken), cur.TokenHash) != 1 {
		return "", errInstallationTaken
	}
	return cur.ID, cur.Update().
		SetPlatform(r.Platform).SetAppVersion(r.AppVersion).SetOsVersion(r.OSVersion).SetModel(r.Model).
		SetBrand(r.Brand).SetLocale(r.Locale).SetTimezone(r.Timezone).SetTokenHash(hash).SetLastSeenAt(now).
		Exec(ctx)
}

// setTokens upserts the given vendor tokens; an empty one is removed. A
// dead token is never used again unless the device registers it again:
// the device is the authority on its current token, and a vendor that
// still refuses it marks it dead again.
func setTokens(ctx context.Context, c *ent.Client, appID, deviceID nodeid.ID, tokens map[enum.Channel]string) error {
	for ch, tok := range tokens {
		if tok == "" {
			if _, err := c.DeviceToken.Delete().Where(devicetoken.DeviceID(deviceID), devicetoken.ChannelEQ(ch)).Exec(ctx); err != nil {
				return err
			}
			continue
		}
		// A vendor token names one app installation on one phone: the
		// device registering it now is that installation, and an older
		// record holding it (an install that lost its device token and
		// registered anew) gives it up, so nothing reaches the phone twice.
		if _, err := c.DeviceToken.Delete().Where(devicetoken.AppID(appID), devicetoken.ChannelEQ(ch),
			devicetoken.Token(tok), devicetoken.DeviceIDNEQ(deviceID)).Exec(ctx); err != nil {
			return err
		}
		cur, err := c.DeviceToken.Query().Where(devicetoken.DeviceID(deviceID), devicetoken.ChannelEQ(ch)).Only(ctx)
		switch {
		case ent.IsNotFound(err):
			err = c.DeviceToken.Create().SetAppID(appID).SetDeviceID(deviceID).SetChannel(ch).SetToken(tok).Exec(ctx)
		case err == nil && (cur.Token != tok || cur.Status == devicetoken.StatusDEAD):
			err = cur.Update().SetToken(tok).SetStatus(devicetoken.StatusACTIVE).SetDeadReason("").ClearDeadAt().Exec(ctx)
		case err == nil:
			// Registered again: the time matters to vendors that say when
			// they last found a token invalid (core.Result.TokenInvalidSince).
			err = cur.Update().SetUpdatedAt(time.Now()).Exec(ctx)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// AuthenticateDevice returns the device whose bearer token this is.
func (s *Service) AuthenticateDevice(ctx context.Context, token string) (*ent.Device, error) {
	ds, err := s.AuthenticateDevices(ctx, []string{token})
	if err != nil {
		return nil, err
	}
	if ds[0] == nil {
		return nil, &core.Error{Code: core.CodeUnauthenticated, Message: "invalid device token"}
	}
	return ds[0], nil
}

// MaxAuthenticateBatch bounds the tokens AuthenticateDevices looks up in
// one statement.
const MaxAuthenticateBatch = 256

// AuthenticateDevices looks up the devices of several device tokens in
// one statement: the i-th device is tokens[i]'s, nil for a token that is
// malformed or names no device. The error is the database's only. A
// gateway authenticates the devices that reconnect together after a
// restart this way, one round trip for many.
func (s *Service) AuthenticateDevices(ctx context.Context, tokens []string) ([]*ent.Device, error) {
	if len(tokens) > MaxAuthenticateBatch {
		return nil, fmt.Errorf("authenticate devices: %d tokens, at most %d", len(tokens), MaxAuthenticateBatch)
	}
	hashes := make([][]byte, len(tokens))
	var valid [][]byte
	for i, token := range tokens {
		if strings.HasPrefix(token, "dt_") && len(token) <= 100 {
			hashes[i] = hashToken(token)
			valid = append(valid, hashes[i])
		}
	}
	out := make([]*ent.Device, len(tokens))
	if len(valid) == 0 {
		return out, nil
	}
	found, err := s.client.Device.Query().Where(device.TokenHashIn(valid...)).All(tenant.AsSystem(ctx))
	if err != nil {
		return nil, fmt.Errorf("authenticate devices: %w", err)
	}
	byHash := make(map[string]*ent.Device, len(found))
	for _, d := range found {
		byHash[string(d.TokenHash)] = d
	}
	for i, h := range hashes {
		if h != nil {
			out[i] = byHash[string(h)]
		}
	}
	return out, nil
}

// SetDeviceTokens replaces some of a device's vendor tokens.
func (s *Service) SetDeviceTokens(ctx context.Context, d *ent.Device, tokens map[enum.Channel]string) error {
	if err := checkTokens(tokens); err != nil {
		return err
	}
	return core.WithTx(tenant.AsSystem(ctx), s.client, func(tx *ent.Tx) error {
		return setTokens(tenant.AsSystem(ctx), tx.Client(), d.AppID, d.ID, tokens)
	})
}

// DeviceOnline reports whether a device is connected to the WebSocket
// channel now, from the gateways' presence in Redis (false where this
// process has no channel).
func (s *Service) DeviceOnline(ctx context.Context, id nodeid.ID) (bool, error) {
	if s.self == nil {
		return false, nil
	}
	on, err := s.self.Online(ctx, []nodeid.ID{id})
	return on[id], err
}

// seenBatch is how many devices one last-seen statement updates.
const seenBatch = 1000

// SeenDevices records that devices are active now (a gateway's connected
// devices, every few minutes): one statement per 1,000, on the relaxed
// pool, since a last seen lost in a database crash is written again at the
// next round.
func (s *Service) SeenDevices(ctx context.Context, ids []nodeid.ID) {
	now := s.now()
	for chunk := range slices.Chunk(ids, seenBatch) {
		if err := s.relaxed.Device.Update().Where(device.IDIn(chunk...)).SetLastSeenAt(now).Exec(tenant.AsSystem(ctx)); err != nil {
			s.log.WarnContext(ctx, "record devices seen", "devices", len(chunk), "err", err)
			return
		}
	}
}
