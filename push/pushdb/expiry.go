package pushdb

import (
	"strconv"
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

// SQL is the condition on column (a qualified expires_at) as a fragment
// whose arguments are numbered from n, and those arguments: "" and none
// for the zero Expiry.
func (e Expiry) SQL(column string, n int) (string, []any) {
	if e.IsZero() {
		return "", nil
	}
	return " AND " + column + " BETWEEN $" + strconv.Itoa(n) + " AND $" + strconv.Itoa(n+1), []any{e.From.Add(-expirySlack), e.To.Add(expirySlack)}
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
