// Package providertest holds faithful fakes of the vendor push services
// (APNs over HTTP/2 with TLS, FCM HTTP v1, Huawei Push Kit, Xiaomi MiPush),
// for tests, demos (`pushd-fakes`) and load runs. Each fake checks requests
// the way the vendor does, answers with the vendor's status codes and error
// bodies, records what it received, and injects faults on demand: any
// vendor error for chosen tokens, latency, and connection resets.
//
// Every fake serves TLS with the certificate of net/http/httptest; CAPEM
// gives it in PEM form for PUSHD_PROVIDER_CA_FILE.
package providertest

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
)

// CAPEM returns the PEM certificate a client must trust to reach srv.
func CAPEM(srv *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

// Chaos injects faults that do not depend on the vendor: latency before
// every answer, and resets of the next requests or of every request for a
// while (the connection or, on HTTP/2, the stream is aborted without an
// answer).
type Chaos struct {
	latency atomic.Int64
	resets  atomic.Int64
	// resetUntil is the UnixNano until which every request is aborted.
	resetUntil atomic.Int64
}

// SetLatency delays every answer by d.
func (c *Chaos) SetLatency(d time.Duration) { c.latency.Store(int64(d)) }

// ResetNext aborts the next n requests.
func (c *Chaos) ResetNext(n int) { c.resets.Store(int64(n)) }

// ResetFor aborts every request for d from now: an outage of the vendor's
// edge, which a batch vendor meets as a few lost batches rather than as
// many lost requests.
func (c *Chaos) ResetFor(d time.Duration) { c.resetUntil.Store(time.Now().Add(d).UnixNano()) }

// Wrap applies the faults in front of h.
func (c *Chaos) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := time.Duration(c.latency.Load()); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		if time.Now().UnixNano() < c.resetUntil.Load() {
			panic(http.ErrAbortHandler)
		}
		for {
			n := c.resets.Load()
			if n <= 0 {
				break
			}
			if c.resets.CompareAndSwap(n, n-1) {
				panic(http.ErrAbortHandler) // closes the connection or resets the stream
			}
		}
		h.ServeHTTP(w, r)
	})
}

// Log records what a fake received, in order.
type Log[T any] struct {
	mu  sync.Mutex
	all []T
	max int
	// total counts every request since the last Reset, Keep or not.
	total int
	// first is when the first of them was recorded.
	first time.Time
	// added is closed and replaced at every Add, for Wait.
	added chan struct{}
}

// Keep bounds the log to about the last n requests (0: no bound), for a
// fake that runs for long (`pushd-fakes`).
func (l *Log[T]) Keep(n int) {
	l.mu.Lock()
	l.max = n
	l.mu.Unlock()
}

// Add records one request.
func (l *Log[T]) Add(v T) {
	l.mu.Lock()
	if l.max > 0 && len(l.all) >= l.max {
		l.all = append(l.all[:0], l.all[len(l.all)-l.max/2:]...)
	}
	l.all = append(l.all, v)
	if l.total == 0 {
		l.first = time.Now()
	}
	l.total++
	if l.added != nil {
		close(l.added)
		l.added = nil
	}
	l.mu.Unlock()
}

// Wait waits until at least n requests were recorded, and returns them
// (with ctx's error if it ended first).
func (l *Log[T]) Wait(ctx context.Context, n int) ([]T, error) {
	for {
		l.mu.Lock()
		if len(l.all) >= n {
			out := append([]T(nil), l.all...)
			l.mu.Unlock()
			return out, nil
		}
		if l.added == nil {
			l.added = make(chan struct{})
		}
		ch := l.added
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return l.All(), ctx.Err()
		}
	}
}

// All returns a copy of what was recorded.
func (l *Log[T]) All() []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]T(nil), l.all...)
}

// Len returns how many requests were recorded.
func (l *Log[T]) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.all)
}

// Total returns how many requests were recorded since the last Reset,
// including those Keep let go.
func (l *Log[T]) Total() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// First returns when the first request since the last Reset was
// recorded, Keep or not (zero: none yet).
func (l *Log[T]) First() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.first
}

// Reset forgets what was recorded.
func (l *Log[T]) Reset() {
	l.mu.Lock()
	l.all, l.total, l.first = nil, 0, time.Time{}
	l.mu.Unlock()
}

// Egress is the policy a sender in a test needs to reach the fakes: they
// listen on loopback, which pushd refuses unless the operator opens it.
func Egress() egress.Policy {
	return egress.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}}
}

// Trap is a server inside the network that pushd must never reach: it
// counts every request and answers like an OAuth endpoint with a secret
// in its error, so a test sees both a connection and a leak.
type Trap struct {
	*httptest.Server
	hits atomic.Int64
}

// StartTrap starts a Trap on loopback.
func StartTrap() *Trap {
	t := &Trap{}
	t.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		t.hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"trap: internal secret"}`))
	}))
	return t
}

// Hits counts the requests that reached the trap.
func (t *Trap) Hits() int64 { return t.hits.Load() }

// Outcomes counts a send's results by outcome, for the vendors' tests.
func Outcomes(res []core.Result) map[core.Outcome]int {
	m := map[core.Outcome]int{}
	for _, r := range res {
		m[r.Outcome]++
	}
	return m
}

// Messages are n messages of job_1 carrying m, to tokens named prefix-0000,
// prefix-0001, ..., expiring in an hour, for the vendors' tests.
func Messages(n int, prefix string, m jsontype.Message) []core.Outgoing {
	// One expiry for all, on a whole second: messages of one content
	// share a request only when their expiry is the same to the second.
	expires := time.Now().Add(time.Hour).Truncate(time.Second)
	out := make([]core.Outgoing, n)
	for i := range out {
		out[i] = core.Outgoing{
			DeliveryID: nodeid.ID(fmt.Sprintf("dlv_%04d", i)), DeviceID: nodeid.ID(fmt.Sprintf("dev_%04d", i)),
			JobID: "job_1", Token: fmt.Sprintf("%s-%04d", prefix, i), Message: m, ExpiresAt: expires,
		}
	}
	return out
}
