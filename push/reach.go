package push

import (
	"context"
	"slices"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/appuser"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/intake"
	"github.com/pushd/pushd/tenant"
)

// Reach is how many of a push's targets the channels it allows can reach,
// asked before the push is sent, so the composer can warn about targets
// that would only wait out the TTL.
type Reach struct {
	// Targeted is the devices the push would target now; for users, the
	// devices bound to them.
	Targeted int
	// Reachable is the targeted devices with a way in: pushd's own channel
	// when the push allows it (a device gets the message when it next
	// connects), else an active token of an allowed vendor channel that
	// the app has working credentials for.
	Reachable int
	// PushDisabled is the targeted devices whose user turned push off.
	PushDisabled int
}

// ReachQuery names a push's targets (Target for simple and template
// pushes, Audience for a broadcast) and the channels it would allow
// (none: every channel).
type ReachQuery struct {
	Target   *jsontype.Target
	Audience *jsontype.Audience
	Channels []enum.Channel
}

// Reach counts a push's targets and those its channels can reach.
func (s *Service) Reach(ctx context.Context, app nodeid.ID, q ReachQuery) (Reach, error) {
	if err := tenant.Require(ctx, app, tenant.NeedRead); err != nil {
		return Reach{}, err
	}
	targets, err := s.reachTargets(ctx, app, q)
	if err != nil {
		return Reach{}, err
	}
	sys := tenant.AsSystem(ctx)
	r, err := s.countTargets(sys, targets)
	if err != nil {
		return Reach{}, err
	}
	if len(q.Channels) == 0 || slices.Contains(q.Channels, enum.ChannelSelf) {
		r.Reachable = r.Targeted - r.PushDisabled
		return r, nil
	}
	vendors, err := s.workingVendors(ctx, app, q.Channels)
	if err != nil || len(vendors) == 0 {
		return r, err
	}
	withToken := device.HasTokensWith(devicetoken.ChannelIn(vendors...), devicetoken.StatusEQ(devicetoken.StatusACTIVE))
	r.Reachable, err = s.client.Device.Query().Where(device.And(targets...), device.PushEnabled(true), withToken).Count(sys)
	return r, err
}

// countTargets counts the targeted devices, and those with push turned
// off, in one grouped query.
func (s *Service) countTargets(ctx context.Context, targets []predicate.Device) (Reach, error) {
	var rows []struct {
		PushEnabled bool `json:"push_enabled"`
		Count       int  `json:"count"`
	}
	if err := s.client.Device.Query().Where(targets...).GroupBy(device.FieldPushEnabled).Aggregate(ent.Count()).Scan(ctx, &rows); err != nil {
		return Reach{}, err
	}
	var r Reach
	for _, row := range rows {
		r.Targeted += row.Count
		if !row.PushEnabled {
			r.PushDisabled += row.Count
		}
	}
	return r, nil
}

// reachTargets is the device filter of the push's targets, checked as the
// push itself would be.
func (s *Service) reachTargets(ctx context.Context, app nodeid.ID, q ReachQuery) ([]predicate.Device, error) {
	for _, c := range q.Channels {
		if !c.Valid() {
			return nil, core.Invalid("channels", "unknown channel %q", c)
		}
	}
	switch {
	case (q.Target == nil) == (q.Audience == nil):
		return nil, core.Invalid("target", "give target or audience")
	case q.Audience != nil:
		a := *q.Audience
		if err := intake.CheckAudience(&a); err != nil {
			return nil, err
		}
		if err := s.checkGroups(tenant.AsSystem(ctx), app, a.Groups); err != nil {
			return nil, err
		}
		return s.audienceFilter(app, a), nil
	}
	t := *q.Target
	if err := intake.CheckTarget("target", &t, MaxTargets); err != nil {
		return nil, err
	}
	if len(t.DeviceIDs) > 0 {
		ids := make([]nodeid.ID, len(t.DeviceIDs))
		for i, d := range t.DeviceIDs {
			ids[i] = nodeid.ID(d)
		}
		return []predicate.Device{device.AppID(app), device.IDIn(ids...)}, nil
	}
	return []predicate.Device{device.AppID(app), device.HasUserWith(appuser.AppID(app), appuser.ExternalIDIn(t.UserIDs...))}, nil
}

// workingVendors is the allowed vendor channels the app can send on now.
func (s *Service) workingVendors(ctx context.Context, app nodeid.ID, allowed []enum.Channel) ([]enum.Channel, error) {
	routes, err := s.creds.Routes(ctx, app)
	if err != nil {
		return nil, err
	}
	var out []enum.Channel
	for _, c := range allowed {
		if r := routes[c]; c.Vendor() && r != nil && r.BrokenReason() == "" {
			out = append(out, c)
		}
	}
	return out, nil
}
