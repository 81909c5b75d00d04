package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/push/core"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// Throttles bound what devices, and anyone posing as one, may ask of the
// gateway. docs/security.md ("Throttles") states the defaults and the
// answers. A zero Rate (or FramesPerSecond) turns that throttle off.
//
// The registration and connection limits count in Redis (GCRA, as
// github.com/go-redis/redis_rate implements it), so they hold across
// every gateway node; the frame limit is per connection, in process.
type Throttles struct {
	// RegisterPerAddress bounds POST /device/v1/register per client
	// address (auth.ClientAddress: an IPv4 address or an IPv6 /64).
	RegisterPerAddress redis_rate.Limit
	// RegisterPerApp bounds it per app key, whatever the address.
	RegisterPerApp redis_rate.Limit
	// ConnectPerAddress bounds WebSocket upgrades on /device/v1/connect
	// per client address, counted before any token is looked at.
	ConnectPerAddress redis_rate.Limit
	// FramesPerSecond and FrameBurst are the token bucket of frames a
	// connection may send (data frames and pings), besides the acks and
	// events that the messages written to it earn (earnedPerMessage
	// each).
	FramesPerSecond rate.Limit
	FrameBurst      int
}

// BurstSeconds is how many seconds of its rate a throttle built by
// PerSecond lets through at once; pushd's configuration gives the frame
// bucket the same burst.
const BurstSeconds = 5

// PerSecond is a limit of n a second with a burst of BurstSeconds' worth;
// 0 is no limit.
func PerSecond(n int) redis_rate.Limit {
	return redis_rate.Limit{Rate: n, Burst: BurstSeconds * n, Period: time.Second}
}

// earnedPerMessage is how many ack and event frames each message written
// to a connection lets the device send on top of the frame bucket: an ack
// and two events (say arrived and opened). So a device acknowledging
// everything it is sent, a 500-message resume at once included, never
// spends the bucket, however fast messages come.
const earnedPerMessage = 3

// maxEarned caps what a connection can have earned and not yet spent, so
// a device that acknowledges nothing for a long while cannot save up an
// unbounded flood.
const maxEarned = earnedPerMessage * maxSentIDs

// frameBudget is what a device may still send on one connection.
type frameBudget struct {
	bucket *rate.Limiter
	earned atomic.Int32
}

func newFrameBudget(t Throttles) *frameBudget {
	if t.FramesPerSecond <= 0 {
		return nil
	}
	return &frameBudget{bucket: rate.NewLimiter(t.FramesPerSecond, max(t.FrameBurst, 1))}
}

// earn credits the frames a message written to the device may bring back.
func (b *frameBudget) earn() {
	if b == nil {
		return
	}
	for {
		n := b.earned.Load()
		if n >= maxEarned || b.earned.CompareAndSwap(n, min(n+earnedPerMessage, maxEarned)) {
			return
		}
	}
}

// spend takes one frame of type typ ("" for a ping) from the budget:
// acks and events from what messages earned while there is some, every
// other frame from the bucket. False means the device is over its limit.
func (b *frameBudget) spend(typ string) bool {
	if b == nil {
		return true
	}
	if typ == FrameAck || typ == FrameEvent {
		for n := b.earned.Load(); n > 0; n = b.earned.Load() {
			if b.earned.CompareAndSwap(n, n-1) {
				return true
			}
		}
	}
	return b.bucket.Allow()
}

// throttle decides the Redis-counted throttles of a node.
type throttle struct {
	limits  Throttles
	limiter *redis_rate.Limiter
	prefix  string
	log     *slog.Logger
	metrics *Metrics
}

func newThrottle(rdb redis.UniversalClient, prefix string, limits Throttles, log *slog.Logger, m *Metrics) *throttle {
	return &throttle{limits: limits, limiter: redis_rate.NewLimiter(rdb), prefix: prefix + "throttle:", log: log, metrics: m}
}

// allow spends one request of key under limit (named what, for metrics
// and the Redis key). Refused, it says how long until one is free. When
// Redis cannot be asked the request is allowed: refusing every device
// because a counter is unreachable would be the worse outage.
func (t *throttle) allow(ctx context.Context, what, key string, limit redis_rate.Limit) (bool, time.Duration) {
	if t == nil || limit.Rate <= 0 {
		return true, 0
	}
	if limit.Period <= 0 {
		limit.Period = time.Second
	}
	limit.Burst = max(limit.Burst, 1)
	res, err := t.limiter.Allow(ctx, t.prefix+what+":"+key, limit)
	if err != nil {
		t.log.WarnContext(ctx, "gateway: throttle unavailable; allowing", "throttle", what, "err", err)
		return true, 0
	}
	if res.Allowed > 0 {
		return true, 0
	}
	t.metrics.throttled.WithLabelValues(what).Inc()
	return false, res.RetryAfter
}

// registerByAddress and registerByApp are the two registration limits;
// the address is checked first, so that a flood from one address is
// stopped there without spending its app's allowance.
func (t *throttle) registerByAddress(w http.ResponseWriter, r *http.Request) bool {
	if t == nil {
		return true
	}
	ok, wait := t.allow(r.Context(), "register_address", auth.ClientAddress(r), t.limits.RegisterPerAddress)
	if !ok {
		rateLimited(w, fmt.Sprintf("too many registrations from this address (%s a second)", rateWords(t.limits.RegisterPerAddress)), wait)
	}
	return ok
}

func (t *throttle) registerByApp(w http.ResponseWriter, r *http.Request, appKey string) bool {
	if t == nil {
		return true
	}
	// Hashed: the key is whatever the caller sent, of any length.
	h := sha256.Sum256([]byte(appKey))
	ok, wait := t.allow(r.Context(), "register_app", hex.EncodeToString(h[:16]), t.limits.RegisterPerApp)
	if !ok {
		rateLimited(w, fmt.Sprintf("too many registrations for this app (%s a second)", rateWords(t.limits.RegisterPerApp)), wait)
	}
	return ok
}

func (t *throttle) connectByAddress(w http.ResponseWriter, r *http.Request) bool {
	if t == nil {
		return true
	}
	ok, wait := t.allow(r.Context(), "connect_address", auth.ClientAddress(r), t.limits.ConnectPerAddress)
	if !ok {
		rateLimited(w, fmt.Sprintf("too many connections from this address (%s a second)", rateWords(t.limits.ConnectPerAddress)), wait)
	}
	return ok
}

func rateWords(l redis_rate.Limit) string {
	per := l.Period
	if per <= 0 {
		per = time.Second
	}
	return strconv.FormatFloat(float64(l.Rate)/per.Seconds(), 'f', -1, 64)
}

// rateLimited answers 429 RATE_LIMITED with Retry-After in whole seconds,
// at least 1: a client that retries at once is refused again.
func rateLimited(w http.ResponseWriter, msg string, wait time.Duration) {
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusTooManyRequests, &core.Error{Code: core.CodeRateLimited, Message: msg + "; retry after " + strconv.Itoa(secs) + "s"})
}
