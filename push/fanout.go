package push

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/fanoutrange"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/tenant"
)

// A broadcast's fan-out has two parts. The dispatch lists the audience as
// keyset ranges of the app's devices, (after, through] with FanOutChunk
// devices each (one send batch), a few ranges per transaction with the
// cursor that resumes the listing. Each range is then a task of its own: it writes
// the deliveries of the range's devices that the audience selects and
// queues their sends, so every worker writes deliveries at once instead
// of one dispatch paging the whole audience. The job is dispatched (and
// may become DONE) only when the listing is complete and every range is
// done.

// rangesPerStep is how many ranges one listing transaction adds: enough
// to keep every worker busy, few enough that the first range starts at
// once.
const rangesPerStep = 16

// fanOut lists a broadcast's audience in ranges and queues their tasks.
// Run again (a retried task, the reconciler), it resumes the listing from
// the job's cursor and queues again the ranges still undone: a range's
// task is idempotent, so a range queued twice is written once.
func (s *Service) fanOut(ctx context.Context, job *ent.PushJob) error {
	if err := s.requeueRanges(ctx, job); err != nil {
		return err
	}
	cursor := nodeid.ID(job.DispatchCursor)
	for listed := job.FanOutListed; !listed; {
		bounds, end, err := s.rangeBounds(ctx, job.AppID, cursor, rangesPerStep)
		if err != nil {
			return fmt.Errorf("list audience: %w", err)
		}
		ranges, rows, moved, err := s.listRanges(ctx, job, cursor, bounds, end)
		if err != nil {
			return err
		}
		if !moved {
			// Another dispatcher moved on, or the job was revoked: re-read.
			j, err := s.client.PushJob.Get(ctx, job.ID)
			if err != nil {
				return err
			}
			if j.Status != pushjob.StatusSENDING || j.DispatchedAt != nil {
				return nil
			}
			cursor, listed = nodeid.ID(j.DispatchCursor), j.FanOutListed
			continue
		}
		if err := s.startRanges(ctx, job, ranges, rows); err != nil {
			return err
		}
		if len(bounds) > 0 {
			cursor = bounds[len(bounds)-1]
		}
		listed = end
	}
	return s.completeFanOut(ctx, job.ID)
}

// rangeBounds returns the ends of up to n ranges of the app's devices
// after cursor: each range holds chunkSize devices, the last one those
// left. end says the last bound is the app's last device.
func (s *Service) rangeBounds(ctx context.Context, app, cursor nodeid.ID, n int) (bounds []nodeid.ID, end bool, err error) {
	for len(bounds) < n {
		q := s.client.Device.Query().Where(device.AppID(app), device.IDGT(cursor))
		ids, err := q.Order(ent.Asc(device.FieldID)).Offset(s.chunkSize - 1).Limit(1).IDs(ctx)
		if err != nil {
			return nil, false, err
		}
		if len(ids) == 0 {
			last, err := s.client.Device.Query().Where(device.AppID(app), device.IDGT(cursor)).
				Order(ent.Desc(device.FieldID)).Limit(1).IDs(ctx)
			if err != nil {
				return nil, false, err
			}
			return append(bounds, last...), true, nil
		}
		bounds = append(bounds, ids[0])
		cursor = ids[0]
	}
	return bounds, false, nil
}

// listRanges adds the ranges ending at bounds after cursor, with their
// tasks as outbox rows, and moves the cursor past them, in one
// transaction. moved is false when the cursor was not at cursor any more
// (another dispatcher listed them, or the job is no longer sending).
func (s *Service) listRanges(ctx context.Context, job *ent.PushJob, cursor nodeid.ID, bounds []nodeid.ID, end bool) (ranges []*ent.FanOutRange, rows []*ent.Outbox, moved bool, err error) {
	next := cursor
	if len(bounds) > 0 {
		next = bounds[len(bounds)-1]
	}
	err = s.withTx(ctx, func(tx *ent.Tx) error {
		n, err := tx.PushJob.Update().
			Where(pushjob.ID(job.ID), pushjob.DispatchCursor(string(cursor)), pushjob.FanOutListed(false), pushjob.StatusEQ(pushjob.StatusSENDING)).
			SetDispatchCursor(string(next)).SetFanOutListed(end).Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		moved = true
		if len(bounds) == 0 {
			return nil
		}
		creates := make([]*ent.FanOutRangeCreate, len(bounds))
		after := cursor
		for i, b := range bounds {
			creates[i] = tx.FanOutRange.Create().SetAppID(job.AppID).SetJobID(job.ID).SetAfter(after).SetThrough(b)
			after = b
		}
		if ranges, err = tx.FanOutRange.CreateBulk(creates...).Save(ctx); err != nil {
			return fmt.Errorf("list ranges: %w", err)
		}
		tasks := make([]Task, len(ranges))
		for i, r := range ranges {
			tasks[i] = pipeline.NewTask(pipeline.FanOut{Job: job.ID, Range: r.ID}, pipeline.QueueFor(job.Kind), "")
		}
		rows, err = s.outboxRows(ctx, tx, job.AppID, tasks)
		return err
	})
	return ranges, rows, moved, err
}

// outboxRows saves tasks as outbox rows already marked relayed, in one
// statement: the reconciler redoes a job's fan-out and sends if their
// hand-off is lost.
func (s *Service) outboxRows(ctx context.Context, tx *ent.Tx, app nodeid.ID, tasks []Task) ([]*ent.Outbox, error) {
	creates := make([]*ent.OutboxCreate, len(tasks))
	for i, t := range tasks {
		creates[i] = pipeline.OutboxRow(tx, app, t).SetRelayedAt(s.now())
	}
	return tx.Outbox.CreateBulk(creates...).Save(ctx)
}

// startRanges hands the ranges' tasks to the queue; without one (a bare
// Service in tests, or a tool) it writes them here, one after another.
func (s *Service) startRanges(ctx context.Context, job *ent.PushJob, ranges []*ent.FanOutRange, rows []*ent.Outbox) error {
	if s.queue != nil {
		s.outbox.Relay(ctx, rows)
		return nil
	}
	for _, r := range ranges {
		if err := s.FanOutRange(ctx, job.ID, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// requeueRanges queues again the job's ranges that are not done, for a
// dispatch that runs again because their tasks may be lost.
func (s *Service) requeueRanges(ctx context.Context, job *ent.PushJob) error {
	if job.DispatchCursor == "" || s.queue == nil {
		return nil // a first dispatch has no ranges yet
	}
	undone, err := s.client.FanOutRange.Query().Where(fanoutrange.JobID(job.ID), fanoutrange.Done(false)).IDs(ctx)
	if err != nil || len(undone) == 0 {
		return err
	}
	tasks := make([]Task, len(undone))
	for i, id := range undone {
		tasks[i] = pipeline.NewTask(pipeline.FanOut{Job: job.ID, Range: id}, pipeline.QueueFor(job.Kind), s.thisMinute())
	}
	return s.queue.Enqueue(ctx, tasks)
}

// FanOutRange writes the deliveries of one range of a broadcast's
// audience, marks the range done and queues the deliveries' sends, all in
// one transaction; a range already done writes nothing. The last range
// done completes the job's dispatch.
func (s *Service) FanOutRange(ctx context.Context, jobID, rangeID nodeid.ID) error {
	sys := tenant.AsSystem(ctx)
	job, err := s.client.PushJob.Get(sys, jobID)
	if ent.IsNotFound(err) {
		return nil // deleted with its app
	}
	if err != nil {
		return err
	}
	r, err := s.client.FanOutRange.Get(sys, rangeID)
	if ent.IsNotFound(err) {
		return nil // the dispatch completed and forgot its ranges
	}
	if err != nil {
		return err
	}
	if !r.Done && job.Status == pushjob.StatusSENDING {
		if err := s.writeRange(sys, job, r); err != nil {
			return err
		}
	}
	return s.completeFanOut(sys, job.ID)
}

// writeRange writes one range's deliveries and sends them: those a vendor
// takes now are written claimed and sent at once (deliver.Fresh), the
// rest through the usual path. Without its send tasks, what a crash
// leaves unsent is found again: claimed rows by the lease sweeper, the
// others by the reconciler, which dispatches the stalled job again.
func (s *Service) writeRange(ctx context.Context, job *ent.PushJob, r *ent.FanOutRange) error {
	audience := append(s.audienceFilter(job.AppID, job.Audience), device.IDGT(r.After), device.IDLTE(r.Through))
	plan, err := s.deliver.PlanFresh(ctx, job, audience...)
	if err != nil {
		return fmt.Errorf("plan range: %w", err)
	}
	wrote := false
	err = s.withTx(ctx, func(tx *ent.Tx) error {
		n, err := tx.FanOutRange.Update().Where(fanoutrange.ID(r.ID), fanoutrange.Done(false)).SetDone(true).Save(ctx)
		if err != nil || n == 0 {
			return err // n == 0: written meanwhile by a twin task
		}
		wrote = true
		return s.deliver.Insert(ctx, tx, plan)
	})
	if err != nil || !wrote || plan.Devices() == 0 {
		return err
	}
	s.mark(ctx, job.ID)
	_, err = s.deliver.SendFresh(ctx, plan)
	return s.retryLater(ctx, job, SendRequest{Job: job.ID, After: r.After, Through: r.Through}, err)
}

// completeFanOut marks a broadcast dispatched once its audience is listed
// and every range is done, and forgets its ranges. On PostgreSQL the job's
// row is locked first (a later statement of the transaction then sees
// what committed while it waited, where a single UPDATE's subquery would
// keep the snapshot from before): the check then reads every range and listing
// committed before it, so the last of several ranges finishing together
// always sees the others done.
func (s *Service) completeFanOut(ctx context.Context, jobID nodeid.ID) error {
	done := false
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		if s.dialect == dialect.Postgres {
			// NO KEY UPDATE: the ranges' inserts hold the job's row FOR KEY
			// SHARE (their foreign key), which FOR UPDATE would wait for.
			lock := func(sel *sql.Selector) { sel.For(sql.LockNoKeyUpdate) }
			if _, err := tx.PushJob.Query().Where(pushjob.ID(jobID)).Select(pushjob.FieldID).Modify(lock).Strings(ctx); err != nil {
				return err
			}
		}
		n, err := tx.PushJob.Update().
			Where(pushjob.ID(jobID), pushjob.DispatchedAtIsNil(), pushjob.FanOutListed(true), noUndoneRanges()).
			SetDispatchedAt(s.now()).Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		done = true
		_, err = tx.FanOutRange.Delete().Where(fanoutrange.JobID(jobID)).Exec(ctx)
		return err
	})
	if err == nil && done {
		s.mark(ctx, jobID)
	}
	return err
}

// noUndoneRanges matches jobs none of whose fan-out ranges is undone.
func noUndoneRanges() predicate.PushJob {
	return func(sel *sql.Selector) {
		t := sql.Table(fanoutrange.Table)
		sub := sql.Dialect(sel.Dialect()).Select(t.C(fanoutrange.FieldID)).From(t).
			Where(sql.And(sql.ColumnsEQ(t.C(fanoutrange.FieldJobID), sel.C(pushjob.FieldID)), sql.EQ(t.C(fanoutrange.FieldDone), false)))
		sel.Where(sql.NotExists(sub))
	}
}
