package push

import (
	"context"
	"strconv"
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
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/push/pushdb"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// Regression tests for faults a review of the pipeline found.

func newTestService(t *testing.T, st *store.Stores, senders map[enum.Channel]core.Sender) *Service {
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

// appAndDevice makes an app with one Android device.
func appAndDevice(t *testing.T, s *Service, tokens map[enum.Channel]string) (*ent.App, *ent.Device) {
	t.Helper()
	ctx := tenant.AsSystem(context.Background())
	app, err := s.CreateApp(ctx, ent.CreateAppInput{Name: "a"})
	require.NoError(t, err)
	d, _, err := s.Devices().RegisterDevice(ctx, devices.Registration{AppKey: app.AppKey, InstallationID: "i1", Platform: enum.PlatformAndroid, Tokens: tokens})
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
	_, err := s.Devices().BindUser(ctx, d.ID, "u")
	require.NoError(t, err)
	user := jsontype.Target{UserIDs: []string{"u"}}
	j1, err := s.Push(ctx, simplePush(app.ID, user, "one"))
	require.NoError(t, err)
	_, err = s.Devices().UnbindUser(ctx, d.ID)
	require.NoError(t, err)
	j2, err := s.Push(ctx, simplePush(app.ID, user, "two"))
	require.NoError(t, err)
	_, err = s.Devices().BindUser(ctx, d.ID, "u")
	require.NoError(t, err)
	for _, j := range []nodeid.ID{j1.ID, j2.ID} {
		n, err := s.client.Delivery.Query().Where(delivery.JobID(j), delivery.DeviceID(d.ID)).Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "job %s", j)
	}
}

// On SQLite (the embedded mode) a fan-out insert of many devices, part of
// them claimed, is written whole, under SQLite's limit on bound values.
func TestSQLiteFanOutStep(t *testing.T) {
	t.Parallel()
	st := embeddedStores(t)
	s := newTestService(t, st, nil)
	ctx := tenant.AsSystem(context.Background())
	app, err := s.CreateApp(ctx, ent.CreateAppInput{Name: "a"})
	require.NoError(t, err)
	var ids []nodeid.ID
	const devices = 5 * SendBatch
	for from := 0; from < devices; from += 1000 {
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
	channels := make([]enum.Channel, len(ids))
	for i := range channels {
		if i%2 == 0 {
			channels[i] = enum.ChannelFCM
		}
	}
	rows := pushdb.FanOut{AppID: app.ID, JobID: job.ID, Devices: ids, Channels: channels, Lease: "l", For: time.Minute,
		ExpiresAt: *job.ExpiresAt, Now: time.Now()}
	require.NoError(t, s.withTx(ctx, func(tx *ent.Tx) error {
		n, err := s.db.InsertFanOut(ctx, tx, &rows)
		require.Equal(t, devices, n)
		return err
	}))
	n, err := s.client.Delivery.Query().Where(delivery.JobID(job.ID)).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, devices, n)
	sending, err := s.client.Delivery.Query().Where(delivery.JobID(job.ID), delivery.StatusEQ(delivery.StatusSENDING)).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, devices/2, sending)
}

// On SQLite, where times are stored as text, a push scheduled in a
// caller's own offset is not taken for overdue.
func TestSQLiteScheduleInAnotherOffset(t *testing.T) {
	t.Parallel()
	st := embeddedStores(t)
	s := newTestService(t, st, nil)
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
	n, err := s.Delivery().ExpireDue(ctx, 100)
	require.NoError(t, err)
	require.Zero(t, n)
}

// What waited on a device for its user is withdrawn when the user signs
// out, so the next person on the device does not see it.
func TestUnbindWithdrawsTheUsersPendingMessages(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	s := newTestService(t, st, nil)
	ctx := tenant.AsSystem(context.Background())
	app, d := appAndDevice(t, s, nil)
	_, err := s.Devices().BindUser(ctx, d.ID, "alice")
	require.NoError(t, err)
	j, err := s.Push(ctx, simplePush(app.ID, jsontype.Target{UserIDs: []string{"alice"}}, "for alice"))
	require.NoError(t, err)
	_, err = s.Devices().BindUser(ctx, d.ID, "bob")
	require.NoError(t, err)
	msgs, err := s.Delivery().Resume(ctx, d.ID, 0)
	require.NoError(t, err)
	require.Empty(t, msgs, "bob does not get alice's message")
	dl, err := s.client.Delivery.Query().Where(delivery.JobID(j.ID), delivery.DeviceID(d.ID)).Only(ctx)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusREVOKED, dl.Status)
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
	jobs := make([]*ent.PushJobCreate, deliver.MaxResume+100)
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

	msgs, err := s.Delivery().ClaimPending(ctx, d.ID)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	require.Equal(t, want.ID, msgs[0].MessageID)
}
