package push

import (
	"context"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/intake"
	"github.com/pushd/pushd/tenant"
)

// FireDue makes the occurrences of recurring pushes that are due: each is
// a job of its own, linked to its schedule. Postgres holds the schedule,
// so occurrences survive restarts; when pushd was down through several,
// only the latest is sent (a backlog of stale reminders helps nobody).
// Several nodes may call it at once: the schedule only advances from the
// time one of them read. It returns the jobs it made.
func (s *Service) FireDue(ctx context.Context, limit int) ([]*ent.PushJob, error) {
	sys := tenant.AsSystem(ctx)
	now := s.now()
	due, err := s.client.PushJob.Query().
		Where(pushjob.RecurrenceNotNil(), pushjob.StatusEQ(pushjob.StatusSCHEDULED), pushjob.ScheduleAtLTE(now)).
		Limit(limit).All(sys)
	if err != nil {
		return nil, err
	}
	var fired []*ent.PushJob
	for _, parent := range due {
		child, err := s.fire(sys, parent, now)
		if err != nil {
			s.log.WarnContext(ctx, "recurring push: occurrence failed", "schedule", parent.ID, "err", err)
			continue
		}
		if child != nil {
			fired = append(fired, child)
		}
	}
	return fired, nil
}

func (s *Service) fire(ctx context.Context, parent *ent.PushJob, now time.Time) (*ent.PushJob, error) {
	sched, loc, err := intake.ParseRecurrence(*parent.Recurrence)
	if err != nil {
		return nil, err
	}
	fireAt := *parent.ScheduleAt
	next := intake.NextOccurrence(sched, loc, *parent.Recurrence, fireAt)
	for next != nil && !next.After(now) {
		fireAt = *next
		next = intake.NextOccurrence(sched, loc, *parent.Recurrence, fireAt)
	}
	var child *ent.PushJob
	var outbox []*ent.Outbox
	err = s.withTx(ctx, func(tx *ent.Tx) error {
		adv := tx.PushJob.Update().
			Where(pushjob.ID(parent.ID), pushjob.StatusEQ(pushjob.StatusSCHEDULED), pushjob.ScheduleAt(*parent.ScheduleAt))
		if next != nil {
			adv.SetScheduleAt(*next)
		} else {
			adv.SetStatus(pushjob.StatusDONE).SetFinishedAt(now)
		}
		n, err := adv.Save(ctx)
		if err != nil || n == 0 {
			return err // n == 0: another node fired it
		}
		ttl := time.Duration(parent.TTLSeconds) * time.Second
		c := tx.PushJob.Create().SetAppID(parent.AppID).SetKind(parent.Kind).SetScheduleID(parent.ID).
			SetMessage(parent.Message).SetTarget(parent.Target).SetAudience(parent.Audience).SetOptions(parent.Options).
			SetTTLSeconds(parent.TTLSeconds).SetTaskName(parent.TaskName).SetScheduleAt(fireAt).
			SetExpiresAt(fireAt.Add(ttl)).SetNillableTemplateName(parent.TemplateName)
		var targets *resolved
		if parent.Kind != enum.PushKindBroadcast {
			ref := jobRef{ID: nodeid.New(jobIDPrefix), AppID: parent.AppID, ExpiresAt: fireAt.Add(ttl)}
			if targets, err = s.resolveTargets(ctx, tx, ref, []planItem{{target: parent.Target}}); err != nil {
				return err
			}
			c.SetID(ref.ID)
			targets.setCounts(c)
		}
		if child, err = c.Save(ctx); err != nil {
			return err
		}
		if targets != nil {
			if err := targets.write(ctx, tx); err != nil {
				return err
			}
		}
		ob, err := pipeline.OutboxRow(tx, child.AppID, pipeline.NewTask(pipeline.Dispatch{Job: child.ID}, pipeline.QueueFor(child.Kind), "")).
			SetRelayedAt(now).Save(ctx)
		outbox = append(outbox, ob)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.outbox.Relay(ctx, outbox)
	s.jobChanged(ctx, parent.ID)
	return child, nil
}
