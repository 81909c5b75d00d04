package deliver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
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
		var ds []*ent.Delivery
		var seqs []int64
		for i := 3000; i < 3010; i++ {
			ds = append(ds, &ent.Delivery{ID: nodeid.ID(b.Deliveries[i]), ExpiresAt: b.ExpiresAt})
			seqs = append(seqs, 1)
		}
		query, args := claimSelfStatement(ds, seqs, time.Now())
		read := testenv.DeliveryRowsRead(t, st, query, args...)
		require.Less(t, read, len(b.Deliveries)/10, "rows read to claim %d of a job of %d", len(ds), len(b.Deliveries))
	})
}
