package deliver

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"database/sql"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/credentials"
	"github.com/pushd/pushd/push/pushdb"
)

// A broadcast range's deliveries are planned before they are written:
// each one whose device a vendor channel takes now (not online on the
// self-built channel, not counted against a daily cap) is written already
// claimed, SENDING on its channel under one lease, and sent right after
// the commit. That saves every such delivery the claim's update and its
// send task's trip through the queue. What the plan leaves (devices online
// on the self-built channel, counted messages, devices without a usable
// vendor channel) is written PENDING and sent through the usual path.
// A crash after the commit leaves the claimed rows SENDING, and the lease
// sweeper sends them again, as for any claim.

// Fresh is one range's planned deliveries.
type Fresh struct {
	job    *ent.PushJob
	lease  string
	routes map[enum.Channel]*credentials.Route
	ds     []*ent.Delivery
	byID   map[nodeid.ID]*ent.Delivery
	// claimed are the messages written claimed, in device order, with
	// their channels.
	claimed   []core.Outgoing
	channelOf map[nodeid.ID]enum.Channel
	// deadline ends the vendors' time to answer (see claimed.deadline).
	deadline time.Time
	// rest are the devices of the deliveries written PENDING.
	rest []nodeid.ID
}

// PlanFresh loads the devices that match audience, with their active
// tokens, and plans one delivery to each for the job. The audience must
// select at most SendBatch devices: a plan's claimed deliveries are sent
// as one batch under one lease.
func (s *Service) PlanFresh(ctx context.Context, job *ent.PushJob, audience ...predicate.Device) (*Fresh, error) {
	devs, err := s.audienceWithTokens(ctx, audience)
	if err != nil {
		return nil, err
	}
	if len(devs) > SendBatch {
		return nil, fmt.Errorf("plan: %d devices, more than one send batch (%d)", len(devs), SendBatch)
	}
	f := &Fresh{job: job, lease: s.newLease(), byID: make(map[nodeid.ID]*ent.Delivery, len(devs)), channelOf: map[nodeid.ID]enum.Channel{}}
	if len(devs) == 0 {
		return f, nil
	}
	f.ds = make([]*ent.Delivery, len(devs))
	for i, d := range devs {
		devID := d.ID
		f.ds[i] = &ent.Delivery{ID: nodeid.New("dlv"), AppID: job.AppID, JobID: job.ID, DeviceID: &devID,
			ExpiresAt: *job.ExpiresAt, Status: delivery.StatusPENDING, Edges: ent.DeliveryEdges{Device: d}}
		f.byID[f.ds[i].ID] = f.ds[i]
	}
	if f.routes, err = s.creds.Routes(ctx, job.AppID); err != nil {
		return nil, err
	}
	online, err := s.onlineOf(ctx, job, devs)
	if err != nil {
		return nil, err
	}
	for _, d := range f.ds {
		if c, o, ok := s.planVendor(job, d, f.routes, online); ok {
			f.claimed = append(f.claimed, o)
			f.channelOf[d.ID] = c
		} else {
			f.rest = append(f.rest, *d.DeviceID)
		}
	}
	return f, nil
}

// audienceWithTokens reads the devices that match audience, in ID order,
// with their platforms and active tokens, in one query (a row per token):
// only what planning needs.
func (s *Service) audienceWithTokens(ctx context.Context, audience []predicate.Device) ([]*ent.Device, error) {
	var rows []struct {
		ID       string         `sql:"id"`
		Platform string         `sql:"platform"`
		Channel  sql.NullString `sql:"channel"`
		Token    sql.NullString `sql:"token"`
	}
	err := s.client.Device.Query().Where(audience...).Modify(func(sel *entsql.Selector) {
		t := entsql.Table(devicetoken.Table)
		sel.LeftJoin(t).OnP(entsql.And(
			entsql.ColumnsEQ(t.C(devicetoken.FieldDeviceID), sel.C(device.FieldID)),
			entsql.EQ(t.C(devicetoken.FieldStatus), devicetoken.StatusACTIVE.String())))
		sel.Select(sel.C(device.FieldID), sel.C(device.FieldPlatform),
			entsql.As(t.C(devicetoken.FieldChannel), "channel"), entsql.As(t.C(devicetoken.FieldToken), "token"))
		sel.OrderBy(sel.C(device.FieldID))
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	var out []*ent.Device
	for _, r := range rows {
		id := nodeid.ID(r.ID)
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, &ent.Device{ID: id, Platform: enum.Platform(r.Platform)})
		}
		if r.Channel.Valid {
			d := out[len(out)-1]
			d.Edges.Tokens = append(d.Edges.Tokens, &ent.DeviceToken{
				DeviceID: id, Channel: enum.Channel(r.Channel.String), Token: r.Token.String, Status: devicetoken.StatusACTIVE,
			})
		}
	}
	return out, nil
}

// onlineOf is the devices online on the self-built channel, when the job
// may use it; if presence is down, none is (the usual path looks again).
func (s *Service) onlineOf(ctx context.Context, job *ent.PushJob, devs []*ent.Device) (map[nodeid.ID]bool, error) {
	if s.self == nil || !core.ChannelAllowed(job, enum.ChannelSelf) {
		return nil, nil
	}
	ids := make([]nodeid.ID, len(devs))
	for i, d := range devs {
		ids[i] = d.ID
	}
	online, err := s.self.Online(ctx, ids)
	if err != nil {
		s.log.WarnContext(ctx, "fan-out: presence unavailable", "err", err)
		return nil, nil
	}
	return online, nil
}

// planVendor picks the vendor channel that takes d now, if one does
// without a count against its daily cap and d's device is not online on
// the self-built channel.
func (s *Service) planVendor(job *ent.PushJob, d *ent.Delivery, routes map[enum.Channel]*credentials.Route, online map[nodeid.ID]bool) (enum.Channel, core.Outgoing, bool) {
	if online[*d.DeviceID] {
		return "", core.Outgoing{}, false
	}
	p := pickVendor(s.preference, job, d.Edges.Device, routes)
	if p.route == nil {
		return "", core.Outgoing{}, false
	}
	c := p.route.Channel()
	o := outgoingOf(job, d, p.token)
	if s.capOf(c, p.route.MarketingCap()) > 0 && marketing(o) {
		return "", core.Outgoing{}, false
	}
	return c, o, true
}

// Devices is how many deliveries the plan writes.
func (f *Fresh) Devices() int { return len(f.ds) }

// Insert writes the plan's deliveries in tx: claimed on their channel, or
// PENDING. A delivery the job already has (its device's) is not written,
// and is not sent either.
func (s *Service) Insert(ctx context.Context, tx *ent.Tx, f *Fresh) error {
	if len(f.ds) == 0 {
		return nil
	}
	// Before the insert: the database's clock starts the lease no sooner.
	f.deadline = time.Now().Add(s.sendWindow())
	rows := pushdb.FanOut{AppID: f.job.AppID, JobID: f.job.ID, ExpiresAt: *f.job.ExpiresAt, Now: s.now(), Lease: f.lease, For: s.lease,
		IDs: make([]nodeid.ID, len(f.ds)), Devices: make([]nodeid.ID, len(f.ds)), Channels: make([]enum.Channel, len(f.ds))}
	for i, d := range f.ds {
		rows.IDs[i], rows.Devices[i], rows.Channels[i] = d.ID, *d.DeviceID, f.channelOf[d.ID]
	}
	written, err := s.db.InsertFanOut(ctx, tx, &rows)
	if err != nil || written == len(f.ds) {
		return err
	}
	// A repeated range: only what this insert wrote is this plan's.
	mine := make(map[nodeid.ID]bool, written)
	for _, id := range rows.Written {
		mine[id] = true
	}
	f.claimed = slices.DeleteFunc(f.claimed, func(o core.Outgoing) bool { return !mine[o.DeliveryID] })
	f.rest = nil
	for _, d := range f.ds {
		if mine[d.ID] && f.channelOf[d.ID] == "" {
			f.rest = append(f.rest, *d.DeviceID)
		}
	}
	return nil
}

// SendFresh sends a written plan: the claimed messages, their channels
// side by side (a plan is at most one send batch, so the lease taken at
// the insert covers one batch at the vendor, as a claim's does); then the
// rest, and what a channel handed on to the next, through the usual path,
// which reports its own summary. A vendor's request to retry comes back
// as *core.ErrRetry, as from Send.
func (s *Service) SendFresh(ctx context.Context, f *Fresh) (core.SendSummary, error) {
	defer s.mark(ctx, f.job.ID)
	var sum core.SendSummary
	cl := claimed{hold: hold{lease: f.lease, expiry: jobExpiry(f.job)}, deadline: f.deadline, ids: make(map[nodeid.ID]bool, len(f.claimed))}
	byChannel := map[enum.Channel][]core.Outgoing{}
	for _, o := range f.claimed {
		cl.ids[o.DeliveryID] = true
		c := f.channelOf[o.DeliveryID]
		byChannel[c] = append(byChannel[c], o)
	}
	handed, err := s.sideBySide(byChannel, &sum, func(c enum.Channel, out []core.Outgoing, part *core.SendSummary) (vendorRound, error) {
		return s.sendAndRecord(ctx, f.job, f.routes, f.routes[c], cl, out, f.byID, part)
	})
	if s.onSend != nil && len(f.claimed) > 0 {
		s.onSend(sum)
	}
	if err != nil {
		return sum, err
	}
	rest := f.rest
	for _, d := range handed {
		rest = append(rest, *d.DeviceID)
	}
	retry, after := sum.Retry > 0, sum.RetryAfter
	if len(rest) > 0 {
		_, err := s.SendJob(ctx, f.job, pipeline.Send{Job: f.job.ID, Devices: rest})
		var again *core.ErrRetry
		switch {
		case errors.As(err, &again):
			retry, after = true, max(after, again.After)
		case err != nil:
			return sum, err
		}
	}
	if retry {
		return sum, &core.ErrRetry{Count: max(sum.Retry, 1), After: after}
	}
	return sum, nil
}
