package pushdb

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
)

// A claim or release of a few of a broadcast's deliveries reads those
// rows, not the job: every delivery of a broadcast has one expiry, and a
// statement that bounded its IDs with one range over it was planned as a
// read of the whole job by expiry, once per batch (see Expiry).
func TestClaimAndReleaseReadTheirRowsNotTheJob(t *testing.T) {
	t.Parallel()
	testenv.EachStatistics(t, claimAndReleaseReadTheirRows)
}

func claimAndReleaseReadTheirRows(t *testing.T, stats testenv.Statistics) {
	st := testenv.Stores(t)
	b := testenv.SeedBroadcast(t, st, 20000, stats)
	ids := make([]nodeid.ID, 0, 10)
	for _, id := range b.Deliveries[1000:1010] {
		ids = append(ids, nodeid.ID(id))
	}
	expiry := ExpiryOf(b.ExpiresAt.Add(400 * time.Nanosecond))
	for name, statement := range map[string]func() (string, []any){
		"claim": func() (string, []any) {
			return claimSQL(Claim{IDs: ids, Channel: enum.ChannelFCM, Lease: "l", Now: time.Now(), For: time.Minute, Expiry: expiry})
		},
		"claim, expiry unknown": func() (string, []any) {
			return claimSQL(Claim{IDs: ids, Channel: enum.ChannelFCM, Lease: "l", Now: time.Now(), For: time.Minute})
		},
		"release": func() (string, []any) {
			return releaseSQL(Release{IDs: ids, Lease: "l", To: delivery.StatusSENT, Now: time.Now(), Expiry: expiry})
		},
	} {
		t.Run(name, func(t *testing.T) {
			query, args := statement()
			read := testenv.DeliveryRowsRead(t, st, query, args...)
			require.Less(t, read, len(b.Deliveries)/10, "rows read for %d named of a job of %d", len(ids), len(b.Deliveries))
		})
	}
}
