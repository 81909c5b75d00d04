package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
)

// roundRecorder keeps, per round, the latencies the devices measured.
type roundRecorder struct {
	mu     sync.Mutex
	rounds [][]time.Duration
	last   []time.Time // when each round's latest frame came
	// dropped counts connections the server ended before the run did
	// (each is reconnected).
	dropped atomic.Int64
}

func newRoundRecorder(rounds int) *roundRecorder {
	return &roundRecorder{rounds: make([][]time.Duration, rounds), last: make([]time.Time, rounds)}
}

func (r *roundRecorder) record(round int, d time.Duration) {
	if round < 0 || round >= len(r.rounds) {
		return
	}
	r.mu.Lock()
	r.rounds[round] = append(r.rounds[round], d)
	r.last[round] = time.Now()
	r.mu.Unlock()
}

func (r *roundRecorder) state(round int) (int, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.rounds[round]), r.last[round]
}

// wait returns once n frames of round came, or after timeout.
func (r *roundRecorder) wait(ctx context.Context, round, n int, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for ctx.Err() == nil && time.Now().Before(deadline) {
		if got, _ := r.state(round); got >= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitQuiet returns once n frames of round came, or none for quiet after
// the round's first, or after 10 minutes without any.
func (r *roundRecorder) waitQuiet(ctx context.Context, round, n int, quiet time.Duration) {
	giveUp := time.Now().Add(10 * time.Minute)
	for ctx.Err() == nil && time.Now().Before(giveUp) {
		got, last := r.state(round)
		if got >= n || (got > 0 && time.Since(last) > quiet) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *roundRecorder) sorted(round int) []time.Duration {
	r.mu.Lock()
	l := slices.Clone(r.rounds[round])
	r.mu.Unlock()
	slices.Sort(l)
	return l
}

// summary is one round's line: what arrived of n, and its percentiles.
func (r *roundRecorder) summary(round, n int) string {
	l := r.sorted(round)
	pct := func(p float64) time.Duration { return percentile(l, p).Round(time.Millisecond) }
	return fmt.Sprintf("%d/%d received (%d missing), p50 %s, p90 %s, p99 %s, max %s from the mutation's send",
		len(l), n, n-len(l), pct(0.50), pct(0.90), pct(0.99), pct(1))
}

// overall is the run's last line: the spread of p99 over the rounds.
func (r *roundRecorder) overall(n int) string {
	var p99s []time.Duration
	complete := 0
	for round := range r.rounds {
		l := r.sorted(round)
		p99s = append(p99s, percentile(l, 0.99))
		if len(l) >= n {
			complete++
		}
	}
	slices.Sort(p99s)
	return fmt.Sprintf("%d of %d rounds complete; p99 over the rounds %s–%s; %d connections ended by the server and reconnected",
		complete, len(r.rounds), p99s[0].Round(time.Millisecond), p99s[len(p99s)-1].Round(time.Millisecond), r.dropped.Load())
}

// write stores every latency as "round nanoseconds" lines, for -merge.
func (r *roundRecorder) write(path string) error {
	var b strings.Builder
	for round := range r.rounds {
		for _, d := range r.sorted(round) {
			fmt.Fprintf(&b, "%d %d\n", round, d.Nanoseconds())
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

// mergeLatencies prints the rounds of several load processes' -out files
// as one run of n devices.
func mergeLatencies(files string, n, rounds int) error {
	rec := newRoundRecorder(rounds)
	for path := range strings.SplitSeq(files, ",") {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var round int
			var ns int64
			if _, err := fmt.Sscan(sc.Text(), &round, &ns); err == nil {
				rec.record(round, time.Duration(ns))
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return err
		}
	}
	for round := range rounds {
		fmt.Printf("round %d: %s\n", round+1, rec.summary(round, n))
	}
	fmt.Println(rec.overall(n))
	return nil
}

// deviceFleet registers and connects a load process's devices, spread
// over the gateways and source addresses, each reading (and acking) its
// frames into rec.
type deviceFleet struct {
	gateways    []string
	sources     []net.IP
	appKey      string
	concurrency int
	ack         bool
	rec         *roundRecorder
}

// connect registers and connects n devices; the returned func closes them.
func (f deviceFleet) connect(ctx context.Context, n int) (func(), error) {
	clients := make([]*deviceclient.Client, len(f.gateways))
	for i, g := range f.gateways {
		clients[i] = deviceclient.New(g, &http.Client{Transport: spreadTransport(f.sources, f.concurrency), Timeout: 30 * time.Second})
	}
	// Installation IDs unique to this process, so that several load
	// processes in one app never take each other's devices.
	tag := fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano())
	conns := make([]atomic.Pointer[deviceclient.Conn], n)
	closeAll := func() {
		for i := range conns {
			if c := conns[i].Load(); c != nil {
				c.CloseNow()
			}
		}
	}
	tokens := make([]string, n)
	start := time.Now()
	err := parallel(ctx, n, f.concurrency, func(i int) error {
		r, err := clients[i%len(clients)].Register(ctx, gateway.RegisterRequest{AppKey: f.appKey, InstallationID: fmt.Sprintf("wsb-%s-%d", tag, i), Platform: enum.PlatformAndroid})
		tokens[i] = r.DeviceToken
		if err != nil {
			return fmt.Errorf("register device %d: %w", i, err)
		}
		return nil
	})
	if err != nil {
		return closeAll, err
	}
	// Registered first, then connected: the server's memory can be read
	// in between, so that what connecting adds is measured alone.
	fmt.Printf("registered %d devices in %s\n", n, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	var retried atomic.Int64
	err = parallel(ctx, n, f.concurrency, func(i int) error {
		d := device{client: clients[i%len(clients)], token: tokens[i], conn: &conns[i]}
		c, err := connectRetrying(ctx, d.client, d.token, 0, &retried)
		if err != nil {
			return fmt.Errorf("connect device %d: %w", i, err)
		}
		d.conn.Store(c)
		// Read at once: a device that does not read cannot answer the
		// server's pings and is dropped, as it should be.
		go f.read(ctx, d, &retried)
		return nil
	})
	if err == nil {
		fmt.Printf("connected %d devices in %s (%d attempts failed and were retried)\n", n, time.Since(start).Round(time.Millisecond), retried.Load())
	}
	return closeAll, err
}

// connectRetrying connects as a device SDK does: after a failure (a
// gateway that sheds handshakes answers UNAVAILABLE, "reconnect later";
// an overloaded one may not answer in time) the device tries again after
// a growing, jittered pause, up to 20 times (about three minutes).
func connectRetrying(ctx context.Context, client *deviceclient.Client, token string, afterSeq int64, retried *atomic.Int64) (*deviceclient.Conn, error) {
	pause := 500 * time.Millisecond
	for attempt := 0; ; attempt++ {
		c, err := client.Connect(ctx, token, afterSeq)
		if err == nil || attempt == 20 || ctx.Err() != nil {
			return c, err
		}
		retried.Add(1)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(pause/2 + rand.N(pause)):
		}
		pause = min(2*pause, 10*time.Second)
	}
}

// device is one simulated device: its gateway, its token and its current
// connection.
type device struct {
	client *deviceclient.Client
	token  string
	conn   *atomic.Pointer[deviceclient.Conn]
}

// read records each push's latency from the send time it carries, and
// acks it. A connection the server ends is counted and reconnected, from
// the last seq received, as a device SDK does.
func (f deviceFleet) read(ctx context.Context, d device, retried *atomic.Int64) {
	c := d.conn.Load()
	for {
		fr, err := c.Next(ctx)
		if err != nil {
			if ctx.Err() != nil || isClosedByUs(err) {
				return
			}
			if f.rec.dropped.Add(1) <= 3 {
				fmt.Fprintf(os.Stderr, "a connection ended: %v; reconnecting\n", err)
			}
			if c, err = connectRetrying(ctx, d.client, d.token, c.LastSeq, retried); err != nil {
				fmt.Fprintf(os.Stderr, "a device could not reconnect: %v\n", err)
				return
			}
			d.conn.Store(c)
			continue
		}
		if fr.Push == nil {
			continue
		}
		sentAt, err1 := strconv.ParseInt(fmt.Sprint(fr.Push.Payload["sentAt"]), 10, 64)
		round, err2 := strconv.Atoi(fmt.Sprint(fr.Push.Payload["round"]))
		if err1 == nil && err2 == nil {
			f.rec.record(round, time.Since(time.Unix(0, sentAt)))
		}
		if f.ack {
			_ = c.Ack(ctx, fr.Push.MessageID)
		}
	}
}

// isClosedByUs tells the end of a connection this process closed.
func isClosedByUs(err error) bool {
	return strings.Contains(err.Error(), "use of closed network connection") || strings.Contains(err.Error(), net.ErrClosed.Error())
}

// waitResumed waits until the gateways behind metrics hold expect devices
// that have all sent their resume and been answered (no backlog read left
// in flight): a push that comes during a device's resume waits for it,
// which would count the resume into the first round.
func waitResumed(ctx context.Context, metrics []string, expect int) error {
	giveUp := time.Now().Add(20 * time.Minute)
	for {
		c, err := gatewayCounts(ctx, metrics)
		if err != nil {
			return err
		}
		if c.conns >= expect && c.resumes >= expect && c.backlogReads == 0 {
			// A gateway that predates the backlog-reads gauge reports 0;
			// a moment covers its last answers.
			time.Sleep(time.Second)
			return nil
		}
		if time.Now().After(giveUp) || ctx.Err() != nil {
			return fmt.Errorf("gateways hold %d devices, %d resumes and %d backlog reads, waited for %d", c.conns, c.resumes, c.backlogReads, expect)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// fleetCounts is what the gateways' /metrics say of their devices.
type fleetCounts struct{ conns, resumes, backlogReads int }

// gatewayCounts sums the connected devices, resume frames and backlog
// reads in flight of every gateway's /metrics.
func gatewayCounts(ctx context.Context, metrics []string) (fleetCounts, error) {
	var c fleetCounts
	for _, base := range metrics {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return c, err
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return c, err
		}
		for line := range strings.SplitSeq(string(raw), "\n") {
			name, value, ok := strings.Cut(line, " ")
			v, perr := strconv.ParseFloat(value, 64)
			switch {
			case !ok || perr != nil:
			case name == "pushd_gateway_connections":
				c.conns += int(v)
			case name == `pushd_gateway_frames_in_total{type="resume"}`:
				c.resumes += int(v)
			case name == "pushd_gateway_backlog_reads":
				c.backlogReads += int(v)
			}
		}
	}
	return c, nil
}
