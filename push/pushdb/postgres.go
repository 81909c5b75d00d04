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
	return scanClaimed(q.QueryContext(ctx, `UPDATE `+delivery.Table+` SET status = 'SENDING', channel = $1, lease_owner = $2,
  lease_until = now() + $3 * interval '1 millisecond', updated_at = $4, attempts = attempts + 1
WHERE id = ANY($5::text[]) AND status = 'PENDING'
RETURNING id, last_error`, string(c.Channel), c.Lease, c.For.Milliseconds(), c.Now, IDs(c.IDs)))
}

func (postgres) Release(ctx context.Context, q Querier, r Release) (int, error) {
	if len(r.IDs) == 0 {
		return 0, nil
	}
	res, err := q.ExecContext(ctx, `UPDATE `+delivery.Table+` SET status = $1, last_error = $2, updated_at = $3,
  sent_at = CASE WHEN $6 THEN $3 ELSE sent_at END, lease_owner = NULL, lease_until = NULL
WHERE id = ANY($4::text[]) AND status = 'SENDING' AND lease_owner = $5`,
		r.To.String(), r.Why, r.Now, IDs(r.IDs), r.Lease, r.To == delivery.StatusSENT)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (postgres) InsertFanOut(ctx context.Context, q Querier, f FanOut) error {
	if len(f.Devices) == 0 {
		return nil
	}
	_, err := q.ExecContext(ctx, `INSERT INTO `+delivery.Table+` (id, app_id, job_id, device_id, expires_at, created_at, updated_at, status, attempts, last_error)
SELECT unnest($1::text[]), $2, $3, unnest($4::text[]), $5, $6, $6, 'PENDING', 0, ''
ON CONFLICT (job_id, device_id) DO NOTHING`,
		newDeliveryIDs(len(f.Devices)), string(f.AppID), string(f.JobID), IDs(f.Devices), f.ExpiresAt, f.Now)
	return err
}

func (postgres) RefreshCounts(ctx context.Context, q Querier, r Refresh) (bool, error) {
	return refreshCounts(ctx, q, refreshCountsSQL, r)
}
