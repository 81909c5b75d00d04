package main

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/provider/providertest"
)

// The fault suite: pushd runs as processes on the real PostgreSQL and
// Redis, devices spread over APNs, FCM, Huawei, Xiaomi, OPPO, vivo, Honor, Meizu, HarmonyOS (the vendor fakes,
// which count what they accepted per token) and the WebSocket channel
// (clients that count what they got per message); one broadcast per fault,
// the fault injected once a fifth of the devices have their message. For
// every fault the checker reads the whole history the fakes and devices
// kept and asserts: nothing lost, pushd's counts equal what arrived, and
// duplicates within the in-flight window docs/delivery.md states.
//
// `go test` runs the short case (kill -9 of pushd serve, 5,000 vendor
// devices); `make chaos` (build tag chaos) runs every fault on 60,000.

// chaosLease is the delivery lease of the suite's pushd: short, so that a
// kill's recovery (2 × the lease at most) fits the test's time.
// PUSHD_CHAOS_LEASE sets another (to measure recovery with the default).
var chaosLease = func() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("PUSHD_CHAOS_LEASE")); err == nil && d > 0 {
		return d
	}
	return 10 * time.Second
}()

// chaosConcurrency is the worker concurrency of the suite's pushd; the
// in-flight window of one process is this many send batches.
const chaosConcurrency = 8

// rig is one deployment under test: the fakes, the processes and the
// devices, registered once for all its broadcasts.
type rig struct {
	t     *testing.T
	fakes *providertest.Set
	env   map[string]string
	// addr is each role's fixed address, so a restarted process takes its
	// place and clients carry on.
	addr  map[string]string
	procs map[string]*process
	b     *backend
	// vendor maps each vendor device's token to its channel.
	vendor map[string]enum.Channel
	ws     *wsDevices
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// rigOptions shape a deployment under test.
type rigOptions struct {
	// roles are the processes: serve, or api, worker and gateway (a
	// suffix such as worker-2 runs another process of the role).
	roles []string
	// vendorDevices spread over the four vendors; wsDevices are online
	// on the WebSocket channel.
	vendorDevices, wsDevices int
	// latency is every vendor fake's answer time.
	latency time.Duration
	// env overrides the test environment (the database and Redis).
	env map[string]string
}

// newRig starts the fakes and pushd's processes and registers the devices.
func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	f, env := startFakes(t, o.latency)
	env["PUSHD_LOG_LEVEL"] = "info"
	env["PUSHD_DELIVERY_LEASE"] = chaosLease.String()
	env["PUSHD_WORKER_CONCURRENCY"] = strconv.Itoa(chaosConcurrency)
	// Presence lost with Redis comes back within a heartbeat.
	env["PUSHD_DEVICE_HEARTBEAT"] = "5s"
	for k, v := range o.env {
		env[k] = v
	}
	r := &rig{t: t, fakes: f, env: env, addr: map[string]string{}, procs: map[string]*process{}, vendor: map[string]enum.Channel{}}
	for _, role := range o.roles {
		r.addr[role] = freeAddr(t)
		r.start(role)
	}
	front := r.procs[o.roles[0]]
	r.b = newBackend(t, &instance{t: t, base: front.base, logs: front.logs})
	gw := r.procs["serve"]
	if gw == nil {
		gw = r.procs["gateway"]
	}
	r.b.devices = deviceclient.New(gw.base, nil)
	r.configureVendors(front.base)
	r.registerVendorDevices(o.vendorDevices)
	if o.wsDevices > 0 {
		r.ws = connectWS(t, r.b, registerMany(t, r.b, "ws", o.wsDevices))
	}
	return r
}

func (r *rig) start(role string) {
	env := make(map[string]string, len(r.env)+1)
	for k, v := range r.env {
		env[k] = v
	}
	env["PUSHD_HTTP_ADDR"] = r.addr[role]
	command, _, _ := strings.Cut(role, "-")
	r.procs[role] = startProcess(r.t, env, command)
}

// kill9 kills a role's process with SIGKILL and starts it again at once.
func (r *rig) kill9(role string) {
	p := r.procs[role]
	require.NoError(r.t, p.cmd.Process.Kill())
	<-p.exited
	r.start(role)
}

func (r *rig) configureVendors(base string) {
	owner := login(r.t, base, "ops@example.com", "ops-password-123")
	h, x, o, v, hn := r.fakes.Huawei.Credentials(), r.fakes.Xiaomi.Credentials(), r.fakes.OPPO.Credentials(), r.fakes.Vivo.Credentials(), r.fakes.Honor.Credentials()
	for _, in := range []string{
		apnsInput(r.fakes.APNsProduction.Credentials()),
		fmt.Sprintf(`fcm: {serviceAccountJSON: %q}`, r.fakes.FCM.Credentials().ServiceAccountJSON),
		fmt.Sprintf(`huawei: {appID: %q, clientSecret: %q}`, h.AppID, h.ClientSecret),
		fmt.Sprintf(`xiaomi: {appSecret: %q, packageName: %q}`, x.AppSecret, x.PackageName),
		fmt.Sprintf(`oppo: {appKey: %q, masterSecret: %q, channelID: "chat"}`, o.AppKey, o.MasterSecret),
		fmt.Sprintf(`vivo: {appID: %q, appKey: %q, appSecret: %q}`, v.AppID, v.AppKey, v.AppSecret),
		fmt.Sprintf(`honor: {appID: %q, clientID: %q, clientSecret: %q}`, hn.AppID, hn.ClientID, hn.ClientSecret),
		fmt.Sprintf(`harmony: {serviceAccountJSON: %q}`, r.fakes.Harmony.Credentials().ServiceAccountJSON),
		fmt.Sprintf(`meizu: {appID: %q, appSecret: %q}`, r.fakes.Meizu.Credentials().AppID, r.fakes.Meizu.Credentials().AppSecret),
	} {
		d := graphql(r.t, owner, base, fmt.Sprintf(`mutation { setChannelConfig(input: {appID: %q, %s}) { configError } }`, r.b.appID, in))
		require.Empty(r.t, d["setChannelConfig"].(map[string]any)["configError"])
	}
}

// registerVendorDevices registers n devices, a ninth on each vendor.
func (r *rig) registerVendorDevices(n int) {
	var g errgroup.Group
	g.SetLimit(16)
	var mu sync.Mutex
	for i := range n {
		g.Go(func() error {
			platform, tokens := enum.PlatformAndroid, gateway.Tokens{}
			var tok string
			var ch enum.Channel
			switch i % 9 {
			case 0:
				platform, tok, ch = enum.PlatformIOS, fmt.Sprintf("a1b2%012x", i), enum.ChannelAPNs
				tokens["apns"] = &tok
			case 1:
				tok, ch = fmt.Sprintf("fcm-%06d", i), enum.ChannelFCM
				tokens["fcm"] = &tok
			case 2:
				tok, ch = fmt.Sprintf("hw-%06d", i), enum.ChannelHuawei
				tokens["huawei"] = &tok
			case 3:
				tok, ch = fmt.Sprintf("mi-%06d", i), enum.ChannelXiaomi
				tokens["xiaomi"] = &tok
			case 4:
				tok, ch = fmt.Sprintf("op-%06d", i), enum.ChannelOPPO
				tokens["oppo"] = &tok
			case 5:
				tok, ch = fmt.Sprintf("vv-%06d", i), enum.ChannelVIVO
				tokens["vivo"] = &tok
			case 6:
				tok, ch = fmt.Sprintf("hn-%06d", i), enum.ChannelHonor
				tokens["honor"] = &tok
			case 7:
				platform, tok, ch = enum.PlatformHarmony, fmt.Sprintf("hm-%06d", i), enum.ChannelHarmony
				tokens["harmony"] = &tok
			default:
				tok, ch = fmt.Sprintf("mz-%06d", i), enum.ChannelMeizu
				tokens["meizu"] = &tok
			}
			_, err := r.b.devices.Register(context.Background(), gateway.RegisterRequest{
				AppKey: r.b.appKey, InstallationID: fmt.Sprintf("v-%d", i), Platform: platform, Tokens: tokens,
			})
			mu.Lock()
			r.vendor[tok] = ch
			mu.Unlock()
			return err
		})
	}
	require.NoError(r.t, g.Wait())
}

// arrivals counts, per token, the messages the fakes accepted since their
// logs were last reset.
func (r *rig) arrivals() map[string]int {
	got, _ := r.arrivalsUntil()
	return got
}

// arrivalsUntil is arrivals with the time of the last one.
func (r *rig) arrivalsUntil() (map[string]int, time.Time) { return r.fakes.Accepted() }

func (r *rig) resetFakes() {
	r.fakes.APNsProduction.Log.Reset()
	r.fakes.FCM.Sends.Reset()
	r.fakes.Huawei.Requests.Reset()
	r.fakes.Xiaomi.Sends.Reset()
	r.fakes.OPPO.Sends.Reset()
	r.fakes.Vivo.Sends.Reset()
	r.fakes.Honor.Sends.Reset()
	r.fakes.Harmony.Sends.Reset()
	r.fakes.Meizu.Sends.Reset()
}

// reached is how many devices have the broadcast titled title so far.
func (r *rig) reached(title string) int {
	n := len(r.arrivals())
	if r.ws != nil {
		n += r.ws.devicesWith(title)
	}
	return n
}

// unsent returns a few of a job's deliveries that ended without being
// sent, with their channel and reason.
func (r *rig) unsent(job string) []map[string]any {
	var out struct {
		Deliveries struct {
			Edges []struct{ Node map[string]any }
		}
	}
	r.b.do(`query($job: ID!) { deliveries(first: 5, where: {jobID: $job, statusIn: [FAILED, EXPIRED, REVOKED]}) { edges { node { status channel lastError attempts } } } }`,
		map[string]any{"job": job}, &out)
	var nodes []map[string]any
	for _, e := range out.Deliveries.Edges {
		nodes = append(nodes, e.Node)
	}
	return nodes
}

// waitJob polls a job until cond holds, through the fault: a read that
// fails while PostgreSQL or Redis is away is tried again.
func (r *rig) waitJob(id string, timeout time.Duration, cond func(job) bool) job {
	var last job
	var lastErr error
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		var out struct {
			Node job `json:"node"`
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		lastErr = r.b.gql.Do(ctx, `query($id: ID!) { node(id: $id) { ... on PushJob { `+jobFields+` } } }`, map[string]any{"id": id}, &out)
		cancel()
		if lastErr == nil {
			last = out.Node
			if cond(last) {
				return last
			}
		}
		time.Sleep(50 * time.Millisecond) // polling from outside, as a backend would
	}
	var frames map[string]int
	if r.ws != nil {
		frames = r.ws.errorFrames()
	}
	var logs strings.Builder
	for role, p := range r.procs {
		w := strings.Split(warnings(p.logs.String()), "\n")
		fmt.Fprintf(&logs, "\n%s (last warnings):\n%s", role, strings.Join(w[max(0, len(w)-15):], "\n"))
	}
	r.t.Fatalf("job %s never got there; last: %+v (last error: %v); device error frames: %v%s", id, last, lastErr, frames, logs.String())
	return last
}

// outcome is what the checker found for one fault.
type outcome struct {
	Fault                string
	Devices, Lost, Dupes int
	WSDevices, WSLost    int
	WSRepeats            int
	// Recovery is from the fault to the job DONE with nothing pending;
	// VendorsDone to the last message a vendor fake accepted, WSDone to the
	// last WebSocket device's first copy.
	Recovery, VendorsDone, WSDone time.Duration
	// APIBack is from the fault to the API's first answer.
	APIBack                 time.Duration
	CountSent, CountArrived int
}

// broadcast sends one broadcast, injects the fault once a fifth of the
// devices have it, waits for the job to finish and checks the history.
func (r *rig) broadcast(name string, fault func()) outcome {
	t := r.t
	r.resetFakes()
	total := len(r.vendor)
	if r.ws != nil {
		total += len(r.ws.devs)
	}
	title := "chaos " + name
	j := r.b.push("pushBroadcast", map[string]any{"message": map[string]any{"title": title, "body": "fault: " + name,
		// A communication message: the vendors that classify deliver it at
		// any hour (vivo holds others for its daytime window).
		"classification": "IM"}})
	require.Eventually(t, func() bool { return r.reached(title) >= total/5 }, 2*time.Minute, 10*time.Millisecond,
		"%s: a fifth of %d devices never got the broadcast (%d did)", name, total, r.reached(title))
	injected := time.Now()
	fault()
	var answered time.Time
	done := r.waitJob(j.ID, 2*chaosLease+3*time.Minute, func(j job) bool {
		if answered.IsZero() {
			answered = time.Now()
		}
		return j.Status == "DONE" && j.Counts.Pending == 0
	})
	out := outcome{Fault: name, Devices: len(r.vendor), Recovery: time.Since(injected), APIBack: answered.Sub(injected)}
	require.Equal(t, total, done.Counts.Targeted, name)
	require.Zero(t, done.Counts.Failed+done.Counts.Expired+done.Counts.Revoked, "%s: nothing ends unsent: %+v; for example %v", name, done.Counts, r.unsent(j.ID))
	got, last := r.arrivalsUntil()
	out.VendorsDone = last.Sub(injected)
	for tok := range r.vendor {
		switch n := got[tok]; {
		case n == 0:
			out.Lost++
		case n > 1:
			out.Dupes += n - 1
		}
	}
	if r.ws != nil {
		out.WSDevices = len(r.ws.devs)
		r.ws.waitAll(t, title)
		out.WSLost, out.WSRepeats = r.ws.check(title)
		out.WSDone = r.ws.lastFirst(title).Sub(injected)
		t.Logf("%s: device error frames and failed reconnects so far: %v", name, r.ws.errorFrames())
	}
	require.Zero(t, out.Lost, "%s: vendor devices that never got the push", name)
	require.Zero(t, out.WSLost, "%s: WebSocket devices that never got the push", name)
	// Every vendor device's delivery is SENT (no receipts here) and every
	// WebSocket device's ARRIVED once it acknowledged: pushd's counts are
	// what the fakes and the devices saw.
	counted := r.waitJob(j.ID, 3*time.Minute, func(j job) bool {
		return j.Counts.Sent == len(r.vendor) && j.Counts.Arrived == out.WSDevices
	})
	out.CountSent, out.CountArrived = counted.Counts.Sent, counted.Counts.Arrived
	t.Logf("%s: %+v", name, out)
	// At most every send batch in flight on the faulted process again.
	require.LessOrEqual(t, out.Dupes, chaosConcurrency*1000, name)
	return out
}

// wsDevices are devices online on the WebSocket channel that reconnect
// (resuming after the last seq they got) whenever their connection drops,
// and count every message they get.
type wsDevices struct {
	devs   []device
	client *deviceclient.Client
	mu     sync.Mutex
	got    map[string]map[string]int // job's title → device → times
	// latest is, per title, when the last device got its first copy.
	latest map[string]time.Time
	// errors counts the error frames devices got, by code and message.
	errors map[string]int
	ctx    context.Context
	total  atomic.Int64
}

func connectWS(t *testing.T, b *backend, devs []device) *wsDevices {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := &wsDevices{devs: devs, client: b.devices, got: map[string]map[string]int{}, latest: map[string]time.Time{}, errors: map[string]int{}, ctx: ctx}
	var g errgroup.Group
	g.SetLimit(32)
	for _, d := range devs {
		g.Go(func() error {
			c, err := w.client.Connect(ctx, d.token, 0)
			if err != nil {
				return err
			}
			go w.run(d, c)
			return nil
		})
	}
	require.NoError(t, g.Wait())
	return w
}

func (w *wsDevices) run(d device, c *deviceclient.Conn) {
	var seq int64
	for {
		for {
			f, err := c.Next(w.ctx)
			if err != nil {
				break
			}
			if f.Error != nil {
				w.mu.Lock()
				w.errors[f.Error.Code+": "+f.Error.Message]++
				w.mu.Unlock()
				if f.Error.Code == "INTERNAL" {
					_ = c.Resume(w.ctx, seq) // as the protocol asks
				}
				continue
			}
			if f.Push == nil {
				continue
			}
			seq = max(seq, f.Push.Seq)
			w.mu.Lock()
			m := w.got[f.Push.Title]
			if m == nil {
				m = map[string]int{}
				w.got[f.Push.Title] = m
			}
			m[d.id]++
			if m[d.id] == 1 {
				w.latest[f.Push.Title] = time.Now()
			}
			w.mu.Unlock()
			w.total.Add(1)
			_ = c.Ack(w.ctx, f.Push.MessageID)
		}
		_ = c.CloseNow()
		// Reconnect as a device SDK should: exponential backoff with
		// jitter, so that 12,000 devices do not storm a restarting node.
		wait := 250 * time.Millisecond
		for w.ctx.Err() == nil {
			// Each try is bounded: a node that dies mid-handshake must not
			// leave the device waiting for ever.
			ctx, cancel := context.WithTimeout(w.ctx, 10*time.Second)
			var err error
			c, err = w.client.Connect(ctx, d.token, seq)
			cancel()
			if err == nil {
				break
			}
			w.mu.Lock()
			w.errors[connectFailure(err)]++
			w.mu.Unlock()
			select {
			case <-w.ctx.Done():
			case <-time.After(wait/2 + rand.N(wait)):
			}
			wait = min(2*wait, 8*time.Second)
		}
		if w.ctx.Err() != nil {
			return
		}
	}
}

// connectFailure names the kind of a failed reconnect, for the report.
func connectFailure(err error) string {
	switch msg := err.Error(); {
	case strings.Contains(msg, `"UNAVAILABLE"`):
		return "reconnect: node busy"
	case strings.Contains(msg, "deadline exceeded"):
		return "reconnect: timed out"
	default:
		return "reconnect: refused or unreachable"
	}
}

func (w *wsDevices) lastFirst(title string) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.latest[title]
}

func (w *wsDevices) devicesWith(jobTitle string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.got[jobTitle])
}

func (w *wsDevices) waitAll(t *testing.T, title string) {
	require.Eventually(t, func() bool { return w.devicesWith(title) == len(w.devs) }, 3*time.Minute, 20*time.Millisecond,
		"%d of %d WebSocket devices got %q; error frames: %v", w.devicesWith(title), len(w.devs), title, w.errorFrames())
}

func (w *wsDevices) errorFrames() map[string]int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return maps.Clone(w.errors)
}

// check returns how many devices never got the message titled title, and
// how many repeats of it devices got (across reconnects: at least once).
func (w *wsDevices) check(title string) (lost, repeats int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	m := w.got[title]
	for _, d := range w.devs {
		switch n := m[d.id]; {
		case n == 0:
			lost++
		case n > 1:
			repeats += n - 1
		}
	}
	return lost, repeats
}

// The short case, run by `go test` (and so by CI): pushd serve killed with
// SIGKILL mid-broadcast to 5,000 vendor devices, restarted at once.
func TestChaosKillServe(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{roles: []string{"serve"}, vendorDevices: 5000, latency: 100 * time.Millisecond})
	r.broadcast("kill -9 serve", func() { r.kill9("serve") })
}
