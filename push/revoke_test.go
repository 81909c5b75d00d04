package push

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/tenant"
)

// countingSender accepts everything and counts it.
type countingSender struct{ n atomic.Int64 }

func (c *countingSender) Send(_ context.Context, msgs []core.Outgoing) []core.Result {
	c.n.Add(int64(len(msgs)))
	return make([]core.Result, len(msgs))
}

// Revoking a broadcast in the middle of its fan-out: what went out stays
// sent, and the fan-out writes nothing more.
func TestRevokeMidBroadcast(t *testing.T) {
	t.Parallel()
	stores := testenv.Stores(t)
	sealer, err := seal.New(make([]byte, 32))
	require.NoError(t, err)
	fcm := &countingSender{}
	s := NewService(Config{
		Client: stores.Ent, Sealer: sealer, Dialect: stores.Dialect, Logger: testenv.Logger(t),
		Senders: map[enum.Channel]core.Sender{enum.ChannelFCM: fcm}, FanOutChunk: 4,
	})
	ctx := tenant.AsSystem(context.Background())
	app, err := s.CreateApp(ctx, ent.CreateAppInput{Name: "revoke"})
	require.NoError(t, err)
	for i := range 12 {
		_, _, err := s.Devices().RegisterDevice(ctx, devices.Registration{AppKey: app.AppKey, InstallationID: "i" + strconv.Itoa(i), Platform: enum.PlatformAndroid,
			Tokens: map[enum.Channel]string{enum.ChannelFCM: "tok-" + strconv.Itoa(i)}})
		require.NoError(t, err)
	}
	job, err := s.Push(ctx, PushRequest{AppID: app.ID, Kind: enum.PushKindBroadcast, Message: &jsontype.Message{Title: "sale"}})
	require.NoError(t, err)

	// The audience is listed in three ranges; the first is written and
	// sent.
	require.NoError(t, s.client.PushJob.UpdateOneID(job.ID).SetStatus(pushjob.StatusSENDING).Exec(ctx))
	job, err = s.client.PushJob.Get(ctx, job.ID)
	require.NoError(t, err)
	bounds, end, err := s.rangeBounds(ctx, app.ID, "", rangesPerStep)
	require.NoError(t, err)
	require.True(t, end)
	require.Len(t, bounds, 3)
	ranges, _, moved, err := s.listRanges(ctx, job, "", bounds, end)
	require.NoError(t, err)
	require.True(t, moved)
	require.NoError(t, s.FanOutRange(ctx, job.ID, ranges[0].ID))
	require.EqualValues(t, 4, fcm.n.Load())

	revoked, err := s.RevokePush(ctx, job.ID)
	require.NoError(t, err)
	require.Equal(t, pushjob.StatusREVOKED, revoked.Status)

	// The rest of the pipeline runs late, as queued tasks would.
	_, err = s.Delivery().Send(ctx, SendRequest{Job: job.ID, After: bounds[0], Through: bounds[1]})
	require.NoError(t, err)
	require.NoError(t, s.FanOutRange(ctx, job.ID, ranges[1].ID))
	require.NoError(t, s.FanOutRange(ctx, job.ID, ranges[2].ID))
	require.NoError(t, s.Dispatch(ctx, job.ID))
	require.EqualValues(t, 4, fcm.n.Load(), "nothing is sent after the revoke")

	counts := map[delivery.Status]int{}
	all, err := s.client.Delivery.Query().Where(delivery.JobID(job.ID)).All(ctx)
	require.NoError(t, err)
	for _, d := range all {
		counts[d.Status]++
	}
	require.Equal(t, map[delivery.Status]int{delivery.StatusSENT: 4}, counts,
		"the ranges after the revoke were never written")
	got, err := s.client.PushJob.Get(ctx, job.ID)
	require.NoError(t, err)
	require.Equal(t, 4, got.CountSent)
	require.Zero(t, got.CountRevoked)
	require.Equal(t, pushjob.StatusREVOKED, got.Status)
}
