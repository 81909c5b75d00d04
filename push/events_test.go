package push

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/store"
)

// TestOpenedImpliesArrived: a device that reports opened (or ignored) with
// no ack before it still has an arrival time, and an ack that came first
// keeps its own.
func TestOpenedImpliesArrived(t *testing.T) {
	t.Parallel()
	v, job, devs := statsSetup(t)
	acked := time.Now().Truncate(time.Millisecond).Add(time.Millisecond) // after the delivery was made
	_, err := v.s.RecordDeviceEventsFor(v.ctx, devs[0], []DeviceEvent{{MessageID: job, Type: EventArrived, At: acked}, {MessageID: job, Type: EventOpened}})
	require.NoError(t, err)
	_, err = v.s.RecordDeviceEventsFor(v.ctx, devs[1], []DeviceEvent{{MessageID: job, Type: EventOpened}})
	require.NoError(t, err)
	_, err = v.s.RecordDeviceEventsFor(v.ctx, devs[2], []DeviceEvent{{MessageID: job, Type: EventIgnored}})
	require.NoError(t, err)

	get := func(d nodeid.ID) (arrived, opened *time.Time, status delivery.Status) {
		dl, err := v.s.client.Delivery.Query().Where(delivery.JobID(job), delivery.DeviceID(d)).Only(v.ctx)
		require.NoError(t, err)
		return dl.ArrivedAt, dl.OpenedAt, dl.Status
	}
	arrived, opened, status := get(devs[0])
	require.Equal(t, delivery.StatusOPENED, status)
	require.WithinDuration(t, acked, *arrived, time.Millisecond, "the ack's time stays")
	require.NotNil(t, opened)
	arrived, opened, _ = get(devs[1])
	require.NotNil(t, arrived)
	require.Equal(t, opened.UTC(), arrived.UTC(), "opened without an ack: arrived then too")
	arrived, _, status = get(devs[2])
	require.Equal(t, delivery.StatusIGNORED, status)
	require.NotNil(t, arrived)
}

// An event dated before its message existed (a device's clock in 1970)
// is dated when the delivery was created; a time in the future, now.
func TestEventTimesAreClamped(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) *store.Stores{"postgres": testenv.Stores, "sqlite": testenv.EmbeddedStores} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			eventTimesAreClamped(t, open(t))
		})
	}
}

func eventTimesAreClamped(t *testing.T, st *store.Stores) {
	v, job, devs := statsSetupOn(t, st)
	past := time.Date(1970, 1, 1, 0, 0, 1, 0, time.UTC)
	_, err := v.s.RecordDeviceEventsFor(v.ctx, devs[0], []DeviceEvent{{MessageID: job, Type: EventArrived, At: past}, {MessageID: job, Type: EventOpened, At: past}})
	require.NoError(t, err)
	_, err = v.s.RecordDeviceEventsFor(v.ctx, devs[1], []DeviceEvent{{MessageID: job, Type: EventOpened, At: past}})
	require.NoError(t, err)
	before := time.Now()
	_, err = v.s.RecordDeviceEventsFor(v.ctx, devs[2], []DeviceEvent{{MessageID: job, Type: EventArrived, At: time.Now().Add(24 * time.Hour)}})
	require.NoError(t, err)
	for i, d := range devs[:3] {
		dl, err := v.s.client.Delivery.Query().Where(delivery.JobID(job), delivery.DeviceID(d)).Only(v.ctx)
		require.NoError(t, err)
		require.NotNil(t, dl.ArrivedAt, i)
		require.False(t, dl.ArrivedAt.Before(dl.CreatedAt), "device %d: arrived %v before created %v", i, dl.ArrivedAt, dl.CreatedAt)
		if dl.OpenedAt != nil {
			require.False(t, dl.OpenedAt.Before(dl.CreatedAt), "device %d", i)
		}
		if i < 2 {
			require.WithinDuration(t, dl.CreatedAt, *dl.ArrivedAt, time.Millisecond, "device %d", i)
		} else {
			require.WithinDuration(t, before, *dl.ArrivedAt, time.Minute)
		}
	}
}
