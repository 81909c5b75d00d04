package pipeline

import (
	"context"
	"log/slog"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/outbox"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/tenant"
)

// Outbox is the pipeline's transactional outbox: a task is written as a
// row in the transaction of the change that causes it (OutboxRow), then
// handed to the queue (Relay), so a change is never committed without its
// work, nor work queued for a change that rolled back.
type Outbox struct {
	Client *ent.Client
	// Queue, if nil, leaves the rows for a process that has one.
	Queue  Enqueuer
	Clock  func() time.Time
	Logger *slog.Logger
}

// OutboxRow is the row of task t for app, to save in tx.
func OutboxRow(tx *ent.Tx, app nodeid.ID, t Task) *ent.OutboxCreate {
	return tx.Outbox.Create().SetAppID(app).SetTaskType(t.Type).SetQueue(t.Queue).SetPayload(t.Payload)
}

// relay hands freshly committed outbox rows to the queue. When the queue
// is unreachable the rows stay, and RelayOutbox moves them later: a job
// accepted by the API survives the loss of Redis.
//
// Rows of work the reconciler would redo anyway (a job's dispatch and
// fan-out) are written already marked relayed, which saves a write per
// push; if the hand-off fails they are unmarked for RelayOutbox, and if
// the process dies in between, the reconciler restarts the stalled job.
func (o *Outbox) Relay(ctx context.Context, rows []*ent.Outbox) {
	if len(rows) == 0 || o.Queue == nil {
		return
	}
	if err := o.relayRows(ctx, rows); err != nil {
		o.Logger.WarnContext(ctx, "outbox: hand-off deferred", "rows", len(rows), "err", err)
		var marked []nodeid.ID
		for _, r := range rows {
			if r.RelayedAt != nil {
				marked = append(marked, r.ID)
			}
		}
		if len(marked) > 0 {
			if err := o.Client.Outbox.Update().Where(outbox.IDIn(marked...)).ClearRelayedAt().Exec(tenant.AsSystem(ctx)); err != nil {
				o.Logger.WarnContext(ctx, "outbox: unmark", "err", err)
			}
		}
	}
}

func (o *Outbox) relayRows(ctx context.Context, rows []*ent.Outbox) error {
	tasks := make([]Task, len(rows))
	var unmarked []nodeid.ID
	for i, r := range rows {
		// The row is the task's identity: relaying it twice queues it once.
		t := Task{ID: r.TaskType + "/outbox:" + string(r.ID) + "/relayed", Type: r.TaskType, Queue: r.Queue,
			Payload: r.Payload, MaxRetries: MaxRetries(r.TaskType)}
		if r.ProcessAt != nil {
			t.ProcessAt = *r.ProcessAt
		}
		tasks[i] = t
		if r.RelayedAt == nil {
			unmarked = append(unmarked, r.ID)
		}
	}
	if err := o.Queue.Enqueue(ctx, tasks); err != nil {
		return err
	}
	if len(unmarked) == 0 {
		return nil
	}
	return o.Client.Outbox.Update().Where(outbox.IDIn(unmarked...)).SetRelayedAt(o.Clock()).Exec(tenant.AsSystem(ctx))
}

// RelayPending moves outbox rows older than minAge that were not handed to
// the queue yet, and deletes rows relayed more than a day ago. It returns
// how many it moved.
func (o *Outbox) RelayPending(ctx context.Context, minAge time.Duration, limit int) (int, error) {
	sys := tenant.AsSystem(ctx)
	now := o.Clock()
	rows, err := o.Client.Outbox.Query().
		Where(outbox.RelayedAtIsNil(), outbox.CreatedAtLT(now.Add(-minAge))).
		Order(ent.Asc(outbox.FieldCreatedAt)).Limit(limit).All(sys)
	if err != nil {
		return 0, err
	}
	if len(rows) > 0 {
		if err := o.relayRows(sys, rows); err != nil {
			return 0, err
		}
	}
	if _, err := o.Client.Outbox.Delete().Where(outbox.RelayedAtLT(now.Add(-24 * time.Hour))).Exec(sys); err != nil {
		return len(rows), err
	}
	return len(rows), nil
}
