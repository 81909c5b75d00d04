// Package pipeline names the delivery pipeline's queued work: one typed
// argument struct per task kind, with its queue priority, retry limit and
// identity next to it, and the one way a Task is built from them. The
// domain (push) queues them; the worker decodes them with one generic
// adapter. A payload is never built by hand, and every task ID follows
// one scheme: kind/key/occasion.
package pipeline

import (
	"context"
	"encoding/json"
	"time"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Queue names, by priority: single and template pushes must not wait
// behind a broadcast's fan-out.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
)

// Queues lists the queues, highest priority first.
var Queues = []string{QueueCritical, QueueDefault, QueueLow}

// Args is one task kind's arguments.
type Args interface {
	// Kind is the task type the worker routes on.
	Kind() string
	// Key is what the task is about (a job, a range of its devices, a
	// webhook batch): with the occasion it makes the task's ID.
	Key() string
	// Valid says the arguments name what the task needs.
	Valid() bool
}

// Kinds of task.
const (
	// KindDispatch turns a job into send tasks: it pages a broadcast's
	// audience into deliveries, or a targeted job's deliveries into chunks.
	KindDispatch = "push:dispatch"
	// KindFanOut writes the deliveries of one range of a broadcast's
	// audience and queues their sends.
	KindFanOut = "push:fanout"
	// KindSend sends one chunk of a job's deliveries.
	KindSend = "push:send"
	// KindWebhook posts one batch of receipts to a webhook.
	KindWebhook = "webhook:deliver"
)

// MaxRetries is how often the queue retries a task of kind before it is
// archived (Asynq's dead letters); the reconciler then decides what to do
// with its work, so nothing depends on a task's last retry.
func MaxRetries(kind string) int {
	switch kind {
	case KindDispatch, KindFanOut:
		return 20
	case KindWebhook:
		return MaxWebhookAttempts - 1
	}
	return 8
}

// MaxWebhookAttempts bounds the posts of one receipt batch.
//
// With the queue's backoff (1 s doubling to 5 min) the last try is about
// 25 minutes after the first.
const MaxWebhookAttempts = 13

// Dispatch starts (or restarts) a job.
type Dispatch struct {
	Job nodeid.ID `json:"job"`
}

// Kind implements Args.
func (Dispatch) Kind() string { return KindDispatch }

// Key implements Args.
func (a Dispatch) Key() string { return string(a.Job) }

// Valid implements Args.
func (a Dispatch) Valid() bool { return a.Job != "" }

// FanOut names one range of a broadcast's audience.
type FanOut struct {
	Job   nodeid.ID `json:"job"`
	Range nodeid.ID `json:"range"`
}

// Kind implements Args.
func (FanOut) Kind() string { return KindFanOut }

// Key implements Args.
func (a FanOut) Key() string { return string(a.Job) + ":" + string(a.Range) }

// Valid implements Args.
func (a FanOut) Valid() bool { return a.Job != "" && a.Range != "" }

// Send names the deliveries of one send task: a job's pending deliveries
// to devices in (After, Through], or to the listed Devices.
type Send struct {
	Job     nodeid.ID   `json:"job"`
	After   nodeid.ID   `json:"after,omitempty"`
	Through nodeid.ID   `json:"through,omitempty"`
	Devices []nodeid.ID `json:"devices,omitempty"`
}

// Kind implements Args.
func (Send) Kind() string { return KindSend }

// Key implements Args: the job and its range, or its first listed device.
func (a Send) Key() string {
	if len(a.Devices) > 0 {
		return string(a.Job) + ":dev:" + string(a.Devices[0])
	}
	return string(a.Job) + ":" + string(a.After) + ":" + string(a.Through)
}

// Valid implements Args.
func (a Send) Valid() bool { return a.Job != "" }

// Webhook posts one stored batch of receipts.
type Webhook struct {
	Delivery nodeid.ID `json:"delivery"`
}

// Kind implements Args.
func (Webhook) Kind() string { return KindWebhook }

// Key implements Args.
func (a Webhook) Key() string { return string(a.Delivery) }

// Valid implements Args.
func (a Webhook) Valid() bool { return a.Delivery != "" }

// Task is one unit of queued work. ID makes enqueueing idempotent: a task
// whose ID is already queued is not queued twice.
type Task struct {
	ID         string
	Type       string
	Queue      string
	Payload    []byte
	ProcessAt  time.Time
	MaxRetries int
}

// NewTask builds the task of args on queue. occasion says why it is
// queued (accepted, a minute's send, a retry, a reconcile round): two
// tasks for the same key and occasion are one task.
func NewTask(args Args, queue, occasion string) Task {
	payload, _ := json.Marshal(args) // plain structs of strings: cannot fail
	return Task{
		ID:   args.Kind() + "/" + args.Key() + "/" + occasion,
		Type: args.Kind(), Queue: queue, Payload: payload, MaxRetries: MaxRetries(args.Kind()),
	}
}

// Decode reads a task's payload as its kind's arguments; false means a
// malformed task.
func Decode[A Args](payload []byte) (A, bool) {
	var a A
	if err := json.Unmarshal(payload, &a); err != nil || !a.Valid() {
		return a, false
	}
	return a, true
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

// QueueFor is the queue of a push kind's tasks: single and template pushes
// (one device or user, usually a reply to something just done) before
// multiple pushes, and broadcasts last.
func QueueFor(k enum.PushKind) string {
	switch k {
	case enum.PushKindSimple, enum.PushKindTemplate:
		return QueueCritical
	case enum.PushKindMultiple:
		return QueueDefault
	}
	return QueueLow
}
