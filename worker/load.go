package worker

import (
	"context"
	"slices"

	"github.com/hibiken/asynq"

	"github.com/pushd/pushd/admission"
	"github.com/pushd/pushd/pipeline"
)

// QueueLoad reads the pipeline's load for admission: the longest wait of
// a queue's oldest pending task, and the tasks pending or due for retry
// (tasks scheduled for later are not load yet). The returned close
// releases the inspector's connections.
func QueueLoad(opt asynq.RedisConnOpt, namespace string) (load admission.LoadFunc, close func() error) {
	ins := asynq.NewInspector(opt)
	return func(context.Context) (admission.Load, error) {
		var l admission.Load
		known, err := ins.Queues()
		if err != nil {
			return l, err
		}
		for _, name := range pipeline.Queues {
			if !slices.Contains(known, QueueName(namespace, name)) {
				continue // never had a task
			}
			info, err := ins.GetQueueInfo(QueueName(namespace, name))
			if err != nil {
				return l, err
			}
			l.QueueLag = max(l.QueueLag, info.Latency)
			l.QueuedTasks += info.Pending + info.Retry
		}
		return l, nil
	}, ins.Close
}
