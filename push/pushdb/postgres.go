package pushdb

import (
	"context"

	"github.com/pushd/pushd/ent/delivery"
)

// postgres passes IDs as one text[] parameter, so that a statement is
// parsed and planned once per batch, whatever its size, and takes the
// lease's end from the database's clock, which every node shares.
type postgres struct{}

func (postgres) Claim(ctx context.Context, q Querier, c Claim) ([]Claimed, error) {
	if len(c.IDs) == 0 {
		return nil, nil
	}
	query, args := claimSQL(c)
	return scanClaimed(q.QueryContext(ctx, query, args...))
}

// claimSQL is the statement of Claim and its arguments. Its IDs are
// joined from unnest, each with the bounds of Expiry and the status it
// must have (see Expiry).
func claimSQL(c Claim) (string, []any) {
	lo, hi := c.Expiry.Rows(len(c.IDs))
	return `UPDATE ` + delivery.Table + ` AS d SET status = 'SENDING', channel = $1, lease_owner = $2,
  lease_until = now() + $3 * interval '1 millisecond', updated_at = $4, attempts = d.attempts + 1
FROM unnest($5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[]) AS k(id, lo, hi, status)
WHERE d.id = k.id AND d.expires_at BETWEEN k.lo AND k.hi AND d.status = k.status
RETURNING d.id, d.last_error`, []any{string(c.Channel), c.Lease, c.For.Milliseconds(), c.Now, IDs(c.IDs), lo, hi,
			Repeat(delivery.StatusPENDING.String(), len(c.IDs))}
}

func (postgres) Release(ctx context.Context, q Querier, r Release) (int, error) {
	if len(r.IDs) == 0 {
		return 0, nil
	}
	query, args := releaseSQL(r)
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// releaseSQL is the statement of Release and its arguments, its IDs
// joined from unnest as claimSQL's.
func releaseSQL(r Release) (string, []any) {
	lo, hi := r.Expiry.Rows(len(r.IDs))
	return `UPDATE ` + delivery.Table + ` AS d SET status = $1, last_error = $2, updated_at = $3,
  sent_at = CASE WHEN $6 THEN $3 ELSE d.sent_at END, lease_owner = NULL, lease_until = NULL
FROM unnest($4::text[], $7::timestamptz[], $8::timestamptz[], $9::text[]) AS k(id, lo, hi, status)
WHERE d.id = k.id AND d.expires_at BETWEEN k.lo AND k.hi AND d.status = k.status AND d.lease_owner = $5`,
		[]any{r.To.String(), r.Why, r.Now, IDs(r.IDs), r.Lease, r.To == delivery.StatusSENT, lo, hi,
			Repeat(delivery.StatusSENDING.String(), len(r.IDs))}
}

func (postgres) InsertFanOut(ctx context.Context, q Querier, f *FanOut) (int, error) {
	if len(f.Devices) == 0 {
		return 0, nil
	}
	channels := make(TextArray, len(f.Devices))
	for i := range channels {
		channels[i] = f.channel(i)
	}
	rows, err := q.QueryContext(ctx, `INSERT INTO `+delivery.Table+` (id, app_id, job_id, device_id, expires_at, created_at, updated_at,
  status, attempts, last_error, channel, lease_owner, lease_until)
SELECT r.id, $2, $3, r.dev, $5, $6, $6,
  CASE WHEN r.ch = '' THEN 'PENDING' ELSE 'SENDING' END, CASE WHEN r.ch = '' THEN 0 ELSE 1 END, '',
  NULLIF(r.ch, ''), CASE WHEN r.ch = '' THEN NULL ELSE $7 END,
  CASE WHEN r.ch = '' THEN NULL ELSE now() + $8 * interval '1 millisecond' END
FROM unnest($1::text[], $4::text[], $9::text[]) AS r(id, dev, ch)
ON CONFLICT (job_id, device_id, expires_at) DO NOTHING
RETURNING id`,
		f.ids(), string(f.AppID), string(f.JobID), IDs(f.Devices), f.ExpiresAt, f.Now, f.Lease, f.For.Milliseconds(), channels)
	if err != nil {
		return 0, err
	}
	return scanWritten(rows, f)
}

func (postgres) RefreshCounts(ctx context.Context, q Querier, r Refresh) (bool, error) {
	return refreshCounts(ctx, q, refreshCountsSQL, r)
}
