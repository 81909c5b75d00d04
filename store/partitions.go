package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"ariga.io/atlas/sql/postgres"
	atlas "ariga.io/atlas/sql/schema"
	entschema "entgo.io/ent/dialect/sql/schema"
	"github.com/lib/pq"

	"github.com/pushd/pushd/ent/delivery"
)

// On PostgreSQL the deliveries table, the one that grows with every push,
// is partitioned by range of expires_at (docs/delivery-history.md):
//
//   - every delivery of a job has the job's expires_at, so a job's
//     deliveries share a partition, and the ledger's unique key (job,
//     device) can hold per partition, which is all PostgreSQL allows;
//   - a partition is dropped whole once everything in it expired longer
//     ago than the retention, instead of deleting rows one by one;
//   - a delivery is never dropped before it expired, however far ahead it
//     was scheduled.
//
// The partitions are one per period of History.Partition, counted from
// 0001-01-01 UTC as time.Truncate does (weekly ones start on Mondays), named after the day they start (deliveries_p20261203),
// created a few periods ahead; deliveries_future takes everything past
// them, so no insert ever lacks a partition, and is split when the next
// period's partition is made. A table from before partitioning becomes
// deliveries_legacy, the partition of everything up to where the others
// start.
const (
	futurePartition = delivery.Table + "_future"
	legacyPartition = delivery.Table + "_legacy"
	periodPrefix    = delivery.Table + "_p"
	// ExpiryCovered is how far past now the partitions reach, at least:
	// the longest TTL (30 days) and a day. A push due now, whatever its
	// TTL, then never lands in deliveries_future, which only takes the
	// deliveries of pushes scheduled further ahead (written as they are
	// accepted), and a split has few rows to move.
	ExpiryCovered = 31 * 24 * time.Hour
	// partitionLockTimeout bounds the wait for the table's lock: creating
	// or dropping a partition locks the whole table for a moment, and a
	// wait behind a long transaction would queue every delivery behind it.
	// The next run tries again.
	partitionLockTimeout = "3s"
)

// History says how long deliveries are kept and how they are
// partitioned.
type History struct {
	// Partition is the width of a partition of deliveries, whole days
	// (PostgreSQL only; default DefaultPartition).
	Partition time.Duration
	// Retention is how long a delivery is kept after it expires (default
	// DefaultRetention).
	Retention time.Duration
}

// Defaults of History.
const (
	DefaultPartition = 7 * 24 * time.Hour
	DefaultRetention = 30 * 24 * time.Hour
)

func (h History) withDefaults() History {
	if h.Partition <= 0 {
		h.Partition = DefaultPartition
	}
	if h.Retention <= 0 {
		h.Retention = DefaultRetention
	}
	return h
}

// periodStart is the start of the period t falls in.
func (h History) periodStart(t time.Time) time.Time {
	return t.UTC().Truncate(h.Partition)
}

// partitionDeliveries is the migration's diff hook: the deliveries table
// is declared partitioned by expires_at, with expires_at in its primary
// key (PostgreSQL wants the partition key in every unique key), so that a
// new database gets it so and an existing one is not asked to change;
// and without foreign keys, which an existing database drops.
func partitionDeliveries(next entschema.Differ) entschema.Differ {
	return entschema.DiffFunc(func(current, desired *atlas.Schema) ([]atlas.Change, error) {
		if t, ok := desired.Table(delivery.Table); ok {
			expires, ok := t.Column(delivery.FieldExpiresAt)
			if !ok {
				return nil, fmt.Errorf("migrate: %s has no %s to partition by", delivery.Table, delivery.FieldExpiresAt)
			}
			if !slices.ContainsFunc(t.Attrs, func(a atlas.Attr) bool { _, ok := a.(*postgres.Partition); return ok }) {
				t.AddAttrs(&postgres.Partition{T: postgres.PartitionTypeRange, Parts: []*postgres.PartitionPart{{C: expires}}})
			}
			if pk := t.PrimaryKey; pk != nil && len(pk.Parts) == 1 {
				pk.Parts = append(pk.Parts, &atlas.IndexPart{SeqNo: 1, C: expires})
			}
			// No foreign keys: each would cost every insert a look-up and a
			// row lock of its parent (the app, the job, the device), which
			// a broadcast takes once per delivery, dirtying every device's
			// page. What they did on delete is done in code: deleting an
			// app deletes its deliveries, and a job goes only after its
			// deliveries' partition did (KeepHistory).
			t.ForeignKeys = nil
		}
		return next.Diff(current, desired)
	})
}

// partition is one partition of deliveries: [from, to), a zero from for
// the first one (MINVALUE), a zero to for the future one (MAXVALUE).
type partition struct {
	name     string
	from, to time.Time
}

// partitionBound reads pg_get_expr's "FOR VALUES FROM (…) TO (…)".
var partitionBound = regexp.MustCompile(`FROM \((.*)\) TO \((.*)\)`)

// partitions lists the partitions of deliveries, oldest first. tx must
// have TimeZone set to UTC.
func partitions(ctx context.Context, tx *sql.Tx) ([]partition, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = to_regclass($1)`, delivery.Table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []partition
	for rows.Next() {
		var p partition
		var bound string
		if err := rows.Scan(&p.name, &bound); err != nil {
			return nil, err
		}
		m := partitionBound.FindStringSubmatch(bound)
		if m == nil {
			return nil, fmt.Errorf("partition %s: unexpected bound %q", p.name, bound)
		}
		if p.from, err = boundTime(m[1]); err != nil {
			return nil, fmt.Errorf("partition %s: %w", p.name, err)
		}
		if p.to, err = boundTime(m[2]); err != nil {
			return nil, fmt.Errorf("partition %s: %w", p.name, err)
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b partition) int { return a.from.Compare(b.from) })
	return out, rows.Err()
}

// boundTime parses one side of a range bound: a zero time for MINVALUE
// and MAXVALUE.
func boundTime(s string) (time.Time, error) {
	if s == "MINVALUE" || s == "MAXVALUE" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02 15:04:05-07", strings.Trim(s, "'"))
	if err != nil {
		return time.Time{}, fmt.Errorf("unexpected bound %q", s)
	}
	return t.UTC(), nil
}

// boundSQL writes one side of a range bound; zero is unbounded (MINVALUE
// or MAXVALUE, as given).
func boundSQL(t time.Time, unbounded string) string {
	if t.IsZero() {
		return unbounded
	}
	return "'" + t.UTC().Format("2006-01-02 15:04:05Z07:00") + "'"
}

func periodName(from time.Time) string { return periodPrefix + from.UTC().Format("20060102") }

// ensurePartitions makes sure deliveries has a partition for each period
// up to the one ExpiryCovered past now, then deliveries_future: at first, or
// by splitting deliveries_future, whose rows in the new periods move to
// their partitions.
func (h History) ensurePartitions(ctx context.Context, tx *sql.Tx, now time.Time) error {
	parts, err := partitions(ctx, tx)
	if err != nil {
		return err
	}
	until := h.periodStart(now.Add(ExpiryCovered)).Add(h.Partition)
	if len(parts) == 0 {
		// The first partition also takes whatever expires before it (a
		// node whose clock is behind, a push with no TTL): no insert ever
		// lacks a partition.
		first := h.periodStart(now)
		if err := createPartition(ctx, tx, periodName(first), time.Time{}, first.Add(h.Partition)); err != nil {
			return err
		}
		return h.makePeriods(ctx, tx, first.Add(h.Partition), until)
	}
	future := parts[len(parts)-1]
	if !future.to.IsZero() {
		// Only the legacy partition, just attached.
		return h.makePeriods(ctx, tx, future.to, maxTime(until, future.to))
	}
	if future.name != futurePartition {
		return fmt.Errorf("%s: the last partition is %s, not %s", delivery.Table, future.name, futurePartition)
	}
	if !future.from.Before(until) {
		return nil
	}
	// The bounds of a partition cannot change: deliveries_future is taken
	// out, the new periods and a new deliveries_future made, and the
	// rows of the old one put back through the parent, which routes them.
	detached := futurePartition + "_split"
	for _, stmt := range []string{
		`ALTER TABLE ` + delivery.Table + ` DETACH PARTITION ` + futurePartition,
		`ALTER TABLE ` + futurePartition + ` RENAME TO ` + detached,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("split %s: %w", futurePartition, err)
		}
	}
	if err := h.makePeriods(ctx, tx, future.from, until); err != nil {
		return err
	}
	// deliveries_future is only ever made by PARTITION OF, and columns
	// are only ever added to the parent (which adds them to every
	// partition, last): its columns are the parent's, in order.
	for _, stmt := range []string{
		`INSERT INTO ` + delivery.Table + ` SELECT * FROM ` + detached,
		`DROP TABLE ` + detached,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("split %s: %w", futurePartition, err)
		}
	}
	return nil
}

// makePeriods creates the partitions of the periods from from to until,
// then deliveries_future from until on.
func (h History) makePeriods(ctx context.Context, tx *sql.Tx, from, until time.Time) error {
	for p := from; p.Before(until); p = p.Add(h.Partition) {
		if err := createPartition(ctx, tx, periodName(p), p, p.Add(h.Partition)); err != nil {
			return err
		}
	}
	return createPartition(ctx, tx, futurePartition, until, time.Time{})
}

func createPartition(ctx context.Context, tx *sql.Tx, name string, from, to time.Time) error {
	_, err := tx.ExecContext(ctx, `CREATE TABLE `+name+` PARTITION OF `+delivery.Table+
		` FOR VALUES FROM (`+boundSQL(from, "MINVALUE")+`) TO (`+boundSQL(to, "MAXVALUE")+`)`)
	if err != nil {
		return fmt.Errorf("create partition %s: %w", name, err)
	}
	return nil
}

// dropExpired drops the partitions whose every delivery expired longer
// ago than the retention, and returns their names and the start of what
// is left (zero while the first partition, which has no start, is left).
func (h History) dropExpired(ctx context.Context, tx *sql.Tx, now time.Time) ([]string, time.Time, error) {
	parts, err := partitions(ctx, tx)
	if err != nil {
		return nil, time.Time{}, err
	}
	cutoff := now.Add(-h.Retention)
	var dropped []string
	for _, p := range parts {
		if p.to.IsZero() || p.to.After(cutoff) {
			return dropped, p.from, nil
		}
		if _, err := tx.ExecContext(ctx, `DROP TABLE `+p.name); err != nil {
			return dropped, time.Time{}, fmt.Errorf("drop partition %s: %w", p.name, err)
		}
		dropped = append(dropped, p.name)
	}
	return dropped, time.Time{}, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// adoptPlainTable readies a deliveries table from before partitioning to
// become a partition of the partitioned one the migration then makes: it
// is renamed deliveries_legacy, and its primary key and indexes, named as
// the new table's will be, are dropped (attaching it builds them again, in
// the partitioned table's form). Its foreign keys stay: attaching adopts
// them. It reports whether there was such a table.
func adoptPlainTable(ctx context.Context, tx *sql.Tx) (bool, error) {
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)`, delivery.Table).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != "r") {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `ALTER TABLE `+delivery.Table+` RENAME TO `+legacyPartition); err != nil {
		return false, err
	}
	var pkey string
	if err := tx.QueryRowContext(ctx, `SELECT conname FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'p'`, legacyPartition).Scan(&pkey); err != nil {
		return false, fmt.Errorf("primary key of %s: %w", legacyPartition, err)
	}
	if _, err := tx.ExecContext(ctx, `ALTER TABLE `+legacyPartition+` DROP CONSTRAINT `+pq.QuoteIdentifier(pkey)); err != nil {
		return false, err
	}
	drops, err := stringsOf(ctx, tx, `SELECT 'DROP INDEX ' || quote_ident(c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass($1)`, legacyPartition)
	if err != nil {
		return false, err
	}
	return true, execEach(ctx, tx, drops)
}

// dropPartitionForeignKeys drops the foreign keys a partition of
// deliveries has of its own: those of a table from before partitioning,
// which it kept when it was attached. The partitioned table's own are
// gone with the migration's diff (partitionDeliveries), and with them the
// copies its partitions inherited.
func dropPartitionForeignKeys(ctx context.Context, tx *sql.Tx) error {
	drops, err := stringsOf(ctx, tx, `SELECT 'ALTER TABLE ' || c.conrelid::regclass::text || ' DROP CONSTRAINT ' || quote_ident(c.conname) FROM pg_constraint c
WHERE c.contype = 'f' AND c.conparentid = 0 AND c.conrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass($1))`, delivery.Table)
	if err != nil {
		return err
	}
	return execEach(ctx, tx, drops)
}

// stringsOf runs a query of one text column and returns its rows.
func stringsOf(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// execEach runs statements one after another in tx.
func execEach(ctx context.Context, tx *sql.Tx, statements []string) error {
	for _, stmt := range statements {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// attachLegacy makes deliveries_legacy the partition of everything that
// expires before the period after its last expiry (at least now's):
// attaching checks every row against that bound and builds the
// partitioned table's indexes on it.
func (h History) attachLegacy(ctx context.Context, tx *sql.Tx, now time.Time) error {
	var last sql.NullTime
	if err := tx.QueryRowContext(ctx, `SELECT max(`+delivery.FieldExpiresAt+`) FROM `+legacyPartition).Scan(&last); err != nil {
		return err
	}
	bound := h.periodStart(now)
	if last.Valid && !last.Time.Before(bound) {
		bound = h.periodStart(last.Time).Add(h.Partition)
	}
	_, err := tx.ExecContext(ctx, `ALTER TABLE `+delivery.Table+` ATTACH PARTITION `+legacyPartition+
		` FOR VALUES FROM (MINVALUE) TO (`+boundSQL(bound, "MAXVALUE")+`)`)
	if err != nil {
		return fmt.Errorf("attach %s: %w", legacyPartition, err)
	}
	return nil
}
