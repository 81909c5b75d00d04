package push

import "github.com/pushd/pushd/pipeline"

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
