package deliver

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// Claims and releases run at most MaxBookkeeping at once, and without a
// bound as many as callers start.
func TestBookkeepingIsBounded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		bound int
		want  int64
	}{
		{"bounded", 3, 3},
		{"unbounded", 0, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New(Config{MaxBookkeeping: tc.bound})
			var inFlight, most atomic.Int64
			arrived := make(chan struct{}, 12)
			release := make(chan struct{})
			var wg sync.WaitGroup
			for range 12 {
				wg.Go(func() {
					require.NoError(t, s.booking(context.Background(), func() error {
						n := inFlight.Add(1)
						for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
						}
						arrived <- struct{}{}
						<-release
						inFlight.Add(-1)
						return nil
					}))
				})
			}
			for range tc.want {
				<-arrived // as many as the bound lets in are running
			}
			close(release)
			wg.Wait()
			require.Equal(t, tc.want, most.Load())
		})
	}
}

// A caller waiting for a turn gives up when its context ends.
func TestBookkeepingWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	s := New(Config{MaxBookkeeping: 1})
	hold := make(chan struct{})
	started := make(chan struct{})
	go func() {
		_ = s.booking(context.Background(), func() error { close(started); <-hold; return nil })
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := s.booking(ctx, func() error { ran = true; return nil })
	require.ErrorIs(t, err, context.Canceled)
	require.False(t, ran)
	close(hold)
}
