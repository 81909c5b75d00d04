package push

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// TestOpenedImpliesArrived: a device that reports opened (or ignored) with
// no ack before it still has an arrival time, and an ack that came first
// keeps its own.
func TestOpenedImpliesArrived(t *testing.T) {
	t.Parallel()
	v, job, devs := statsSetup(t)
	acked := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
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
