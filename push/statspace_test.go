package push

import (
	"context"
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

// setMarks is an in-memory JobMarks.
type setMarks struct{ m map[nodeid.ID]bool }

func (s *setMarks) Mark(_ context.Context, jobs ...nodeid.ID) error {
	for _, j := range jobs {
		s.m[j] = true
	}
	return nil
}

func (s *setMarks) Take(_ context.Context, n int) ([]nodeid.ID, error) {
	var out []nodeid.ID
	for j := range s.m {
		if len(out) == n {
			break
		}
		out = append(out, j)
		delete(s.m, j)
	}
	return out, nil
}

// A refresh whose statistics are put off keeps the job marked, and a later
// refresh counts what happened meanwhile, once.
func TestPacedStatsCatchUp(t *testing.T) {
	t.Parallel()
	v, job, devs := statsSetup(t)
	marks := &setMarks{m: map[nodeid.ID]bool{}}
	v.s.marks = marks
	before := v.stats(t)
	// The last count took an hour: the next is not due yet.
	v.s.statsPace.counted(job, time.Now(), time.Hour)
	_, err := v.s.RecordDeviceEventsFor(v.ctx, devs[1], []DeviceEvent{{MessageID: job, Type: EventArrived}})
	require.NoError(t, err)
	require.NoError(t, marks.Mark(v.ctx, job))

	n, err := v.s.RefreshMarked(v.ctx, 100)
	require.NoError(t, err)
	require.Zero(t, n, "the only job was put off")
	require.True(t, marks.m[job], "and stays marked")
	require.Equal(t, before, v.stats(t), "not counted yet")

	v.s.statsPace.counted(job, time.Now().Add(-time.Hour), time.Millisecond) // now due
	n, err = v.s.RefreshMarked(v.ctx, 100)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Empty(t, marks.m)
	require.Equal(t, before[0].Counts.Arrived+1, v.stats(t)[0].Counts.Arrived)
}
