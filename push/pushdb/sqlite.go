package pushdb

import (
	"context"
	"strings"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// sqlite is the single-process embedded mode: its clock is the process's,
// and IDs are bound one by one (SQLite has no arrays).
type sqlite struct{}

func (sqlite) Claim(ctx context.Context, q Querier, c Claim) ([]Claimed, error) {
	if len(c.IDs) == 0 {
		return nil, nil
	}
	query, args := sql.Dialect(dialect.SQLite).Update(delivery.Table).
		Set(delivery.FieldStatus, delivery.StatusSENDING.String()).
		Set(delivery.FieldChannel, string(c.Channel)).
		Set(delivery.FieldLeaseOwner, c.Lease).
		Set(delivery.FieldLeaseUntil, c.Now.Add(c.For)).
		Set(delivery.FieldUpdatedAt, c.Now).
		Add(delivery.FieldAttempts, 1).
		Where(sql.And(sql.In(delivery.FieldID, anys(c.IDs)...), sql.EQ(delivery.FieldStatus, delivery.StatusPENDING.String()))).
		Returning(delivery.FieldID, delivery.FieldLastError).
		Query()
	return scanClaimed(q.QueryContext(ctx, query, args...))
}

func (sqlite) Release(ctx context.Context, q Querier, r Release) (int, error) {
	if len(r.IDs) == 0 {
		return 0, nil
	}
	upd := sql.Dialect(dialect.SQLite).Update(delivery.Table).
		Set(delivery.FieldStatus, r.To.String()).
		Set(delivery.FieldLastError, r.Why).
		Set(delivery.FieldUpdatedAt, r.Now).
		SetNull(delivery.FieldLeaseOwner).
		SetNull(delivery.FieldLeaseUntil)
	if r.To == delivery.StatusSENT {
		upd.Set(delivery.FieldSentAt, r.Now)
	}
	query, args := upd.Where(sql.And(
		sql.In(delivery.FieldID, anys(r.IDs)...),
		sql.EQ(delivery.FieldStatus, delivery.StatusSENDING.String()),
		sql.EQ(delivery.FieldLeaseOwner, r.Lease),
	)).Query()
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func anys(ids []nodeid.ID) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// fanOutRows bounds the rows of one insert: SQLite binds at most 32,766
// values per statement, and 1,000 rows of ten columns stay well under it.
const fanOutRows = 1000

func (sqlite) InsertFanOut(ctx context.Context, q Querier, f *FanOut) (int, error) {
	ids := f.ids()
	for start := 0; start < len(f.Devices); start += fanOutRows {
		end := min(start+fanOutRows, len(f.Devices))
		ins := sql.Dialect(dialect.SQLite).Insert(delivery.Table).Columns(
			delivery.FieldID, delivery.FieldAppID, delivery.FieldJobID, delivery.FieldDeviceID, delivery.FieldExpiresAt,
			delivery.FieldCreatedAt, delivery.FieldUpdatedAt, delivery.FieldStatus, delivery.FieldAttempts, delivery.FieldLastError,
			delivery.FieldChannel, delivery.FieldLeaseOwner, delivery.FieldLeaseUntil)
		for i := start; i < end; i++ {
			status, attempts, channel, owner, until := delivery.StatusPENDING.String(), 0, any(nil), any(nil), any(nil)
			if c := f.channel(i); c != "" {
				status, attempts, channel, owner, until = delivery.StatusSENDING.String(), 1, c, f.Lease, f.Now.Add(f.For)
			}
			ins.Values(ids[i], string(f.AppID), string(f.JobID), string(f.Devices[i]), f.ExpiresAt, f.Now, f.Now, status, attempts, "", channel, owner, until)
		}
		query, args := ins.OnConflict(sql.ConflictColumns(delivery.FieldJobID, delivery.FieldDeviceID, delivery.FieldExpiresAt), sql.DoNothing()).Returning(delivery.FieldID).Query()
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return 0, err
		}
		if _, err := scanWritten(rows, f); err != nil {
			return 0, err
		}
	}
	return len(f.Written), nil
}

// RefreshCounts runs PostgreSQL's statement with SQLite's ?n parameters
// (SQLite 3.33+ takes UPDATE … FROM and FILTER).
func (sqlite) RefreshCounts(ctx context.Context, q Querier, r Refresh) (bool, error) {
	return refreshCounts(ctx, q, strings.ReplaceAll(refreshCountsSQL, "$", "?"), r)
}
