package main

import (
	"context"
	"database/sql"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
)

// A process stopped with SIGTERM while a vendor holds its sends gives its
// deliveries back before it exits: the next process sends them long before their
// lease (a minute here) would have lapsed, and none is lost.
func TestShutdownReleasesDeliveriesInFlight(t *testing.T) {
	t.Parallel()
	fakes, env := startFakes(t, 0)
	env["PUSHD_SHUTDOWN_TIMEOUT"] = "2s"
	env["PUSHD_DELIVERY_LEASE"] = "1m"
	env["PUSHD_LOG_LEVEL"] = "info"
	r := &rig{t: t, fakes: fakes, env: env, addr: map[string]string{"serve": freeAddr(t)}, procs: map[string]*process{}, vendor: map[string]enum.Channel{}}
	r.start("serve")
	first := r.procs["serve"]
	r.b = newBackend(t, &instance{t: t, base: first.base, logs: first.logs})
	r.configureVendors(first.base)
	const n = 200
	var g errgroup.Group
	g.SetLimit(16)
	for i := range n {
		g.Go(func() error {
			tok := fmt.Sprintf("c0ffee%010x", i)
			_, err := r.b.devices.Register(context.Background(), gateway.RegisterRequest{
				AppKey: r.b.appKey, InstallationID: fmt.Sprint("sd-", i), Platform: enum.PlatformIOS, Tokens: gateway.Tokens{"apns": &tok},
			})
			return err
		})
	}
	require.NoError(t, g.Wait())

	// APNs answers after 30 s: the sends are in flight when the stop comes.
	fakes.APNsProduction.SetLatency(30 * time.Second)
	db, err := sql.Open("postgres", env["PUSHD_DATABASE_URL"])
	require.NoError(t, err)
	defer db.Close()
	j := r.b.push("pushBroadcast", map[string]any{"message": map[string]any{"title": "stop", "body": "now"}})
	require.Eventually(t, func() bool {
		var sending int
		require.NoError(t, db.QueryRow(`SELECT count(*) FROM deliveries WHERE job_id = $1 AND status = 'SENDING'`, j.ID).Scan(&sending))
		return sending > 0
	}, time.Minute, 20*time.Millisecond, "the vendor never had the sends")

	stopped := time.Now()
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-first.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("pushd did not stop on SIGTERM; log:\n%s", first.logs.String())
	}
	// The cut-off sends gave their deliveries back themselves, or the
	// release at exit did (which, depends on timing): either way none is
	// left for its lease to lapse.
	var held int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM deliveries WHERE job_id = $1 AND status = 'SENDING'`, j.ID).Scan(&held))
	require.Zero(t, held, "the stopped process holds nothing; its log:\n%s", first.logs.String())

	fakes.APNsProduction.SetLatency(0)
	r.start("serve")
	done := r.b.waitJobFor(j.ID, 45*time.Second, func(j job) bool { return j.Status == "DONE" && j.Counts.Pending == 0 })
	require.Equal(t, n, done.Counts.Sent)
	require.Less(t, time.Since(stopped), time.Minute, "sent again before the lease could have lapsed")
	got := r.arrivals()
	require.Len(t, got, n, "every device got it")
}

// Past the pipeline's bound a push is refused before anything is written,
// with how long to wait.
func TestOverloadedPipelineRefusesPushes(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["PUSHD_ADMIT_MAX_QUEUE_LAG"] = "1s"
	// No worker: what is queued waits, and the queue's lag grows.
	api := startInstance(t, env, "api")
	b := newBackend(t, api)
	b.push("pushBroadcast", map[string]any{"message": map[string]any{"title": "queued"}})
	count := func() int {
		var out struct {
			PushJobs struct{ TotalCount int } `json:"pushJobs"`
		}
		b.do(`{ pushJobs { totalCount } }`, nil, &out)
		return out.PushJobs.TotalCount
	}
	before := count()
	var refusal map[string]any
	require.Eventually(t, func() bool {
		resp, err := b.gql.Raw(context.Background(), `mutation($app: ID!) { pushBroadcast(input: {appID: $app, message: {title: "more"}}) { id } }`,
			map[string]any{"app": b.appID})
		require.NoError(t, err)
		if len(resp.Errors) == 0 {
			before++ // accepted while the lag was under the bound
			return false
		}
		refusal = resp.Errors[0].Extensions
		return true
	}, 30*time.Second, 100*time.Millisecond, "never refused; log:\n%s", api.logs.String())
	require.Equal(t, "RATE_LIMITED", refusal["code"])
	require.EqualValues(t, 5, refusal["retryAfterSeconds"])
	require.Equal(t, before, count(), "a refused push wrote nothing")
}
