// Package deliver sends a push's deliveries: it claims each one, hands it
// to pushd's own WebSocket channel when the device is online there or to
// the vendor channel the device's tokens and the app's credentials allow,
// records the vendor's answer, and takes back what a dead or stopping
// sender held (the lease). It is the only writer of a delivery's way from
// PENDING to SENT, SENDING or a failure; docs/delivery.md draws the states.
package deliver

import (
	"context"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"
	"golang.org/x/sync/semaphore"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/credentials"
	"github.com/pushd/pushd/push/pushdb"
)

// SendBatch is the most deliveries one send task carries: the most the
// batching vendors take in one request, so a task of devices on one of
// those channels is one vendor request.
const SendBatch = 1000

// Service sends deliveries.
type Service struct {
	client  *ent.Client
	db      pushdb.Executor
	dialect string
	self    core.SelfChannel
	queue   pipeline.Enqueuer
	creds   *credentials.Service
	// preference orders a device's vendor channels.
	preference []enum.Channel
	// caps are the vendors' daily per-device caps of content and
	// marketing messages (nil: none).
	caps func(enum.Channel) int
	// node names this process in delivery leases; lease is how long a
	// vendor send holds its deliveries.
	node   string
	lease  time.Duration
	mark   func(context.Context, ...nodeid.ID)
	onSend func(core.SendSummary)
	// recording counts the sends between their vendor and their record.
	recording sends
	// bookkeeping bounds the claims and releases in flight (nil: no bound).
	bookkeeping *semaphore.Weighted
	log         *slog.Logger
	now         core.Clock
}

// Config is what a Service needs.
type Config struct {
	Client *ent.Client
	// Dialect is the database's (entgo.io/ent/dialect): postgres or sqlite3.
	Dialect string
	// Self is pushd's own WebSocket channel; nil leaves only the vendors.
	Self core.SelfChannel
	// Queue takes the send tasks of deliveries taken back from a lease.
	Queue pipeline.Enqueuer
	// Credentials opens the app's vendor routes.
	Credentials *credentials.Service
	// Preference orders the vendor channels a device may have tokens on.
	Preference []enum.Channel
	// MarketingCap is a vendor's daily per-device cap of content and
	// marketing messages (0 or nil: none), which sends count against.
	MarketingCap func(enum.Channel) int
	// Lease is how long a vendor send holds its deliveries (default
	// DefaultLease, at least MinLease).
	Lease time.Duration
	// Node names this process in leases (default ProcessName()).
	Node string
	// Mark notes that jobs' counts changed (required: the statistics
	// refresh reads it; push.Service passes its own).
	Mark func(context.Context, ...nodeid.ID)
	// OnSend, if set, hears what every send did (metrics).
	OnSend func(core.SendSummary)
	// MaxBookkeeping bounds the vendor claims and releases that run at
	// once (0: no bound). A broadcast's send batches each claim and
	// release their deliveries, and unbounded they can hold every
	// connection of the process's pool: where the process also serves
	// devices or the API, those then queue behind them for a connection.
	MaxBookkeeping int
	Logger         *slog.Logger
	Clock          core.Clock
}

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.Node == "" {
		cfg.Node = ProcessName()
	}
	if cfg.Dialect == "" {
		cfg.Dialect = dialect.Postgres
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = func() time.Time { return time.Now().UTC() }
	}
	return &Service{
		client: cfg.Client, db: pushdb.For(cfg.Dialect), dialect: cfg.Dialect, self: cfg.Self, queue: cfg.Queue,
		creds: cfg.Credentials, preference: cfg.Preference, caps: cfg.MarketingCap, node: cfg.Node, lease: max(cfg.Lease, MinLease),
		mark: cfg.Mark, onSend: cfg.OnSend, log: cfg.Logger, now: cfg.Clock, bookkeeping: bound(cfg.MaxBookkeeping),
	}
}
