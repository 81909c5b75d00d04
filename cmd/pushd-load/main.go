// Command pushd-load drives a running pushd with simulated devices, for
// the measurements in BENCHMARKS.md. It only ever talks to the URL it is
// given (use a loopback address), and every run is bounded in count and
// time.
//
//	pushd-load devices -url http://127.0.0.1:8080 -email admin@example.com -password secret-pass -n 5000 -hold 30s
//
// registers n devices in a fresh app, connects them all over the
// WebSocket channel, holds them idle for -hold, and reports timings.
//
// All its devices come from one address, so the pushd it drives needs the
// device throttles off (PUSHD_LIMIT_REGISTER_ADDRESS_RPS=0,
// PUSHD_LIMIT_REGISTER_APP_RPS=0, PUSHD_LIMIT_CONNECT_ADDRESS_RPS=0), and
// for live past 500 subscribers PUSHD_LIMIT_SUBSCRIPTIONS_PER_ACCOUNT=0;
// scripts/bench-*.sh set them.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	commands := map[string]func(context.Context, []string) error{
		"devices": devices, "broadcast": broadcast, "pipeline": pipeline, "simple": simple, "live": live,
	}
	var run func(context.Context, []string) error
	if len(os.Args) >= 2 {
		run = commands[os.Args[1]]
	}
	if run == nil {
		fmt.Fprintln(os.Stderr, "usage: pushd-load devices|broadcast|pipeline|simple|live [flags]")
		os.Exit(2)
	}
	if err := run(ctx, os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "pushd-load:", err)
		os.Exit(1)
	}
}

func devices(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("devices", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "pushd base URL (loopback only)")
	email := fs.String("email", "", "console admin email")
	password := fs.String("password", "", "console admin password")
	n := fs.Int("n", 1000, "devices to simulate (at most 15000)")
	concurrency := fs.Int("c", 32, "registrations and connections in flight")
	hold := fs.Duration("hold", 10*time.Second, "how long to hold the connections idle (at most 10m)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 15000 || *hold > 10*time.Minute {
		return fmt.Errorf("-n must be 1..15000 and -hold at most 10m")
	}
	if err := loopbackOnly(*base); err != nil {
		return err
	}
	appKey, err := createApp(ctx, *base, *email, *password)
	if err != nil {
		return err
	}
	transport := &http.Transport{MaxIdleConnsPerHost: *concurrency}
	client := deviceclient.New(*base, &http.Client{Transport: transport, Timeout: 30 * time.Second})

	start := time.Now()
	tokens := make([]string, *n)
	if err := parallel(ctx, *n, *concurrency, func(i int) error {
		r, err := client.Register(ctx, gateway.RegisterRequest{AppKey: appKey, InstallationID: fmt.Sprintf("load-%d", i), Platform: enum.PlatformAndroid})
		tokens[i] = r.DeviceToken
		return err
	}); err != nil {
		return err
	}
	fmt.Printf("registered %d devices in %s\n", *n, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	conns := make([]*deviceclient.Conn, *n)
	var closed atomic.Int64
	if err := parallel(ctx, *n, *concurrency, func(i int) error {
		c, err := client.Connect(ctx, tokens[i], 0)
		conns[i] = c
		if err == nil {
			// Read at once: a device that does not read cannot answer pings.
			go func() {
				for {
					if _, err := c.Next(ctx); err != nil {
						closed.Add(1)
						return
					}
				}
			}()
		}
		return err
	}); err != nil {
		return err
	}
	fmt.Printf("connected %d devices in %s\n", *n, time.Since(start).Round(time.Millisecond))
	fmt.Println("holding; measure the server now")
	select {
	case <-ctx.Done():
	case <-time.After(*hold):
	}
	early := closed.Load() // before we close them ourselves
	for _, c := range conns {
		c.CloseNow()
	}
	fmt.Printf("done; %d connections had closed early\n", early)
	return nil
}

func parallel(ctx context.Context, n, workers int, fn func(i int) error) error {
	var wg sync.WaitGroup
	var first atomic.Value
	next := atomic.Int64{}
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil || first.Load() != nil {
					return
				}
				if err := fn(i); err != nil {
					first.CompareAndSwap(nil, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := first.Load().(error); err != nil {
		return err
	}
	return ctx.Err()
}

// gqlFunc runs one console GraphQL operation and returns its data.
type gqlFunc func(query string, vars map[string]any) (map[string]any, error)

// consoleLogin logs in to the console API.
func consoleLogin(ctx context.Context, base, email, password string) (gqlFunc, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	var csrf string
	gql := func(query string, vars map[string]any) (map[string]any, error) {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Pushd-CSRF", csrf)
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out struct {
			Data   map[string]any `json:"data"`
			Errors []any          `json:"errors"`
		}
		if err := json.Unmarshal(raw, &out); err != nil || len(out.Errors) > 0 {
			return nil, fmt.Errorf("graphql: %s", raw)
		}
		return out.Data, nil
	}
	if _, err := gql(`mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { account { id } } }`,
		map[string]any{"e": email, "p": password}); err != nil {
		return nil, err
	}
	u, _ := url.Parse(base)
	for _, c := range jar.Cookies(u) {
		if c.Name == "pushd_csrf" {
			csrf = c.Value
		}
	}
	return gql, nil
}

// createApp logs in to the console API and creates an app for the run.
func createApp(ctx context.Context, base, email, password string) (string, error) {
	gql, err := consoleLogin(ctx, base, email, password)
	if err != nil {
		return "", err
	}
	d, err := gql(`mutation($n: String!) { createApp(input: {name: $n}) { appKey } }`, map[string]any{"n": fmt.Sprintf("load-%d", time.Now().Unix())})
	if err != nil {
		return "", err
	}
	return d["createApp"].(map[string]any)["appKey"].(string), nil
}

// loopbackOnly refuses any URL that is not on this machine: the load tool
// only ever drives a local pushd and its local stores.
func loopbackOnly(urls ...string) error {
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
			return fmt.Errorf("%s: must be a loopback address", raw)
		}
	}
	return nil
}

// signedApp is an app made for a run with an API key to sign with.
type signedApp struct {
	id, appKey string
	signer     signature.Signer
}

// createSignedApp creates an app named prefix-<time> and an HMAC API key
// for it through the console API.
func createSignedApp(gql gqlFunc, prefix string) (signedApp, error) {
	d, err := gql(`mutation($n: String!) { createApp(input: {name: $n}) { id appKey } }`, map[string]any{"n": fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())})
	if err != nil {
		return signedApp{}, err
	}
	app := d["createApp"].(map[string]any)
	d, err = gql(`mutation($a: ID!) { createAPIKey(input: {appID: $a, name: "load", algorithm: HMAC_SHA256}) { apiKey { keyID } secret } }`, map[string]any{"a": app["id"]})
	if err != nil {
		return signedApp{}, err
	}
	key := d["createAPIKey"].(map[string]any)
	return signedApp{
		id: app["id"].(string), appKey: app["appKey"].(string),
		signer: signature.Signer{KeyID: key["apiKey"].(map[string]any)["keyID"].(string), Algorithm: signature.HMACSHA256, Secret: key["secret"].(string)},
	}, nil
}

// percentile returns the p-quantile of sorted latencies (0 if none).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}
