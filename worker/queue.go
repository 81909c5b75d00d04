package worker

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/pushd/pushd/pipeline"
)

// Queue is pipeline.Enqueuer on Asynq.
type Queue struct {
	client    *asynq.Client
	namespace string
}

// NewQueue returns a queue on the Redis of opt, whose queue names start
// with namespace.
func NewQueue(opt asynq.RedisConnOpt, namespace string) *Queue {
	return &Queue{client: asynq.NewClient(opt), namespace: namespace}
}

// QueueName is the Asynq queue of one of the domain's queues.
func QueueName(namespace, queue string) string {
	if namespace == "" {
		return queue
	}
	return namespace + ":" + queue
}

// Close releases the queue's Redis connections.
func (q *Queue) Close() error { return q.client.Close() }

// Enqueue queues each task under its ID; an ID already queued is success.
func (q *Queue) Enqueue(ctx context.Context, tasks []pipeline.Task) error {
	for _, t := range tasks {
		retries := t.MaxRetries
		if retries == 0 {
			retries = pipeline.MaxRetries(t.Type)
		}
		opts := []asynq.Option{asynq.TaskID(t.ID), asynq.Queue(QueueName(q.namespace, t.Queue)), asynq.MaxRetry(retries)}
		if !t.ProcessAt.IsZero() {
			opts = append(opts, asynq.ProcessAt(t.ProcessAt))
		}
		_, err := q.client.EnqueueContext(ctx, asynq.NewTask(t.Type, t.Payload), opts...)
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
			return fmt.Errorf("enqueue %s: %w", t.Type, err)
		}
	}
	return nil
}
