package push_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// Leases on vendor sends: SENDING until the vendor answers, taken back
// when the sender dies (lapse) or stops (release), recorded only by the
// claim that holds them.

// gate is a vendor that holds every send until released, so a test can
// look at the deliveries while the vendor has them.
type gate struct {
	entered chan int
	release chan core.Outcome
	mu      sync.Mutex
	got     map[string]int // token → sends
}

func newGate() *gate {
	return &gate{entered: make(chan int, 16), release: make(chan core.Outcome, 16), got: map[string]int{}}
}

func (g *gate) Send(ctx context.Context, msgs []core.Outgoing) []core.Result {
	g.mu.Lock()
	for _, m := range msgs {
		g.got[m.Token]++
	}
	g.mu.Unlock()
	g.entered <- len(msgs)
	out := make([]core.Result, len(msgs))
	select {
	case o := <-g.release:
		for i := range out {
			out[i] = core.Result{Outcome: o, Reason: "scripted"}
		}
	case <-ctx.Done():
		for i := range out {
			out[i] = core.Result{Outcome: core.OutcomeRetry, Reason: "no answer in the send window"}
		}
	}
	return out
}

func (g *gate) sends(token string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.got[token]
}

// devicesWithFCM registers n Android devices with FCM tokens fcm-0...
func devicesWithFCM(t *testing.T, q *queued, n int) (*ent.App, []string) {
	t.Helper()
	ctx := tenant.AsSystem(context.Background())
	app, err := q.CreateApp(ctx, ent.CreateAppInput{Name: "a"})
	require.NoError(t, err)
	ids := make([]string, n)
	for i := range ids {
		d, _, err := q.Devices().RegisterDevice(ctx, devices.Registration{AppKey: app.AppKey, InstallationID: fmt.Sprint("i", i),
			Platform: enum.PlatformAndroid, Tokens: map[enum.Channel]string{enum.ChannelFCM: fmt.Sprint("fcm-", i)}})
		require.NoError(t, err)
		ids[i] = string(d.ID)
	}
	return app, ids
}

// queuedPush accepts a push that is not sent inline (scheduled, then made
// due), so the test runs its send itself.
func queuedPush(t *testing.T, q *queued, app nodeid.ID, devices []string) *ent.PushJob {
	t.Helper()
	ctx := tenant.AsSystem(context.Background())
	j, err := q.Push(ctx, simple(app, jsontype.Target{DeviceIDs: devices}, "x", later(time.Hour)))
	require.NoError(t, err)
	require.NoError(t, q.stores.Ent.PushJob.UpdateOneID(j.ID).SetStatus(pushjob.StatusSENDING).SetDispatchedAt(time.Now()).Exec(ctx))
	return j
}

func deliveries(t *testing.T, st *store.Stores, job nodeid.ID) []*ent.Delivery {
	t.Helper()
	ds, err := st.Ent.Delivery.Query().Where(delivery.JobID(job)).All(tenant.AsSystem(context.Background()))
	require.NoError(t, err)
	return ds
}

// lapse ends every lease of a job now, as if its time had run out.
func lapse(t *testing.T, st *store.Stores, job nodeid.ID) {
	t.Helper()
	require.NoError(t, st.Ent.Delivery.Update().Where(delivery.JobID(job), delivery.StatusEQ(delivery.StatusSENDING)).
		SetLeaseUntil(time.Now().UTC().Add(-time.Second)).Exec(tenant.AsSystem(context.Background())))
}

func bothDatabases(t *testing.T, run func(t *testing.T, st *store.Stores)) {
	for name, open := range map[string]func(testing.TB) *store.Stores{"postgres": testenv.Stores, "sqlite": testenv.EmbeddedStores} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run(t, open(t))
		})
	}
}

// While the vendor has a message its delivery is SENDING under a lease,
// with no sent time; it is SENT only once the vendor accepted it.
func TestVendorSendIsSentOnlyOnceAccepted(t *testing.T) {
	t.Parallel()
	bothDatabases(t, func(t *testing.T, st *store.Stores) {
		g := newGate()
		q := queuedNode(t, st, newNamespace(), "node-a", map[enum.Channel]core.Sender{enum.ChannelFCM: g})
		app, devs := devicesWithFCM(t, q, 3)
		j := queuedPush(t, q, app.ID, devs)
		done := make(chan error, 1)
		go func() {
			_, err := q.Delivery().Send(tenant.AsSystem(context.Background()), push.SendRequest{Job: j.ID})
			done <- err
		}()
		require.Equal(t, 3, <-g.entered)
		for _, d := range deliveries(t, st, j.ID) {
			require.Equal(t, delivery.StatusSENDING, d.Status)
			require.Nil(t, d.SentAt)
			require.NotNil(t, d.LeaseOwner)
			require.Contains(t, *d.LeaseOwner, "node-a/")
			require.True(t, d.LeaseUntil.After(time.Now().Add(30*time.Second)), "a lease of about a minute: %s", d.LeaseUntil)
			require.Equal(t, 1, d.Attempts)
		}
		require.NoError(t, q.RefreshJob(tenant.AsSystem(context.Background()), j.ID))
		got, err := st.Ent.PushJob.Get(tenant.AsSystem(context.Background()), j.ID)
		require.NoError(t, err)
		require.Equal(t, pushjob.StatusSENDING, got.Status, "not done while a delivery is in flight")
		require.Equal(t, 3, got.CountPending, "in flight counts as pending")

		g.release <- core.OutcomeSent
		require.NoError(t, <-done)
		for _, d := range deliveries(t, st, j.ID) {
			require.Equal(t, delivery.StatusSENT, d.Status)
			require.NotNil(t, d.SentAt)
			require.Nil(t, d.LeaseOwner)
			require.Nil(t, d.LeaseUntil)
		}
	})
}

// A sender that dies holding its deliveries loses none of them: once the
// lease lapses the sweeper returns them to PENDING with a send queued,
// the job is not done meanwhile, and the re-send is counted. The dead
// sender's late answer changes nothing.
func TestLapsedLeaseIsSentAgain(t *testing.T) {
	t.Parallel()
	bothDatabases(t, func(t *testing.T, st *store.Stores) {
		ns := newNamespace()
		dying, healthy := newGate(), newGate()
		a := queuedNode(t, st, ns, "node-a", map[enum.Channel]core.Sender{enum.ChannelFCM: dying})
		b := queuedNode(t, st, ns, "node-b", map[enum.Channel]core.Sender{enum.ChannelFCM: healthy})
		ctx := tenant.AsSystem(context.Background())
		app, devs := devicesWithFCM(t, a, 2)
		j := queuedPush(t, a, app.ID, devs)
		aDone := make(chan error, 1)
		go func() { _, err := a.Delivery().Send(ctx, push.SendRequest{Job: j.ID}); aDone <- err }()
		require.Equal(t, 2, <-dying.entered)

		st0, err := b.Delivery().SweepLeases(ctx, 100)
		require.NoError(t, err)
		require.Zero(t, st0.Returned, "a live lease is not taken")
		lapse(t, st, j.ID)
		swept, err := b.Delivery().SweepLeases(ctx, 100)
		require.NoError(t, err)
		require.Equal(t, deliver.LeaseStats{Returned: 2}, swept)
		for _, d := range deliveries(t, st, j.ID) {
			require.Equal(t, delivery.StatusPENDING, d.Status)
			require.Contains(t, d.LastError, "lease expired")
			require.Nil(t, d.LeaseOwner)
		}
		require.NoError(t, b.RefreshJob(ctx, j.ID))
		got, err := st.Ent.PushJob.Get(ctx, j.ID)
		require.NoError(t, err)
		require.Equal(t, pushjob.StatusSENDING, got.Status, "not done while deliveries wait to be sent again")

		sends := b.tasks(t, push.TaskSend)
		require.Len(t, sends, 1, "the sweeper queued their send")
		var sr push.SendRequest
		require.NoError(t, json.Unmarshal(sends[0].Payload, &sr))
		require.ElementsMatch(t, devs, idStrings(sr.Devices))
		bDone := make(chan core.SendSummary, 1)
		go func() { sum, _ := b.Delivery().Send(ctx, sr); bDone <- sum }()
		require.Equal(t, 2, <-healthy.entered)

		// The first sender answers late: its lease is gone, so it records
		// nothing over the second claim.
		dying.release <- core.OutcomeFailed
		require.NoError(t, <-aDone)
		for _, d := range deliveries(t, st, j.ID) {
			require.Equal(t, delivery.StatusSENDING, d.Status, "the stale claim recorded nothing")
			require.Contains(t, *d.LeaseOwner, "node-b/")
			require.Equal(t, 2, d.Attempts)
		}
		healthy.release <- core.OutcomeSent
		sum := <-bDone
		require.Equal(t, 2, sum.Vendor)
		require.Equal(t, 2, sum.Resends)
		require.NoError(t, b.RefreshJob(ctx, j.ID))
		got, err = st.Ent.PushJob.Get(ctx, j.ID)
		require.NoError(t, err)
		require.Equal(t, pushjob.StatusDONE, got.Status)
		require.Equal(t, 2, got.CountSent)
	})
}

func idStrings(ids []nodeid.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// Two sweepers on two nodes racing over the same lapsed leases take each
// delivery once between them.
func TestTwoSweepersNeverTakeTheSameDelivery(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	ns := newNamespace()
	g := newGate()
	a := queuedNode(t, st, ns, "node-a", map[enum.Channel]core.Sender{enum.ChannelFCM: g})
	b := queuedNode(t, st, ns, "node-b", nil)
	ctx := tenant.AsSystem(context.Background())
	const n = 300
	app, devs := devicesWithFCM(t, a, n)
	j := queuedPush(t, a, app.ID, devs)
	done := make(chan struct{})
	go func() { _, _ = a.Delivery().Send(ctx, push.SendRequest{Job: j.ID}); close(done) }()
	require.Equal(t, n, <-g.entered)
	lapse(t, st, j.ID)
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for _, s := range []*queued{a, b, a, b} {
		wg.Go(func() {
			for {
				got, err := s.Delivery().SweepLeases(ctx, 7)
				require.NoError(t, err)
				mu.Lock()
				total += got.Returned
				mu.Unlock()
				if got.Returned == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	require.Equal(t, n, total, "each delivery taken exactly once")
	seen := map[nodeid.ID]int{}
	for _, ti := range a.tasks(t, push.TaskSend) {
		var sr push.SendRequest
		require.NoError(t, json.Unmarshal(ti.Payload, &sr))
		for _, d := range sr.Devices {
			seen[d]++
		}
	}
	require.Len(t, seen, n)
	for d, c := range seen {
		require.Equal(t, 1, c, "device %s queued %d times", d, c)
	}
	g.release <- core.OutcomeSent
	<-done
}

// A process that stops gives back what it holds at once, and only that:
// another process's claims keep their lease.
func TestReleaseGivesBackOnlyThisProcesssDeliveries(t *testing.T) {
	t.Parallel()
	bothDatabases(t, func(t *testing.T, st *store.Stores) {
		ns := newNamespace()
		ga, gb := newGate(), newGate()
		a := queuedNode(t, st, ns, "node-a", map[enum.Channel]core.Sender{enum.ChannelFCM: ga})
		b := queuedNode(t, st, ns, "node-a2", map[enum.Channel]core.Sender{enum.ChannelFCM: gb})
		ctx := tenant.AsSystem(context.Background())
		app, devs := devicesWithFCM(t, a, 4)
		ja := queuedPush(t, a, app.ID, devs[:2])
		jb := queuedPush(t, b, app.ID, devs[2:])
		aDone, bDone := make(chan struct{}), make(chan struct{})
		go func() { _, _ = a.Delivery().Send(ctx, push.SendRequest{Job: ja.ID}); close(aDone) }()
		go func() { _, _ = b.Delivery().Send(ctx, push.SendRequest{Job: jb.ID}); close(bDone) }()
		<-ga.entered
		<-gb.entered

		rel, err := a.Delivery().ReleaseLeases(ctx)
		require.NoError(t, err)
		require.Equal(t, deliver.LeaseStats{Returned: 2}, rel)
		for _, d := range deliveries(t, st, ja.ID) {
			require.Equal(t, delivery.StatusPENDING, d.Status)
			require.Contains(t, d.LastError, "released")
		}
		for _, d := range deliveries(t, st, jb.ID) {
			require.Equal(t, delivery.StatusSENDING, d.Status, "node-a2 is not node-a")
		}
		require.Len(t, a.tasks(t, push.TaskSend), 1, "their send is queued for the other workers")
		ga.release <- core.OutcomeSent
		gb.release <- core.OutcomeSent
		<-aDone
		<-bDone
		for _, d := range deliveries(t, st, jb.ID) {
			require.Equal(t, delivery.StatusSENT, d.Status)
		}
	})
}

// A delivery taken back after its last allowed attempt fails with the
// reason instead of being sent for ever.
func TestLapsedLeaseOutOfAttemptsFails(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	g := newGate()
	q := queuedNode(t, st, newNamespace(), "node-a", map[enum.Channel]core.Sender{enum.ChannelFCM: g})
	ctx := tenant.AsSystem(context.Background())
	app, devs := devicesWithFCM(t, q, 1)
	j := queuedPush(t, q, app.ID, devs)
	require.NoError(t, st.Ent.Delivery.Update().Where(delivery.JobID(j.ID)).SetAttempts(deliver.MaxVendorAttempts-1).Exec(ctx))
	done := make(chan struct{})
	go func() { _, _ = q.Delivery().Send(ctx, push.SendRequest{Job: j.ID}); close(done) }()
	<-g.entered
	lapse(t, st, j.ID)
	got, err := q.Delivery().SweepLeases(ctx, 10)
	require.NoError(t, err)
	require.Equal(t, deliver.LeaseStats{Failed: 1}, got)
	d := deliveries(t, st, j.ID)[0]
	require.Equal(t, delivery.StatusFAILED, d.Status)
	require.Contains(t, d.LastError, "gave up after")
	g.release <- core.OutcomeSent
	<-done
	require.Equal(t, delivery.StatusFAILED, deliveries(t, st, j.ID)[0].Status, "the stale claim recorded nothing")
}
