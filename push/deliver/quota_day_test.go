package deliver

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
)

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
