package push

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// newAppKey returns a public app key: 20 random bytes, base32 (32 chars),
// so that app keys cannot be guessed or enumerated.
func newAppKey() string {
	var b [20]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "ak_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// CreateApp creates an app with a fresh app key.
func (s *Service) CreateApp(ctx context.Context, in ent.CreateAppInput) (*ent.App, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return nil, core.Invalid("name", "must not be empty")
	}
	return s.client.App.Create().
		SetInput(in).
		SetAppKey(newAppKey()).
		Save(ctx)
}

// UpdateApp changes an app's name or description.
func (s *Service) UpdateApp(ctx context.Context, id nodeid.ID, in ent.UpdateAppInput) (*ent.App, error) {
	if err := tenant.Require(ctx, id, tenant.NeedOwner); err != nil {
		return nil, err
	}
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		if n == "" {
			return nil, core.Invalid("name", "must not be empty")
		}
		in.Name = &n
	}
	app, err := s.client.App.UpdateOneID(id).SetInput(in).Save(ctx)
	return app, core.NotFoundAs(err, "app")
}

// DeleteApp deletes an app and everything it owns: by cascade, and its
// deliveries (which carry no foreign keys on PostgreSQL) in a statement
// after it. That order matters: deleting the app waits for the
// transactions that write its jobs or their fan-out ranges, and the later
// statement, reading afresh, sees the deliveries they committed meanwhile;
// one that starts later finds its job or range gone and writes nothing.
func (s *Service) DeleteApp(ctx context.Context, id nodeid.ID) error {
	if err := tenant.Require(ctx, id, tenant.NeedOwner); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *ent.Tx) error {
		if err := tx.App.DeleteOneID(id).Exec(ctx); err != nil {
			return core.NotFoundAs(err, "app")
		}
		// As the cascade did, below the app's own rules: its owner
		// deletes it all.
		_, err := tx.Delivery.Delete().Where(delivery.AppID(id)).Exec(tenant.AsSystem(ctx))
		return err
	})
}
