package pushdb

import (
	"context"

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
