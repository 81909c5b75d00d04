package push

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/tenant"
)

// Outgoing is one message for one device on a vendor channel.
type Outgoing struct {
	DeliveryID nodeid.ID
	DeviceID   nodeid.ID
	AppID      nodeid.ID
	// JobID travels to vendors that echo a tag in their receipts (Huawei
	// bi_tag, Xiaomi callback.param), so a receipt finds its delivery.
	JobID    nodeid.ID
	Kind     enum.PushKind
	Platform enum.Platform
	Token    string
	Message  jsontype.Message
	// ExpiresAt is when the message stops being worth delivering; vendors
	// get the remaining TTL in their own form.
	ExpiresAt time.Time
}

// Outcome is what became of one vendor send.
type Outcome int

// Outcomes of a vendor send.
const (
	// OutcomeSent: the vendor accepted the message.
	OutcomeSent Outcome = iota
	// OutcomeRetry: a transient failure; try again after RetryAfter.
	OutcomeRetry
	// OutcomeTokenDead: the token will never work again.
	OutcomeTokenDead
	// OutcomeFailed: this message cannot be sent (its payload was
	// refused); retrying will not help.
	OutcomeFailed
	// OutcomeConfigError: the vendor refused the channel's credentials or
	// configuration (bad key, wrong topic, project mismatch): no message
	// on this channel can go out until an operator fixes it. The channel
	// config is flagged with Reason, and its pushes fail fast.
	OutcomeConfigError
)

// Result is the outcome of one Outgoing, with the vendor's reason.
type Result struct {
	Outcome Outcome
	// Reason is the vendor's word for a failure ("Unregistered",
	// "UNAVAILABLE", "80300007"), shown to users as the delivery's error.
	Reason string
	// RetryAfter, for OutcomeRetry, is the least delay the vendor asked
	// for (Retry-After); zero lets the queue's backoff decide.
	RetryAfter time.Duration
	// TokenInvalidSince, for OutcomeTokenDead, is when the vendor last
	// found the token invalid (APNs 410 timestamp): a token the device
	// registered after it stays alive. Zero means now.
	TokenInvalidSince time.Time
}

// Sender delivers through one vendor channel. Send returns one result per
// message, in order.
type Sender interface {
	Send(ctx context.Context, msgs []Outgoing) []Result
}

// SendSummary counts what one Send did.
type SendSummary struct {
	Self, Vendor, Waiting, Expired, Failed, Retry int
	// Resends counts vendor sends of deliveries taken back from a sender
	// that died or stopped (lease expired or released): each may be a
	// duplicate at the vendor.
	Resends int
	// RetryAfter is the longest delay a vendor asked for.
	RetryAfter time.Duration
	// Vendors counts the vendor channels' answers by channel and outcome.
	Vendors map[VendorOutcome]int
}

// VendorOutcome is one channel's answer, for metrics.
type VendorOutcome struct {
	Channel enum.Channel
	// Outcome is sent, retry, token_dead, failed or config_error.
	Outcome string
}

func (s *SendSummary) vendor(c enum.Channel, o Outcome) {
	if s.Vendors == nil {
		s.Vendors = map[VendorOutcome]int{}
	}
	name := [...]string{OutcomeSent: "sent", OutcomeRetry: "retry", OutcomeTokenDead: "token_dead", OutcomeFailed: "failed", OutcomeConfigError: "config_error"}
	label := "failed"
	if int(o) < len(name) {
		label = name[o]
	}
	s.Vendors[VendorOutcome{c, label}]++
}

func (s *SendSummary) add(o SendSummary) {
	s.Self += o.Self
	s.Vendor += o.Vendor
	s.Waiting += o.Waiting
	s.Expired += o.Expired
	s.Failed += o.Failed
	s.Retry += o.Retry
	s.Resends += o.Resends
	s.RetryAfter = max(s.RetryAfter, o.RetryAfter)
	for k, n := range o.Vendors {
		if s.Vendors == nil {
			s.Vendors = map[VendorOutcome]int{}
		}
		s.Vendors[k] += n
	}
}

// ErrRetry is returned (wrapped) when some deliveries of a send failed
// transiently: the task is retried, and only those are sent again (the
// rest are no longer PENDING).
type ErrRetry struct {
	Count int
	After time.Duration
}

func (e *ErrRetry) Error() string {
	return fmt.Sprintf("%d deliveries to retry after %s", e.Count, e.After)
}

// vendorRetryReason marks a delivery a vendor asked to retry: its retry
// is a queued send task, which the reconciler queues again if it was lost.
const vendorRetryReason = "vendor asked to retry"

// expiryGrace lets a TTL-0 delivery ("only if reachable now") have its
// first attempt even when the queue took a moment to get to it.
const expiryGrace = time.Minute

// Send sends one chunk of a job's deliveries: each still PENDING is
// expired if its TTL ended, sent on the self-built channel if its device
// is online there, else through a vendor channel the device has a live
// token for (and the job allows), else left waiting for the device to
// connect. Every delivery is claimed before it is sent, so it is sent at
// most once however often the task runs.
func (s *Service) Send(ctx context.Context, req SendRequest) (SendSummary, error) {
	var sum SendSummary
	sys := tenant.AsSystem(ctx)
	job, err := s.client.PushJob.Get(sys, req.Job)
	if ent.IsNotFound(err) {
		return sum, nil
	}
	if err != nil {
		return sum, err
	}
	return s.sendJob(sys, job, req)
}

// sendJob is Send with the job already loaded.
func (s *Service) sendJob(ctx context.Context, job *ent.PushJob, req SendRequest) (sum SendSummary, err error) {
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
		_, err := s.setStatus(sys, idsOf(ds), delivery.StatusREVOKED, "revoked before it was sent")
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
	if sum.Expired, err = s.setStatus(sys, expired, delivery.StatusEXPIRED, "TTL ended before it could be delivered"); err != nil {
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
		if _, err := s.setStatus(sys, idsOf(waiting), delivery.StatusEXPIRED, "TTL 0: the device was not reachable"); err != nil {
			return sum, err
		}
	} else if err := s.wait(sys, waiting); err != nil {
		return sum, err
	}
	sum.Waiting = len(waiting)
	if sum.Retry > 0 {
		return sum, &ErrRetry{Count: sum.Retry, After: sum.RetryAfter}
	}
	return sum, nil
}

func idsOf(ds []*ent.Delivery) []nodeid.ID {
	out := make([]nodeid.ID, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

// sendSelf sends the deliveries whose devices are online on the self-built
// channel, and returns the others.
func (s *Service) sendSelf(ctx context.Context, job *ent.PushJob, ds []*ent.Delivery, sum *SendSummary) ([]*ent.Delivery, error) {
	if len(ds) == 0 || !channelAllowed(job, enum.ChannelSelf) || s.self == nil {
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

func channelAllowed(job *ent.PushJob, c enum.Channel) bool {
	return len(job.Options.Channels) == 0 || slices.Contains(job.Options.Channels, c)
}

// setStatus moves PENDING deliveries to a final status.
func (s *Service) setStatus(ctx context.Context, ids []nodeid.ID, to delivery.Status, reason string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	return s.client.Delivery.Update().
		Where(delivery.IDIn(ids...), delivery.StatusEQ(delivery.StatusPENDING)).
		SetStatus(to).SetLastError(reason).Save(ctx)
}

// wait records a first attempt that found no way to the device: the
// delivery stays PENDING until the device connects or the TTL ends.
func (s *Service) wait(ctx context.Context, ds []*ent.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	return s.client.Delivery.Update().
		Where(delivery.IDIn(idsOf(ds)...), delivery.StatusEQ(delivery.StatusPENDING)).
		AddAttempts(1).SetLastError("waiting: the device is offline and has no usable vendor channel").Exec(ctx)
}
