package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/pushclient"
)

// simple measures pushSimple as a backend sees it: signed requests to one
// connected device (which acks what it gets), -c at a time, and reports
// the latency percentiles and requests per second.
func simple(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("simple", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "pushd base URL (loopback only)")
	email := fs.String("email", "", "console admin email")
	password := fs.String("password", "", "console admin password")
	n := fs.Int("n", 2000, "requests (at most 100000)")
	concurrency := fs.Int("c", 1, "requests in flight (at most 256)")
	rate := fs.Int("rate", 0, "offered load in requests/s (open loop: requests start on schedule, up to -c in flight); 0 = as fast as -c allows")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 100_000 || *concurrency < 1 || *concurrency > 256 {
		return fmt.Errorf("-n must be 1..100000 and -c 1..256")
	}
	if err := loopbackOnly(*base); err != nil {
		return err
	}
	gql, err := consoleLogin(ctx, *base, *email, *password)
	if err != nil {
		return err
	}
	d, err := gql(`mutation($n: String!) { createApp(input: {name: $n}) { id appKey } }`, map[string]any{"n": fmt.Sprintf("simple-%d", time.Now().UnixNano())})
	if err != nil {
		return err
	}
	app := d["createApp"].(map[string]any)
	d, err = gql(`mutation($a: ID!) { createAPIKey(input: {appID: $a, name: "load", algorithm: HMAC_SHA256}) { apiKey { keyID } secret } }`, map[string]any{"a": app["id"]})
	if err != nil {
		return err
	}
	key := d["createAPIKey"].(map[string]any)
	signer := signature.Signer{KeyID: key["apiKey"].(map[string]any)["keyID"].(string), Algorithm: signature.HMACSHA256, Secret: key["secret"].(string)}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *concurrency}, Timeout: 30 * time.Second}
	backend := pushclient.New(*base, signer, hc)

	devices := deviceclient.New(*base, nil)
	reg, err := devices.Register(ctx, gateway.RegisterRequest{AppKey: app["appKey"].(string), InstallationID: "simple-load", Platform: enum.PlatformAndroid})
	if err != nil {
		return err
	}
	conn, err := devices.Connect(ctx, reg.DeviceToken, 0)
	if err != nil {
		return err
	}
	defer conn.CloseNow()
	received := make(chan struct{}, *n)
	go func() {
		for {
			f, err := conn.Next(ctx)
			if err != nil {
				return
			}
			if f.Push != nil {
				_ = conn.Ack(ctx, f.Push.MessageID)
				received <- struct{}{}
			}
		}
	}()

	const mutation = `mutation($in: PushSimpleInput!) { pushSimple(input: $in) { id } }`
	latencies := make([]time.Duration, *n)
	var mu sync.Mutex
	var failures []error
	start := time.Now()
	// In the open loop a request's latency counts from when it was due, so
	// time spent waiting for a free slot is not hidden (no coordinated
	// omission).
	due := func(i int) time.Time {
		if *rate <= 0 {
			return time.Now()
		}
		at := start.Add(time.Duration(i) * time.Second / time.Duration(*rate))
		time.Sleep(time.Until(at))
		return at
	}
	err = parallel(ctx, *n, *concurrency, func(i int) error {
		vars := map[string]any{"in": map[string]any{
			"appID": app["id"], "target": map[string]any{"deviceIDs": []string{string(reg.DeviceID)}},
			"message": map[string]any{"title": "load", "body": fmt.Sprint("request ", i)},
		}}
		t0 := due(i)
		err := backend.Do(ctx, mutation, vars, nil)
		latencies[i] = time.Since(t0)
		if err != nil {
			mu.Lock()
			failures = append(failures, err)
			mu.Unlock()
		}
		return nil
	})
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	if len(failures) > 0 {
		return fmt.Errorf("%d of %d requests failed; first: %v", len(failures), *n, failures[0])
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))] }
	mode := fmt.Sprintf("%d in flight", *concurrency)
	if *rate > 0 {
		mode = fmt.Sprintf("offered at %d/s, up to %d in flight", *rate, *concurrency)
	}
	fmt.Printf("pushSimple, %d signed requests, %s: p50 %s, p90 %s, p99 %s, max %s; %.0f requests/s\n",
		*n, mode, pct(0.5).Round(10*time.Microsecond), pct(0.9).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond),
		latencies[len(latencies)-1].Round(10*time.Microsecond), float64(*n)/elapsed.Seconds())
	deadline := time.After(30 * time.Second)
	for got := 0; got < *n; got++ {
		select {
		case <-received:
		case <-deadline:
			return fmt.Errorf("the device got %d of %d pushes within 30 s of the last request", got, *n)
		}
	}
	fmt.Printf("the device got all %d pushes, %s after the first request\n", *n, time.Since(start).Round(time.Millisecond))
	return nil
}
