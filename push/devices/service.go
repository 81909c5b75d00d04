// Package devices keeps an app's devices: registration and the device
// credential, vendor tokens, presence, tags, and the binding of a device
// to one of the app's users (with a bind token or by the backend).
package devices

import (
	"context"
	"log/slog"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
)

// Service keeps the devices.
type Service struct {
	client *ent.Client
	// relaxed takes the writes harmless to lose in a database crash
	// (last-seen times).
	relaxed *ent.Client
	sealer  *seal.Sealer
	self    core.SelfChannel
	dialect string
	log     *slog.Logger
	now     core.Clock
	bound   func(ctx context.Context, d *ent.Device, user nodeid.ID) error
}

// Config is what a Service needs.
type Config struct {
	Client, Relaxed *ent.Client
	Sealer          *seal.Sealer
	// Self says which devices are online (nil: none is).
	Self    core.SelfChannel
	Dialect string
	Logger  *slog.Logger
	Clock   core.Clock
	// Bound is told of a device just bound to a user, so that the user's
	// pending pushes reach it.
	Bound func(ctx context.Context, d *ent.Device, user nodeid.ID) error
}

// New returns a Service; the Config is complete (push.NewService fills
// the defaults).
func New(cfg Config) *Service {
	return &Service{
		client: cfg.Client, relaxed: cfg.Relaxed, sealer: cfg.Sealer, self: cfg.Self, dialect: cfg.Dialect,
		log: cfg.Logger, now: cfg.Clock, bound: cfg.Bound,
	}
}
