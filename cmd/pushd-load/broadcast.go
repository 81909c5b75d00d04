package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/push/core"
)

// broadcast measures the gateway's fan-out: n connected devices, then
// rounds of one frame to every device, handed to the gateway nodes through
// the same Redis routing the push pipeline uses. It reports, per round,
// how many frames arrived and the latency percentiles from hand-off to
// receipt (same machine, one clock).
//
// With -e2e it measures from the signed pushBroadcast mutation instead,
// through the whole pipeline (wsbroadcast.go, which has its own flags).
func broadcast(ctx context.Context, args []string) error {
	if i := slices.IndexFunc(args, func(a string) bool { return a == "-e2e" || a == "--e2e" }); i >= 0 {
		return wsbroadcast(ctx, slices.Delete(slices.Clone(args), i, i+1))
	}
	fs := flag.NewFlagSet("broadcast", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "pushd base URL (loopback only)")
	redisURL := fs.String("redis", "redis://127.0.0.1:6379/0", "the Redis pushd uses (loopback only)")
	prefix := fs.String("prefix", "pushd:", "pushd's Redis key prefix")
	email := fs.String("email", "", "console admin email")
	password := fs.String("password", "", "console admin password")
	n := fs.Int("n", 1000, "devices (at most 15000)")
	size := fs.Int("size", 200, "frame body bytes")
	rounds := fs.Int("rounds", 5, "broadcast rounds (at most 50)")
	concurrency := fs.Int("c", 32, "registrations and connections in flight")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 15000 || *rounds < 1 || *rounds > 50 {
		return fmt.Errorf("-n must be 1..15000 and -rounds 1..50")
	}
	if err := loopbackOnly(*base, *redisURL); err != nil {
		return err
	}
	opt, err := redis.ParseURL(*redisURL)
	if err != nil {
		return err
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	router := gateway.NewRouter(rdb, *prefix)

	appKey, err := createApp(ctx, *base, *email, *password)
	if err != nil {
		return err
	}
	rec := &latencyRecorder{}
	ids, closeAll, err := connectDevices(ctx, *base, appKey, *n, *concurrency, rec.record)
	defer closeAll()
	if err != nil {
		return err
	}
	fmt.Printf("%d devices connected\n", *n)
	if err := waitOnline(ctx, router, ids); err != nil {
		return err
	}
	body := strings.Repeat("x", *size)
	for round := range *rounds {
		if err := broadcastRound(ctx, router, rec, ids, round, body); err != nil {
			return err
		}
	}
	return nil
}

// latencyRecorder keeps the latencies the devices measured.
type latencyRecorder struct {
	mu        sync.Mutex
	latencies []time.Duration
	received  atomic.Int64
}

func (r *latencyRecorder) record(d time.Duration) {
	r.mu.Lock()
	r.latencies = append(r.latencies, d)
	r.mu.Unlock()
	r.received.Add(1)
}

func (r *latencyRecorder) reset() {
	r.mu.Lock()
	r.latencies = r.latencies[:0]
	r.mu.Unlock()
	r.received.Store(0)
}

func (r *latencyRecorder) sorted() []time.Duration {
	r.mu.Lock()
	l := slices.Clone(r.latencies)
	r.mu.Unlock()
	slices.Sort(l)
	return l
}

// connectDevices registers and connects n devices, -c at a time, each
// reading its frames into record; the returned func closes them all.
func connectDevices(ctx context.Context, base, appKey string, n, concurrency int, record func(time.Duration)) ([]nodeid.ID, func(), error) {
	client := deviceclient.New(base, &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}, Timeout: 30 * time.Second})
	ids := make([]nodeid.ID, n)
	conns := make([]*deviceclient.Conn, n)
	closeAll := func() {
		for _, c := range conns {
			if c != nil {
				c.CloseNow()
			}
		}
	}
	err := parallel(ctx, n, concurrency, func(i int) error {
		r, err := client.Register(ctx, gateway.RegisterRequest{AppKey: appKey, InstallationID: fmt.Sprintf("bcast-%d", i), Platform: enum.PlatformAndroid})
		if err != nil {
			return err
		}
		ids[i] = r.DeviceID
		conns[i], err = client.Connect(ctx, r.DeviceToken, 0)
		if err == nil {
			// Read at once: a device that does not read cannot answer the
			// server's pings and is dropped, as it should be.
			go readAll(ctx, conns[i], record)
		}
		return err
	})
	return ids, closeAll, err
}

// waitOnline waits until every device is online (its resume answered).
func waitOnline(ctx context.Context, router *gateway.Router, ids []nodeid.ID) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		on, err := router.Online(ctx, ids)
		if err != nil {
			return err
		}
		if len(on) == len(ids) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d online", len(on), len(ids))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// broadcastRound hands one frame per device to the gateways, waits up to
// 10 s for them to arrive and prints the round's figures.
func broadcastRound(ctx context.Context, router *gateway.Router, rec *latencyRecorder, ids []nodeid.ID, round int, body string) error {
	rec.reset()
	start := time.Now()
	msgs := make([]core.SelfMessage, len(ids))
	for i, id := range ids {
		msgs[i] = core.SelfMessage{
			MessageID: nodeid.New("dlv"), DeviceID: id, Seq: int64(round + 1),
			Message:   jsontype.Message{Body: body, Payload: map[string]any{"sentAt": start.UnixNano()}},
			ExpiresAt: start.Add(time.Minute),
		}
	}
	if err := router.SendSelf(ctx, msgs); err != nil {
		return err
	}
	handoff := time.Since(start)
	for rec.received.Load() < int64(len(ids)) && time.Since(start) < 10*time.Second {
		time.Sleep(5 * time.Millisecond)
	}
	l := rec.sorted()
	pct := func(p float64) time.Duration { return percentile(l, p).Round(time.Millisecond) }
	fmt.Printf("round %d: %d/%d received, hand-off %s, p50 %s, p99 %s, max %s\n",
		round+1, len(l), len(ids), handoff.Round(time.Millisecond), pct(0.50), pct(0.99), pct(1))
	return nil
}

// readAll reads a device's frames until the connection ends, recording the
// latency of each push that carries a send time.
func readAll(ctx context.Context, c *deviceclient.Conn, record func(time.Duration)) {
	for {
		f, err := c.Next(ctx)
		if err != nil {
			return
		}
		if f.Push == nil {
			continue
		}
		if v, ok := f.Push.Payload["sentAt"].(float64); ok {
			record(time.Since(time.Unix(0, int64(v))))
		}
	}
}
