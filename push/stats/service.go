// Package stats is pushd's statistics: minute-level counts of what became
// of every delivery, counted from the deliveries themselves as jobs move
// (Record), rolled up into hours and days (RollUp), queried per dimension
// (Query, CoreIndex, JobReport) and streamed live (Live). docs/analytics.md
// describes the numbers.
package stats

import (
	"log/slog"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/push/core"
)

// Service counts, keeps and serves the statistics.
type Service struct {
	client *ent.Client
	// relaxed takes the counts' writes: they are recomputed from the
	// deliveries when lost.
	relaxed      *ent.Client
	broker       core.Broker
	dialect      string
	log          *slog.Logger
	now          core.Clock
	live         liveHub
	liveInterval time.Duration
	// pace spaces out each job's counts.
	pace statsPace
}

// Config is what a Service needs.
type Config struct {
	Client  *ent.Client
	Relaxed *ent.Client
	// Broker tells other processes' live feeds that an app's counts moved
	// (nil: live feeds only tick).
	Broker  core.Broker
	Dialect string
	Logger  *slog.Logger
	Clock   core.Clock
	// LiveInterval is how often a live feed sends a frame.
	LiveInterval time.Duration
}

// New returns a Service; the caller's Config is complete (push.NewService
// fills the defaults).
func New(cfg Config) *Service {
	return &Service{
		client: cfg.Client, relaxed: cfg.Relaxed, broker: cfg.Broker, dialect: cfg.Dialect,
		log: cfg.Logger, now: cfg.Clock, liveInterval: cfg.LiveInterval,
	}
}
