// Package pushdb is the seam between the domain and its database for the
// statements written by hand: those on the pipeline's hot path (one
// statement per batch, with arrays as parameters on PostgreSQL), which
// Ent would say with a bound value per row or not at all. One Executor per
// database implements them, PostgreSQL's and SQLite's, and one
// conformance suite (pushdb_test.go) holds both to the same behaviour.
// Everything else goes through Ent.
package pushdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Querier runs statements: an *ent.Client or an *ent.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Executor runs the hand-written statements on one database.
type Executor interface {
	// Claim moves the PENDING deliveries among c.IDs to SENDING on
	// c.Channel under c.Lease, counting an attempt, and returns those it
	// moved: one statement, so two racing claims split them, never share.
	Claim(ctx context.Context, q Querier, c Claim) ([]Claimed, error)
	// Release moves the deliveries among r.IDs that r.Lease still holds
	// out of SENDING to r.To with r.Why as their last error (SENT also
	// stamps sent_at), and returns how many it moved.
	Release(ctx context.Context, q Querier, r Release) (int, error)
	// InsertFanOut writes one delivery per device of a broadcast chunk,
	// PENDING or claimed (FanOut.Channels); devices that have one already
	// (a repeated chunk) are skipped. It returns how many it wrote, and
	// their IDs in f.Written.
	InsertFanOut(ctx context.Context, q Querier, f *FanOut) (int, error)
	// RefreshCounts recomputes a job's counts from its deliveries and
	// finishes a dispatched job none of whose deliveries waits for a send;
	// it writes, and reports true, only when something changed.
	RefreshCounts(ctx context.Context, q Querier, r Refresh) (bool, error)
}

// FanOut is one chunk of a broadcast's audience.
type FanOut struct {
	AppID, JobID nodeid.ID
	Devices      []nodeid.ID
	ExpiresAt    time.Time
	Now          time.Time
	// IDs, when set, are the deliveries' IDs, one per device; else new
	// ones are made.
	IDs []nodeid.ID
	// Channels, when set, claims the delivery of each device with a
	// channel: it is written SENDING on it under Lease, which runs For
	// (from the database's clock on PostgreSQL), with its first attempt
	// counted. A device without one ("") gets a PENDING delivery.
	Channels []enum.Channel
	Lease    string
	For      time.Duration
	// Written is filled with the IDs of the deliveries the insert wrote.
	Written []nodeid.ID
}

// ids are the deliveries' IDs: the given ones, or new ones.
func (f FanOut) ids() TextArray {
	if len(f.IDs) == len(f.Devices) {
		return IDs(f.IDs)
	}
	return newDeliveryIDs(len(f.Devices))
}

// channel is the claim of the i-th device, "" for none.
func (f FanOut) channel(i int) string {
	if i < len(f.Channels) {
		return string(f.Channels[i])
	}
	return ""
}

// newDeliveryIDs makes n delivery IDs.
func newDeliveryIDs(n int) TextArray {
	ids := make(TextArray, n)
	for i := range ids {
		ids[i] = string(nodeid.New("dlv"))
	}
	return ids
}

// Claim is what Executor.Claim takes.
type Claim struct {
	IDs     []nodeid.ID
	Channel enum.Channel
	Lease   string
	// Now stamps updated_at; the lease runs For from the database's clock
	// (PostgreSQL) or from Now (SQLite, whose clock is the process's).
	Now time.Time
	For time.Duration
	// Expiry, when set, holds the expiries of the deliveries among IDs.
	Expiry Expiry
}

// Claimed is one claimed delivery.
type Claimed struct {
	ID nodeid.ID
	// LastError says why it was pending: a lapsed or released lease
	// makes this claim a possible duplicate at the vendor.
	LastError string
}

// Release is what Executor.Release takes.
type Release struct {
	IDs   []nodeid.ID
	Lease string
	To    delivery.Status
	Why   string
	Now   time.Time
	// Expiry, when set, holds the expiries of the deliveries among IDs.
	Expiry Expiry
}

// For returns the Executor of an Ent dialect (postgres or sqlite3).
func For(dbDialect string) Executor {
	if dbDialect == dialect.Postgres {
		return postgres{}
	}
	return sqlite{}
}

// TextArray is a PostgreSQL text[] parameter.
type TextArray []string

// Value writes the array literal {"a","b"}: every element quoted, with
// its quotes and backslashes escaped.
func (a TextArray) Value() (driver.Value, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for _, r := range s {
			if r == '"' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

// Int64Array is a PostgreSQL bigint[] parameter.
type Int64Array []int64

// Value writes the array literal {1,2}.
func (a Int64Array) Value() (driver.Value, error) {
	b := make([]byte, 0, 2+len(a)*8)
	b = append(b, '{')
	for i, n := range a {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, n, 10)
	}
	return string(append(b, '}')), nil
}

// IDs is ids as a TextArray.
func IDs[T ~string](ids []T) TextArray {
	out := make(TextArray, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

func scanClaimed(rows *sql.Rows, err error) ([]Claimed, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Claimed
	for rows.Next() {
		var c Claimed
		var id string
		if err := rows.Scan(&id, &c.LastError); err != nil {
			return nil, err
		}
		c.ID = nodeid.ID(id)
		out = append(out, c)
	}
	return out, rows.Err()
}

// scanWritten adds the IDs an insert returned to f.Written and returns
// how many there are in all.
func scanWritten(rows *sql.Rows, f *FanOut) (int, error) {
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		f.Written = append(f.Written, nodeid.ID(id))
	}
	return len(f.Written), rows.Err()
}
