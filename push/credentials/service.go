// Package credentials keeps an app's vendor credentials: it checks them
// through the vendor registry as they are saved, seals them, and opens
// them into routes (a sender per configured channel) for the sends, which
// flag a route whose credentials a vendor refused.
package credentials

import (
	"log/slog"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/push/core"
)

// Service keeps the credentials and the routes opened from them.
type Service struct {
	client   *ent.Client
	sealer   *seal.Sealer
	channels core.Channels
	// senders stand in for vendor channels an app has not configured
	// (tests, load runs).
	senders map[enum.Channel]core.Sender
	routes  core.AppCache[map[enum.Channel]*Route]
	log     *slog.Logger
	now     core.Clock
}

// Config is what a Service needs.
type Config struct {
	Client *ent.Client
	Sealer *seal.Sealer
	// Channels is the vendor registry (nil: no vendor channels in this
	// process).
	Channels core.Channels
	Senders  map[enum.Channel]core.Sender
	Logger   *slog.Logger
	Clock    core.Clock
}

// New returns a Service; the Config is complete (push.NewService fills
// the defaults).
func New(cfg Config) *Service {
	return &Service{
		client: cfg.Client, sealer: cfg.Sealer, channels: cfg.Channels, senders: cfg.Senders,
		log: cfg.Logger, now: cfg.Clock,
	}
}
