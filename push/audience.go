package push

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"github.com/pushd/pushd/ent/appuser"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/group"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/push/intake"
	"github.com/pushd/pushd/tenant"
)

// DeviceHasTag matches devices whose tags include tag (compared in NFC, as
// stored), on PostgreSQL and SQLite alike (a JSON array column).
func DeviceHasTag(tag string) predicate.Device {
	return func(sel *sql.Selector) {
		sel.Where(sqljson.ValueContains(sel.C(device.FieldTags), devices.NormalizeTag(tag)))
	}
}

// audienceFilter turns a broadcast's audience into device predicates.
func (s *Service) audienceFilter(app nodeid.ID, a jsontype.Audience) []predicate.Device {
	ps := []predicate.Device{device.AppID(app), device.PushEnabled(true)}
	if len(a.Platforms) > 0 {
		ps = append(ps, device.PlatformIn(a.Platforms...))
	}
	if len(a.AppVersions) > 0 {
		ps = append(ps, device.AppVersionIn(a.AppVersions...))
	}
	if len(a.Tags) > 0 {
		tags := make([]predicate.Device, len(a.Tags))
		for i, t := range a.Tags {
			tags[i] = DeviceHasTag(t)
		}
		ps = append(ps, device.Or(tags...))
	}
	if len(a.Groups) > 0 {
		gids := make([]nodeid.ID, len(a.Groups))
		for i, g := range a.Groups {
			gids[i] = nodeid.ID(g)
		}
		ps = append(ps, device.HasUserWith(appuser.HasGroupsWith(group.IDIn(gids...))))
	}
	switch a.Bound {
	case BoundBound:
		ps = append(ps, device.UserIDNotNil())
	case BoundUnbound:
		ps = append(ps, device.UserIDIsNil())
	}
	if a.ActiveWithinSeconds > 0 {
		ps = append(ps, device.LastSeenAtGT(s.now().Add(-time.Duration(a.ActiveWithinSeconds)*time.Second)))
	}
	return ps
}

// PreviewAudience counts the devices a broadcast with this audience would
// reach now.
func (s *Service) PreviewAudience(ctx context.Context, app nodeid.ID, a jsontype.Audience) (int, error) {
	if err := tenant.Require(ctx, app, tenant.NeedRead); err != nil {
		return 0, err
	}
	if err := intake.CheckAudience(&a); err != nil {
		return 0, err
	}
	sys := tenant.AsSystem(ctx)
	if err := s.checkGroups(sys, app, a.Groups); err != nil {
		return 0, err
	}
	return s.client.Device.Query().Where(s.audienceFilter(app, a)...).Count(sys)
}
