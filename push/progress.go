package push

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/outbox"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/tenant"
)

// relay hands freshly committed outbox rows to the queue. When the queue
// is unreachable the rows stay, and RelayOutbox moves them later: a job
// accepted by the API survives the loss of Redis.
func (s *Service) relay(ctx context.Context, rows []*ent.Outbox) {
	if len(rows) == 0 || s.queue == nil {
		return
	}
	if err := s.relayRows(ctx, rows); err != nil {
		s.log.WarnContext(ctx, "outbox: hand-off deferred", "rows", len(rows), "err", err)
	}
}

func (s *Service) relayRows(ctx context.Context, rows []*ent.Outbox) error {
	tasks := make([]Task, len(rows))
	ids := make([]nodeid.ID, len(rows))
	for i, r := range rows {
		t := Task{ID: string(r.ID), Type: r.TaskType, Queue: r.Queue, Payload: r.Payload}
		if r.ProcessAt != nil {
			t.ProcessAt = *r.ProcessAt
		}
		tasks[i], ids[i] = t, r.ID
	}
	if err := s.queue.Enqueue(ctx, tasks); err != nil {
		return err
	}
	return s.client.Outbox.Update().Where(outbox.IDIn(ids...)).SetRelayedAt(s.now()).Exec(tenant.AsSystem(ctx))
}

// RelayOutbox moves outbox rows older than minAge that were not handed to
// the queue yet, and deletes rows relayed more than a day ago. It returns
// how many it moved.
func (s *Service) RelayOutbox(ctx context.Context, minAge time.Duration, limit int) (int, error) {
	sys := tenant.AsSystem(ctx)
	now := s.now()
	rows, err := s.client.Outbox.Query().
		Where(outbox.RelayedAtIsNil(), outbox.CreatedAtLT(now.Add(-minAge))).
		Order(ent.Asc(outbox.FieldCreatedAt)).Limit(limit).All(sys)
	if err != nil {
		return 0, err
	}
	if len(rows) > 0 {
		if err := s.relayRows(sys, rows); err != nil {
			return 0, err
		}
	}
	if _, err := s.client.Outbox.Delete().Where(outbox.RelayedAtLT(now.Add(-24 * time.Hour))).Exec(sys); err != nil {
		return len(rows), err
	}
	return len(rows), nil
}

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
	for _, j := range jobs {
		if err := s.RefreshJob(ctx, j); err != nil {
			// Put it back for the next round.
			_ = s.marks.Mark(ctx, j)
			return 0, err
		}
	}
	return len(jobs), nil
}

// RefreshJob recomputes a job's counts from its deliveries (the truth,
// so a refresh can neither lose nor double a count) and finishes it once
// every delivery has had its first attempt. Watchers hear of any change.
func (s *Service) RefreshJob(ctx context.Context, id nodeid.ID) error {
	sys := tenant.AsSystem(ctx)
	job, err := s.client.PushJob.Get(sys, id)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var rows []struct {
		Status delivery.Status `json:"status"`
		Count  int             `json:"count"`
	}
	if err := s.client.Delivery.Query().Where(delivery.JobID(id), delivery.DeviceIDNotNil()).
		GroupBy(delivery.FieldStatus).Aggregate(ent.Count()).Scan(sys, &rows); err != nil {
		return fmt.Errorf("count deliveries: %w", err)
	}
	c := map[delivery.Status]int{}
	total := 0
	for _, r := range rows {
		c[r.Status] = r.Count
		total += r.Count
	}
	upd := s.client.PushJob.UpdateOneID(id).
		SetCountTargeted(total).SetCountPending(c[delivery.StatusPENDING]).SetCountSent(c[delivery.StatusSENT]).
		SetCountArrived(c[delivery.StatusARRIVED]).SetCountOpened(c[delivery.StatusOPENED]).
		SetCountIgnored(c[delivery.StatusIGNORED]).SetCountFailed(c[delivery.StatusFAILED]).
		SetCountExpired(c[delivery.StatusEXPIRED]).SetCountRevoked(c[delivery.StatusREVOKED])
	changed := total != job.CountTargeted || c[delivery.StatusPENDING] != job.CountPending ||
		c[delivery.StatusSENT] != job.CountSent || c[delivery.StatusARRIVED] != job.CountArrived ||
		c[delivery.StatusOPENED] != job.CountOpened || c[delivery.StatusIGNORED] != job.CountIgnored ||
		c[delivery.StatusFAILED] != job.CountFailed || c[delivery.StatusEXPIRED] != job.CountExpired ||
		c[delivery.StatusREVOKED] != job.CountRevoked
	if job.Status == pushjob.StatusSENDING && job.DispatchedAt != nil {
		fresh, err := s.client.Delivery.Query().
			Where(delivery.JobID(id), delivery.DeviceIDNotNil(), delivery.StatusEQ(delivery.StatusPENDING), delivery.Attempts(0)).
			Exist(sys)
		if err != nil {
			return err
		}
		if !fresh {
			upd.SetStatus(pushjob.StatusDONE).SetFinishedAt(s.now())
			changed = true
		}
	}
	if !changed {
		return nil
	}
	if err := upd.Exec(sys); err != nil {
		return err
	}
	s.jobChanged(sys, id)
	return nil
}

// Reconcile restarts jobs that made no progress for stall: their tasks
// were lost (Redis wiped, a worker killed past its retries) or never
// queued. Dispatch and Send are idempotent, so a restart of a job that was
// merely slow costs work, never a duplicate. It returns the jobs it
// restarted.
func (s *Service) Reconcile(ctx context.Context, stall time.Duration) ([]nodeid.ID, error) {
	sys := tenant.AsSystem(ctx)
	now := s.now()
	jobs, err := s.client.PushJob.Query().
		Where(pushjob.RecurrenceIsNil(), pushjob.Or(
			pushjob.And(pushjob.StatusIn(pushjob.StatusQUEUED, pushjob.StatusSENDING), pushjob.UpdatedAtLT(now.Add(-stall))),
			pushjob.And(pushjob.StatusEQ(pushjob.StatusSCHEDULED), pushjob.ScheduleAtLT(now.Add(-stall))),
		)).
		Limit(100).All(sys)
	if err != nil {
		return nil, err
	}
	if len(jobs) == 0 || s.queue == nil {
		return nil, nil
	}
	tasks := make([]Task, len(jobs))
	var restarted []nodeid.ID
	for i, j := range jobs {
		payload, _ := json.Marshal(dispatchPayload{Job: j.ID})
		// One restart per job per stall period.
		tasks[i] = Task{ID: fmt.Sprintf("reconcile:%s:%d", j.ID, now.Unix()/int64(max(stall.Seconds(), 1))),
			Type: TaskDispatch, Queue: queueFor(j.Kind), Payload: payload}
		restarted = append(restarted, j.ID)
	}
	if err := s.queue.Enqueue(sys, tasks); err != nil {
		return nil, err
	}
	// Touch them so the next round waits a full stall period again.
	if err := s.client.PushJob.Update().Where(pushjob.IDIn(restarted...)).SetUpdatedAt(now).Exec(sys); err != nil {
		return nil, err
	}
	return restarted, nil
}

// ExpireDue marks PENDING deliveries whose TTL ended as EXPIRED, at most
// limit of them, and returns how many.
func (s *Service) ExpireDue(ctx context.Context, limit int) (int, error) {
	sys := tenant.AsSystem(ctx)
	now := s.now()
	rows, err := s.client.Delivery.Query().
		Where(delivery.StatusEQ(delivery.StatusPENDING), delivery.ExpiresAtLTE(now),
			// A TTL-0 delivery gets its first attempt first.
			delivery.Or(delivery.AttemptsGT(0), delivery.ExpiresAtLTE(now.Add(-expiryGrace)), delivery.DeviceIDIsNil())).
		Limit(limit).Select(delivery.FieldID, delivery.FieldJobID).All(sys)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	ids := make([]nodeid.ID, len(rows))
	var jobs []nodeid.ID
	for i, r := range rows {
		ids[i] = r.ID
		jobs = append(jobs, r.JobID)
	}
	n, err := s.setStatus(sys, ids, delivery.StatusEXPIRED, "TTL ended before it could be delivered")
	if err != nil {
		return 0, err
	}
	s.mark(sys, unique(jobs)...)
	return n, nil
}
