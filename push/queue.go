package push

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
)

// The pipeline's task kinds and queues, as the domain names them (the
// definitions, with their retry limits and identities, are in pipeline).
const (
	TaskDispatch  = pipeline.KindDispatch
	TaskSend      = pipeline.KindSend
	TaskWebhook   = pipeline.KindWebhook
	QueueCritical = pipeline.QueueCritical
	QueueDefault  = pipeline.QueueDefault
	QueueLow      = pipeline.QueueLow
)

type (
	// Task is one unit of queued work.
	Task = pipeline.Task
	// Enqueuer hands tasks to the queue.
	Enqueuer = pipeline.Enqueuer
	// JobMarks collects the jobs whose counts changed.
	JobMarks = pipeline.JobMarks
	// SendRequest names the deliveries of one send task.
	SendRequest = pipeline.Send
)

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

// thisMinute is the occasion of work queued again within one minute:
// queueing it twice in a row (a retried dispatch) leaves one task, while a
// later restart is not mistaken for a task Asynq archived long ago (an
// archived task keeps its ID).
func (s *Service) thisMinute() string {
	return "minute@" + strconv.FormatInt(s.now().Unix()/60, 10)
}
