package push

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
)

// A batch of acks for a few of a broadcast's deliveries reads those rows,
// not the job (see pushdb.Expiry): with one range over the batch's
// expiries, acks after a 6,000-device broadcast were planned as a read of
// the whole job per batch, joined row by row to the acks.
func TestReportsReadTheirRowsNotTheJob(t *testing.T) {
	t.Parallel()
	testenv.EachStatistics(t, reportsReadTheirRows)
}

func reportsReadTheirRows(t *testing.T, stats testenv.Statistics) {
	st := testenv.Stores(t)
	b := testenv.SeedBroadcast(t, st, 20000, stats)
	for name, expiry := range map[string]time.Time{"expiry known": b.ExpiresAt.Add(400 * time.Nanosecond), "expiry unknown": {}} {
		t.Run(name, func(t *testing.T) {
			var reports []DeviceReport
			for i := 2000; i < 2400; i++ {
				reports = append(reports, DeviceReport{DeviceID: nodeid.ID(b.Devices[i]), DeviceEvent: DeviceEvent{
					MessageID: nodeid.ID(b.Deliveries[i]), Type: EventArrived, At: time.Now(), ExpiresAt: expiry}})
			}
			query, args := reportsStatement(EventArrived, reports, time.Now())
			read := testenv.DeliveryRowsRead(t, st, query, args...)
			// At most one pass over the table (which the planner may rightly
			// prefer for a large batch), never one per ack.
			require.LessOrEqual(t, read, 2*len(b.Deliveries)+2*len(reports), "rows read for %d acks of a job of %d", len(reports), len(b.Deliveries))
		})
	}
}
