package pushdb_test

import (
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/pushdb"
)

func TestExpiryOf(t *testing.T) {
	t.Parallel()
	a := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	b := a.Add(time.Hour)
	for _, tc := range []struct {
		name string
		in   []time.Time
		want pushdb.Expiry
	}{
		{"none", nil, pushdb.Expiry{}},
		{"only zero times", []time.Time{{}, {}}, pushdb.Expiry{}},
		{"one", []time.Time{a}, pushdb.Expiry{From: a, To: a}},
		{"out of order, zero skipped", []time.Time{b, {}, a, b}, pushdb.Expiry{From: a, To: b}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := pushdb.ExpiryOf(tc.in...)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.want.IsZero(), got.Predicate(dialect.Postgres) == nil)
			require.Nil(t, got.Predicate(dialect.SQLite), "no partitions there")
		})
	}
}

// On PostgreSQL, a statement by one ID that carries its row's expiry
// plans and locks only its partition: the planner prunes the others
// before it plans, and a pruned partition is not locked. Statements by
// many IDs bound each row in the join instead (see pushdb.Expiry): they
// find their rows with an expiry off by less than a microsecond
// (PostgreSQL rounds what it stores), and none with another expiry.
func TestExpiryBoundsFindTheirRows(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testenv.Stores(t))
	stored := f.get(t, f.ids[0]).ExpiresAt
	expiry := pushdb.ExpiryOf(stored.Add(400 * time.Nanosecond))

	got, err := f.db.Claim(f.ctx, f.client, pushdb.Claim{IDs: f.ids[:2], Channel: enum.ChannelFCM, Lease: "l0", Now: f.now, For: time.Minute,
		Expiry: pushdb.ExpiryOf(stored.Add(time.Hour))})
	require.NoError(t, err)
	require.Empty(t, got, "another expiry holds none of them")

	got, err = f.db.Claim(f.ctx, f.client, pushdb.Claim{IDs: f.ids[:2], Channel: enum.ChannelFCM, Lease: "l1", Now: f.now, For: time.Minute, Expiry: expiry})
	require.NoError(t, err)
	require.Len(t, got, 2, "the bound holds the rows")
	n, err := f.db.Release(f.ctx, f.client, pushdb.Release{IDs: f.ids[:2], Lease: "l1", To: delivery.StatusSENT, Now: f.now, Expiry: expiry})
	require.NoError(t, err)
	require.Equal(t, 2, n)

	tx := f.begin(t)
	n, err = tx.Delivery.Update().Where(delivery.ID(f.ids[2]), func(s *sql.Selector) { s.Where(expiry.Predicate(dialect.Postgres)) }).
		SetLastError("x").Save(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n, "the predicate holds the row")
	require.Len(t, f.partitionsLocked(t, tx), 1, "one partition planned and locked")
	require.NoError(t, tx.Rollback())

	tx = f.begin(t)
	_, err = tx.Delivery.Update().Where(delivery.ID(f.ids[2])).SetLastError("x").Save(f.ctx)
	require.NoError(t, err)
	require.Greater(t, len(f.partitionsLocked(t, tx)), 2, "by ID alone, every partition")
	require.NoError(t, tx.Rollback())
}

func (f fixture) begin(t *testing.T) *ent.Tx {
	tx, err := f.client.Tx(f.ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tx.Rollback() })
	return tx
}

// partitionsLocked lists the partitions of deliveries (not their indexes)
// that tx holds a lock on.
func (f fixture) partitionsLocked(t *testing.T, tx *ent.Tx) []string {
	rows, err := tx.QueryContext(f.ctx, `SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
WHERE l.pid = pg_backend_pid() AND c.relkind = 'r' AND c.relispartition AND c.relname LIKE 'deliveries\_%'`)
	require.NoError(t, err)
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		names = append(names, n)
	}
	require.NoError(t, rows.Err())
	return names
}
