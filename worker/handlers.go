package worker

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/hibiken/asynq"

	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
)

// RegisterPipeline registers the delivery pipeline's task handlers.
func (w *Worker) RegisterPipeline(svc *push.Service) {
	handle(w, func(ctx context.Context, a pipeline.Dispatch, _ attempt) error { return svc.Dispatch(ctx, a.Job) })
	handle(w, func(ctx context.Context, a pipeline.FanOut, _ attempt) error {
		return svc.FanOutRange(ctx, a.Job, a.Range)
	})
	handle(w, func(ctx context.Context, a pipeline.Send, _ attempt) error {
		_, err := svc.Delivery().Send(ctx, a)
		return err
	})
	handle(w, func(ctx context.Context, a pipeline.Webhook, at attempt) error {
		return svc.Hooks().Deliver(ctx, a.Delivery, at.last())
	})
}

// attempt is which try of its task a handler runs.
type attempt struct{ retry, maxRetry int }

// last says this try is the queue's last.
func (a attempt) last() bool { return a.retry >= a.maxRetry }

// handle registers the one adapter every task kind goes through: decode
// the typed arguments (a malformed task is never retried), then call the
// domain.
func handle[A pipeline.Args](w *Worker, fn func(context.Context, A, attempt) error) {
	var zero A
	kind := zero.Kind()
	w.Handle(kind, asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		args, ok := pipeline.Decode[A](t.Payload())
		if !ok {
			return fmt.Errorf("%w: bad %s payload", asynq.SkipRetry, kind)
		}
		var at attempt
		at.retry, _ = asynq.GetRetryCount(ctx)
		at.maxRetry, _ = asynq.GetMaxRetry(ctx)
		return fn(ctx, args, at)
	}))
}

// retryDelay backs off exponentially from one second to five minutes with
// ±20% jitter, so a burst of failures does not retry in lockstep; a delay a
// vendor asked for (Retry-After) is a floor.
func retryDelay(n int, err error, _ *asynq.Task) time.Duration {
	d := time.Second << min(n, 9)
	d = min(d, 5*time.Minute)
	d = time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
	var r *core.ErrRetry
	if errors.As(err, &r) && r.After > d {
		d = r.After
	}
	return d
}
