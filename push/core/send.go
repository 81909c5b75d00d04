package core

import (
	"context"
	"fmt"
	"time"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Outgoing is one message for one device on a vendor channel.
type Outgoing struct {
	DeliveryID nodeid.ID
	DeviceID   nodeid.ID
	AppID      nodeid.ID
	// JobID travels to vendors that echo a tag in their receipts, so a
	// receipt finds its delivery.
	JobID    nodeid.ID
	Kind     enum.PushKind
	Platform enum.Platform
	Token    string
	Message  jsontype.Message
	// ExpiresAt is when the message stops being worth delivering; vendors
	// get the remaining TTL in their own form.
	ExpiresAt time.Time
	// Test asks for the vendor's test message, where it has one.
	Test bool
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
	// found the token invalid (a vendor's timestamp): a token the device
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
	// Held counts deliveries over a vendor's daily per-device cap that
	// wait for it to reset.
	Held int
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

// ErrRetry is returned (wrapped) when some deliveries of a send failed
// transiently: the task is retried, and only those are sent again (the
// rest are no longer PENDING).
type ErrRetry struct {
	Count int
	After time.Duration
}

// CountVendor counts one vendor answer.
func (s *SendSummary) CountVendor(c enum.Channel, o Outcome) {
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

// Add adds another summary's counts.
func (s *SendSummary) Add(o SendSummary) {
	s.Self += o.Self
	s.Vendor += o.Vendor
	s.Waiting += o.Waiting
	s.Expired += o.Expired
	s.Failed += o.Failed
	s.Retry += o.Retry
	s.Held += o.Held
	s.Resends += o.Resends
	s.RetryAfter = max(s.RetryAfter, o.RetryAfter)
	for k, n := range o.Vendors {
		if s.Vendors == nil {
			s.Vendors = map[VendorOutcome]int{}
		}
		s.Vendors[k] += n
	}
}

func (e *ErrRetry) Error() string {
	return fmt.Sprintf("%d deliveries to retry after %s", e.Count, e.After)
}

// QuotaUsage is what a vendor's daily per-device cap of content and
// marketing messages let through for one app on one day (Beijing time).
type QuotaUsage struct {
	MarketingPerDevice int
	Day                string
	Sent, Held, Failed int
	DevicesAtCap       int
}
