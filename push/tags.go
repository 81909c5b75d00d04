package push

import (
	"context"
	"slices"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/tenant"
)

// Device tags are labels a backend puts on devices ("beta", "region:eu")
// to aim broadcasts (AudienceInput.tags) and to find devices.
const (
	MaxDeviceTags = 20
	MaxTagLength  = 64
)

// checkTags validates and normalises a device's tags: each 1 to 64 of
// letters, digits and _ . : -, at most 20, duplicates dropped, sorted.
func checkTags(tags []string) ([]string, error) {
	out := unique(tags)
	for _, t := range out {
		if t == "" || len(t) > MaxTagLength {
			return nil, Invalid("tags", "a tag has 1 to %d characters, got %q", MaxTagLength, t)
		}
		for _, r := range t {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == ':' || r == '-') {
				return nil, Invalid("tags", "tag %q: only letters, digits and _ . : - are allowed", t)
			}
		}
	}
	if len(out) > MaxDeviceTags {
		return nil, Invalid("tags", "a device has at most %d tags, got %d", MaxDeviceTags, len(out))
	}
	slices.Sort(out)
	return out, nil
}

// SetDeviceTags replaces a device's tags (an empty list clears them).
func (s *Service) SetDeviceTags(ctx context.Context, deviceID nodeid.ID, tags []string) (*ent.Device, error) {
	tags, err := checkTags(tags)
	if err != nil {
		return nil, err
	}
	d, err := s.client.Device.Get(ctx, deviceID)
	if err != nil {
		return nil, notFoundAs(err, "device")
	}
	if err := tenant.Require(ctx, d.AppID, tenant.NeedWrite); err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return d.Update().ClearTags().Save(ctx)
	}
	return d.Update().SetTags(tags).Save(ctx)
}
