package push

import (
	"context"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Task types of the delivery pipeline (design §7).
const (
	// TaskDispatch turns a job into send tasks: it pages a broadcast's
	// audience into deliveries, or a targeted job's deliveries into chunks.
	TaskDispatch = "push:dispatch"
	// TaskSend sends one chunk of a job's deliveries.
	TaskSend = "push:send"
)

// Queue names, by priority: single and template pushes must not wait
// behind a broadcast's fan-out.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
)

// Task is one unit of queued work. ID makes enqueueing idempotent: a task
// whose ID is already queued is not queued twice.
type Task struct {
	ID        string
	Type      string
	Queue     string
	Payload   []byte
	ProcessAt time.Time
}

// Enqueuer hands tasks to the queue (Asynq on Redis). Enqueueing a task
// whose ID the queue already holds succeeds without a second copy.
type Enqueuer interface {
	Enqueue(ctx context.Context, tasks []Task) error
}

// JobMarks remembers which jobs changed since their counts were last
// recomputed (a Redis set), so that progress is refreshed in batches, at
// most about once a second per job, instead of a row lock per delivery.
type JobMarks interface {
	Mark(ctx context.Context, jobs ...nodeid.ID) error
	// Take removes and returns up to n marked jobs.
	Take(ctx context.Context, n int) ([]nodeid.ID, error)
}
