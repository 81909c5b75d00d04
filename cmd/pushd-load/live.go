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
	d, err := gql(`mutation($n: String!) { createApp(input: {name: $n}) { id } }`, map[string]any{"n": fmt.Sprintf("live-%d", time.Now().UnixNano())})
	if err != nil {
		return err
	}
	app := d["createApp"].(map[string]any)["id"].(string)
	d, err = gql(`mutation($a: ID!) { createAPIKey(input: {appID: $a, name: "load", algorithm: HMAC_SHA256}) { apiKey { keyID } secret } }`, map[string]any{"a": app})
	if err != nil {
		return err
	}
	key := d["createAPIKey"].(map[string]any)
	signer := signature.Signer{KeyID: key["apiKey"].(map[string]any)["keyID"].(string), Algorithm: signature.HMACSHA256, Secret: key["secret"].(string)}

	wsURL := "ws" + strings.TrimPrefix(*base, "http") + "/graphql"
	frames := make([]int, *n)
	gaps := make([]time.Duration, *n)
	var mu sync.Mutex
	watch, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	ready := make(chan error, *n)
	for i := range *n {
		wg.Go(func() {
			conn, _, err := websocket.Dial(watch, wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
			if err != nil {
				ready <- err
				return
			}
			defer conn.CloseNow()
			h, _ := signer.Headers(http.MethodGet, "/graphql", nil)
			init := map[string]string{}
			for k := range h {
				init[k] = h.Get(k)
			}
			send := func(v any) error { b, _ := json.Marshal(v); return conn.Write(watch, websocket.MessageText, b) }
			if err := send(map[string]any{"type": "connection_init", "payload": init}); err != nil {
				ready <- err
				return
			}
			if err := send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
				"query": `subscription($a: ID!) { liveStats(appID: $a) { at totals { sent } } }`, "variables": map[string]any{"a": app}}}); err != nil {
				ready <- err
				return
			}
			ready <- nil
			var last time.Time
			for {
				_, b, err := conn.Read(watch)
				if err != nil {
					return
				}
				var m struct{ Type string }
				if json.Unmarshal(b, &m) != nil || m.Type != "next" {
					continue
				}
				now := time.Now()
				mu.Lock()
				frames[i]++
				if !last.IsZero() {
					gaps[i] = max(gaps[i], now.Sub(last))
				}
				mu.Unlock()
				last = now
			}
		})
	}
	for range *n {
		if err := <-ready; err != nil {
			return fmt.Errorf("subscribe: %w", err)
		}
	}
	mu.Lock()
	for i := range frames {
		frames[i], gaps[i] = 0, 0
	}
	mu.Unlock()
	start := time.Now()
	select {
	case <-time.After(*duration):
	case <-ctx.Done():
	}
	elapsed := time.Since(start)
	mu.Lock()
	counts, worst := slices.Clone(frames), slices.Clone(gaps)
	mu.Unlock()
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
