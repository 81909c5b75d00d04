package push

import (
	"context"
	"errors"
	"fmt"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// mark notes that a job's counts changed. Without a mark set (a bare
// Service in tests) the job is refreshed at once.
func (s *Service) mark(ctx context.Context, jobs ...nodeid.ID) {
	if s.marks == nil {
		for _, j := range jobs {
			if err := s.RefreshJob(ctx, j); err != nil {
				s.log.WarnContext(ctx, "refresh job", "job", j, "err", err)
			}
		}
		return
	}
	if err := s.marks.Mark(ctx, jobs...); err != nil {
		// The reconciler refreshes every unfinished job anyway.
		s.log.WarnContext(ctx, "mark job", "err", err)
	}
}

// RefreshMarked recomputes the counts of up to n changed jobs and returns
// how many it did.
func (s *Service) RefreshMarked(ctx context.Context, n int) (int, error) {
	jobs, err := s.marks.Take(ctx, n)
	if err != nil {
		return 0, err
	}
	var later []nodeid.ID
	for i, j := range jobs {
		deferred, err := s.refreshJob(ctx, j, true)
		if err != nil {
			// Put it and the ones not reached back for the next round.
			_ = s.marks.Mark(ctx, append(later, jobs[i:]...)...)
			return 0, err
		}
		if deferred {
			later = append(later, j)
		}
	}
	// Jobs whose statistics were put off come back on a later round; not
	// counting them keeps the caller from taking them again at once.
	if len(later) > 0 {
		if err := s.marks.Mark(ctx, later...); err != nil {
			return 0, err
		}
	}
	return len(jobs) - len(later), nil
}

// RefreshJob recomputes a job's counts from its deliveries (the truth,
// so a refresh can neither lose nor double a count) and finishes it once
// every delivery has had its first attempt. It is one statement, which
// writes only when something changed; watchers hear of any change.
func (s *Service) RefreshJob(ctx context.Context, id nodeid.ID) error {
	_, err := s.refreshJob(ctx, id, false)
	return err
}

// refreshJob is RefreshJob. paced (the periodic refresh of marked jobs)
// counts the job's statistics only at its pace, and deferred then says
// they were put off and the job must be refreshed again later.
func (s *Service) refreshJob(ctx context.Context, id nodeid.ID, paced bool) (deferred bool, err error) {
	rows, err := s.relaxed.QueryContext(ctx, core.Numbered(s.dialect, refreshJobSQL), string(id), s.now(),
		resendReasons[0], resendReasons[1], resendReasons[2])
	if err != nil {
		return false, fmt.Errorf("refresh job: %w", err)
	}
	changed := rows.Next()
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return false, fmt.Errorf("refresh job: %w", err)
	}
	if changed {
		s.jobChanged(ctx, id)
	}
	// Counted (at the job's pace) and reported on every refresh, not only
	// when the job's counts changed: what failed last time is caught up.
	sys := tenant.AsSystem(ctx)
	job, err := s.client.PushJob.Query().Where(pushjob.ID(id)).Select(pushjob.FieldAppID, pushjob.FieldKind).Only(sys)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	deferred, err = s.stats.Record(sys, job, paced)
	return deferred, errors.Join(err, s.hooks.QueueReceipts(sys, job))
}

// refreshJobSQL counts a job's device deliveries by status and stores the
// counts (pending includes SENDING: not yet accepted), with DONE once the
// job is dispatched and pushd owes none of its deliveries a send: none
// waits for its first attempt, is in flight (SENDING), or waits to be sent
// again (a vendor's retry, a lapsed or released lease). A delivery that
// waits only for its device to connect does not hold the job open. It
// returns a row only if it changed the job.
const refreshJobSQL = `UPDATE push_jobs SET
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
