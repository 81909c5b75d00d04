package push

import (
	"context"
	"fmt"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/tenant"
)

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
		// One restart per job per stall period.
		tasks[i] = pipeline.NewTask(pipeline.Dispatch{Job: j.ID}, pipeline.QueueFor(j.Kind),
			fmt.Sprint("reconcile@", now.Unix()/int64(max(stall.Seconds(), 1))))
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

// RetryLost queues again the vendor retries and re-sends whose send task
// is gone (Redis lost it, or was down when they were queued): deliveries
// marked to be sent again that have waited longer than stall. A retry still queued only makes the send find nothing left to do.
// It returns how many deliveries it queued.
func (s *Service) RetryLost(ctx context.Context, stall time.Duration, limit int) (int, error) {
	if s.queue == nil {
		return 0, nil
	}
	sys := tenant.AsSystem(ctx)
	rows, err := s.client.Delivery.Query().
		Where(delivery.StatusEQ(delivery.StatusPENDING), delivery.LastErrorIn(deliver.ResendReasons()...),
			delivery.UpdatedAtLT(s.now().Add(-stall)), delivery.ExpiresAtGT(s.now()), delivery.DeviceIDNotNil()).
		WithJob().Limit(limit).All(sys)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	byJob := map[nodeid.ID][]nodeid.ID{}
	jobs := map[nodeid.ID]*ent.PushJob{}
	for _, d := range rows {
		byJob[d.JobID] = append(byJob[d.JobID], *d.DeviceID)
		jobs[d.JobID] = d.Edges.Job
	}
	var tasks []Task
	for id, devs := range byJob {
		for _, part := range core.Chunks(devs, SendBatch) {
			tasks = append(tasks, s.sendTask(jobs[id].Kind, SendRequest{Job: id, Devices: part}))
		}
	}
	if err := s.queue.Enqueue(sys, tasks); err != nil {
		return 0, err
	}
	// Touch them so the next round waits a full stall period again.
	if err := s.relaxed.Delivery.Update().Where(delivery.IDIn(core.IDsOf(rows)...), delivery.StatusEQ(delivery.StatusPENDING)).
		SetUpdatedAt(s.now()).Exec(sys); err != nil {
		return 0, err
	}
	return len(rows), nil
}
