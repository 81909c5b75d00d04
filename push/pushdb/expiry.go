package pushdb

import (
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent/delivery"
)

// Expiry bounds the expiries of the deliveries a statement names by ID.
//
// On PostgreSQL deliveries are partitioned by expiry. A statement that
// names its rows by ID alone cannot tell the planner their partition, so
// it is planned and run over every partition: for one row, that costs more
// than the update itself. With the bounds as parameters the planner prunes
// the partitions outside them before it plans. The zero Expiry bounds
// nothing, and SQLite, whose table is not partitioned, ignores it.
//
// A statement that names one row bounds it with Predicate. A statement
// that names many must not bound them all with one range: every delivery
// of a broadcast has the same expiry, and a range that holds it looks to
// the planner like a few rows, so it may read the whole job by expiry and
// filter the IDs out of it, for each batch (a quadratic cost, measured at
// several seconds per batch of acks in a 6,000-device broadcast). A
// status the rows must have misleads it the same way, through the partial
// indexes on status: right after a broadcast, the PENDING rows it takes
// for few are the whole job. Such a statement joins its IDs from unnest
// with each row's own bounds (Rows, RowBounds) and status (Repeat)
// instead: they are join conditions then, which no index serves alone, so
// the planner probes the primary key (id, expires_at) row by row, and
// PostgreSQL prunes the partitions for each row as it runs.
type Expiry struct {
	From, To time.Time
}

// expirySlack widens the bounds on each side: PostgreSQL keeps
// microseconds and rounds, so an expiry that never went through the
// database may differ from the stored one below a microsecond.
const expirySlack = time.Millisecond

// ExpiryOf is the smallest Expiry holding every one of ts.
func ExpiryOf(ts ...time.Time) Expiry {
	var e Expiry
	for _, t := range ts {
		if t.IsZero() {
			continue
		}
		if e.From.IsZero() || t.Before(e.From) {
			e.From = t
		}
		if e.To.IsZero() || t.After(e.To) {
			e.To = t
		}
	}
	return e
}

// IsZero reports whether e bounds nothing.
func (e Expiry) IsZero() bool { return e.From.IsZero() || e.To.IsZero() }

// Rows is e's bounds for each of n rows, as the low and high bound arrays
// (timestamptz[]) of a statement that joins the rows it names from unnest:
// infinite for the zero Expiry.
func (e Expiry) Rows(n int) (lo, hi TextArray) {
	from, to := e.bounds()
	lo, hi = make(TextArray, n), make(TextArray, n)
	for i := range n {
		lo[i], hi[i] = from, to
	}
	return lo, hi
}

// RowBounds is Rows with each row's own expiry: ts[i] bounds row i, and a
// zero one leaves it unbounded.
func RowBounds(ts []time.Time) (lo, hi TextArray) {
	lo, hi = make(TextArray, len(ts)), make(TextArray, len(ts))
	for i, t := range ts {
		lo[i], hi[i] = ExpiryOf(t).bounds()
	}
	return lo, hi
}

// Repeat is n copies of s, for a column of a statement's unnest.
func Repeat(s string, n int) TextArray {
	a := make(TextArray, n)
	for i := range a {
		a[i] = s
	}
	return a
}

// bounds is e widened by the slack, as timestamptz literals.
func (e Expiry) bounds() (lo, hi string) {
	if e.IsZero() {
		return "-infinity", "infinity"
	}
	return e.From.Add(-expirySlack).UTC().Format(time.RFC3339Nano), e.To.Add(expirySlack).UTC().Format(time.RFC3339Nano)
}

// Predicate is e as a condition for statements built with Ent's SQL
// builder on a database of dbDialect: nil for the zero Expiry, and on
// SQLite, whose table is not partitioned (and whose times, stored as
// text, would not compare with the widened bounds).
func (e Expiry) Predicate(dbDialect string) *sql.Predicate {
	if e.IsZero() || dbDialect != dialect.Postgres {
		return nil
	}
	return sql.And(sql.GTE(delivery.FieldExpiresAt, e.From.Add(-expirySlack)), sql.LTE(delivery.FieldExpiresAt, e.To.Add(expirySlack)))
}
