package gateway

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/tenant"
)

// Reports queued when the hub stops are still recorded: the writers
// drain the queue before they return, every report counted in the
// database. Before the writers run, and after they stop, the reporter
// takes nothing (its caller records the report itself).
func TestReportsQueuedAtStopAreRecorded(t *testing.T) {
	t.Parallel()
	st := testenv.Stores(t)
	svc := push.NewService(push.Config{Client: st.Ent, Logger: testenv.Logger(t)})
	ctx := tenant.AsSystem(context.Background())
	app, err := st.Ent.App.Create().SetName("r").SetAppKey("ak_" + string(nodeid.New("k"))).Save(ctx)
	require.NoError(t, err)
	job, err := st.Ent.PushJob.Create().SetAppID(app.ID).SetKind(enum.PushKindMultiple).SetTTLSeconds(600).
		SetMessage(jsontype.Message{Title: "t"}).SetOptions(jsontype.Options{}).Save(ctx)
	require.NoError(t, err)
	const n = 1500 // more than one batch
	expires := time.Now().Add(10 * time.Minute)
	devs := make([]*ent.DeviceCreate, n)
	for i := range devs {
		devs[i] = st.Ent.Device.Create().SetAppID(app.ID).SetInstallationID(string(nodeid.New("i"))).SetPlatform(enum.PlatformAndroid)
	}
	ds, err := st.Ent.Device.CreateBulk(devs...).Save(ctx)
	require.NoError(t, err)
	dls := make([]*ent.DeliveryCreate, n)
	for i, d := range ds {
		dls[i] = st.Ent.Delivery.Create().SetAppID(app.ID).SetJobID(job.ID).SetDeviceID(d.ID).SetExpiresAt(expires).
			SetStatus(delivery.StatusSENT).SetChannel(enum.ChannelSelf)
	}
	written, err := st.Ent.Delivery.CreateBulk(dls...).Save(ctx)
	require.NoError(t, err)

	r := newReporter(svc, testenv.Logger(t), NewMetrics(nil).reportBatch)
	report := func(i int) push.DeviceReport {
		return push.DeviceReport{DeviceID: ds[i].ID, DeviceEvent: push.DeviceEvent{MessageID: written[i].ID, Type: push.EventArrived, ExpiresAt: expires}}
	}
	require.False(t, r.add(report(0)), "not running")
	run, stop := context.WithCancel(context.Background())
	wait := r.start(run)
	for i := range n {
		require.True(t, r.add(report(i)))
	}
	stop()
	wait()
	require.False(t, r.add(report(0)), "stopped")
	arrived, err := st.Ent.Delivery.Query().Where(delivery.JobID(job.ID), delivery.StatusEQ(delivery.StatusARRIVED)).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, n, arrived)
}
