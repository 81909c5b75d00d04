package devices

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// Device tags are labels a backend puts on devices ("beta", "region:eu",
// "城市:上海") to aim broadcasts (AudienceInput.tags) and to find devices.
const (
	MaxDeviceTags = 20
	MaxTagLength  = 64
)

// NormalizeTag is how tags are stored and compared: Unicode NFC, so a tag
// typed with a precomposed or a combining accent is one tag.
func NormalizeTag(t string) string { return norm.NFC.String(t) }

// tagRune reports whether r may appear in a tag: a letter or digit of any
// script, a combining mark (scripts such as Devanagari need them), or one
// of _ . : -. No spaces, symbols or control characters: tags appear in
// filters, URLs and CSV exports as they are.
func tagRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune("_.:-", r)
}

// checkTags validates and normalises a device's tags: each, in NFC, 1 to 64
// characters (code points) of letters, digits, marks and _ . : -; at most
// 20; duplicates dropped; sorted.
func checkTags(tags []string) ([]string, error) {
	normalized := make([]string, len(tags))
	for i, t := range tags {
		normalized[i] = NormalizeTag(t)
	}
	out := core.Unique(normalized)
	for _, t := range out {
		if n := utf8.RuneCountInString(t); n == 0 || n > MaxTagLength || !utf8.ValidString(t) {
			return nil, core.Invalid("tags", "a tag has 1 to %d characters, got %q", MaxTagLength, t)
		}
		if i := strings.IndexFunc(t, func(r rune) bool { return !tagRune(r) }); i >= 0 {
			r, _ := utf8.DecodeRuneInString(t[i:])
			return nil, core.Invalid("tags", "tag %q: %q is not allowed (letters, digits and _ . : - only)", t, r)
		}
	}
	if len(out) > MaxDeviceTags {
		return nil, core.Invalid("tags", "a device has at most %d tags, got %d", MaxDeviceTags, len(out))
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
		return nil, core.NotFoundAs(err, "device")
	}
	if err := tenant.Require(ctx, d.AppID, tenant.NeedWrite); err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return d.Update().ClearTags().Save(ctx)
	}
	return d.Update().SetTags(tags).Save(ctx)
}
