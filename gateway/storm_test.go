package gateway

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Memory goes back to the kernel when the last backlog read of a storm
// ends, not while reads are still in progress, not after a handful, and
// not twice within a minute.
func TestMemoryIsReleasedAfterAStorm(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	releases := 0
	b := &backlogTracker{release: func() { releases++ }, now: func() time.Time { return clock }}
	storm := func(n int) {
		for range n {
			b.begin()
		}
		for range n - 1 {
			b.end()
		}
		require.Equal(t, 1, b.active)
	}
	for _, step := range []struct {
		name    string
		reads   int
		advance time.Duration
		want    int
	}{
		{"a few reads", 10, 0, 0},
		{"a storm", stormReads, 0, 1},
		{"another storm within the minute", stormReads, 30 * time.Second, 1},
		{"a storm a minute later", stormReads, time.Minute, 2},
	} {
		clock = clock.Add(step.advance)
		before := releases
		storm(step.reads)
		require.Equal(t, before, releases, "%s: nothing while a read is in progress", step.name)
		b.end()
		require.Equal(t, step.want, releases, step.name)
	}
}
