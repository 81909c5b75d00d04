// Package admission decides, before a push mutation writes anything,
// whether pushd takes it now: the caller's request rate (per app and per
// API key, counted in Redis so the limits hold across every API replica)
// and the pipeline's load (how far the queue lags, how many tasks wait).
// A refusal is RATE_LIMITED with how long to wait; nothing accepted is
// ever dropped, so refusing at the door is how pushd sheds load.
package admission

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"

	"github.com/go-redis/redis_rate/v10"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// Limits are the numbers admission enforces; zero turns one off.
type Limits struct {
	// AppPerSecond bounds push requests per app, whoever sends them; a
	// burst of as many is allowed.
	AppPerSecond int
	// KeyPerSecond bounds push requests per API key.
	KeyPerSecond int
	// MaxQueueLag refuses pushes while the oldest waiting task of any
	// pipeline queue has waited longer.
	MaxQueueLag time.Duration
	// MaxQueuedTasks refuses pushes while more pipeline tasks wait (each
	// send task carries up to push.SendBatch deliveries).
	MaxQueuedTasks int
	// Period is what the rates are per; default a second (tests lengthen
	// it, so that a count does not depend on how fast they run).
	Period time.Duration
}

// Load is the pipeline's state as admission reads it.
type Load struct {
	QueueLag    time.Duration
	QueuedTasks int
}

// LoadFunc reads the pipeline's load (the queue in Redis).
type LoadFunc func(ctx context.Context) (Load, error)

// loadTTL is how long one reading of the load serves: a reading is a few
// Redis round trips, not one per request.
const loadTTL = time.Second

// overloadRetry is what a refused caller is told to wait when the
// pipeline, not its own rate, is the reason.
const overloadRetry = 5 * time.Second

// Config is what a Controller needs.
type Config struct {
	Redis  redis.UniversalClient
	Prefix string
	Limits Limits
	Load   LoadFunc
	Logger *slog.Logger
	// Registry receives pushd_admission_refused_total; nil keeps it private.
	Registry prometheus.Registerer
}

// Controller admits or refuses push requests. It is safe for concurrent use.
type Controller struct {
	limiter *redis_rate.Limiter
	prefix  string
	limits  Limits
	load    LoadFunc
	log     *slog.Logger
	refused *prometheus.CounterVec

	mu     sync.Mutex
	last   Load
	lastAt time.Time
}

// New returns a Controller.
func New(cfg Config) *Controller {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Limits.Period <= 0 {
		cfg.Limits.Period = time.Second
	}
	c := &Controller{
		limiter: redis_rate.NewLimiter(cfg.Redis), prefix: cfg.Prefix, limits: cfg.Limits, load: cfg.Load, log: cfg.Logger,
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_admission_refused_total",
			Help: "Push requests refused with RATE_LIMITED before anything was written, by reason: app_rate, key_rate, queue_lag, queued_tasks.",
		}, []string{"reason"}),
	}
	if cfg.Registry != nil {
		cfg.Registry.MustRegister(c.refused)
	}
	return c
}

// Admit says whether a push request of app, sent with API key key (empty
// for a console user), may proceed. A refusal is a *push.Error with
// RATE_LIMITED and RetryAfter. When Redis cannot be asked, the request is
// admitted: accepted work is durable in the database, and refusing every
// push because a counter is unreachable would be the worse outage.
func (c *Controller) Admit(ctx context.Context, app, key nodeid.ID) error {
	if err := c.admitLoad(ctx); err != nil {
		return err
	}
	if key != "" {
		if err := c.admitRate(ctx, "key_rate", "key:"+string(key), c.limits.KeyPerSecond,
			"this API key sends more than %d push requests a second"); err != nil {
			return err
		}
	}
	return c.admitRate(ctx, "app_rate", "app:"+string(app), c.limits.AppPerSecond,
		"this app sends more than %d push requests a second")
}

func (c *Controller) admitRate(ctx context.Context, reason, key string, perSecond int, words string) error {
	if perSecond <= 0 {
		return nil
	}
	limit := redis_rate.Limit{Rate: perSecond, Burst: perSecond, Period: c.limits.Period}
	res, err := c.limiter.Allow(ctx, c.prefix+"rate:"+key, limit)
	if err != nil {
		c.log.WarnContext(ctx, "admission: rate limiter unavailable; admitting", "err", err)
		return nil
	}
	if res.Allowed > 0 {
		return nil
	}
	c.refused.WithLabelValues(reason).Inc()
	return refusal(fmt.Sprintf(words, perSecond), res.RetryAfter)
}

func (c *Controller) admitLoad(ctx context.Context) error {
	if c.load == nil || (c.limits.MaxQueueLag <= 0 && c.limits.MaxQueuedTasks <= 0) {
		return nil
	}
	l, err := c.currentLoad(ctx)
	if err != nil {
		c.log.WarnContext(ctx, "admission: pipeline load unavailable; admitting", "err", err)
		return nil
	}
	if c.limits.MaxQueueLag > 0 && l.QueueLag > c.limits.MaxQueueLag {
		c.refused.WithLabelValues("queue_lag").Inc()
		return refusal(fmt.Sprintf("pushd is behind: its queue lags %s (bound %s); nothing was written", l.QueueLag.Round(time.Second), c.limits.MaxQueueLag), overloadRetry)
	}
	if c.limits.MaxQueuedTasks > 0 && l.QueuedTasks > c.limits.MaxQueuedTasks {
		c.refused.WithLabelValues("queued_tasks").Inc()
		return refusal(fmt.Sprintf("pushd is behind: %d tasks wait (bound %d); nothing was written", l.QueuedTasks, c.limits.MaxQueuedTasks), overloadRetry)
	}
	return nil
}

// currentLoad reads the load at most once per loadTTL.
func (c *Controller) currentLoad(ctx context.Context) (Load, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.lastAt.IsZero() && time.Since(c.lastAt) < loadTTL {
		return c.last, nil
	}
	l, err := c.load(ctx)
	if err != nil {
		return Load{}, err
	}
	c.last, c.lastAt = l, time.Now()
	return l, nil
}

func refusal(msg string, after time.Duration) *core.Error {
	// Whole seconds, never zero: a client that retries at once is refused
	// again.
	after = time.Duration(math.Ceil(max(after, time.Second).Seconds())) * time.Second
	return &core.Error{Code: core.CodeRateLimited, Message: msg + "; retry after " + after.String(), RetryAfter: after}
}
