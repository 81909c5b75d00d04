package push_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
	"github.com/pushd/pushd/worker"
)

// Tests of what the pipeline queues, read back from Asynq in Redis.

// queued is a service on the real queue, and a view of what it queued.
type queued struct {
	*push.Service
	stores    *store.Stores
	inspector *asynq.Inspector
	namespace string
}

func newQueued(t *testing.T, senders map[enum.Channel]core.Sender) *queued {
	t.Helper()
	return queuedNode(t, testenv.Stores(t), newNamespace(), "", senders)
}

// newNamespace is a queue namespace of the test's own.
func newNamespace() string { return "t" + string(nodeid.New("q"))[4:14] }

// queuedNode is one pushd process of a test: its own Service, named node
// in leases (empty: the default), on stores and queue namespace ns that
// other processes of the test may share.
func queuedNode(t *testing.T, st *store.Stores, ns, node string, senders map[enum.Channel]core.Sender) *queued {
	t.Helper()
	sealer, err := seal.New(make([]byte, 32))
	require.NoError(t, err)
	q := worker.NewQueue(st.RedisOpt, ns)
	ins := asynq.NewInspector(worker.RedisConnOpt(st.RedisOpt))
	t.Cleanup(func() { _ = q.Close(); _ = ins.Close() })
	svc := push.NewService(push.Config{
		Client: st.Ent, Sealer: sealer, Queue: q, Senders: senders, Dialect: st.Dialect,
		Logger: testenv.Logger(t), Node: node,
	})
	return &queued{Service: svc, stores: st, inspector: ins, namespace: ns}
}

// tasks lists the tasks waiting in the service's queues, due or not.
func (q *queued) tasks(t *testing.T, taskType string) []*asynq.TaskInfo {
	t.Helper()
	var out []*asynq.TaskInfo
	for _, name := range []string{push.QueueCritical, push.QueueDefault, push.QueueLow} {
		queue := worker.QueueName(q.namespace, name)
		for _, list := range []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){
			q.inspector.ListPendingTasks, q.inspector.ListScheduledTasks,
		} {
			ts, err := list(queue, asynq.PageSize(10000))
			if errors.Is(err, asynq.ErrQueueNotFound) {
				continue
			}
			require.NoError(t, err)
			for _, ti := range ts {
				if ti.Type == taskType {
					out = append(out, ti)
				}
			}
		}
	}
	return out
}

func (q *queued) appAndDevice(t *testing.T, tokens map[enum.Channel]string) (*ent.App, *ent.Device) {
	t.Helper()
	ctx := tenant.AsSystem(context.Background())
	app, err := q.CreateApp(ctx, ent.CreateAppInput{Name: "a"})
	require.NoError(t, err)
	d, _, err := q.Devices().RegisterDevice(ctx, devices.Registration{AppKey: app.AppKey, InstallationID: "i1", Platform: enum.PlatformAndroid, Tokens: tokens})
	require.NoError(t, err)
	return app, d
}

func simple(app nodeid.ID, target jsontype.Target, title string, at *time.Time) push.PushRequest {
	return push.PushRequest{AppID: app, Kind: enum.PushKindSimple, Target: target,
		Message: &jsontype.Message{Title: title}, Options: push.PushOptions{ScheduleAt: at}}
}

func later(d time.Duration) *time.Time {
	t := time.Now().Add(d)
	return &t
}

// A scheduled push does not reach a device that connects, or is bound,
// before it is due.
func TestScheduledPushWaitsForItsTime(t *testing.T) {
	t.Parallel()
	q := newQueued(t, nil)
	ctx := tenant.AsSystem(context.Background())
	app, d := q.appAndDevice(t, nil)
	j, err := q.Push(ctx, simple(app.ID, jsontype.Target{DeviceIDs: []string{string(d.ID)}}, "tomorrow", later(24*time.Hour)))
	require.NoError(t, err)
	require.Equal(t, pushjob.StatusSCHEDULED, j.Status)
	msgs, err := q.Delivery().Resume(ctx, d.ID, 0)
	require.NoError(t, err)
	require.Empty(t, msgs, "a push scheduled for tomorrow is not sent today")
	_, err = q.Delivery().Send(ctx, push.SendRequest{Job: j.ID})
	require.NoError(t, err)

	uj, err := q.Push(ctx, simple(app.ID, jsontype.Target{UserIDs: []string{"later"}}, "for a user, tomorrow", later(24*time.Hour)))
	require.NoError(t, err)
	_, err = q.Devices().BindUser(ctx, d.ID, "later")
	require.NoError(t, err)
	require.Empty(t, q.tasks(t, push.TaskSend), "binding queues no send for a push not yet due")
	for _, id := range []nodeid.ID{j.ID, uj.ID} {
		dl, err := q.stores.Ent.Delivery.Query().Where(delivery.JobID(id), delivery.DeviceID(d.ID)).Only(ctx)
		require.NoError(t, err)
		require.Equal(t, delivery.StatusPENDING, dl.Status)
		require.Zero(t, dl.Attempts)
	}
}

// retryOnceSender, standing in for a vendor, asks to retry the first batch
// and accepts the rest.
type retryOnceSender struct{ n atomic.Int64 }

func (r *retryOnceSender) Send(_ context.Context, msgs []core.Outgoing) []core.Result {
	out := make([]core.Result, len(msgs))
	if r.n.Add(1) == 1 {
		for i := range out {
			out[i] = core.Result{Outcome: core.OutcomeRetry, RetryAfter: 3 * time.Second}
		}
	}
	return out
}

// A vendor's "retry later" on a single push becomes a send task due when
// the vendor said, which sends it.
func TestVendorRetryOfASinglePushIsSentLater(t *testing.T) {
	t.Parallel()
	fcm := &retryOnceSender{}
	q := newQueued(t, map[enum.Channel]core.Sender{enum.ChannelFCM: fcm})
	ctx := tenant.AsSystem(context.Background())
	app, d := q.appAndDevice(t, map[enum.Channel]string{enum.ChannelFCM: "tok"})
	// Scheduled, so that it is not sent inline; dispatched by hand below.
	j, err := q.Push(ctx, simple(app.ID, jsontype.Target{DeviceIDs: []string{string(d.ID)}}, "x", later(time.Hour)))
	require.NoError(t, err)
	require.NoError(t, q.stores.Ent.PushJob.UpdateOneID(j.ID).SetStatus(pushjob.StatusQUEUED).Exec(ctx))
	before := time.Now()
	require.NoError(t, q.Dispatch(ctx, j.ID))
	sends := q.tasks(t, push.TaskSend)
	require.Len(t, sends, 1, "a send task was queued")
	// Asynq keeps due times in whole seconds.
	require.False(t, sends[0].NextProcessAt.Before(before.Add(3*time.Second).Truncate(time.Second)), "no sooner than the vendor asked")
	var sr push.SendRequest
	require.NoError(t, json.Unmarshal(sends[0].Payload, &sr))
	_, err = q.Delivery().Send(ctx, sr)
	require.NoError(t, err)
	dl, err := q.stores.Ent.Delivery.Query().Where(delivery.JobID(j.ID)).Only(ctx)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusSENT, dl.Status)
	require.EqualValues(t, 2, fcm.n.Load())
}

// A vendor retry whose queued send was lost (Redis wiped) is queued again
// by the reconciler, once it has waited a stall period.
func TestLostVendorRetryIsQueuedAgain(t *testing.T) {
	t.Parallel()
	q := newQueued(t, nil)
	ctx := tenant.AsSystem(context.Background())
	app, d := q.appAndDevice(t, nil)
	j, err := q.Push(ctx, simple(app.ID, jsontype.Target{DeviceIDs: []string{string(d.ID)}}, "x", later(time.Hour)))
	require.NoError(t, err)
	require.NoError(t, q.stores.Ent.Delivery.Update().Where(delivery.JobID(j.ID)).
		SetAttempts(1).SetLastError(push.VendorRetryReason).SetUpdatedAt(time.Now().Add(-time.Hour)).Exec(ctx))
	n, err := q.RetryLost(ctx, time.Minute, 100)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	sends := q.tasks(t, push.TaskSend)
	require.Len(t, sends, 1)
	var sr push.SendRequest
	require.NoError(t, json.Unmarshal(sends[0].Payload, &sr))
	require.Equal(t, push.SendRequest{Job: j.ID, Devices: []nodeid.ID{d.ID}}, sr)
	n, err = q.RetryLost(ctx, time.Minute, 100)
	require.NoError(t, err)
	require.Zero(t, n, "not again before another stall period")
}
