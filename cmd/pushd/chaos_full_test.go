//go:build chaos

package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	_ "github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/provider/providertest"
)

// The full fault suite (`make chaos`, build tag chaos): every fault on
// 60,000 devices, 48,000 over the vendors and 12,000 online on the
// WebSocket channel. pushd's PostgreSQL and Redis are servers of the
// suite's own (a private cluster and a private redis-server on free
// loopback ports), so that they can be restarted, reached through
// toxiproxy, which adds latency or cuts connections.

const (
	fullVendorDevices = 48_000
	fullWSDevices     = 12_000
)

// scaled shrinks a device count by PUSHD_CHAOS_SCALE (e.g. 0.05), for a
// quick run of the whole suite while working on it.
func scaled(n int) int {
	f, err := strconv.ParseFloat(os.Getenv("PUSHD_CHAOS_SCALE"), 64)
	if err != nil || f <= 0 || f > 1 {
		return n
	}
	return max(int(float64(n)*f), 100)
}

// privatePostgres is a PostgreSQL cluster of the suite's own.
type privatePostgres struct {
	t        *testing.T
	dir, bin string
	port     string
}

func startPostgres(t *testing.T) *privatePostgres {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	require.NotEmpty(t, bins, "PostgreSQL's server binaries (the machine's postgresql package) are needed")
	dir, err := os.MkdirTemp("", "pushd-chaos-pg-")
	require.NoError(t, err)
	require.NoError(t, exec.Command("chown", "postgres", dir).Run())
	_, port, _ := strings.Cut(freeAddr(t), ":")
	pg := &privatePostgres{t: t, dir: dir, bin: filepath.Dir(bins[0]), port: port}
	pg.run("initdb", "-D", dir+"/data", "-A", "trust", "-U", "postgres")
	pg.ctl("start")
	t.Cleanup(func() { pg.ctl("stop", "-m", "immediate"); _ = os.RemoveAll(dir) })
	return pg
}

func (pg *privatePostgres) run(name string, args ...string) {
	cmd := exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(pg.bin, name)}, args...)...)
	out, err := cmd.CombinedOutput()
	require.NoError(pg.t, err, "%s: %s", name, out)
}

func (pg *privatePostgres) ctl(action string, extra ...string) {
	args := append([]string{"-D", pg.dir + "/data", "-w", "-l", pg.dir + "/log",
		"-o", "-p " + pg.port + " -k " + pg.dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"}, action)
	pg.run("pg_ctl", append(args, extra...)...)
}

// restart stops the cluster as a crash would (immediate: no checkpoint,
// every connection cut, crash recovery at start) and starts it again.
func (pg *privatePostgres) restart() {
	pg.ctl("stop", "-m", "immediate")
	pg.ctl("start")
}

func (pg *privatePostgres) url() string {
	return "postgres://postgres@127.0.0.1:" + pg.port + "/postgres?sslmode=disable"
}

// privateRedis is a redis-server of the suite's own, keeping nothing on
// disk: a restart loses every key, as a crashed cache without persistence.
type privateRedis struct {
	t    *testing.T
	addr string
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *privateRedis {
	r := &privateRedis{t: t, addr: freeAddr(t)}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *privateRedis) start() {
	_, port, _ := strings.Cut(r.addr, ":")
	r.cmd = exec.Command("redis-server", "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no")
	require.NoError(r.t, r.cmd.Start())
	c := redis.NewClient(&redis.Options{Addr: r.addr})
	defer c.Close()
	require.Eventually(r.t, func() bool { return c.Ping(context.Background()).Err() == nil }, 10*time.Second, 20*time.Millisecond)
}

func (r *privateRedis) stop() {
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
}

// faultProxy is toxiproxy in front of one server.
type faultProxy struct {
	t     *testing.T
	proxy *toxiproxy.Proxy
}

func proxyTo(t *testing.T, server *toxiproxy.ApiServer, name, upstream string) *faultProxy {
	p := toxiproxy.NewProxy(server, name, freeAddr(t), upstream)
	require.NoError(t, p.Start())
	t.Cleanup(p.Stop)
	return &faultProxy{t: t, proxy: p}
}

// slow adds latency to every answer for d.
func (f *faultProxy) slow(latency, d time.Duration) {
	_, err := f.proxy.Toxics.AddToxicJson(strings.NewReader(fmt.Sprintf(
		`{"name": "slow", "type": "latency", "stream": "downstream", "attributes": {"latency": %d, "jitter": %d}}`,
		latency.Milliseconds(), latency.Milliseconds()/2)))
	require.NoError(f.t, err)
	time.Sleep(d) // the fault lasts this long; nothing is waited for here
	require.NoError(f.t, f.proxy.Toxics.RemoveToxic(context.Background(), "slow"))
}

// cut closes every connection and refuses new ones for d.
func (f *faultProxy) cut(d time.Duration) {
	f.proxy.Stop()
	time.Sleep(d) // the outage lasts this long
	require.NoError(f.t, f.proxy.Start())
}

type fullSuite struct {
	pg         *privatePostgres
	rdb        *privateRedis
	pgProxy    *faultProxy
	redisProxy *faultProxy
}

func startFullSuite(t *testing.T) *fullSuite {
	server := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(prometheus.NewRegistry()), zerolog.Nop())
	s := &fullSuite{pg: startPostgres(t), rdb: startRedis(t)}
	s.pgProxy = proxyTo(t, server, "postgres", "127.0.0.1:"+s.pg.port)
	s.redisProxy = proxyTo(t, server, "redis", s.rdb.addr)
	return s
}

// env points pushd at the private servers through their proxies.
func (s *fullSuite) env() map[string]string {
	return map[string]string{
		"PUSHD_DATABASE_URL": "postgres://postgres@" + s.pgProxy.proxy.Listen + "/postgres?sslmode=disable&application_name=pushd-chaos",
		"PUSHD_REDIS_URL":    "redis://" + s.redisProxy.proxy.Listen + "/0",
	}
}

func (s *fullSuite) terminateBackends(t *testing.T) {
	db, err := sql.Open("postgres", s.pg.url())
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pushd-chaos'`).Scan(&n))
	require.Positive(t, n, "pushd's connections were there to terminate")
}

func (s *fullSuite) flushAll(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: s.rdb.addr})
	defer c.Close()
	require.NoError(t, c.FlushAll(context.Background()).Err())
}

// The whole suite on one pushd serve: process, database, cache,
// connection and vendor faults, one broadcast each.
func TestChaosFullServe(t *testing.T) {
	s := startFullSuite(t)
	r := newRig(t, rigOptions{roles: []string{"serve"}, vendorDevices: scaled(fullVendorDevices), wsDevices: scaled(fullWSDevices),
		latency: 100 * time.Millisecond, env: s.env()})
	f := r.fakes
	var results []outcome
	for _, c := range []struct {
		name  string
		fault func()
	}{
		{"kill -9 serve", func() { r.kill9("serve") }},
		{"Redis FLUSHALL", func() { s.flushAll(t) }},
		{"Redis restart", func() { s.rdb.stop(); s.rdb.start() }},
		{"PostgreSQL backends terminated", func() { s.terminateBackends(t) }},
		{"PostgreSQL restart", func() { s.pg.restart() }},
		{"PostgreSQL and Redis +200 ms for 10 s", func() {
			done := make(chan struct{})
			go func() { s.redisProxy.slow(200*time.Millisecond, 10*time.Second); close(done) }()
			s.pgProxy.slow(200*time.Millisecond, 10*time.Second)
			<-done
		}},
		{"PostgreSQL connections cut for 5 s", func() { s.pgProxy.cut(5 * time.Second) }},
		{"Redis connections cut for 5 s", func() { s.redisProxy.cut(5 * time.Second) }},
		{"vendor 5xx storm", func() {
			f.APNsProduction.FailNext(3000, providertest.APNsFault{Status: 503, Reason: "ServiceUnavailable"})
			f.FCM.FailNext(3000, providertest.FCMFault{ErrorCode: "UNAVAILABLE"})
			f.Huawei.FailNext(10, providertest.HuaweiFault{Status: 503})
			f.Xiaomi.FailNext(10, providertest.XiaomiFault{Status: 502})
			f.OPPO.FailNext(10, providertest.OPPOFault{Status: 502})
			f.Vivo.FailNext(10, providertest.VivoFault{Status: 502})
			f.Honor.FailNext(10, providertest.HonorFault{Status: 503})
			f.Harmony.FailNext(10, providertest.HarmonyFault{Status: 502})
			f.Meizu.FailNext(10, providertest.MeizuFault{Status: 502})
		}},
		{"vendor 429 with Retry-After", func() {
			f.APNsProduction.FailNext(2000, providertest.APNsFault{Status: 429, Reason: "TooManyRequests"})
			f.FCM.FailNext(2000, providertest.FCMFault{ErrorCode: "QUOTA_EXCEEDED", RetryAfter: "2"})
			f.Huawei.FailNext(5, providertest.HuaweiFault{Status: 503, RetryAfter: "2"})
			f.Xiaomi.FailNext(5, providertest.XiaomiFault{Status: 429, RetryAfter: 2 * time.Second})
			f.OPPO.FailNext(5, providertest.OPPOFault{Code: -2})
			f.Vivo.FailNext(5, providertest.VivoFault{Result: 10072})
			f.Honor.FailNext(5, providertest.HonorFault{Status: 429, RetryAfter: "2"})
			f.Harmony.FailNext(5, providertest.HarmonyFault{Status: 503})
			f.Meizu.FailNext(5, providertest.MeizuFault{Code: "110010"})
		}},
		{"vendor connection resets for 5 s", func() {
			for _, c := range []*providertest.Chaos{&f.APNsProduction.Chaos, &f.FCM.Chaos, &f.Huawei.Chaos, &f.Xiaomi.Chaos, &f.OPPO.Chaos, &f.Vivo.Chaos, &f.Honor.Chaos, &f.Harmony.Chaos, &f.Meizu.Chaos} {
				c.ResetFor(5 * time.Second)
			}
		}},
		{"vendor 2 s answers for 20 s", func() {
			set := func(d time.Duration) {
				for _, c := range []*providertest.Chaos{&f.APNsProduction.Chaos, &f.FCM.Chaos, &f.Huawei.Chaos, &f.Xiaomi.Chaos, &f.OPPO.Chaos, &f.Vivo.Chaos, &f.Honor.Chaos, &f.Harmony.Chaos, &f.Meizu.Chaos} {
					c.SetLatency(d)
				}
			}
			set(2 * time.Second)
			time.Sleep(20 * time.Second) // the slow spell lasts this long
			set(100 * time.Millisecond)
		}},
	} {
		if only := os.Getenv("PUSHD_CHAOS_FAULTS"); only != "" && !strings.Contains(c.name, only) {
			continue // while working on some of the faults
		}
		results = append(results, r.broadcast(c.name, c.fault))
	}
	report(t, results)
}

// A split deployment (api, two workers, two gateways): each role killed
// with SIGKILL mid-broadcast and restarted.
func TestChaosFullSplit(t *testing.T) {
	s := startFullSuite(t)
	r := newRig(t, rigOptions{roles: []string{"api", "worker", "worker-2", "gateway", "gateway-2"},
		vendorDevices: scaled(fullVendorDevices), wsDevices: scaled(fullWSDevices), latency: 100 * time.Millisecond, env: s.env()})
	var results []outcome
	roles := []string{"worker", "api", "gateway"}
	if only := os.Getenv("PUSHD_CHAOS_ROLES"); only != "" {
		roles = strings.Split(only, ",") // while working on one case
	}
	for _, role := range roles {
		results = append(results, r.broadcast("kill -9 "+role, func() { r.kill9(role) }))
	}
	report(t, results)
}

func report(t *testing.T, results []outcome) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n| fault | vendor devices | lost | duplicates | WebSocket devices | lost | repeats | API answers | last vendor message | last WebSocket device | job DONE |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, o := range results {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %.1f s | %.1f s | %.1f s | %.1f s |\n", o.Fault, o.Devices, o.Lost, o.Dupes,
			o.WSDevices, o.WSLost, o.WSRepeats, o.APIBack.Seconds(), o.VendorsDone.Seconds(), o.WSDone.Seconds(), o.Recovery.Seconds())
	}
	t.Log(b.String())
}
