// Package hooks is pushd's webhooks: an app's webhook endpoints and the
// receipts they get. As a job's deliveries change status, QueueReceipts
// writes batches of receipts with their queue tasks; DeliverWebhook posts
// one batch, signed with the webhook's secret, and the queue retries it.
// docs/webhooks.md describes what a receiver sees.
package hooks

import (
	"context"
	"log/slog"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
)

// Service keeps the webhooks and posts their receipts.
type Service struct {
	client  *ent.Client
	sealer  *seal.Sealer
	queue   pipeline.Enqueuer
	outbox  *pipeline.Outbox
	mark    func(ctx context.Context, jobs ...nodeid.ID)
	poster  Poster
	egress  egress.Policy
	dialect string
	log     *slog.Logger
	now     core.Clock
	// hooks caches each app's enabled webhooks: receipts are considered on
	// every refresh, and most apps have none.
	hooks core.AppCache[[]*ent.Webhook]
}

// Config is what a Service needs.
type Config struct {
	Client *ent.Client
	Sealer *seal.Sealer
	// Queue and Outbox carry the posts; Mark asks for another pass over a
	// job whose receipts did not fit in one.
	Queue  pipeline.Enqueuer
	Outbox *pipeline.Outbox
	Mark   func(ctx context.Context, jobs ...nodeid.ID)
	// Poster posts to webhook URLs (webhook/); nil fails every post.
	Poster Poster
	// Egress is what webhook URLs may point at beyond the public internet
	// (the poster enforces it again at connect time).
	Egress  egress.Policy
	Dialect string
	Logger  *slog.Logger
	Clock   core.Clock
}

// New returns a Service; the Config is complete (push.NewService fills
// the defaults).
func New(cfg Config) *Service {
	return &Service{
		client: cfg.Client, sealer: cfg.Sealer, queue: cfg.Queue, outbox: cfg.Outbox, mark: cfg.Mark,
		poster: cfg.Poster, egress: cfg.Egress, dialect: cfg.Dialect, log: cfg.Logger, now: cfg.Clock,
	}
}
