package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
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
	app, err := createSignedApp(gql, "simple")
	if err != nil {
		return err
	}
	device, received, closeDevice, err := ackingDevice(ctx, *base, app.appKey, *n)
	if err != nil {
		return err
	}
	defer closeDevice()

	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *concurrency}, Timeout: 30 * time.Second}
	load := simpleLoad{backend: pushclient.New(*base, app.signer, hc), app: app.id, device: device, n: *n, concurrency: *concurrency, rate: *rate}
	start := time.Now()
	latencies, err := load.run(ctx, start)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return percentile(latencies, p).Round(10 * time.Microsecond) }
	mode := fmt.Sprintf("%d in flight", *concurrency)
	if *rate > 0 {
		mode = fmt.Sprintf("offered at %d/s, up to %d in flight", *rate, *concurrency)
	}
	fmt.Printf("pushSimple, %d signed requests, %s: p50 %s, p90 %s, p99 %s, max %s; %.0f requests/s\n",
		*n, mode, pct(0.5), pct(0.9), pct(0.99), pct(1), float64(*n)/elapsed.Seconds())
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

// ackingDevice registers and connects one device that acks every push and
// signals each on the returned channel (buffered for n).
func ackingDevice(ctx context.Context, base, appKey string, n int) (nodeid.ID, <-chan struct{}, func(), error) {
	devices := deviceclient.New(base, nil)
	reg, err := devices.Register(ctx, gateway.RegisterRequest{AppKey: appKey, InstallationID: "simple-load", Platform: enum.PlatformAndroid})
	if err != nil {
		return "", nil, nil, err
	}
	conn, err := devices.Connect(ctx, reg.DeviceToken, 0)
	if err != nil {
		return "", nil, nil, err
	}
	received := make(chan struct{}, n)
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
	return reg.DeviceID, received, func() { conn.CloseNow() }, nil
}

// simpleLoad is n signed pushSimple requests to one device.
type simpleLoad struct {
	backend        *pushclient.Client
	app            string
	device         nodeid.ID
	n, concurrency int
	rate           int
}

// run sends the requests and returns each one's latency; any failed
// request fails the run.
func (l simpleLoad) run(ctx context.Context, start time.Time) ([]time.Duration, error) {
	const mutation = `mutation($in: PushSimpleInput!) { pushSimple(input: $in) { id } }`
	latencies := make([]time.Duration, l.n)
	var mu sync.Mutex
	var failures []error
	// In the open loop a request's latency counts from when it was due, so
	// time spent waiting for a free slot is not hidden (no coordinated
	// omission).
	due := func(i int) time.Time {
		if l.rate <= 0 {
			return time.Now()
		}
		at := start.Add(time.Duration(i) * time.Second / time.Duration(l.rate))
		time.Sleep(time.Until(at))
		return at
	}
	err := parallel(ctx, l.n, l.concurrency, func(i int) error {
		vars := map[string]any{"in": map[string]any{
			"appID": l.app, "target": map[string]any{"deviceIDs": []string{string(l.device)}},
			"message": map[string]any{"title": "load", "body": fmt.Sprint("request ", i)},
		}}
		t0 := due(i)
		err := l.backend.Do(ctx, mutation, vars, nil)
		latencies[i] = time.Since(t0)
		if err != nil {
			mu.Lock()
			failures = append(failures, err)
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(failures) > 0 {
		return nil, fmt.Errorf("%d of %d requests failed; first: %v", len(failures), l.n, failures[0])
	}
	return latencies, nil
}
