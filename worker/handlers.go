package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/hibiken/asynq"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push"
)

// RegisterPipeline registers the delivery pipeline's task handlers: each
// decodes its payload and calls the domain.
func (w *Worker) RegisterPipeline(svc *push.Service) {
	w.Handle(push.TaskDispatch, asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		var p struct {
			Job nodeid.ID `json:"job"`
		}
		if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Job == "" {
			return fmt.Errorf("%w: bad dispatch payload", asynq.SkipRetry)
		}
		return svc.Dispatch(ctx, p.Job)
	}))
	w.Handle(push.TaskSend, asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		var req push.SendRequest
		if err := json.Unmarshal(t.Payload(), &req); err != nil || req.Job == "" {
			return fmt.Errorf("%w: bad send payload", asynq.SkipRetry)
		}
		_, err := svc.Send(ctx, req)
		return err
	}))
	w.Handle(push.TaskWebhook, asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		var p struct {
			Delivery nodeid.ID `json:"delivery"`
		}
		if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Delivery == "" {
			return fmt.Errorf("%w: bad webhook payload", asynq.SkipRetry)
		}
		n, _ := asynq.GetRetryCount(ctx)
		limit, _ := asynq.GetMaxRetry(ctx)
		return svc.DeliverWebhook(ctx, p.Delivery, n >= limit)
	}))
}

// retryDelay backs off exponentially from one second to five minutes with
// ±20% jitter, so a burst of failures does not retry in lockstep; a delay a
// vendor asked for (Retry-After) is a floor.
func retryDelay(n int, err error, _ *asynq.Task) time.Duration {
	d := time.Second << min(n, 9)
	d = min(d, 5*time.Minute)
	d = time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
	var r *push.ErrRetry
	if errors.As(err, &r) && r.After > d {
		d = r.After
	}
	return d
}
