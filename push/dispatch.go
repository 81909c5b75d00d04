package push

import (
	"context"
	"fmt"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/tenant"
)

// Fan-out sizes: a broadcast's audience is split into ranges of
// FanOutChunk of the app's devices, each written and sent by a task of its
// own, and every send carries at most SendBatch deliveries: the most the
// batching vendors take in one request, so a send of devices on one of
// those channels is one vendor request. A range is one send batch: its
// vendor deliveries are claimed as they are written, and a claim's lease
// covers one batch at the vendor.
const (
	SendBatch   = deliver.SendBatch
	FanOutChunk = SendBatch
)

// Dispatch starts sending a job: a broadcast's audience is split into
// ranges that become deliveries side by side (fanout.go);
// a targeted job's pending deliveries become send tasks. Running it again
// is harmless: it is also how the reconciler restarts a stalled job.
func (s *Service) Dispatch(ctx context.Context, jobID nodeid.ID) error {
	sys := tenant.AsSystem(ctx)
	job, err := s.client.PushJob.Get(sys, jobID)
	if ent.IsNotFound(err) {
		return nil // deleted with its app
	}
	if err != nil {
		return err
	}
	if finalJob(job.Status) || job.Recurrence != nil {
		return nil
	}
	if job.Kind != enum.PushKindBroadcast && job.DispatchedAt == nil && job.CountTargeted <= SendBatch {
		return s.dispatchSmall(sys, job)
	}
	if job.Status == pushjob.StatusQUEUED || job.Status == pushjob.StatusSCHEDULED {
		n, err := s.client.PushJob.Update().
			Where(pushjob.ID(job.ID), pushjob.StatusIn(pushjob.StatusQUEUED, pushjob.StatusSCHEDULED)).
			SetStatus(pushjob.StatusSENDING).Save(sys)
		if err != nil {
			return err
		}
		if n > 0 {
			job.Status = pushjob.StatusSENDING
			s.jobChanged(sys, job.ID)
		}
	}
	if job.Kind == enum.PushKindBroadcast && job.DispatchedAt == nil {
		if err := s.fanOut(sys, job); err != nil {
			return err
		}
	} else if err := s.sendPending(sys, job); err != nil {
		return err
	}
	s.mark(sys, job.ID)
	return nil
}

// dispatchSmall starts and finishes dispatching a job that one send
// covers (most single and template pushes) in one write, and sends it.
func (s *Service) dispatchSmall(ctx context.Context, job *ent.PushJob) error {
	// Relaxed: if a database crash loses it, the reconciler dispatches the
	// job again and finds its deliveries claimed.
	n, err := s.relaxed.PushJob.Update().
		Where(pushjob.ID(job.ID), pushjob.StatusIn(pushjob.StatusQUEUED, pushjob.StatusSCHEDULED, pushjob.StatusSENDING)).
		SetStatus(pushjob.StatusSENDING).SetDispatchedAt(s.now()).Save(ctx)
	if err != nil || n == 0 {
		return err // n == 0: revoked or cancelled meanwhile
	}
	if job.Status != pushjob.StatusSENDING {
		s.jobChanged(ctx, job.ID)
	}
	job.Status = pushjob.StatusSENDING
	_, err = s.deliver.SendJob(ctx, job, SendRequest{Job: job.ID})
	return s.retryLater(ctx, job, SendRequest{Job: job.ID}, err)
}

// sendPending queues send tasks for the job's deliveries still waiting for
// their first attempt. A job small enough for one task is sent right here,
// which saves a trip through the queue for the common single push.
func (s *Service) sendPending(ctx context.Context, job *ent.PushJob) error {
	var tasks []SendRequest
	after := nodeid.ID("")
	for {
		q := s.client.Delivery.Query().
			Where(delivery.JobID(job.ID), delivery.StatusEQ(delivery.StatusPENDING), delivery.Attempts(0), delivery.DeviceIDNotNil())
		if after != "" {
			q.Where(delivery.DeviceIDGT(after))
		}
		var devs []nodeid.ID
		if err := q.Order(ent.Asc(delivery.FieldDeviceID)).Limit(SendBatch).Select(delivery.FieldDeviceID).Scan(ctx, &devs); err != nil {
			return fmt.Errorf("page deliveries: %w", err)
		}
		if len(devs) == 0 {
			break
		}
		tasks = append(tasks, SendRequest{Job: job.ID, After: after, Through: devs[len(devs)-1]})
		after = devs[len(devs)-1]
		if len(devs) < SendBatch {
			break
		}
	}
	if err := s.client.PushJob.Update().Where(pushjob.ID(job.ID), pushjob.DispatchedAtIsNil()).
		SetDispatchedAt(s.now()).Exec(ctx); err != nil {
		return err
	}
	switch len(tasks) {
	case 0:
		return nil
	case 1:
		_, err := s.deliver.SendJob(ctx, job, tasks[0])
		return s.retryLater(ctx, job, tasks[0], err)
	}
	return s.enqueueSends(ctx, job, tasks)
}

func (s *Service) enqueueSends(ctx context.Context, job *ent.PushJob, reqs []SendRequest) error {
	if s.queue == nil {
		return fmt.Errorf("no queue to send through")
	}
	tasks := make([]Task, len(reqs))
	for i, r := range reqs {
		tasks[i] = s.sendTask(job.Kind, r)
	}
	return s.queue.Enqueue(ctx, tasks)
}

// sendTask is a send task of the minute, so that queueing the same range
// twice in a row (a retried dispatch) leaves one task, while a later
// restart is not mistaken for a task Asynq archived long ago (an archived
// task keeps its ID).
func (s *Service) sendTask(kind enum.PushKind, r SendRequest) Task {
	return pipeline.NewTask(r, pipeline.QueueFor(kind), s.thisMinute())
}
