package push

import (
	"context"
	"fmt"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// vendorPreference orders a device's vendor channels: the platform's own
// first (APNs on iOS; Huawei and Xiaomi before FCM on Android phones of
// those brands, which is what their tokens mean), FCM last.
var vendorPreference = []enum.Channel{enum.ChannelAPNs, enum.ChannelHuawei, enum.ChannelXiaomi, enum.ChannelFCM}

// MaxVendorAttempts bounds the tries of one delivery on vendor channels,
// whoever retries it (the send task's retries, the reconciler, a vendor's
// Retry-After): past it the delivery fails with the vendor's last reason.
// With the Admin SDK's own retries inside one FCM try (up to 4 more on
// 503 and network errors), a message costs at most 50 requests to FCM and
// 10 (20 with an OAuth refresh) to the others.
const MaxVendorAttempts = 10

// maxFallbacks bounds how many vendor channels one delivery tries in one
// send when its tokens turn out dead one after the other.
const maxFallbacks = 4

// pick is the way out chosen for one device.
type pick struct {
	route *route
	token string
	// blocked, when no route was chosen, says why the device cannot be
	// reached at all: its only channels are broken. Empty means it simply
	// has no vendor channel and waits for the self-built one.
	blocked string
}

// pickVendor chooses the channel and token for a device among the app's
// working routes that the job allows.
func pickVendor(job *ent.PushJob, d *ent.Device, routes map[enum.Channel]*route) pick {
	var p pick
	for _, c := range vendorPreference {
		r := routes[c]
		if r == nil || !channelAllowed(job, c) {
			continue
		}
		for _, t := range d.Edges.Tokens {
			if t.Channel != c || t.Status != devicetoken.StatusACTIVE {
				continue
			}
			if r.broken != "" {
				if p.blocked == "" {
					p.blocked = string(c) + " channel is misconfigured: " + r.broken
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
func (s *Service) sendVendors(ctx context.Context, job *ent.PushJob, ds []*ent.Delivery, sum *SendSummary) ([]*ent.Delivery, error) {
	if len(ds) == 0 {
		return ds, nil
	}
	routes, err := s.appRoutes(ctx, job.AppID)
	if err != nil {
		return nil, err
	}
	if len(routes) == 0 {
		return ds, nil
	}
	var waiting []*ent.Delivery
	for round := 0; round < maxFallbacks && len(ds) > 0; round++ {
		byChannel := map[enum.Channel][]Outgoing{}
		byID := map[nodeid.ID]*ent.Delivery{}
		blocked := map[string][]nodeid.ID{}
		for _, d := range ds {
			p := pickVendor(job, d.Edges.Device, routes)
			switch {
			case p.route != nil:
				m := job.Message
				if d.Message != nil {
					m = *d.Message
				}
				byChannel[p.route.channel] = append(byChannel[p.route.channel], Outgoing{
					DeliveryID: d.ID, DeviceID: *d.DeviceID, AppID: d.AppID, JobID: job.ID, Kind: job.Kind,
					Platform: d.Edges.Device.Platform, Token: p.token, Message: m, ExpiresAt: d.ExpiresAt,
				})
				byID[d.ID] = d
			case p.blocked != "":
				blocked[p.blocked] = append(blocked[p.blocked], d.ID)
			default:
				waiting = append(waiting, d)
			}
		}
		for reason, ids := range blocked {
			n, err := s.setStatus(ctx, ids, delivery.StatusFAILED, reason)
			if err != nil {
				return nil, err
			}
			sum.Failed += n
		}
		ds = nil
		for _, c := range vendorPreference {
			if out := byChannel[c]; len(out) > 0 {
				next, err := s.sendVendor(ctx, job, routes, routes[c], out, byID, sum)
				if err != nil {
					return nil, err
				}
				ds = append(ds, next.again...)
			}
		}
	}
	if len(ds) > 0 {
		// Out of fallbacks: what is left waits, like a device with none.
		waiting = append(waiting, ds...)
	}
	return waiting, nil
}

// sendVendor claims, sends and records one channel's messages.
func (s *Service) sendVendor(ctx context.Context, job *ent.PushJob, routes map[enum.Channel]*route, r *route, out []Outgoing, byID map[nodeid.ID]*ent.Delivery, sum *SendSummary) (vendorRound, error) {
	var next vendorRound
	want := make([]nodeid.ID, len(out))
	for i, o := range out {
		want[i] = o.DeliveryID
	}
	claimed, err := s.claim(ctx, want, r.channel)
	if err != nil {
		return next, err
	}
	mine := out[:0]
	for _, o := range out {
		if claimed[o.DeliveryID] {
			mine = append(mine, o)
		}
	}
	if len(mine) == 0 {
		return next, nil
	}
	results := r.sender.Send(ctx, mine)
	var retry, again []nodeid.ID
	failed := map[string][]nodeid.ID{}
	for i, o := range mine {
		res := Result{Outcome: OutcomeRetry, Reason: "no result from sender"}
		if i < len(results) {
			res = results[i]
		}
		d := byID[o.DeliveryID]
		switch res.Outcome {
		case OutcomeSent:
			sum.Vendor++
		case OutcomeRetry:
			if d.Attempts+1 >= MaxVendorAttempts {
				why := fmt.Sprintf("gave up after %d attempts: %s", d.Attempts+1, res.Reason)
				failed[why] = append(failed[why], o.DeliveryID)
				continue
			}
			retry = append(retry, o.DeliveryID)
			sum.RetryAfter = max(sum.RetryAfter, res.RetryAfter)
		case OutcomeTokenDead:
			killed, err := s.killToken(ctx, o.DeviceID, r.channel, o.Token, res.Reason, res.TokenInvalidSince)
			if err != nil {
				return next, err
			}
			if !killed {
				// Registered again after the vendor last found it invalid:
				// the token lives on, but this message was refused.
				failed[res.Reason] = append(failed[res.Reason], o.DeliveryID)
				continue
			}
			dropToken(d.Edges.Device, r.channel)
			if pickVendor(job, d.Edges.Device, routes).route == nil {
				failed[res.Reason] = append(failed[res.Reason], o.DeliveryID)
				continue
			}
			again = append(again, o.DeliveryID)
			next.again = append(next.again, d)
		case OutcomeConfigError:
			if r.broken == "" {
				if err := s.flagConfig(ctx, job.AppID, r, res.Reason); err != nil {
					return next, err
				}
			}
			reason := string(r.channel) + " channel is misconfigured: " + res.Reason
			if pickVendor(job, d.Edges.Device, routes).route == nil {
				failed[reason] = append(failed[reason], o.DeliveryID)
				continue
			}
			again = append(again, o.DeliveryID)
			next.again = append(next.again, d)
		default:
			failed[res.Reason] = append(failed[res.Reason], o.DeliveryID)
		}
	}
	sum.Retry += len(retry)
	if err := s.unclaim(ctx, retry, vendorRetryReason); err != nil {
		return next, err
	}
	if err := s.unclaim(ctx, again, "falling back to another channel"); err != nil {
		return next, err
	}
	for reason, ids := range failed {
		n, err := s.client.Delivery.Update().
			Where(delivery.IDIn(ids...), delivery.StatusEQ(delivery.StatusSENT)).
			SetStatus(delivery.StatusFAILED).SetLastError(reason).Save(ctx)
		if err != nil {
			return next, err
		}
		sum.Failed += n
	}
	return next, nil
}

// unclaim puts claimed deliveries back to PENDING, so that a retry (the
// task's, or the next round's channel) sends them, and only them.
func (s *Service) unclaim(ctx context.Context, ids []nodeid.ID, why string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.client.Delivery.Update().Where(delivery.IDIn(ids...), delivery.StatusEQ(delivery.StatusSENT)).
		SetStatus(delivery.StatusPENDING).ClearSentAt().SetLastError(why).Exec(ctx)
}

// killToken marks a device's token dead, unless the device registered it
// after the vendor last found it invalid (since; zero means now). It
// reports whether the token is dead now.
func (s *Service) killToken(ctx context.Context, dev nodeid.ID, c enum.Channel, token, reason string, since time.Time) (bool, error) {
	upd := s.client.DeviceToken.Update().
		Where(devicetoken.DeviceID(dev), devicetoken.ChannelEQ(c), devicetoken.Token(token), devicetoken.StatusEQ(devicetoken.StatusACTIVE))
	if !since.IsZero() {
		// Vendors stamp to the millisecond (APNs); a second of slack
		// keeps a token that died right after it was registered dead.
		upd.Where(devicetoken.UpdatedAtLT(since.Add(time.Second)))
	}
	n, err := upd.SetStatus(devicetoken.StatusDEAD).SetDeadReason(reason).SetDeadAt(s.now()).Save(ctx)
	if err != nil || n > 0 {
		return n > 0, err
	}
	// Not killed: already dead (another send got there first), or alive
	// because it was registered again after since.
	alive, err := s.client.DeviceToken.Query().
		Where(devicetoken.DeviceID(dev), devicetoken.ChannelEQ(c), devicetoken.Token(token), devicetoken.StatusEQ(devicetoken.StatusACTIVE)).
		Exist(ctx)
	return !alive, err
}
