package main

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/internal/testenv"
)

// binary builds pushd once for the tests that run it as a process.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "pushd-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "pushd")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%v: %s", err, out)
	}
	return bin, nil
})

// process is pushd running as a child process, which a test may kill.
type process struct {
	cmd    *exec.Cmd
	logs   *syncBuffer
	base   string
	exited chan struct{}
}

func startProcess(t *testing.T, env map[string]string, command string) *process {
	t.Helper()
	bin, err := binary()
	require.NoError(t, err)
	p := &process{cmd: exec.Command(bin, command), logs: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = os.Environ()
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stderr = p.logs
	require.NoError(t, p.cmd.Start())
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); <-p.exited })
	p.base = waitListening(t, p.logs.String, p.exited)
	return p
}

// receiver counts the pushes each connected device gets, and acks them.
type receiver struct {
	mu     sync.Mutex
	counts map[string]map[string]int // device → message → times
	total  atomic.Int64
}

func (r *receiver) run(ctx context.Context, dev string, c *deviceclient.Conn) {
	for {
		f, err := c.Next(ctx)
		if err != nil {
			return
		}
		if f.Push == nil {
			continue
		}
		r.mu.Lock()
		r.counts[dev][string(f.Push.MessageID)]++
		r.mu.Unlock()
		r.total.Add(1)
		_ = c.Ack(ctx, f.Push.MessageID)
	}
}

// registerMany registers n devices, 16 at a time.
func registerMany(t *testing.T, b *backend, prefix string, n int) []device {
	t.Helper()
	out := make([]device, n)
	var g errgroup.Group
	g.SetLimit(16)
	for i := range out {
		g.Go(func() error {
			r, err := b.devices.Register(context.Background(), gateway.RegisterRequest{
				AppKey: b.appKey, InstallationID: fmt.Sprintf("%s-%d", prefix, i), Platform: enum.PlatformAndroid,
			})
			out[i] = device{id: string(r.DeviceID), token: r.DeviceToken}
			return err
		})
	}
	require.NoError(t, g.Wait())
	return out
}

// connectMany connects devices and starts counting what they receive.
func connectMany(t *testing.T, ctx context.Context, client *deviceclient.Client, devs []device) *receiver {
	t.Helper()
	r := &receiver{counts: map[string]map[string]int{}}
	var g errgroup.Group
	g.SetLimit(32)
	var mu sync.Mutex
	for _, d := range devs {
		r.counts[d.id] = map[string]int{}
		g.Go(func() error {
			c, err := client.Connect(ctx, d.token, 0)
			if err != nil {
				return err
			}
			mu.Lock()
			t.Cleanup(func() { _ = c.CloseNow() })
			mu.Unlock()
			go r.run(ctx, d.id, c)
			return nil
		})
	}
	require.NoError(t, g.Wait())
	return r
}

// marker sends one more push to the connected devices and waits until each
// has it. Every delivery of the job before it is acknowledged by then, so
// nothing will hand it again; a repeat already on its way to a device is
// ahead of the marker on that device's connection.
func (b *backend) marker(recv *receiver, devs []device) {
	b.t.Helper()
	ids := make([]string, len(devs))
	for i, d := range devs {
		ids[i] = d.id
	}
	before := recv.total.Load()
	b.push("pushMultiple", map[string]any{"items": []map[string]any{
		{"target": map[string]any{"deviceIDs": ids}, "message": map[string]any{"title": "marker"}},
	}})
	recv.waitTotal(b.t, before+int64(len(devs)), time.Minute)
}

// exactlyOnce checks that every device got message-count pushes, each once.
func (r *receiver) exactlyOnce(t *testing.T, messages int) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for dev, msgs := range r.counts {
		require.Len(t, msgs, messages, "device %s", dev)
		for m, n := range msgs {
			require.Equal(t, 1, n, "device %s got %s %d times", dev, m, n)
		}
	}
}

// waitTotal waits until the receivers counted n pushes in all.
func (r *receiver) waitTotal(t *testing.T, n int64, timeout time.Duration) {
	t.Helper()
	require.Eventually(t, func() bool { return r.total.Load() >= n }, timeout, 20*time.Millisecond,
		"received %d of %d", r.total.Load(), n)
}

// The worker process is killed (SIGKILL) in the middle of a broadcast to
// 20,000 devices; after it restarts the job finishes, and every connected
// device got the message exactly once. The devices that are offline (no
// vendor channel yet) wait, each with one PENDING delivery.
func TestWorkerKilledMidBroadcast(t *testing.T) {
	t.Parallel()
	const total, online = 20_000, 2_000
	env := testEnv(t)
	env["PUSHD_LOG_LEVEL"] = "info"
	// One task at a time, so that the kill lands between send batches.
	env["PUSHD_WORKER_CONCURRENCY"] = "1"
	api := startProcess(t, env, "api")
	gw := startProcess(t, env, "gateway")
	b := newBackend(t, &instance{t: t, base: api.base, logs: api.logs})
	b.devices = deviceclient.New(gw.base, nil)
	devs := registerMany(t, b, "kill", total)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Every tenth device is online: they are spread over all send batches.
	var connected []device
	for i := 0; i < total; i += total / online {
		connected = append(connected, devs[i])
	}
	recv := connectMany(t, ctx, b.devices, connected)

	j := b.push("pushBroadcast", map[string]any{"message": map[string]any{"title": "survives"}})
	w := startProcess(t, env, "worker")
	recv.waitTotal(t, online/10, time.Minute)
	require.NoError(t, w.cmd.Process.Kill())
	<-w.exited
	atKill := recv.total.Load()
	require.Less(t, atKill, int64(online), "killed before every device got it")
	t.Logf("killed the worker after %d of %d connected devices got the message", atKill, online)

	startProcess(t, env, "worker")
	done := b.waitJobFor(j.ID, 3*time.Minute, func(j job) bool { return j.Status == "DONE" && j.Counts.Arrived == online })
	require.Equal(t, total, done.Counts.Targeted)
	require.Equal(t, total-online, done.Counts.Pending, "offline devices wait for their connection")
	recv.waitTotal(t, online, 30*time.Second)

	// The statistics, counted by the worker that was killed and by the
	// next one, hold every transition once: none lost, none doubled.
	want := map[string]int{"targeted": total, "sent": online, "arrived": online}
	report := func() map[string]int {
		var rep struct {
			Node struct {
				Report []struct{ Counts map[string]int }
			}
		}
		b.do(`query($id: ID!) { node(id: $id) { ... on PushJob { report { counts { targeted sent arrived } } } } }`, map[string]any{"id": j.ID}, &rep)
		if len(rep.Node.Report) != 1 {
			return nil
		}
		return rep.Node.Report[0].Counts
	}
	require.Eventually(t, func() bool { return maps.Equal(report(), want) }, 30*time.Second, 100*time.Millisecond, "last: %v", report())
	b.marker(recv, connected)
	recv.exactlyOnce(t, 2)
	require.Equal(t, want, report(), "still exact after more refreshes")
}

// Redis loses everything while a job's tasks are queued: the reconciler
// finds the job in PostgreSQL and finishes it, and the connected devices,
// whose presence the gateway restores, each get the message once.
func TestRedisWipedMidJob(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	// A database of its own, so that wiping it touches no other test.
	u, err := url.Parse(testenv.RedisURL(t))
	require.NoError(t, err)
	u.Path = "/9"
	env["PUSHD_REDIS_URL"] = u.String()
	env["PUSHD_DEVICE_HEARTBEAT"] = "5s"
	api := startInstance(t, env, "api")
	gw := startInstance(t, env, "gateway")
	b := newBackend(t, api)
	b.devices = deviceclient.New(gw.base, nil)
	devs := registerMany(t, b, "wipe", 300)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	recv := connectMany(t, ctx, b.devices, devs[:200])

	// No worker yet: the job's tasks sit in Redis.
	j := b.push("pushBroadcast", map[string]any{"message": map[string]any{"title": "after the wipe"}})
	require.Equal(t, "QUEUED", j.Status)
	opt, err := redis.ParseURL(u.String())
	require.NoError(t, err)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	require.NoError(t, rdb.FlushDB(context.Background()).Err())

	startInstance(t, env, "worker")
	got := b.waitJobFor(j.ID, 2*time.Minute, func(j job) bool { return j.Status == "DONE" && j.Counts.Arrived == 200 })
	require.Equal(t, 300, got.Counts.Targeted)
	recv.waitTotal(t, 200, 30*time.Second)
	b.marker(recv, devs[:200])
	recv.exactlyOnce(t, 2)
}
