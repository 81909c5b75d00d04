package pushdb

import (
	"context"
	"errors"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Refresh is what Executor.RefreshCounts takes.
type Refresh struct {
	Job nodeid.ID
	Now time.Time
	// Resends are the last errors of a PENDING delivery that waits to be
	// sent again (a vendor's retry, a lapsed or released lease): exactly
	// three.
	Resends []string
}

// refreshCounts runs refreshCountsSQL, numbered for the database.
func refreshCounts(ctx context.Context, q Querier, query string, r Refresh) (bool, error) {
	if len(r.Resends) != 3 {
		return false, errors.New("refresh counts: want three resend reasons")
	}
	rows, err := q.QueryContext(ctx, query, string(r.Job), r.Now, r.Resends[0], r.Resends[1], r.Resends[2])
	if err != nil {
		return false, err
	}
	changed := rows.Next()
	return changed, errors.Join(rows.Err(), rows.Close())
}

// refreshCountsSQL counts a job's device deliveries by status and stores the
// counts (pending includes SENDING: not yet accepted), with DONE once the
// job is dispatched and pushd owes none of its deliveries a send: none
// waits for its first attempt, is in flight (SENDING), or waits to be sent
// again (a vendor's retry, a lapsed or released lease). A delivery that
// waits only for its device to connect does not hold the job open. It
// returns a row only if it changed the job.
const refreshCountsSQL = `UPDATE push_jobs SET
  count_targeted = c.t, count_pending = c.pending, count_sent = c.sent, count_arrived = c.arrived,
  count_opened = c.opened, count_ignored = c.ignored, count_failed = c.failed, count_expired = c.expired,
  count_revoked = c.revoked,
  status = CASE WHEN push_jobs.status = 'SENDING' AND push_jobs.dispatched_at IS NOT NULL AND c.fresh = 0 THEN 'DONE' ELSE push_jobs.status END,
  finished_at = CASE WHEN push_jobs.status = 'SENDING' AND push_jobs.dispatched_at IS NOT NULL AND c.fresh = 0 THEN $2 ELSE push_jobs.finished_at END,
  updated_at = $2
FROM (SELECT count(*) AS t,
  count(*) FILTER (WHERE status IN ('PENDING', 'SENDING')) AS pending,
  count(*) FILTER (WHERE status = 'SENDING' OR (status = 'PENDING' AND (attempts = 0 OR last_error IN ($3, $4, $5)))) AS fresh,
  count(*) FILTER (WHERE status = 'SENT') AS sent,
  count(*) FILTER (WHERE status = 'ARRIVED') AS arrived,
  count(*) FILTER (WHERE status = 'OPENED') AS opened,
  count(*) FILTER (WHERE status = 'IGNORED') AS ignored,
  count(*) FILTER (WHERE status = 'FAILED') AS failed,
  count(*) FILTER (WHERE status = 'EXPIRED') AS expired,
  count(*) FILTER (WHERE status = 'REVOKED') AS revoked
  FROM deliveries WHERE job_id = $1 AND device_id IS NOT NULL) AS c
WHERE push_jobs.id = $1 AND (
  push_jobs.count_targeted <> c.t OR push_jobs.count_pending <> c.pending OR push_jobs.count_sent <> c.sent OR
  push_jobs.count_arrived <> c.arrived OR push_jobs.count_opened <> c.opened OR push_jobs.count_ignored <> c.ignored OR
  push_jobs.count_failed <> c.failed OR push_jobs.count_expired <> c.expired OR push_jobs.count_revoked <> c.revoked OR
  (push_jobs.status = 'SENDING' AND push_jobs.dispatched_at IS NOT NULL AND c.fresh = 0))
RETURNING push_jobs.id`
