package deliver

import (
	"context"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// VendorRetryReason marks a delivery a vendor asked to retry: its retry
// is a queued send task, which the reconciler queues again if it was lost.
const VendorRetryReason = "vendor asked to retry"

// expiryGrace lets a TTL-0 delivery ("only if reachable now") have its
// first attempt even when the queue took a moment to get to it.
const expiryGrace = time.Minute

// Send sends one chunk of a job's deliveries: each still PENDING is
// expired if its TTL ended, sent on the self-built channel if its device
// is online there, else through a vendor channel the device has a live
// token for (and the job allows), else left waiting for the device to
// connect. Every delivery is claimed before it is sent, so it is sent at
// most once however often the task runs.
func (s *Service) Send(ctx context.Context, req pipeline.Send) (core.SendSummary, error) {
	var sum core.SendSummary
	sys := tenant.AsSystem(ctx)
	job, err := s.client.PushJob.Get(sys, req.Job)
	if ent.IsNotFound(err) {
		return sum, nil
	}
	if err != nil {
		return sum, err
	}
	return s.SendJob(sys, job, req)
}

// SendJob is Send with the job already loaded.
func (s *Service) SendJob(ctx context.Context, job *ent.PushJob, req pipeline.Send) (sum core.SendSummary, err error) {
	if s.onSend != nil {
		defer func() { s.onSend(sum) }()
	}
	sys := tenant.AsSystem(ctx)
	if job.Status == pushjob.StatusSCHEDULED {
		return sum, nil // not yet: its dispatch, when due, sends it
	}
	defer s.mark(sys, job.ID)
	ds, err := s.loadSendBatch(sys, job, req)
	if err != nil {
		return sum, err
	}
	if len(ds) == 0 {
		return sum, nil
	}
	if job.Status == pushjob.StatusREVOKED || job.Status == pushjob.StatusCANCELLED {
		_, err := s.finish(sys, core.IDsOf(ds), delivery.StatusREVOKED, "revoked before it was sent")
		return sum, err
	}
	now := s.now()
	var live []*ent.Delivery
	var expired []nodeid.ID
	for _, d := range ds {
		if d.ExpiresAt.After(now) || (job.TTLSeconds == 0 && d.Attempts == 0 && d.ExpiresAt.After(now.Add(-expiryGrace))) {
			live = append(live, d)
		} else {
			expired = append(expired, d.ID)
		}
	}
	if sum.Expired, err = s.finish(sys, expired, delivery.StatusEXPIRED, "TTL ended before it could be delivered"); err != nil {
		return sum, err
	}
	rest, err := s.sendSelf(sys, job, live, &sum)
	if err != nil {
		return sum, err
	}
	waiting, err := s.sendVendors(sys, job, rest, &sum)
	if err != nil {
		return sum, err
	}
	if job.TTLSeconds == 0 {
		// "Now or never": what could not go out now never will.
		sum.Expired += len(waiting)
		if _, err := s.finish(sys, core.IDsOf(waiting), delivery.StatusEXPIRED, "TTL 0: the device was not reachable"); err != nil {
			return sum, err
		}
	} else if err := s.wait(sys, waiting); err != nil {
		return sum, err
	}
	sum.Waiting = len(waiting)
	if sum.Retry > 0 {
		return sum, &core.ErrRetry{Count: sum.Retry, After: sum.RetryAfter}
	}
	return sum, nil
}

// sendSelf sends the deliveries whose devices are online on the self-built
// channel, and returns the others.
func (s *Service) sendSelf(ctx context.Context, job *ent.PushJob, ds []*ent.Delivery, sum *core.SendSummary) ([]*ent.Delivery, error) {
	if len(ds) == 0 || !core.ChannelAllowed(job, enum.ChannelSelf) || s.self == nil {
		return ds, nil
	}
	devices := make([]nodeid.ID, len(ds))
	for i, d := range ds {
		devices[i] = *d.DeviceID
	}
	online, err := s.self.Online(ctx, devices)
	if err != nil {
		// Presence is down: the vendor channels still work.
		s.log.WarnContext(ctx, "send: presence unavailable", "err", err)
		return ds, nil
	}
	var send, rest []*ent.Delivery
	for _, d := range ds {
		if online[*d.DeviceID] {
			d.Edges.Job = job
			send = append(send, d)
		} else {
			rest = append(rest, d)
		}
	}
	msgs, err := s.claimSelf(ctx, send)
	if err != nil {
		return nil, err
	}
	if err := s.self.SendSelf(ctx, msgs); err != nil {
		// Claimed and numbered: the devices get them when they resume.
		s.log.WarnContext(ctx, "self channel: hand-off failed", "messages", len(msgs), "err", err)
	}
	sum.Self += len(msgs)
	return rest, nil
}

// wait records a first attempt that found no way to the device: the
// delivery stays PENDING until the device connects or the TTL ends.
func (s *Service) wait(ctx context.Context, ds []*ent.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	return s.client.Delivery.Update().
		Where(delivery.IDIn(core.IDsOf(ds)...), delivery.StatusEQ(delivery.StatusPENDING)).
		AddAttempts(1).SetLastError("waiting: the device is offline and has no usable vendor channel").Exec(ctx)
}

// ExpireDue marks PENDING deliveries whose TTL ended as EXPIRED, at most
// limit of them, and returns how many.
func (s *Service) ExpireDue(ctx context.Context, limit int) (int, error) {
	sys := tenant.AsSystem(ctx)
	now := s.now()
	rows, err := s.client.Delivery.Query().
		Where(delivery.StatusEQ(delivery.StatusPENDING), delivery.ExpiresAtLTE(now),
			// A TTL-0 delivery gets its first attempt first.
			delivery.Or(delivery.AttemptsGT(0), delivery.ExpiresAtLTE(now.Add(-expiryGrace)), delivery.DeviceIDIsNil())).
		Limit(limit).Select(delivery.FieldID, delivery.FieldJobID).All(sys)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	ids := make([]nodeid.ID, len(rows))
	var jobs []nodeid.ID
	for i, r := range rows {
		ids[i] = r.ID
		jobs = append(jobs, r.JobID)
	}
	n, err := s.finish(sys, ids, delivery.StatusEXPIRED, "TTL ended before it could be delivered")
	if err != nil {
		return 0, err
	}
	s.mark(sys, core.Unique(jobs)...)
	return n, nil
}
