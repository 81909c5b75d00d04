// Package push is pushd's domain: the use cases that every transport
// (GraphQL resolvers, the device gateway, queue workers) calls. It imports
// ent and the standard library, and reaches Redis, queues and vendors only
// through the small interfaces declared here, which cmd/pushd fills.
package push

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"entgo.io/ent/dialect"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/credentials"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/push/hooks"
	"github.com/pushd/pushd/push/pushdb"
	"github.com/pushd/pushd/push/stats"
)

// maxInlineSends bounds the sends that accepted requests run themselves;
// past it, pushes go through the queue.
const maxInlineSends = 2

// maxSendingRequests bounds the requests that send their own push (claim
// and hand to the gateway) at once; past it, pushes go through the queue.
const maxSendingRequests = 3

// Service holds the use cases.
type Service struct {
	client *ent.Client
	// relaxed writes what is recomputed or harmless to lose in a database
	// crash without waiting for the disk.
	relaxed *ent.Client
	sealer  *seal.Sealer
	broker  core.Broker
	self    core.SelfChannel
	queue   Enqueuer
	marks   JobMarks
	// senders stand in for vendor channels an app has not configured
	// (tests, load runs); channels opens the apps' own credentials.
	senders  map[enum.Channel]core.Sender
	channels core.Channels
	dialect  string
	// chunkSize is how many devices one fan-out step writes.
	chunkSize int
	// inflight counts sends started inline by Push, for Drain;
	// inlineSlots bounds how many run at once.
	inflight    sync.WaitGroup
	inlineSlots chan struct{}
	// sendSlots bounds the requests that send their own push at once.
	sendSlots chan struct{}
	admission core.Admission
	log       *slog.Logger
	now       core.Clock
	stats     *stats.Service
	outbox    *pipeline.Outbox
	hooks     *hooks.Service
	creds     *credentials.Service
	devices   *devices.Service
	deliver   *deliver.Service
	// db runs the hand-written statements of the database in use.
	db pushdb.Executor
}

// Config is what a Service needs.
type Config struct {
	Client *ent.Client
	// Relaxed, if set, takes the writes that need not wait for the disk
	// (acks, counts, last-seen times); default Client.
	Relaxed *ent.Client
	// Sealer signs short-lived tokens (bind tokens) and seals secrets.
	Sealer *seal.Sealer
	Broker core.Broker
	// Self is pushd's own WebSocket channel (the gateway).
	Self core.SelfChannel
	// Queue carries the pipeline's tasks (Asynq).
	Queue Enqueuer
	// Marks collects jobs whose counts changed; nil refreshes them inline.
	Marks JobMarks
	// Channels opens the vendor credentials apps configure (provider/).
	Channels core.Channels
	// Senders, if set, serve every app on channels it has not configured:
	// a stand-in for tests and load runs (pushtest.DiscardSender).
	Senders map[enum.Channel]core.Sender
	// FanOutChunk is how many devices one range of a broadcast's fan-out
	// holds (default and most FanOutChunk).
	FanOutChunk int
	// Dialect is the database's (entgo.io/ent/dialect): postgres or sqlite3.
	Dialect string
	Logger  *slog.Logger
	// Clock defaults to time.Now.
	Clock core.Clock
	// Webhooks posts receipts to webhook URLs (webhook/).
	Webhooks hooks.Poster
	// WebhookEgress is what webhook URLs may point at beyond the public
	// internet (the poster enforces it again at connect time).
	WebhookEgress egress.Policy
	// OnSend, if set, hears what every send did (metrics).
	OnSend func(core.SendSummary)
	// LiveInterval is how often live statistics send a frame (default
	// LiveInterval; tests shorten it).
	LiveInterval time.Duration
	// Lease is how long a vendor send holds its deliveries before the
	// sweeper may send them again (default deliver.DefaultLease, at least
	// deliver.MinLease).
	Lease time.Duration
	// Node names this process in leases (default host:pid:nonce).
	Node string
	// Admission, if set, may refuse a push before anything is written
	// (rate limits, pipeline overload).
	Admission core.Admission
	// MaxVendorBookkeeping bounds the vendor claims and releases that run
	// at once (0: no bound; see deliver.Config.MaxBookkeeping).
	MaxVendorBookkeeping int
}

// NewService returns a Service.
func NewService(cfg Config) *Service {
	if cfg.Clock == nil {
		// UTC, so that times stored as text (SQLite) compare in order.
		cfg.Clock = func() time.Time { return time.Now().UTC() }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Relaxed == nil {
		cfg.Relaxed = cfg.Client
	}
	if cfg.LiveInterval <= 0 {
		cfg.LiveInterval = stats.LiveInterval
	}
	if cfg.FanOutChunk <= 0 || cfg.FanOutChunk > FanOutChunk {
		cfg.FanOutChunk = FanOutChunk
	}
	if cfg.Dialect == "" {
		cfg.Dialect = dialect.Postgres
	}
	s := &Service{
		client: cfg.Client, relaxed: cfg.Relaxed, sealer: cfg.Sealer, broker: cfg.Broker, self: cfg.Self,
		queue: cfg.Queue, marks: cfg.Marks, senders: cfg.Senders, channels: cfg.Channels, dialect: cfg.Dialect,
		chunkSize: cfg.FanOutChunk, inlineSlots: make(chan struct{}, maxInlineSends), sendSlots: make(chan struct{}, maxSendingRequests), log: cfg.Logger, now: cfg.Clock,
		admission: cfg.Admission,
		db:        pushdb.For(cfg.Dialect),
		outbox:    &pipeline.Outbox{Client: cfg.Client, Queue: cfg.Queue, Clock: cfg.Clock, Logger: cfg.Logger},
		stats: stats.New(stats.Config{
			Client: cfg.Client, Relaxed: cfg.Relaxed, Broker: cfg.Broker, Dialect: cfg.Dialect,
			Logger: cfg.Logger, Clock: cfg.Clock, LiveInterval: cfg.LiveInterval,
		}),
	}
	s.devices = devices.New(devices.Config{
		Client: cfg.Client, Relaxed: cfg.Relaxed, Sealer: cfg.Sealer, Self: cfg.Self, Dialect: cfg.Dialect,
		Logger: cfg.Logger, Clock: cfg.Clock, Bound: s.deliverToBoundDevice,
	})
	s.creds = credentials.New(credentials.Config{
		Client: cfg.Client, Sealer: cfg.Sealer, Channels: cfg.Channels, Senders: cfg.Senders, Logger: cfg.Logger, Clock: cfg.Clock,
	})
	s.deliver = deliver.New(deliver.Config{
		Client: cfg.Client, Dialect: cfg.Dialect, Self: cfg.Self, Queue: cfg.Queue, Credentials: s.creds,
		Preference: preference(cfg), MarketingCap: marketingCap(cfg), Lease: cfg.Lease, Node: cfg.Node, Mark: s.mark,
		OnSend: cfg.OnSend, MaxBookkeeping: cfg.MaxVendorBookkeeping, Logger: cfg.Logger, Clock: cfg.Clock,
	})
	s.hooks = hooks.New(hooks.Config{
		Client: cfg.Client, Sealer: cfg.Sealer, Queue: cfg.Queue, Outbox: s.outbox, Mark: s.mark,
		Poster: cfg.Webhooks, Egress: cfg.WebhookEgress, Dialect: cfg.Dialect, Logger: cfg.Logger, Clock: cfg.Clock,
	})
	return s
}

// Outbox is the pipeline's outbox: RelayPending moves what a failed
// hand-off left.
func (s *Service) Outbox() *pipeline.Outbox { return s.outbox }

// Devices is the devices capability: registration, tokens, presence,
// tags and bindings.
func (s *Service) Devices() *devices.Service { return s.devices }

// Credentials is the vendor credentials capability: saving, sealing and
// opening them into routes.
func (s *Service) Credentials() *credentials.Service { return s.creds }

// OpenChannelConfig returns a stored channel config and its unsealed
// credentials, for the vendors' receipt callbacks (provider.ReceiptService).
func (s *Service) OpenChannelConfig(ctx context.Context, id nodeid.ID) (*ent.ChannelConfig, core.Credentials, error) {
	return s.creds.Open(ctx, id)
}

// Delivery is the delivery capability: sending deliveries on the
// self-built and vendor channels, device resumes, and the leases that make
// a crash cost a duplicate instead of a loss.
func (s *Service) Delivery() *deliver.Service { return s.deliver }

// Hooks is the webhooks capability: endpoints and their receipts.
func (s *Service) Hooks() *hooks.Service { return s.hooks }

// Stats is the statistics capability: counts, rollups, queries and live
// feeds.
func (s *Service) Stats() *stats.Service { return s.stats }

// Client returns the ent client, for read paths that page straight through
// ent (connections, node lookups).
func (s *Service) Client() *ent.Client { return s.client }

// preference is the vendor channels' order: the registry's, then any
// stand-in sender's channel it lacks, by name.
// marketingCap is the vendors' daily per-device caps of content and
// marketing messages; none without the registry.
func marketingCap(cfg Config) func(enum.Channel) int {
	if cfg.Channels == nil {
		return nil
	}
	return cfg.Channels.MarketingCap
}

func preference(cfg Config) []enum.Channel {
	var out []enum.Channel
	if cfg.Channels != nil {
		out = cfg.Channels.Preference()
	}
	var extra []enum.Channel
	for ch := range cfg.Senders {
		if !slices.Contains(out, ch) {
			extra = append(extra, ch)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}
