package push

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/app"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
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
}

// Device field limits, enforced on register.
const (
	maxInstallationID = 128
	maxVendorToken    = 4096
)

func checkLen(field, v string, max int) error {
	if len(v) > max || !utf8.ValidString(v) {
		return Invalid(field, "must be valid UTF-8 of at most %d bytes", max)
	}
	return nil
}

func (r *Registration) validate() error {
	r.InstallationID = strings.TrimSpace(r.InstallationID)
	if r.AppKey == "" {
		return Invalid("appKey", "is required")
	}
	if r.InstallationID == "" {
		return Invalid("installationID", "is required")
	}
	if !r.Platform.Valid() {
		return Invalid("platform", "must be one of ANDROID, IOS, HARMONY, WEB")
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
			return Invalid("tokens", "%q is not a vendor channel", ch)
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

// RegisterDevice registers a device, or updates it when its installation
// registered before (same app and installation ID: same device ID). Each
// registration returns a fresh bearer token; earlier ones stop working.
func (s *Service) RegisterDevice(ctx context.Context, r Registration) (*ent.Device, string, error) {
	if err := r.validate(); err != nil {
		return nil, "", err
	}
	sys := tenant.AsSystem(ctx)
	a, err := s.client.App.Query().Where(app.AppKey(r.AppKey)).Only(sys)
	if ent.IsNotFound(err) {
		return nil, "", Invalid("appKey", "unknown app key")
	} else if err != nil {
		return nil, "", err
	}
	token, hash := newDeviceToken()
	var devID nodeid.ID
	err = s.withTx(sys, func(tx *ent.Tx) error {
		id, err := tx.Device.Create().
			SetAppID(a.ID).
			SetInstallationID(r.InstallationID).
			SetPlatform(r.Platform).
			SetAppVersion(r.AppVersion).
			SetOsVersion(r.OSVersion).
			SetModel(r.Model).
			SetBrand(r.Brand).
			SetLocale(r.Locale).
			SetTimezone(r.Timezone).
			SetTokenHash(hash).
			SetLastSeenAt(s.now()).
			OnConflictColumns(device.FieldAppID, device.FieldInstallationID).
			Update(func(u *ent.DeviceUpsert) {
				u.UpdatePlatform().UpdateAppVersion().UpdateOsVersion().UpdateModel().UpdateBrand().
					UpdateLocale().UpdateTimezone().UpdateTokenHash().UpdateLastSeenAt().UpdateUpdatedAt()
			}).
			ID(sys)
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
		cur, err := c.DeviceToken.Query().Where(devicetoken.DeviceID(deviceID), devicetoken.ChannelEQ(ch)).Only(ctx)
		switch {
		case ent.IsNotFound(err):
			err = c.DeviceToken.Create().SetAppID(appID).SetDeviceID(deviceID).SetChannel(ch).SetToken(tok).Exec(ctx)
		case err == nil && (cur.Token != tok || cur.Status == devicetoken.StatusDEAD):
			err = cur.Update().SetToken(tok).SetStatus(devicetoken.StatusACTIVE).SetDeadReason("").ClearDeadAt().Exec(ctx)
		case err == nil:
			// Registered again: the time matters to APNs, whose 410 names
			// when it last found the token invalid.
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
	if !strings.HasPrefix(token, "dt_") || len(token) > 100 {
		return nil, &Error{Code: CodeUnauthenticated, Message: "invalid device token"}
	}
	d, err := s.client.Device.Query().Where(device.TokenHash(hashToken(token))).Only(tenant.AsSystem(ctx))
	if err != nil {
		return nil, &Error{Code: CodeUnauthenticated, Message: "invalid device token", Err: err}
	}
	return d, nil
}

// SetDeviceTokens replaces some of a device's vendor tokens.
func (s *Service) SetDeviceTokens(ctx context.Context, d *ent.Device, tokens map[enum.Channel]string) error {
	if err := checkTokens(tokens); err != nil {
		return err
	}
	return s.withTx(tenant.AsSystem(ctx), func(tx *ent.Tx) error {
		return setTokens(tenant.AsSystem(ctx), tx.Client(), d.AppID, d.ID, tokens)
	})
}

// SeenDevice records that a device is active now.
func (s *Service) SeenDevice(ctx context.Context, id nodeid.ID) {
	// One statement (an UpdateOne would read the row back in a
	// transaction): it runs once per connection, thousands at a time when
	// a node restarts and its devices reconnect.
	if err := s.relaxed.Device.Update().Where(device.ID(id)).SetLastSeenAt(s.now()).Exec(tenant.AsSystem(ctx)); err != nil {
		s.log.WarnContext(ctx, "record device seen", "device", id, "err", err)
	}
}
