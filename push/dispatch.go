package push

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/appuser"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/group"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/push/intake"
	"github.com/pushd/pushd/tenant"
)

// Fan-out sizes: a broadcast's audience is paged FanOutChunk devices at a
// time, and every send task carries at most SendBatch deliveries: the
// most the batching vendors take in one request, so a task of devices on
// one of those channels is one vendor request.
const (
	FanOutChunk = 5000
	SendBatch   = deliver.SendBatch
)

// Dispatch starts sending a job: a broadcast's audience becomes deliveries
// chunk by chunk (each chunk's rows, its cursor and its send tasks commit
// together, so a restarted dispatch resumes where the last one stopped);
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

// retryLater turns a send that a vendor asked to retry into a send task
// of its own, due when the vendor said: rerunning the dispatch would not
// retry it (dispatch only sends what was never attempted).
func (s *Service) retryLater(ctx context.Context, job *ent.PushJob, req SendRequest, err error) error {
	var retry *core.ErrRetry
	if !errors.As(err, &retry) {
		return err
	}
	if s.queue == nil {
		return err
	}
	t := pipeline.NewTask(req, pipeline.QueueFor(job.Kind), fmt.Sprint("retry@", s.now().Unix()))
	t.ProcessAt = s.now().Add(max(retry.After, time.Second))
	return s.queue.Enqueue(ctx, []Task{t})
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
	return pipeline.NewTask(r, pipeline.QueueFor(kind), "minute@"+strconv.FormatInt(s.now().Unix()/60, 10))
}

// fanOut pages a broadcast's audience into deliveries.
func (s *Service) fanOut(ctx context.Context, job *ent.PushJob) error {
	filter := s.audienceFilter(job.AppID, job.Audience)
	cursor := nodeid.ID(job.DispatchCursor)
	for {
		q := s.client.Device.Query().Where(filter...)
		if cursor != "" {
			q.Where(device.IDGT(cursor))
		}
		ids, err := q.Order(ent.Asc(device.FieldID)).Limit(s.chunkSize).IDs(ctx)
		if err != nil {
			return fmt.Errorf("page audience: %w", err)
		}
		if len(ids) == 0 {
			return s.client.PushJob.Update().Where(pushjob.ID(job.ID), pushjob.DispatchedAtIsNil()).
				SetDispatchedAt(s.now()).Exec(ctx)
		}
		next, stop, err := s.fanOutChunk(ctx, job, cursor, ids)
		if err != nil || stop {
			return err
		}
		cursor = next
	}
}

// fanOutChunk writes one chunk's deliveries, moves the cursor and queues
// the chunk's send tasks (as outbox rows, in the same transaction). Two
// dispatchers of one job cannot both write a chunk: the cursor only moves
// from the value this one read.
func (s *Service) fanOutChunk(ctx context.Context, job *ent.PushJob, cursor nodeid.ID, ids []nodeid.ID) (nodeid.ID, bool, error) {
	last := ids[len(ids)-1]
	var outbox []*ent.Outbox
	moved := true
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		n, err := tx.PushJob.Update().
			Where(pushjob.ID(job.ID), pushjob.DispatchCursor(string(cursor)), pushjob.StatusEQ(pushjob.StatusSENDING)).
			SetDispatchCursor(string(last)).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			moved = false
			return nil
		}
		if err := s.deliver.InsertFanOut(ctx, tx, job, ids); err != nil {
			return fmt.Errorf("write deliveries: %w", err)
		}
		after := cursor
		for _, part := range core.Chunks(ids, SendBatch) {
			req := SendRequest{Job: job.ID, After: after, Through: part[len(part)-1]}
			after = req.Through
			ob, err := pipeline.OutboxRow(tx, job.AppID, pipeline.NewTask(req, pipeline.QueueFor(job.Kind), "")).SetRelayedAt(s.now()).Save(ctx)
			if err != nil {
				return err
			}
			outbox = append(outbox, ob)
		}
		return nil
	})
	if err != nil {
		return "", false, err
	}
	if !moved {
		// Another dispatcher moved on, or the job was revoked: re-read.
		j, err := s.client.PushJob.Get(ctx, job.ID)
		if err != nil {
			return "", false, err
		}
		if j.Status != pushjob.StatusSENDING || j.DispatchedAt != nil {
			return "", true, nil
		}
		return nodeid.ID(j.DispatchCursor), false, nil
	}
	s.outbox.Relay(ctx, outbox)
	s.mark(ctx, job.ID)
	return last, false, nil
}

// DeviceHasTag matches devices whose tags include tag (compared in NFC, as
// stored), on PostgreSQL and SQLite alike (a JSON array column).
func DeviceHasTag(tag string) predicate.Device {
	return func(sel *sql.Selector) {
		sel.Where(sqljson.ValueContains(sel.C(device.FieldTags), devices.NormalizeTag(tag)))
	}
}

// audienceFilter turns a broadcast's audience into device predicates.
func (s *Service) audienceFilter(app nodeid.ID, a jsontype.Audience) []predicate.Device {
	ps := []predicate.Device{device.AppID(app), device.PushEnabled(true)}
	if len(a.Platforms) > 0 {
		ps = append(ps, device.PlatformIn(a.Platforms...))
	}
	if len(a.AppVersions) > 0 {
		ps = append(ps, device.AppVersionIn(a.AppVersions...))
	}
	if len(a.Tags) > 0 {
		tags := make([]predicate.Device, len(a.Tags))
		for i, t := range a.Tags {
			tags[i] = DeviceHasTag(t)
		}
		ps = append(ps, device.Or(tags...))
	}
	if len(a.Groups) > 0 {
		gids := make([]nodeid.ID, len(a.Groups))
		for i, g := range a.Groups {
			gids[i] = nodeid.ID(g)
		}
		ps = append(ps, device.HasUserWith(appuser.HasGroupsWith(group.IDIn(gids...))))
	}
	switch a.Bound {
	case BoundBound:
		ps = append(ps, device.UserIDNotNil())
	case BoundUnbound:
		ps = append(ps, device.UserIDIsNil())
	}
	if a.ActiveWithinSeconds > 0 {
		ps = append(ps, device.LastSeenAtGT(s.now().Add(-time.Duration(a.ActiveWithinSeconds)*time.Second)))
	}
	return ps
}

// PreviewAudience counts the devices a broadcast with this audience would
// reach now.
func (s *Service) PreviewAudience(ctx context.Context, app nodeid.ID, a jsontype.Audience) (int, error) {
	if err := tenant.Require(ctx, app, tenant.NeedRead); err != nil {
		return 0, err
	}
	if err := intake.CheckAudience(&a); err != nil {
		return 0, err
	}
	sys := tenant.AsSystem(ctx)
	if err := s.checkGroups(sys, app, a.Groups); err != nil {
		return 0, err
	}
	return s.client.Device.Query().Where(s.audienceFilter(app, a)...).Count(sys)
}
