package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/pushd/pushd/auth/signature"
)

// live opens n liveStats subscriptions (graphql-transport-ws, signed with
// an API key) to one pushd, keeps them for a while, and reports how many
// frames each got per second and the longest gap between two frames.
func live(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("live", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "pushd base URL (loopback only)")
	email := fs.String("email", "", "console admin email")
	password := fs.String("password", "", "console admin password")
	n := fs.Int("n", 1000, "subscribers (at most 10000)")
	duration := fs.Duration("d", 30*time.Second, "how long to watch")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 10_000 {
		return fmt.Errorf("-n must be 1..10000")
	}
	if err := loopbackOnly(*base); err != nil {
		return err
	}
	gql, err := consoleLogin(ctx, *base, *email, *password)
	if err != nil {
		return err
	}
	app, err := createSignedApp(gql, "live")
	if err != nil {
		return err
	}

	watch, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &liveWatch{url: "ws" + strings.TrimPrefix(*base, "http") + "/graphql", app: app, frames: make([]int, *n), gaps: make([]time.Duration, *n)}
	var wg sync.WaitGroup
	ready := make(chan error, *n)
	for i := range *n {
		wg.Go(func() { w.subscribe(watch, i, ready) })
	}
	for range *n {
		if err := <-ready; err != nil {
			return fmt.Errorf("subscribe: %w", err)
		}
	}
	w.reset()
	start := time.Now()
	select {
	case <-time.After(*duration):
	case <-ctx.Done():
	}
	elapsed := time.Since(start)
	counts, worst := w.snapshot()
	cancel()
	wg.Wait()
	slices.Sort(counts)
	slices.Sort(worst)
	perSec := func(c int) float64 { return float64(c) / elapsed.Seconds() }
	fmt.Printf("%d liveStats subscribers for %s: frames/s per subscriber min %.2f, median %.2f, max %.2f; longest gap between frames: median %s, max %s\n",
		*n, elapsed.Round(time.Second), perSec(counts[0]), perSec(counts[len(counts)/2]), perSec(counts[len(counts)-1]),
		worst[len(worst)/2].Round(time.Millisecond), worst[len(worst)-1].Round(time.Millisecond))
	return nil
}

// liveWatch counts, per subscriber, the frames it got and its longest gap
// between two.
type liveWatch struct {
	url    string
	app    signedApp
	mu     sync.Mutex
	frames []int
	gaps   []time.Duration
}

// subscribe opens subscriber i's connection, says on ready whether it
// subscribed, and counts its frames until ctx ends.
func (w *liveWatch) subscribe(ctx context.Context, i int, ready chan<- error) {
	conn, err := w.open(ctx)
	if err != nil {
		ready <- err
		return
	}
	defer conn.CloseNow()
	ready <- nil
	var last time.Time
	for {
		_, b, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var m struct{ Type string }
		if json.Unmarshal(b, &m) != nil || m.Type != "next" {
			continue
		}
		now := time.Now()
		w.mu.Lock()
		w.frames[i]++
		if !last.IsZero() {
			w.gaps[i] = max(w.gaps[i], now.Sub(last))
		}
		w.mu.Unlock()
		last = now
	}
}

// open dials, signs the connection_init and subscribes to liveStats.
func (w *liveWatch) open(ctx context.Context) (*websocket.Conn, error) {
	conn, _, err := websocket.Dial(ctx, w.url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, err
	}
	init, err := signedInit(w.app.signer)
	if err == nil {
		err = writeJSON(ctx, conn, map[string]any{"type": "connection_init", "payload": init})
	}
	if err == nil {
		err = writeJSON(ctx, conn, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
			"query": `subscription($a: ID!) { liveStats(appID: $a) { at totals { sent } } }`, "variables": map[string]any{"a": w.app.id}}})
	}
	if err != nil {
		conn.CloseNow()
		return nil, err
	}
	return conn, nil
}

// signedInit is the connection_init payload: the signature headers of a
// GET /graphql.
func signedInit(s signature.Signer) (map[string]string, error) {
	h, err := s.Headers(http.MethodGet, "/graphql", nil)
	if err != nil {
		return nil, err
	}
	init := map[string]string{}
	for k := range h {
		init[k] = h.Get(k)
	}
	return init, nil
}

func writeJSON(ctx context.Context, conn *websocket.Conn, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return conn.Write(ctx, websocket.MessageText, b)
}

func (w *liveWatch) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	clear(w.frames)
	clear(w.gaps)
}

func (w *liveWatch) snapshot() ([]int, []time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.frames), slices.Clone(w.gaps)
}
