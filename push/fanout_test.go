package push_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/fanoutrange"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/push/pushtest"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
	"github.com/pushd/pushd/worker"
)

// rangedBroadcast is a queued service whose fan-out ranges hold three
// devices, an app with n devices, and its broadcast, dispatched once.
func rangedBroadcast(t *testing.T, n int) (*queued, *ent.PushJob, *pushtest.DiscardSender) {
	t.Helper()
	st := testenv.Stores(t)
	sealer, err := seal.New(make([]byte, 32))
	require.NoError(t, err)
	ns := newNamespace()
	qu := worker.NewQueue(st.RedisOpt, ns)
	ins := asynq.NewInspector(worker.RedisConnOpt(st.RedisOpt))
	t.Cleanup(func() { _ = qu.Close(); _ = ins.Close() })
	fcm := &pushtest.DiscardSender{}
	q := &queued{Service: push.NewService(push.Config{
		Client: st.Ent, Sealer: sealer, Queue: qu, Dialect: st.Dialect, Logger: testenv.Logger(t), FanOutChunk: 3,
		Senders: map[enum.Channel]core.Sender{enum.ChannelFCM: fcm},
	}), stores: st, inspector: ins, namespace: ns}
	ctx := tenant.AsSystem(context.Background())
	app, err := q.CreateApp(ctx, ent.CreateAppInput{Name: "ranges"})
	require.NoError(t, err)
	for i := range n {
		_, _, err := q.Devices().RegisterDevice(ctx, devices.Registration{AppKey: app.AppKey, InstallationID: "i" + strconv.Itoa(i), Platform: enum.PlatformAndroid,
			Tokens: map[enum.Channel]string{enum.ChannelFCM: "tok-" + strconv.Itoa(i)}})
		require.NoError(t, err)
	}
	job, err := q.Push(ctx, push.PushRequest{AppID: app.ID, Kind: enum.PushKindBroadcast, Message: &jsontype.Message{Title: "ranges"}})
	require.NoError(t, err)
	require.NoError(t, q.Dispatch(ctx, job.ID))
	return q, job, fcm
}

// fanOutTasks are the queued range tasks' arguments.
func (q *queued) fanOutTasks(t *testing.T) []pipeline.FanOut {
	t.Helper()
	var out []pipeline.FanOut
	for _, ti := range q.tasks(t, pipeline.KindFanOut) {
		a, ok := pipeline.Decode[pipeline.FanOut](ti.Payload)
		require.True(t, ok)
		out = append(out, a)
	}
	return out
}

// A broadcast's audience is listed as ranges, one task each; the ranges
// run side by side (each twice, as a retried task would), write every
// delivery once and send it once, at once, with no send task; the job is
// dispatched only when the last is done, and is not DONE before.
func TestBroadcastRangesRunSideBySide(t *testing.T) {
	t.Parallel()
	q, job, fcm := rangedBroadcast(t, 10)
	ctx := tenant.AsSystem(context.Background())
	ranges := q.fanOutTasks(t)
	require.Len(t, ranges, 4, "10 devices in ranges of 3")

	// One range written and sent: not DONE, the rest of the audience has
	// no deliveries yet.
	require.NoError(t, q.FanOutRange(ctx, job.ID, ranges[0].Range))
	require.EqualValues(t, 3, fcm.Sent())
	require.NoError(t, q.RefreshJob(ctx, job.ID))
	got, err := q.stores.Ent.PushJob.Get(ctx, job.ID)
	require.NoError(t, err)
	require.Equal(t, pushjob.StatusSENDING, got.Status, "a job with ranges undone is not done")
	require.Nil(t, got.DispatchedAt)

	var wg sync.WaitGroup
	errs := make(chan error, 2*len(ranges))
	for _, r := range append(ranges, ranges...) {
		wg.Go(func() { errs <- q.FanOutRange(ctx, r.Job, r.Range) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	sent, err := q.stores.Ent.Delivery.Query().Where(delivery.JobID(job.ID), delivery.StatusEQ(delivery.StatusSENT)).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, 10, sent, "every device has one delivery, sent")
	require.EqualValues(t, 10, fcm.Sent(), "and the vendor got each once")
	require.NoError(t, q.RefreshJob(ctx, job.ID))
	got, err = q.stores.Ent.PushJob.Get(ctx, job.ID)
	require.NoError(t, err)
	require.NotNil(t, got.DispatchedAt, "the last range completes the dispatch")
	require.Equal(t, pushjob.StatusDONE, got.Status)
	left, err := q.stores.Ent.FanOutRange.Query().Where(fanoutrange.JobID(job.ID)).Count(ctx)
	require.NoError(t, err)
	require.Zero(t, left, "a dispatched job forgets its ranges")
	require.Empty(t, q.tasks(t, push.TaskSend), "a range sends its deliveries itself")
}

// Range tasks lost with Redis are queued again when the job's dispatch
// runs again (the reconciler's restart); the ones done are not.
func TestLostRangesAreQueuedAgain(t *testing.T) {
	t.Parallel()
	q, job, fcm := rangedBroadcast(t, 7)
	ctx := tenant.AsSystem(context.Background())
	ranges := q.fanOutTasks(t)
	require.Len(t, ranges, 3)
	require.NoError(t, q.FanOutRange(ctx, job.ID, ranges[0].Range))
	_, err := q.inspector.DeleteAllPendingTasks(worker.QueueName(q.namespace, push.QueueLow))
	require.NoError(t, err)

	require.NoError(t, q.Dispatch(ctx, job.ID))
	again := q.fanOutTasks(t)
	require.ElementsMatch(t, ranges[1:], again, "the undone ranges, and only they")
	for _, r := range again {
		require.NoError(t, q.FanOutRange(ctx, r.Job, r.Range))
	}
	n, err := q.stores.Ent.Delivery.Query().Where(delivery.JobID(job.ID)).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, 7, n)
	require.EqualValues(t, 7, fcm.Sent())
	got, err := q.stores.Ent.PushJob.Get(ctx, job.ID)
	require.NoError(t, err)
	require.NotNil(t, got.DispatchedAt)
}

// A range's deliveries are written already claimed: while the vendor has
// them they are SENDING under the range's lease. If their sender dies
// there, the lease lapses and the sweeper sends them again; the first
// sender's late answer records nothing over the second claim.
func TestRangeWrittenClaimedIsSentAgainWhenItsSenderDies(t *testing.T) {
	t.Parallel()
	bothDatabases(t, func(t *testing.T, st *store.Stores) {
		ns := newNamespace()
		dying, healthy := newGate(), newGate()
		a := queuedNode(t, st, ns, "node-a", map[enum.Channel]core.Sender{enum.ChannelFCM: dying})
		b := queuedNode(t, st, ns, "node-b", map[enum.Channel]core.Sender{enum.ChannelFCM: healthy})
		ctx := tenant.AsSystem(context.Background())
		app, _ := devicesWithFCM(t, a, 3)
		job, err := a.Push(ctx, push.PushRequest{AppID: app.ID, Kind: enum.PushKindBroadcast, Message: &jsontype.Message{Title: "b"}})
		require.NoError(t, err)
		require.NoError(t, a.Dispatch(ctx, job.ID))
		ranges := a.fanOutTasks(t)
		require.Len(t, ranges, 1)
		aDone := make(chan error, 1)
		go func() { aDone <- a.FanOutRange(ctx, job.ID, ranges[0].Range) }()
		require.Equal(t, 3, <-dying.entered)
		for _, d := range deliveries(t, st, job.ID) {
			require.Equal(t, delivery.StatusSENDING, d.Status, "written claimed")
			require.Contains(t, *d.LeaseOwner, "node-a/")
			require.Equal(t, 1, d.Attempts)
		}

		lapse(t, st, job.ID)
		swept, err := b.Delivery().SweepLeases(ctx, 100)
		require.NoError(t, err)
		require.Equal(t, deliver.LeaseStats{Returned: 3}, swept)
		sends := b.tasks(t, push.TaskSend)
		require.Len(t, sends, 1, "the sweeper queued their send")
		sr, ok := pipeline.Decode[pipeline.Send](sends[0].Payload)
		require.True(t, ok)
		bDone := make(chan error, 1)
		go func() { _, err := b.Delivery().Send(ctx, sr); bDone <- err }()
		require.Equal(t, 3, <-healthy.entered)
		dying.release <- core.OutcomeFailed
		require.NoError(t, <-aDone)
		healthy.release <- core.OutcomeSent
		require.NoError(t, <-bDone)

		for _, d := range deliveries(t, st, job.ID) {
			require.Equal(t, delivery.StatusSENT, d.Status, "the late answer of the dead claim recorded nothing")
			require.Equal(t, 2, d.Attempts)
		}
		require.NoError(t, b.RefreshJob(ctx, job.ID))
		got, err := st.Ent.PushJob.Get(ctx, job.ID)
		require.NoError(t, err)
		require.Equal(t, pushjob.StatusDONE, got.Status)
		require.Equal(t, 3, got.CountSent)
	})
}

// Deliveries carry no foreign keys on PostgreSQL, so deleting an app
// deletes them itself: those written before go with it, and a range whose
// task runs after writes none.
func TestDeletingAnAppDeletesItsDeliveries(t *testing.T) {
	t.Parallel()
	q, job, _ := rangedBroadcast(t, 7)
	ctx := tenant.AsSystem(context.Background())
	ranges := q.fanOutTasks(t)
	require.Len(t, ranges, 3)
	require.NoError(t, q.FanOutRange(ctx, job.ID, ranges[0].Range))
	count := func() int {
		n, err := q.stores.Ent.Delivery.Query().Where(delivery.AppID(job.AppID)).Count(ctx)
		require.NoError(t, err)
		return n
	}
	require.Equal(t, 3, count())

	require.NoError(t, q.DeleteApp(ctx, job.AppID))
	require.Zero(t, count(), "the deliveries went with their app")
	for _, r := range ranges[1:] {
		require.NoError(t, q.FanOutRange(ctx, r.Job, r.Range))
	}
	require.Zero(t, count(), "a range of a deleted app writes nothing")
}
