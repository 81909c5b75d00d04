package devices

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/appuser"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// Bind token lifetimes: short, because a bind token lets a device claim a
// user; the backend mints one right before the device binds.
const (
	DefaultBindTokenTTL = 5 * time.Minute
	MaxBindTokenTTL     = time.Hour
	// MaxUserID is the longest user ID, in bytes.
	MaxUserID = 128
)

const bindPurpose = "bind-token/v1"

type bindClaims struct {
	App     nodeid.ID `json:"a"`
	Device  nodeid.ID `json:"d"`
	User    string    `json:"u"`
	Expires int64     `json:"e"`
}

// MintBindToken lets a backend authorise one device to bind itself to one
// of the app's users, for a short time. The token is a MAC over app,
// device, user and expiry: a device can neither change the user it names
// nor use it on another device.
func (s *Service) MintBindToken(ctx context.Context, deviceID nodeid.ID, userID string, ttl time.Duration) (string, time.Time, error) {
	if err := CheckUserID(userID); err != nil {
		return "", time.Time{}, err
	}
	if ttl == 0 {
		ttl = DefaultBindTokenTTL
	}
	if ttl < time.Second || ttl > MaxBindTokenTTL {
		return "", time.Time{}, core.Invalid("ttlSeconds", "must be from 1 to %d", int(MaxBindTokenTTL.Seconds()))
	}
	d, err := s.client.Device.Get(ctx, deviceID)
	if err != nil {
		return "", time.Time{}, core.NotFoundAs(err, "device")
	}
	if err := tenant.Require(ctx, d.AppID, tenant.NeedWrite); err != nil {
		return "", time.Time{}, err
	}
	exp := s.now().Add(ttl).Truncate(time.Second)
	claims, _ := json.Marshal(bindClaims{App: d.AppID, Device: d.ID, User: userID, Expires: exp.Unix()})
	enc := base64.RawURLEncoding
	return "bt_" + enc.EncodeToString(claims) + "." + enc.EncodeToString(s.sealer.MAC(bindPurpose, claims)), exp, nil
}

// CheckUserID checks a user ID as the app gives it: 1 to MaxUserID bytes,
// not only spaces.
func CheckUserID(userID string) error {
	if strings.TrimSpace(userID) == "" || len(userID) > MaxUserID {
		return core.Invalid("userID", "must be 1 to %d bytes", MaxUserID)
	}
	return nil
}

// errBadBindToken is one answer for every bad bind token: forged,
// expired, for another device or another user.
func errBadBindToken() error {
	return &core.Error{Code: core.CodeForbidden, Message: "invalid or expired bind token"}
}

// BindWithToken binds device d to userID, as the device asks with a token
// its backend minted.
func (s *Service) BindWithToken(ctx context.Context, d *ent.Device, userID, token string) (*ent.Device, error) {
	if err := CheckUserID(userID); err != nil {
		return nil, err
	}
	raw, mac, ok := strings.Cut(strings.TrimPrefix(token, "bt_"), ".")
	if !ok || !strings.HasPrefix(token, "bt_") || len(token) > 1024 {
		return nil, errBadBindToken()
	}
	enc := base64.RawURLEncoding
	claimsJSON, err1 := enc.DecodeString(raw)
	macBytes, err2 := enc.DecodeString(mac)
	if err1 != nil || err2 != nil || !s.sealer.VerifyMAC(bindPurpose, claimsJSON, macBytes) {
		return nil, errBadBindToken()
	}
	var c bindClaims
	dec := json.NewDecoder(bytes.NewReader(claimsJSON))
	dec.DisallowUnknownFields()
	if dec.Decode(&c) != nil || c.App != d.AppID || c.Device != d.ID || c.User != userID || s.now().Unix() >= c.Expires {
		return nil, errBadBindToken()
	}
	return s.bind(tenant.AsSystem(ctx), d, userID)
}

// BindUser binds a device to one of its app's users, as a backend asks.
func (s *Service) BindUser(ctx context.Context, deviceID nodeid.ID, userID string) (*ent.Device, error) {
	if err := CheckUserID(userID); err != nil {
		return nil, err
	}
	d, err := s.client.Device.Get(ctx, deviceID)
	if err != nil {
		return nil, core.NotFoundAs(err, "device")
	}
	if err := tenant.Require(ctx, d.AppID, tenant.NeedWrite); err != nil {
		return nil, err
	}
	return s.bind(ctx, d, userID)
}

// bind makes the app user if needed and binds d to it. A device has one
// user at a time: binding replaces the previous one.
func (s *Service) bind(ctx context.Context, d *ent.Device, userID string) (*ent.Device, error) {
	var uid nodeid.ID
	err := core.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		var err error
		uid, err = tx.AppUser.Create().SetAppID(d.AppID).SetExternalID(userID).
			OnConflictColumns(appuser.FieldAppID, appuser.FieldExternalID).
			UpdateUpdatedAt().
			ID(ctx)
		if err != nil {
			return err
		}
		if d.UserID != nil && *d.UserID != uid {
			if err := withdrawUserPending(ctx, tx, d.ID, *d.UserID); err != nil {
				return err
			}
		}
		return tx.Device.UpdateOneID(d.ID).SetUserID(uid).SetBoundAt(s.now()).Exec(ctx)
	})
	if err != nil {
		return nil, err
	}
	s.log.DebugContext(ctx, "device bound", "device", d.ID, "app", d.AppID)
	if err := s.bound(ctx, d, uid); err != nil {
		// The binding stands; the user's earlier messages are what failed.
		s.log.WarnContext(ctx, "bind: deliver the user's pending messages", "device", d.ID, "err", err)
	}
	// Read outside the transaction: the caller may load edges from it.
	return s.client.Device.Get(ctx, d.ID)
}

// UnbindUser removes a device's user binding, as a backend asks.
func (s *Service) UnbindUser(ctx context.Context, deviceID nodeid.ID) (*ent.Device, error) {
	d, err := s.client.Device.Get(ctx, deviceID)
	if err != nil {
		return nil, core.NotFoundAs(err, "device")
	}
	if err := tenant.Require(ctx, d.AppID, tenant.NeedWrite); err != nil {
		return nil, err
	}
	return s.unbind(ctx, d)
}

// UnbindDevice removes the binding of d, as the device itself asks.
func (s *Service) UnbindDevice(ctx context.Context, d *ent.Device) (*ent.Device, error) {
	return s.unbind(tenant.AsSystem(ctx), d)
}

func (s *Service) unbind(ctx context.Context, d *ent.Device) (*ent.Device, error) {
	var out *ent.Device
	err := core.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		if d.UserID != nil {
			if err := withdrawUserPending(ctx, tx, d.ID, *d.UserID); err != nil {
				return err
			}
		}
		var err error
		out, err = tx.Device.UpdateOneID(d.ID).ClearUserID().ClearBoundAt().Save(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out.Unwrap(), nil
}

// withdrawUserPending revokes what waits on a device for the user it is
// being unbound from (pushes to that user), so that the next person to
// sign in on it does not see them. A push that also named the device
// itself is withdrawn too.
func withdrawUserPending(ctx context.Context, tx *ent.Tx, dev, user nodeid.ID) error {
	var jobs []nodeid.ID
	if err := tx.Delivery.Query().Where(delivery.AppUserID(user), delivery.DeviceIDIsNil()).
		Select(delivery.FieldJobID).Scan(ctx, &jobs); err != nil {
		return err
	}
	for _, part := range core.Chunks(core.Unique(jobs), 1000) {
		if err := tx.Delivery.Update().
			Where(delivery.DeviceID(dev), delivery.StatusEQ(delivery.StatusPENDING), delivery.JobIDIn(part...)).
			SetStatus(delivery.StatusREVOKED).SetLastError("the device's user changed before it was delivered").
			Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
