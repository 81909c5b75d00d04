package stats

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

func TestStatsPaceWaitsFourTimesTheLastCount(t *testing.T) {
	t.Parallel()
	var p statsPace
	job, other := nodeid.ID("job_a"), nodeid.ID("job_b")
	t0 := time.Now()
	require.True(t, p.due(job, t0), "never counted")

	p.counted(job, t0, 100*time.Millisecond)
	for _, tc := range []struct {
		after time.Duration
		due   bool
	}{
		{0, false},
		{399 * time.Millisecond, false},
		{400 * time.Millisecond, true},
		{time.Hour, true},
	} {
		require.Equal(t, tc.due, p.due(job, t0.Add(tc.after)), "%s after the count", tc.after)
	}
	require.True(t, p.due(other, t0), "each job has its own pace")

	// A job not counted for a minute is forgotten.
	p.counted(other, t0.Add(61*time.Second), time.Millisecond)
	p.mu.Lock()
	_, kept := p.jobs[job]
	p.mu.Unlock()
	require.False(t, kept)
}
