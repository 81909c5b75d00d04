package deliver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
)

func TestQuotaDay(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		at, day, next string
	}{
		{"2026-12-06T15:59:59Z", "2026-12-06", "2026-12-06T16:00:00Z"},
		{"2026-12-06T16:00:00Z", "2026-12-07", "2026-12-07T16:00:00Z"},
		{"2026-12-31T23:00:00Z", "2027-01-01", "2027-01-01T16:00:00Z"},
	} {
		at, _ := time.Parse(time.RFC3339, r.at)
		require.Equal(t, r.day, QuotaDay(at), r.at)
		next, _ := time.Parse(time.RFC3339, r.next)
		require.True(t, next.Equal(nextQuotaDay(at)), "%s: %s", r.at, nextQuotaDay(at))
	}
}

// TestMarketingCountsWhatVendorsCount: every classification that is not
// of the service class counts, and so does a message without one.
func TestMarketingCountsWhatVendorsCount(t *testing.T) {
	t.Parallel()
	require.True(t, marketing(core.Outgoing{}))
	require.False(t, marketing(core.Outgoing{Test: true}), "the vendors exempt test messages")
	for _, c := range core.Classifications() {
		class, _ := core.ClassOf(c)
		require.Equal(t, class != core.ClassService, marketing(core.Outgoing{Message: jsontype.Message{Classification: c}}), c)
	}
}
