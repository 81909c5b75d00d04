package deliver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
)

// A self-channel claim of a few of a broadcast's deliveries reads those
// rows, not the job (see pushdb.Expiry): with one range over the batch's
// expiries and status PENDING, it was planned as a read of the job's
// PENDING rows by expiry, once per batch.
func TestSelfClaimReadsItsRowsNotTheJob(t *testing.T) {
	t.Parallel()
	testenv.EachStatistics(t, func(t *testing.T, stats testenv.Statistics) {
		st := testenv.Stores(t)
		b := testenv.SeedBroadcast(t, st, 20000, stats)
		var devices, ids []nodeid.ID
		var expiries []time.Time
		for i := 3000; i < 3010; i++ {
			devices, ids = append(devices, nodeid.ID(b.Devices[i])), append(ids, nodeid.ID(b.Deliveries[i]))
			expiries = append(expiries, b.ExpiresAt)
		}
		query, args := claimSelfStatement(devices, ids, expiries, time.Now())
		read := testenv.DeliveryRowsRead(t, st, query, args...)
		require.Less(t, read, len(b.Deliveries)/10, "rows read to claim %d of a job of %d", len(ids), len(b.Deliveries))
	})
}
