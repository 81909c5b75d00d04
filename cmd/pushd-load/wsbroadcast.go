package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/pushclient"
)

// maxMergedDevices bounds -n with -merge: the devices of every load
// process of a run.
const maxMergedDevices = 1_000_000

// wsbroadcast measures a broadcast from where a backend stands: a signed
// pushBroadcast mutation, timed from just before it is sent to each
// connected device's push frame (same machine, one clock), through the
// whole pipeline (accept, queue, fan-out, claim, presence, publish, the
// gateway's write). Devices may spread over several gateways and source
// addresses, and over several load processes sharing one app (-app): one
// sends (-send), the others only listen and report what reached them.
type wsbroadcastFlags struct {
	base, gateways, metrics, sources, appFile, out, merge string
	email, password                                       string
	n, expect, concurrency, rounds, size                  int
	send, ack                                             bool
	gap, timeout, hold, idle                              time.Duration
}

func parseWSBroadcast(args []string) (*wsbroadcastFlags, error) {
	f := &wsbroadcastFlags{}
	fs := flag.NewFlagSet("wsbroadcast", flag.ContinueOnError)
	fs.StringVar(&f.base, "url", "http://127.0.0.1:8080", "pushd API base URL, where the mutation goes (loopback only)")
	fs.StringVar(&f.gateways, "gateways", "", "comma-separated device API base URLs the devices register and connect to, in turn (default: -url)")
	fs.StringVar(&f.metrics, "metrics", "", "comma-separated URLs whose /metrics count the connected devices before the first round (default: -gateways)")
	fs.StringVar(&f.sources, "sources", "", "last octets of the 127.0.0.x source addresses to spread connections over, e.g. 2-9 (default: any)")
	fs.StringVar(&f.appFile, "app", "", "file with the run's app and API key: read when it exists, else created and written (for several load processes)")
	fs.StringVar(&f.out, "out", "", "write every measured latency to this file (round and nanoseconds a line), for -merge")
	fs.StringVar(&f.merge, "merge", "", "only merge these comma-separated -out files of a run and print its rounds (-n is the total)")
	fs.StringVar(&f.email, "email", "", "console admin email (to create the app)")
	fs.StringVar(&f.password, "password", "", "console admin password")
	fs.IntVar(&f.n, "n", 1000, "devices of this process (at most 19000)")
	fs.IntVar(&f.expect, "expect", 0, "devices over every process to wait for before the first round (default: -n)")
	fs.IntVar(&f.concurrency, "c", 32, "registrations and connections in flight")
	fs.IntVar(&f.rounds, "rounds", 5, "broadcast rounds (at most 50)")
	fs.IntVar(&f.size, "size", 200, "message body bytes")
	fs.BoolVar(&f.send, "send", true, "send the mutations (false: only listen, for a second load process)")
	fs.BoolVar(&f.ack, "ack", true, "devices ack every push, as the protocol asks")
	fs.DurationVar(&f.gap, "gap", 5*time.Second, "pause between rounds, for the acks of the last one to be recorded")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "how long a round waits for its frames")
	fs.DurationVar(&f.idle, "idle", 0, "with -send, wait this long once every device is connected and answered, before the first round (at most 10m; to read the servers' memory)")
	fs.DurationVar(&f.hold, "hold", 0, "only hold the devices connected and idle this long (at most 10m; no rounds), to measure the server's memory")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if f.hold > 10*time.Minute || f.idle > 10*time.Minute {
		return nil, errors.New("-hold and -idle must be at most 10m")
	}
	if f.merge != "" {
		// -n is then the run's total over every process.
		if f.n < 1 || f.n > maxMergedDevices || f.rounds < 1 || f.rounds > 50 {
			return nil, fmt.Errorf("with -merge, -n must be 1..%d and -rounds 1..50", maxMergedDevices)
		}
		return f, nil
	}
	if f.n < 1 || f.n > 19000 || f.rounds < 1 || f.rounds > 50 || f.size < 1 || f.size > 3000 {
		return nil, errors.New("-n must be 1..19000, -rounds 1..50 and -size 1..3000")
	}
	if f.gateways == "" {
		f.gateways = f.base
	}
	if f.metrics == "" {
		f.metrics = f.gateways
	}
	if f.expect == 0 {
		f.expect = f.n
	}
	return f, loopbackOnly(f.base)
}

func wsbroadcast(ctx context.Context, args []string) error {
	f, err := parseWSBroadcast(args)
	if err != nil {
		return err
	}
	if f.merge != "" {
		return mergeLatencies(f.merge, f.n, f.rounds)
	}
	gateways, err := splitURLs(f.gateways)
	if err != nil {
		return err
	}
	sources, err := parseSources(f.sources)
	if err != nil {
		return err
	}
	if err := raiseFileLimit(f.n + (f.concurrency+8)*len(gateways) + 64); err != nil {
		return err
	}
	app, err := sharedApp(ctx, f)
	if err != nil {
		return err
	}
	rec := newRoundRecorder(f.rounds)
	fleet := deviceFleet{gateways: gateways, sources: sources, appKey: app.appKey, concurrency: f.concurrency, ack: f.ack, rec: rec}
	fmt.Printf("%d devices over %d gateway(s) and %d source address(es)\n", f.n, len(gateways), max(1, len(sources)))
	closeAll, err := fleet.connect(ctx, f.n)
	defer closeAll()
	if err != nil {
		return err
	}
	switch {
	case f.hold > 0:
		fmt.Println("holding; measure the server now")
		select {
		case <-ctx.Done():
		case <-time.After(f.hold):
		}
		fmt.Printf("done; %d connections had ended early\n", rec.dropped.Load())
		return nil
	case f.send:
		err = sendRounds(ctx, f, app, rec)
	default:
		err = listenRounds(ctx, f, rec)
	}
	if err != nil {
		return err
	}
	if f.out != "" {
		return rec.write(f.out)
	}
	return nil
}

// sendRounds waits for every device of the run, then sends the rounds and
// reports what reached this process's devices.
func sendRounds(ctx context.Context, f *wsbroadcastFlags, app signedApp, rec *roundRecorder) error {
	metrics, err := splitURLs(f.metrics)
	if err != nil {
		return err
	}
	if err := waitResumed(ctx, metrics, f.expect); err != nil {
		return err
	}
	if f.idle > 0 {
		fmt.Printf("all %d devices connected and answered; idle for %s\n", f.expect, f.idle)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(f.idle):
		}
	}
	backend := pushclient.New(f.base, app.signer, &http.Client{Timeout: 60 * time.Second})
	body := make([]byte, f.size)
	for i := range body {
		body[i] = 'x'
	}
	const mutation = `mutation($in: PushBroadcastInput!) { pushBroadcast(input: $in) { id } }`
	for round := range f.rounds {
		if round > 0 {
			time.Sleep(f.gap)
		}
		sent := time.Now()
		vars := map[string]any{"in": map[string]any{"appID": app.id, "message": map[string]any{
			"body": string(body), "payload": map[string]any{"sentAt": strconv.FormatInt(sent.UnixNano(), 10), "round": strconv.Itoa(round)},
		}}}
		if err := backend.Do(ctx, mutation, vars, nil); err != nil {
			return fmt.Errorf("round %d: pushBroadcast: %w", round+1, err)
		}
		answered := time.Since(sent)
		rec.wait(ctx, round, f.n, f.timeout)
		fmt.Printf("round %d: mutation answered in %s; %s\n", round+1, answered.Round(time.Millisecond), rec.summary(round, f.n))
	}
	fmt.Println(rec.overall(f.n))
	return nil
}

// listenRounds waits for the rounds another process sends: each until all
// of this process's devices have it, or no frame came for -timeout.
func listenRounds(ctx context.Context, f *wsbroadcastFlags, rec *roundRecorder) error {
	fmt.Println("listening")
	for round := range f.rounds {
		rec.waitQuiet(ctx, round, f.n, f.timeout)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fmt.Printf("round %d: %s\n", round+1, rec.summary(round, f.n))
	}
	fmt.Println(rec.overall(f.n))
	return nil
}

// appFile is the run's app as -app stores it, for the other load processes.
type appFile struct {
	ID, AppKey, KeyID, Secret string
}

// sharedApp reads the app of -app, or creates one (and writes -app).
func sharedApp(ctx context.Context, f *wsbroadcastFlags) (signedApp, error) {
	if f.appFile != "" {
		if raw, err := os.ReadFile(f.appFile); err == nil {
			var a appFile
			if err := json.Unmarshal(raw, &a); err != nil {
				return signedApp{}, fmt.Errorf("%s: %w", f.appFile, err)
			}
			return signedApp{id: a.ID, appKey: a.AppKey, signer: signature.Signer{KeyID: a.KeyID, Algorithm: signature.HMACSHA256, Secret: a.Secret}}, nil
		}
	}
	gql, err := consoleLogin(ctx, f.base, f.email, f.password)
	if err != nil {
		return signedApp{}, err
	}
	app, err := createSignedApp(gql, "wsbroadcast")
	if err != nil || f.appFile == "" {
		return app, err
	}
	raw, _ := json.Marshal(appFile{ID: app.id, AppKey: app.appKey, KeyID: app.signer.KeyID, Secret: app.signer.Secret})
	// Written whole and then renamed, so a process that starts meanwhile
	// never reads half a file.
	if err := os.WriteFile(f.appFile+".tmp", raw, 0o600); err != nil {
		return app, err
	}
	return app, os.Rename(f.appFile+".tmp", f.appFile)
}
