package push

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// Regression tests for faults a review of the pipeline found.

func newTestService(t *testing.T, st *store.Stores, senders map[enum.Channel]Sender) *Service {
	t.Helper()
	sealer, err := seal.New(make([]byte, 32))
	require.NoError(t, err)
	return NewService(Config{Client: st.Ent, Sealer: sealer, Dialect: st.Dialect, Logger: testenv.Logger(t), Senders: senders})
}

func embeddedStores(t *testing.T) *store.Stores {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{DataDir: t.TempDir()}, testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	return st
}

// recordingQueue remembers what was queued.
type recordingQueue struct {
	mu    sync.Mutex
	tasks []Task
}

func (q *recordingQueue) Enqueue(_ context.Context, tasks []Task) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.tasks = append(q.tasks, tasks...)
	return nil
}

// appAndDevice makes an app with one Android device.
func appAndDevice(t *testing.T, s *Service, tokens map[enum.Channel]string) (*ent.App, *ent.Device) {
	t.Helper()
	ctx := tenant.AsSystem(context.Background())
	app, err := s.CreateApp(ctx, ent.CreateAppInput{Name: "a"})
	require.NoError(t, err)
	d, _, err := s.RegisterDevice(ctx, Registration{AppKey: app.AppKey, InstallationID: "i1", Platform: enum.PlatformAndroid, Tokens: tokens})
	require.NoError(t, err)
	return app, d
}

func simplePush(app nodeid.ID, target jsontype.Target, title string) PushRequest {
	return PushRequest{AppID: app, Kind: enum.PushKindSimple, Target: target, Message: &jsontype.Message{Title: title}}
}

// A device bound to a user again gets what was sent to the user while it
// was unbound, though it already has the user's earlier messages.
func TestRebindGetsWhatCameMeanwhile(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	s := newTestService(t, st, nil)
	ctx := tenant.AsSystem(context.Background())
	app, d := appAndDevice(t, s, nil)
	_, err := s.BindUser(ctx, d.ID, "u")
	require.NoError(t, err)
	user := jsontype.Target{UserIDs: []string{"u"}}
	j1, err := s.Push(ctx, simplePush(app.ID, user, "one"))
	require.NoError(t, err)
	_, err = s.UnbindUser(ctx, d.ID)
	require.NoError(t, err)
	j2, err := s.Push(ctx, simplePush(app.ID, user, "two"))
	require.NoError(t, err)
	_, err = s.BindUser(ctx, d.ID, "u")
	require.NoError(t, err)
	for _, j := range []nodeid.ID{j1.ID, j2.ID} {
		n, err := s.client.Delivery.Query().Where(delivery.JobID(j), delivery.DeviceID(d.ID)).Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "job %s", j)
	}
}

// A scheduled push does not reach a device that connects, or is bound,
// before it is due.
func TestScheduledPushWaitsForItsTime(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	s := newTestService(t, st, nil)
	q := &recordingQueue{}
	s.queue = q
	ctx := tenant.AsSystem(context.Background())
	app, d := appAndDevice(t, s, nil)
	at := time.Now().Add(24 * time.Hour)
	req := simplePush(app.ID, jsontype.Target{DeviceIDs: []string{string(d.ID)}}, "tomorrow")
	req.Options.ScheduleAt = &at
	j, err := s.Push(ctx, req)
	require.NoError(t, err)
	require.Equal(t, pushjob.StatusSCHEDULED, j.Status)
	msgs, err := s.Resume(ctx, d.ID, 0)
	require.NoError(t, err)
	require.Empty(t, msgs, "a push scheduled for tomorrow is not sent today")
	_, err = s.Send(ctx, SendRequest{Job: j.ID})
	require.NoError(t, err)

	u := simplePush(app.ID, jsontype.Target{UserIDs: []string{"later"}}, "for a user, tomorrow")
	u.Options.ScheduleAt = &at
	uj, err := s.Push(ctx, u)
	require.NoError(t, err)
	queued := len(q.tasks)
	_, err = s.BindUser(ctx, d.ID, "later")
	require.NoError(t, err)
	require.Len(t, q.tasks, queued, "binding queues no send for a push not yet due")
	for _, id := range []nodeid.ID{j.ID, uj.ID} {
		dl, err := s.client.Delivery.Query().Where(delivery.JobID(id), delivery.DeviceID(d.ID)).Only(ctx)
		require.NoError(t, err)
		require.Equal(t, delivery.StatusPENDING, dl.Status)
		require.Zero(t, dl.Attempts)
	}
}

// retryOnceSender asks to retry the first batch and accepts the rest.
type retryOnceSender struct{ n atomic.Int64 }

func (r *retryOnceSender) Send(_ context.Context, msgs []Outgoing) []Result {
	out := make([]Result, len(msgs))
	if r.n.Add(1) == 1 {
		for i := range out {
			out[i] = Result{Outcome: OutcomeRetry, RetryAfter: 3 * time.Second}
		}
	}
	return out
}

// A vendor's "retry later" on a single push becomes a send task due when
// the vendor said, which sends it.
func TestVendorRetryOfASinglePushIsSentLater(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	fcm := &retryOnceSender{}
	s := newTestService(t, st, map[enum.Channel]Sender{enum.ChannelFCM: fcm})
	q := &recordingQueue{}
	s.queue = q
	ctx := tenant.AsSystem(context.Background())
	app, d := appAndDevice(t, s, map[enum.Channel]string{enum.ChannelFCM: "tok"})
	req := simplePush(app.ID, jsontype.Target{DeviceIDs: []string{string(d.ID)}}, "x")
	req.Options.ScheduleAt = ptr(time.Now().Add(time.Hour)) // not inline: dispatched below
	j, err := s.Push(ctx, req)
	require.NoError(t, err)
	require.NoError(t, s.client.PushJob.UpdateOneID(j.ID).SetStatus(pushjob.StatusQUEUED).Exec(ctx))
	before := time.Now()
	require.NoError(t, s.Dispatch(ctx, j.ID))
	var retry *Task
	for i := range q.tasks {
		if q.tasks[i].Type == TaskSend {
			retry = &q.tasks[i]
		}
	}
	require.NotNil(t, retry, "a send task was queued")
	require.GreaterOrEqual(t, retry.ProcessAt.Sub(before), 3*time.Second-100*time.Millisecond, "no sooner than the vendor asked")
	var sr SendRequest
	require.NoError(t, jsonUnmarshal(retry.Payload, &sr))
	_, err = s.Send(ctx, sr)
	require.NoError(t, err)
	dl, err := s.client.Delivery.Query().Where(delivery.JobID(j.ID)).Only(ctx)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusSENT, dl.Status)
	require.EqualValues(t, 2, fcm.n.Load())
}

// On SQLite (the embedded mode) a whole fan-out step is written, under
// SQLite's limit on bound values.
func TestSQLiteFanOutStep(t *testing.T) {
	t.Parallel()
	st := embeddedStores(t)
	s := newTestService(t, st, nil)
	ctx := tenant.AsSystem(context.Background())
	app, err := s.CreateApp(ctx, ent.CreateAppInput{Name: "a"})
	require.NoError(t, err)
	var ids []nodeid.ID
	for from := 0; from < FanOutChunk; from += 1000 {
		rows := make([]*ent.DeviceCreate, 1000)
		for i := range rows {
			rows[i] = s.client.Device.Create().SetAppID(app.ID).SetInstallationID("i" + strconv.Itoa(from+i)).SetPlatform(enum.PlatformWeb)
		}
		created, err := s.client.Device.CreateBulk(rows...).Save(ctx)
		require.NoError(t, err)
		for _, d := range created {
			ids = append(ids, d.ID)
		}
	}
	job, err := s.client.PushJob.Create().SetAppID(app.ID).SetKind(enum.PushKindBroadcast).SetMessage(jsontype.Message{Title: "x"}).
		SetOptions(jsontype.Options{}).SetTTLSeconds(3600).SetExpiresAt(time.Now().Add(time.Hour)).Save(ctx)
	require.NoError(t, err)
	require.NoError(t, s.withTx(ctx, func(tx *ent.Tx) error { return s.insertDeliveries(ctx, tx, job, ids) }))
	n, err := s.client.Delivery.Query().Where(delivery.JobID(job.ID)).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, FanOutChunk, n)
}

// On SQLite, where times are stored as text, a push scheduled in a
// caller's own offset is not taken for overdue.
func TestSQLiteScheduleInAnotherOffset(t *testing.T) {
	t.Parallel()
	st := embeddedStores(t)
	s := newTestService(t, st, nil)
	s.queue = &recordingQueue{}
	ctx := tenant.AsSystem(context.Background())
	app, d := appAndDevice(t, s, nil)
	at := time.Now().Add(3 * time.Hour).In(time.FixedZone("EST", -5*3600))
	req := simplePush(app.ID, jsontype.Target{DeviceIDs: []string{string(d.ID)}}, "later")
	req.Options.ScheduleAt = &at
	_, err := s.Push(ctx, req)
	require.NoError(t, err)
	restarted, err := s.Reconcile(ctx, time.Minute)
	require.NoError(t, err)
	require.Empty(t, restarted, "a push scheduled 3 h ahead is not overdue")
	n, err := s.ExpireDue(ctx, 100)
	require.NoError(t, err)
	require.Zero(t, n)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// What waited on a device for its user is withdrawn when the user signs
// out, so the next person on the device does not see it.
func TestUnbindWithdrawsTheUsersPendingMessages(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	s := newTestService(t, st, nil)
	ctx := tenant.AsSystem(context.Background())
	app, d := appAndDevice(t, s, nil)
	_, err := s.BindUser(ctx, d.ID, "alice")
	require.NoError(t, err)
	j, err := s.Push(ctx, simplePush(app.ID, jsontype.Target{UserIDs: []string{"alice"}}, "for alice"))
	require.NoError(t, err)
	_, err = s.BindUser(ctx, d.ID, "bob")
	require.NoError(t, err)
	msgs, err := s.Resume(ctx, d.ID, 0)
	require.NoError(t, err)
	require.Empty(t, msgs, "bob does not get alice's message")
	dl, err := s.client.Delivery.Query().Where(delivery.JobID(j.ID), delivery.DeviceID(d.ID)).Only(ctx)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusREVOKED, dl.Status)
}

// A vendor retry whose queued send was lost (Redis wiped) is queued again
// by the reconciler, once it has waited a stall period.
func TestLostVendorRetryIsQueuedAgain(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	s := newTestService(t, st, nil)
	q := &recordingQueue{}
	s.queue = q
	ctx := tenant.AsSystem(context.Background())
	app, d := appAndDevice(t, s, nil)
	req := simplePush(app.ID, jsontype.Target{DeviceIDs: []string{string(d.ID)}}, "x")
	req.Options.ScheduleAt = ptr(time.Now().Add(time.Hour)) // keeps it off the inline path
	j, err := s.Push(ctx, req)
	require.NoError(t, err)
	require.NoError(t, s.client.Delivery.Update().Where(delivery.JobID(j.ID)).
		SetAttempts(1).SetLastError(vendorRetryReason).SetUpdatedAt(time.Now().Add(-time.Hour)).Exec(ctx))
	q.tasks = nil
	n, err := s.RetryLost(ctx, time.Minute, 100)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, q.tasks, 1)
	var sr SendRequest
	require.NoError(t, jsonUnmarshal(q.tasks[0].Payload, &sr))
	require.Equal(t, SendRequest{Job: j.ID, Devices: []nodeid.ID{d.ID}}, sr)
	n, err = s.RetryLost(ctx, time.Minute, 100)
	require.NoError(t, err)
	require.Zero(t, n, "not again before another stall period")
}

// Messages of jobs that exclude the WebSocket channel do not crowd out,
// on a resume, the ones that may go out on it.
func TestClaimPendingSkipsMessagesForOtherChannels(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	s := newTestService(t, st, nil)
	ctx := tenant.AsSystem(context.Background())
	app, d := appAndDevice(t, s, nil)
	exp := time.Now().Add(time.Hour)
	newJob := func(channels []enum.Channel) *ent.PushJobCreate {
		return s.client.PushJob.Create().SetAppID(app.ID).SetKind(enum.PushKindSimple).SetStatus(pushjob.StatusDONE).
			SetMessage(jsontype.Message{Title: "x"}).SetOptions(jsontype.Options{Channels: channels}).
			SetTTLSeconds(3600).SetExpiresAt(exp)
	}
	jobs := make([]*ent.PushJobCreate, MaxResume+100)
	for i := range jobs {
		jobs[i] = newJob([]enum.Channel{enum.ChannelFCM})
	}
	fcmOnly, err := s.client.PushJob.CreateBulk(jobs...).Save(ctx)
	require.NoError(t, err)
	rows := make([]*ent.DeliveryCreate, len(fcmOnly))
	for i, j := range fcmOnly {
		rows[i] = s.client.Delivery.Create().SetAppID(app.ID).SetJobID(j.ID).SetDeviceID(d.ID).SetExpiresAt(exp)
	}
	require.NoError(t, s.client.Delivery.CreateBulk(rows...).Exec(ctx))
	self, err := newJob(nil).Save(ctx)
	require.NoError(t, err)
	want, err := s.client.Delivery.Create().SetAppID(app.ID).SetJobID(self.ID).SetDeviceID(d.ID).SetExpiresAt(exp).Save(ctx)
	require.NoError(t, err)

	msgs, err := s.ClaimPending(ctx, d.ID)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	require.Equal(t, want.ID, msgs[0].MessageID)
}
