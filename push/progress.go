package push

import (
	"context"
	"errors"
	"fmt"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/push/pushdb"
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
	changed, err := s.db.RefreshCounts(ctx, s.relaxed, pushdb.Refresh{Job: id, Now: s.now(), Resends: deliver.ResendReasons()})
	if err != nil {
		return false, fmt.Errorf("refresh job: %w", err)
	}
	// Counted (at the job's pace) and reported on every refresh, not only
	// when the job's counts changed: what failed last time is caught up.
	sys := tenant.AsSystem(ctx)
	job, err := s.client.PushJob.Query().Where(pushjob.ID(id)).Select(pushjob.FieldAppID, pushjob.FieldKind, pushjob.FieldStatus).Only(sys)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// A change that leaves the job finished (DONE, or a later arrival or
	// open) is counted at once, and before watchers hear of it: the report
	// a console reads on that change then holds it, and no later change
	// would make the console read again.
	settled := changed && (job.Status == pushjob.StatusDONE || finalJob(job.Status))
	deferred, err = s.stats.Record(sys, job, paced && !settled)
	if changed {
		s.jobChanged(ctx, id)
	}
	return deferred, errors.Join(err, s.hooks.QueueReceipts(sys, job))
}
