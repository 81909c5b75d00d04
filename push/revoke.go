package push

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// RevokePush withdraws a push: what is not sent yet becomes REVOKED and is
// never sent (a broadcast still fanning out stops); what went out on the
// self-built channel is withdrawn from the devices with a revoke frame.
// Messages a vendor already accepted cannot be recalled and keep their
// status. Revoking a recurring push cancels it. Revoking twice is harmless.
func (s *Service) RevokePush(ctx context.Context, id nodeid.ID) (*ent.PushJob, error) {
	job, err := s.ownJob(ctx, id)
	if err != nil {
		return nil, err
	}
	if job.Recurrence != nil {
		return s.CancelPush(ctx, id)
	}
	if job.Status == pushjob.StatusREVOKED || job.Status == pushjob.StatusCANCELLED {
		return job, nil
	}
	sys := tenant.AsSystem(ctx)
	var withdrawn []core.SelfRevoke
	err = s.withTx(sys, func(tx *ent.Tx) error {
		if err := tx.PushJob.UpdateOneID(id).SetStatus(pushjob.StatusREVOKED).SetFinishedAt(s.now()).Exec(sys); err != nil {
			return err
		}
		if err := tx.Delivery.Update().Where(delivery.JobID(id), delivery.StatusEQ(delivery.StatusPENDING)).
			SetStatus(delivery.StatusREVOKED).SetLastError("revoked before it was sent").Exec(sys); err != nil {
			return err
		}
		// One statement however many there are (a list of IDs would meet
		// the database's limit on parameters past about 30,000).
		query, args := sql.Dialect(s.dialect).Update(delivery.Table).
			Set(delivery.FieldStatus, delivery.StatusREVOKED.String()).
			Set(delivery.FieldLastError, "revoked after it was sent: withdrawn from the device").
			Set(delivery.FieldUpdatedAt, s.now()).
			Where(sql.And(
				sql.EQ(delivery.FieldJobID, string(id)),
				sql.EQ(delivery.FieldChannel, string(enum.ChannelSelf)),
				sql.In(delivery.FieldStatus, delivery.StatusSENT.String(), delivery.StatusARRIVED.String()),
			)).
			Returning(delivery.FieldID, delivery.FieldDeviceID).Query()
		rows, err := tx.QueryContext(sys, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var msg, dev string
			if err := rows.Scan(&msg, &dev); err != nil {
				return err
			}
			withdrawn = append(withdrawn, core.SelfRevoke{MessageID: nodeid.ID(msg), DeviceID: nodeid.ID(dev)})
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if s.self != nil && len(withdrawn) > 0 {
		for _, part := range core.Chunks(withdrawn, SendBatch) {
			if err := s.self.RevokeSelf(sys, part); err != nil {
				s.log.WarnContext(ctx, "revoke: hand-off to gateway", "job", id, "err", err)
			}
		}
	}
	// Counted now, so the answer shows the withdrawn deliveries.
	if err := s.RefreshJob(sys, id); err != nil {
		s.log.WarnContext(ctx, "refresh job", "job", id, "err", err)
	}
	s.jobChanged(sys, id)
	return s.client.PushJob.Get(sys, id)
}

// CancelPush stops a scheduled or recurring push before it runs (again).
func (s *Service) CancelPush(ctx context.Context, id nodeid.ID) (*ent.PushJob, error) {
	job, err := s.ownJob(ctx, id)
	if err != nil {
		return nil, err
	}
	if job.Status == pushjob.StatusCANCELLED {
		return job, nil
	}
	if job.Status != pushjob.StatusSCHEDULED {
		return nil, core.Conflict("only a scheduled or recurring push can be cancelled (this one is %s); use revokePush", job.Status)
	}
	sys := tenant.AsSystem(ctx)
	err = s.withTx(sys, func(tx *ent.Tx) error {
		n, err := tx.PushJob.Update().Where(pushjob.ID(id), pushjob.StatusEQ(pushjob.StatusSCHEDULED)).
			SetStatus(pushjob.StatusCANCELLED).SetFinishedAt(s.now()).Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return core.Conflict("the push started before it could be cancelled; use revokePush")
		}
		return tx.Delivery.Update().Where(delivery.JobID(id), delivery.StatusEQ(delivery.StatusPENDING)).
			SetStatus(delivery.StatusREVOKED).SetLastError("cancelled before it was sent").Exec(sys)
	})
	if err != nil {
		return nil, err
	}
	// Counted now, so the answer shows the withdrawn deliveries.
	if err := s.RefreshJob(sys, id); err != nil {
		s.log.WarnContext(ctx, "refresh job", "job", id, "err", err)
	}
	s.jobChanged(sys, id)
	return s.client.PushJob.Get(sys, id)
}

// ownJob loads a job the caller may change.
func (s *Service) ownJob(ctx context.Context, id nodeid.ID) (*ent.PushJob, error) {
	job, err := s.client.PushJob.Get(ctx, id)
	if err != nil {
		return nil, core.NotFoundAs(err, "push job")
	}
	if err := tenant.Require(ctx, job.AppID, tenant.NeedWrite); err != nil {
		return nil, err
	}
	return job, nil
}

// deliverToBoundDevice gives a device just bound to a user the messages
// sent to that user whose TTL still runs: one delivery per (job, device),
// so binding again, or binding a second device, never repeats a message on
// one device. The send goes through the outbox like any other.
func (s *Service) deliverToBoundDevice(ctx context.Context, d *ent.Device, user nodeid.ID) error {
	sys := tenant.AsSystem(ctx)
	anchors, err := s.client.Delivery.Query().
		Where(delivery.AppUserID(user), delivery.DeviceIDIsNil(), delivery.StatusEQ(delivery.StatusPENDING),
			delivery.ExpiresAtGT(s.now())).
		WithJob().All(sys)
	if err != nil || len(anchors) == 0 {
		return err
	}
	// One delivery per (job, device): a job the device already has (it
	// was bound before, or the user was named twice) is skipped.
	var jobIDs []nodeid.ID
	for _, a := range anchors {
		jobIDs = append(jobIDs, a.JobID)
	}
	var had []nodeid.ID
	if err := s.client.Delivery.Query().Where(delivery.DeviceID(d.ID), delivery.JobIDIn(core.Unique(jobIDs)...)).
		Select(delivery.FieldJobID).Scan(sys, &had); err != nil {
		return err
	}
	skip := map[nodeid.ID]bool{}
	for _, j := range had {
		skip[j] = true
	}
	var outbox []*ent.Outbox
	var jobs []nodeid.ID
	err = s.withTx(sys, func(tx *ent.Tx) error {
		var rows []*ent.DeliveryCreate
		for _, a := range anchors {
			if a.Edges.Job == nil || finalJob(a.Edges.Job.Status) || skip[a.JobID] {
				continue
			}
			skip[a.JobID] = true
			c := tx.Delivery.Create().SetAppID(a.AppID).SetJobID(a.JobID).SetDeviceID(d.ID).
				SetExpiresAt(a.ExpiresAt).SetNillableMsgKey(a.MsgKey)
			if a.Message != nil {
				c.SetMessage(a.Message)
			}
			if !d.PushEnabled {
				c.SetStatus(delivery.StatusFAILED).SetLastError("push is disabled on the device")
			}
			rows = append(rows, c)
			jobs = append(jobs, a.JobID)
			if a.Edges.Job.Status == pushjob.StatusSCHEDULED {
				continue // its dispatch, when due, sends it
			}
			send := pipeline.Send{Job: a.JobID, Devices: []nodeid.ID{d.ID}}
			ob, err := pipeline.OutboxRow(tx, a.AppID, pipeline.NewTask(send, pipeline.QueueFor(a.Edges.Job.Kind), "")).Save(sys)
			if err != nil {
				return err
			}
			outbox = append(outbox, ob)
		}
		// A bulk insert, which, unlike a single-row one, does not fail when
		// a concurrent bind wrote the same (job, device) first.
		for _, chunk := range core.Chunks(rows, 1000) {
			if err := tx.Delivery.CreateBulk(chunk...).
				OnConflictColumns(delivery.FieldJobID, delivery.FieldDeviceID, delivery.FieldExpiresAt).DoNothing().Exec(sys); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.outbox.Relay(sys, outbox)
	s.mark(sys, jobs...)
	return nil
}
