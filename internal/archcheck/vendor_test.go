package archcheck

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// vendorNamesAllowed are the packages linked into pushd, outside
// provider/, that still name a vendor, each with why. Only delete
// entries: TestNoVendorNamesOutsideProvider fails on one that no longer
// names a vendor.
func vendorNamesAllowed() map[string]string {
	return map[string]string{
		"ent/schema":      "ChannelConfig keeps the environment of the one vendor that has two as a column, typed APNsEnvironment in the API",
		"ent/schema/enum": "the Channel enum is the stored name of every channel: ent generates its validator and the GraphQL enum from these values, before any registry exists",
	}
}

// TestNoVendorNamesOutsideProvider keeps vendor knowledge in provider/:
// the rest of what cmd/pushd links may not name a vendor in an
// identifier, a string or a comment.
func TestNoVendorNamesOutsideProvider(t *testing.T) {
	t.Parallel()
	m := loadTree(t)
	dirs, err := LinkedDirs(t.Context(), m, "./cmd/pushd")
	require.NoError(t, err)
	require.Contains(t, dirs, "cmd/pushd")

	match := NewVendorMatcher()
	found := map[string][]string{}
	for _, dir := range dirs {
		if dir == "provider" || strings.HasPrefix(dir, "provider/") {
			continue
		}
		p := m.Package(dir)
		if p == nil {
			continue // generated only, like ent/account
		}
		for _, f := range p.Files {
			for _, fd := range match.VendorNames(m.Fset, f) {
				found[dir] = append(found[dir], fmt.Sprintf("%s:%d: %s %q in %s", fd.Pos.Filename, fd.Pos.Line, fd.Kind, fd.Term, fd.Text))
			}
		}
	}
	requireAllowed(t, "vendor names in package", found, vendorNamesAllowed())
}

func TestVendorMatcher(t *testing.T) {
	t.Parallel()
	match := NewVendorMatcher()
	for text, want := range map[string][]string{
		"APNsSandbox":              {"APNs"},
		"apns_token":               {"apns"},
		"ChannelFCM":               {"FCM"},
		"FCMToken":                 {"FCM"},
		"fcm-key":                  {"fcm"},
		"github.com/x/apns2":       {"apns"},
		"the HMS Core endpoint":    {"HMS"},
		"miPushRegID":              {"miPush"},
		"HeyTap, vivo and Honor":   {"HeyTap", "vivo", "Honor"},
		"HarmonyOS Push Kit":       {"Push Kit"},
		"huawei_push_kit":          {"huawei", "push_kit"},
		"honorable":                nil,
		"fcmp":                     nil,
		"opportunity":              nil,
		"PlatformHarmony":          nil,
		"HMSs":                     nil,
		"xiaomiapp":                nil,
		"Firebase Cloud Messaging": {"Firebase"},
	} {
		require.Equal(t, want, match.Match(text), text)
	}
}
