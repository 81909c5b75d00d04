package deliver

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/credentials"
	"github.com/pushd/pushd/push/pushdb"
)

// MaxVendorAttempts bounds the tries of one delivery on vendor channels,
// whoever retries it (the send task's retries, the reconciler, a vendor's
// Retry-After): past it the delivery fails with the vendor's last reason.
// A vendor's SDK may retry inside one try (docs/channels.md says which and
// how often), so the requests one message costs are bounded by this times
// that.
const MaxVendorAttempts = 10

// maxFallbacks bounds how many vendor channels one delivery tries in one
// send when its tokens turn out dead one after the other.
const maxFallbacks = 4

// pick is the way out chosen for one device.
type pick struct {
	route *credentials.Route
	token string
	// blocked, when no route was chosen, says why the device cannot be
	// reached at all: its only channels are broken. Empty means it simply
	// has no vendor channel and waits for the self-built one.
	blocked string
}

// pickVendor chooses the channel and token for a device among the app's
// working routes that the job allows.
func pickVendor(order []enum.Channel, job *ent.PushJob, d *ent.Device, routes map[enum.Channel]*credentials.Route) pick {
	var p pick
	for _, c := range order {
		r := routes[c]
		if r == nil || !core.ChannelAllowed(job, c) {
			continue
		}
		for _, t := range d.Edges.Tokens {
			if t.Channel != c || t.Status != devicetoken.StatusACTIVE {
				continue
			}
			if why := r.BrokenReason(); why != "" {
				if p.blocked == "" {
					p.blocked = string(c) + " channel is misconfigured: " + why
				}
				continue
			}
			return pick{route: r, token: t.Token}
		}
	}
	return p
}

// dropToken forgets a dead token in the loaded device, so the next pick
// falls back to another channel.
func dropToken(d *ent.Device, c enum.Channel) {
	for _, t := range d.Edges.Tokens {
		if t.Channel == c {
			t.Status = devicetoken.StatusDEAD
		}
	}
}

// vendorRound is what one round of vendor sends left to do.
type vendorRound struct {
	// again are deliveries whose channel failed for good (dead token,
	// broken configuration) and whose device has another: they are
	// PENDING again and go out on the next channel in the next round.
	again []*ent.Delivery
}

// sendVendors sends through the app's vendor channels and returns the
// deliveries that have none (they wait for the self-built channel).
func (s *Service) sendVendors(ctx context.Context, job *ent.PushJob, ds []*ent.Delivery, sum *core.SendSummary) ([]*ent.Delivery, error) {
	if len(ds) == 0 {
		return ds, nil
	}
	routes, err := s.creds.Routes(ctx, job.AppID)
	if err != nil {
		return nil, err
	}
	if len(routes) == 0 {
		return ds, nil
	}
	var waiting []*ent.Delivery
	for round := 0; round < maxFallbacks && len(ds) > 0; round++ {
		byChannel := map[enum.Channel][]core.Outgoing{}
		byID := map[nodeid.ID]*ent.Delivery{}
		blocked := map[string][]nodeid.ID{}
		for _, d := range ds {
			p := pickVendor(s.preference, job, d.Edges.Device, routes)
			switch {
			case p.route != nil:
				byChannel[p.route.Channel()] = append(byChannel[p.route.Channel()], outgoingOf(job, d, p.token))
				byID[d.ID] = d
			case p.blocked != "":
				blocked[p.blocked] = append(blocked[p.blocked], d.ID)
			default:
				waiting = append(waiting, d)
			}
		}
		for c, out := range byChannel {
			if byChannel[c], err = s.applyQuota(ctx, job, c, s.capOf(c, routes[c].MarketingCap()), out, sum); err != nil {
				return nil, err
			}
		}
		for reason, ids := range blocked {
			n, err := s.finish(ctx, ids, delivery.StatusFAILED, reason)
			if err != nil {
				return nil, err
			}
			sum.Failed += n
		}
		if ds, err = s.sideBySide(byChannel, sum, func(c enum.Channel, out []core.Outgoing, part *core.SendSummary) (vendorRound, error) {
			return s.sendVendor(ctx, job, routes, routes[c], out, byID, part)
		}); err != nil {
			return nil, err
		}
	}
	if len(ds) > 0 {
		// Out of fallbacks: what is left waits, like a device with none.
		waiting = append(waiting, ds...)
	}
	return waiting, nil
}

// outgoingOf is d's message for its vendor, sent to token.
func outgoingOf(job *ent.PushJob, d *ent.Delivery, token string) core.Outgoing {
	m := job.Message
	if d.Message != nil {
		m = *d.Message
	}
	return core.Outgoing{
		DeliveryID: d.ID, DeviceID: *d.DeviceID, AppID: d.AppID, JobID: job.ID, Kind: job.Kind,
		Platform: d.Edges.Device.Platform, Token: token, Message: m, ExpiresAt: d.ExpiresAt,
		Test: job.Options.TestMessage,
	}
}

// sideBySide sends each channel's messages at once, as send does for one
// channel: each waits on its own vendor, and a delivery is in one
// channel's batch only, so they share no delivery or device. It adds
// their summaries to sum and returns the deliveries handed on to another
// channel.
func (s *Service) sideBySide(byChannel map[enum.Channel][]core.Outgoing, sum *core.SendSummary, send func(enum.Channel, []core.Outgoing, *core.SendSummary) (vendorRound, error)) ([]*ent.Delivery, error) {
	var wg sync.WaitGroup
	rounds := make([]vendorRound, len(s.preference))
	sums := make([]core.SendSummary, len(s.preference))
	errs := make([]error, len(s.preference))
	for i, c := range s.preference {
		if out := byChannel[c]; len(out) > 0 {
			wg.Go(func() { rounds[i], errs[i] = send(c, out, &sums[i]) })
		}
	}
	wg.Wait()
	var again []*ent.Delivery
	for i := range s.preference {
		sum.Add(sums[i])
		again = append(again, rounds[i].again...)
	}
	return again, errors.Join(errs...)
}

// suspectReasons are token errors that, when a vendor gives them for a
// whole batch and accepts nothing, mean the credentials are for the wrong
// environment or project (docs/channels.md): the tokens are fine.
var suspectReasons = []string{"BadDeviceToken", "SENDER_ID_MISMATCH", "noRight"}

// MassKillThreshold is how many such answers, with no success, make a
// batch a configuration error instead of that many dead tokens.
const MassKillThreshold = 5

// recordTimeout bounds the writes that record a batch's results. They run
// even when the task's context has ended (shutdown, task timeout): a
// claimed delivery whose result is not recorded would stay SENT unsent.
const recordTimeout = 30 * time.Second

// suspectBatch says why a batch's dead tokens look like a configuration
// error, or "" when they do not.
func suspectBatch(results []core.Result) string {
	if len(results) < MassKillThreshold {
		return ""
	}
	first := results[0].Reason
	for _, r := range results {
		if r.Outcome != core.OutcomeTokenDead || r.Reason != first {
			return ""
		}
	}
	for _, w := range suspectReasons {
		if strings.Contains(first, w) {
			return fmt.Sprintf("every one of %d tokens was refused (%s) and none accepted: the credentials' environment or project likely does not match the apps' builds; no token was marked dead", len(results), first)
		}
	}
	return ""
}

// sendVendor claims, sends and records one channel's messages.
func (s *Service) sendVendor(ctx context.Context, job *ent.PushJob, routes map[enum.Channel]*credentials.Route, r *credentials.Route, out []core.Outgoing, byID map[nodeid.ID]*ent.Delivery, sum *core.SendSummary) (vendorRound, error) {
	cl, mine, err := s.claimOutgoing(ctx, r.Channel(), jobExpiry(job), out)
	if err != nil || len(mine) == 0 {
		return vendorRound{}, err
	}
	sum.Resends += cl.resends
	return s.sendAndRecord(ctx, job, routes, r, cl, mine, byID, sum)
}

// sendAndRecord sends messages whose deliveries cl holds and records the
// vendor's answers under its lease.
func (s *Service) sendAndRecord(ctx context.Context, job *ent.PushJob, routes map[enum.Channel]*credentials.Route, r *credentials.Route, cl claimed, mine []core.Outgoing, byID map[nodeid.ID]*ent.Delivery, sum *core.SendSummary) (vendorRound, error) {
	defer s.recording.leave(s.recording.enter(ctx))
	results := s.sendClaimed(ctx, r, mine, cl.deadline)
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	a := &answers{failed: map[string][]nodeid.ID{}}
	for i, o := range mine {
		s.sortAnswer(rec, a, answerOf{job: job, routes: routes, route: r, out: o, d: byID[o.DeliveryID], res: results[i]}, sum)
	}
	return a.next, s.recordAnswers(rec, cl.hold, a, sum)
}

// jobExpiry is the expiry of a job's deliveries: each has the job's.
func jobExpiry(job *ent.PushJob) pushdb.Expiry {
	if job.ExpiresAt == nil {
		return pushdb.Expiry{}
	}
	return pushdb.ExpiryOf(*job.ExpiresAt)
}

// claimOutgoing claims the messages' deliveries on channel c and returns
// the messages whose deliveries this send holds now. expiry holds their
// expiries.
func (s *Service) claimOutgoing(ctx context.Context, c enum.Channel, expiry pushdb.Expiry, out []core.Outgoing) (claimed, []core.Outgoing, error) {
	want := make([]nodeid.ID, len(out))
	for i, o := range out {
		want[i] = o.DeliveryID
	}
	cl, err := s.claim(ctx, want, expiry, c)
	if err != nil {
		return cl, nil, err
	}
	mine := out[:0]
	for _, o := range out {
		if cl.ids[o.DeliveryID] {
			mine = append(mine, o)
		}
	}
	return cl, mine, nil
}

// sendClaimed hands claimed messages to the route's sender and returns one
// result per message: a missing result is a retry, and a batch the vendor
// refused as a whole for a credential reason is a configuration error.
func (s *Service) sendClaimed(ctx context.Context, r *credentials.Route, mine []core.Outgoing, deadline time.Time) []core.Result {
	// The vendor gets the lease less the time to record its answers:
	// what it has not answered by then is retried, never left to lapse.
	sendCtx, cancelSend := context.WithDeadline(ctx, deadline)
	defer cancelSend()
	var sender core.Sender = r.Sender()
	results := sender.Send(sendCtx, mine)
	for len(results) < len(mine) {
		results = append(results, core.Result{Outcome: core.OutcomeRetry, Reason: "no result from sender"})
	}
	results = results[:len(mine)]
	if why := suspectBatch(results); why != "" {
		for i := range mine {
			results[i] = core.Result{Outcome: core.OutcomeConfigError, Reason: why}
		}
	}
	return results
}

// answers are a send's vendor answers, sorted by what becomes of each
// delivery.
type answers struct {
	sent, retry, again []nodeid.ID
	// failed are the deliveries that failed for good, by reason.
	failed map[string][]nodeid.ID
	next   vendorRound
	errs   []error
}

// fallBack moves a delivery whose channel failed for good to the device's
// next channel, or fails it when the device has none left.
func (a *answers) fallBack(order []enum.Channel, ans answerOf, reason string) {
	if pickVendor(order, ans.job, ans.d.Edges.Device, ans.routes).route == nil {
		a.failed[reason] = append(a.failed[reason], ans.d.ID)
		return
	}
	a.again = append(a.again, ans.d.ID)
	a.next.again = append(a.next.again, ans.d)
}

// answerOf is one message's answer with what deciding on it needs.
type answerOf struct {
	job    *ent.PushJob
	routes map[enum.Channel]*credentials.Route
	route  *credentials.Route
	out    core.Outgoing
	d      *ent.Delivery
	res    core.Result
}

// sortAnswer decides what becomes of one delivery from its vendor's
// answer: sent, retried, moved to another channel or failed.
func (s *Service) sortAnswer(rec context.Context, a *answers, ans answerOf, sum *core.SendSummary) {
	o, res, r := ans.out, ans.res, ans.route
	sum.CountVendor(r.Channel(), res.Outcome)
	switch res.Outcome {
	case core.OutcomeSent:
		a.sent = append(a.sent, o.DeliveryID)
	case core.OutcomeRetry:
		if ans.d.Attempts+1 >= MaxVendorAttempts {
			why := fmt.Sprintf("gave up after %d attempts: %s", ans.d.Attempts+1, res.Reason)
			a.failed[why] = append(a.failed[why], o.DeliveryID)
			return
		}
		a.retry = append(a.retry, o.DeliveryID)
		sum.RetryAfter = max(sum.RetryAfter, res.RetryAfter)
	case core.OutcomeTokenDead:
		s.sortDeadToken(rec, a, ans)
	case core.OutcomeConfigError:
		if r.BrokenReason() == "" {
			flagged, err := s.creds.Flag(rec, ans.job.AppID, r, res.Reason)
			if err != nil || !flagged {
				// Not recorded, or saved again meanwhile: the new
				// credentials get their chance on the retry.
				a.errs = append(a.errs, err)
				a.retry = append(a.retry, o.DeliveryID)
				return
			}
		}
		a.fallBack(s.preference, ans, string(r.Channel())+" channel is misconfigured: "+r.BrokenReason())
	default:
		a.failed[res.Reason] = append(a.failed[res.Reason], o.DeliveryID)
	}
}

// sortDeadToken decides on a delivery whose vendor called its token dead.
func (s *Service) sortDeadToken(rec context.Context, a *answers, ans answerOf) {
	o, res, ch := ans.out, ans.res, ans.route.Channel()
	state, err := s.killToken(rec, o.DeviceID, ch, o.Token, res.Reason, res.TokenInvalidSince)
	switch {
	case err != nil:
		a.errs = append(a.errs, err)
		a.retry = append(a.retry, o.DeliveryID) // decided on the next try
	case state == tokenReplaced:
		// The device registered a new token meanwhile: try it.
		a.retry = append(a.retry, o.DeliveryID)
	case state == tokenAlive:
		// Registered again after the vendor last found it invalid: the
		// token lives on, but this message was refused.
		a.failed[res.Reason] = append(a.failed[res.Reason], o.DeliveryID)
	default:
		dropToken(ans.d.Edges.Device, ch)
		a.fallBack(s.preference, ans, res.Reason)
	}
}

// recordAnswers writes what the answers decided, under the send's lease.
func (s *Service) recordAnswers(rec context.Context, lease hold, a *answers, sum *core.SendSummary) error {
	// One statement for the batch's accepted messages. If it fails they
	// stay SENDING, and the lease's lapse sends them again: a duplicate,
	// never a message recorded as sent that was not.
	if err := s.confirmSent(rec, lease, a.sent); err != nil {
		a.errs = append(a.errs, err)
	} else {
		sum.Vendor += len(a.sent)
	}
	sum.Retry += len(a.retry)
	// Back to PENDING with the retry mark, so that if this process dies
	// before the retry or the next round, the reconciler finds them.
	a.errs = append(a.errs, s.unclaim(rec, lease, a.retry, VendorRetryReason), s.unclaim(rec, lease, a.again, VendorRetryReason))
	for reason, ids := range a.failed {
		n, err := s.failClaimed(rec, lease, ids, reason)
		a.errs = append(a.errs, err)
		sum.Failed += n
	}
	return errors.Join(a.errs...)
}

// What killToken found.
type tokenState int

const (
	tokenKilled tokenState = iota
	// tokenAlive: registered again after the vendor found it invalid.
	tokenAlive
	// tokenReplaced: the device has another live token on the channel now.
	tokenReplaced
)

// killToken marks a device's token dead, unless the device registered it
// after the vendor last found it invalid (since; zero means now).
func (s *Service) killToken(ctx context.Context, dev nodeid.ID, c enum.Channel, token, reason string, since time.Time) (tokenState, error) {
	upd := s.client.DeviceToken.Update().
		Where(devicetoken.DeviceID(dev), devicetoken.ChannelEQ(c), devicetoken.Token(token), devicetoken.StatusEQ(devicetoken.StatusACTIVE))
	if !since.IsZero() {
		// Vendors stamp to the millisecond; a second of slack
		// keeps a token that died right after it was registered dead.
		upd.Where(devicetoken.UpdatedAtLT(since.Add(time.Second)))
	}
	n, err := upd.SetStatus(devicetoken.StatusDEAD).SetDeadReason(reason).SetDeadAt(s.now()).Save(ctx)
	if err != nil || n > 0 {
		return tokenKilled, err
	}
	// Not killed: already dead (another send got there first), alive
	// because it was registered again after since, or replaced.
	cur, err := s.client.DeviceToken.Query().
		Where(devicetoken.DeviceID(dev), devicetoken.ChannelEQ(c), devicetoken.StatusEQ(devicetoken.StatusACTIVE)).
		Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return tokenKilled, nil
	case err != nil:
		return tokenKilled, err
	case cur.Token == token:
		return tokenAlive, nil
	}
	return tokenReplaced, nil
}
