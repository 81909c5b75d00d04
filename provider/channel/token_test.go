package channel

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/push/core"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestTokenCacheFetchesOnceForConcurrentCallers(t *testing.T) {
	t.Parallel()
	var fetches atomic.Int64
	started, release := make(chan struct{}, 1), make(chan struct{})
	c := &TokenCache{Fetch: func(context.Context) (string, time.Duration, error) {
		fetches.Add(1)
		started <- struct{}{}
		<-release
		return "t1", 24 * time.Hour, nil
	}}
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Go(func() {
			tok, err := c.Get(context.Background())
			require.NoError(t, err)
			got[i] = tok
		})
	}
	<-started // callers that come later find the token cached: one fetch either way
	close(release)
	wg.Wait()
	require.EqualValues(t, 1, fetches.Load())
	for _, tok := range got {
		require.Equal(t, "t1", tok)
	}
}

func TestTokenCacheRenewsAndForgets(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	n := 0
	c := &TokenCache{Clock: clock.Now, Fetch: func(context.Context) (string, time.Duration, error) {
		n++
		return string(rune('a' + n - 1)), 24 * time.Hour, nil
	}}
	ctx := context.Background()
	tok, _ := c.Get(ctx)
	require.Equal(t, "a", tok)
	clock.Add(24*time.Hour - TokenRenewBefore - time.Second)
	tok, _ = c.Get(ctx)
	require.Equal(t, "a", tok, "still fresh")
	clock.Add(time.Second)
	tok, _ = c.Get(ctx)
	require.Equal(t, "b", tok, "renewed before it expires")
	c.Invalidate("a") // an old token: ignored
	tok, _ = c.Get(ctx)
	require.Equal(t, "b", tok)
	c.Invalidate("b")
	tok, _ = c.Get(ctx)
	require.Equal(t, "c", tok)
}

func TestTokenCacheRemembersARefusal(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	var fetches int
	refuse := true
	c := &TokenCache{Clock: clock.Now, Fetch: func(context.Context) (string, time.Duration, error) {
		fetches++
		if refuse {
			return "", 0, &TokenError{Result: core.Result{Outcome: core.OutcomeConfigError, Reason: "refused"}}
		}
		return "ok", time.Hour, nil
	}}
	for range 3 {
		_, err := c.Get(context.Background())
		var te *TokenError
		require.True(t, errors.As(err, &te))
	}
	require.Equal(t, 1, fetches, "a refusal answers for a minute")
	refuse = false
	clock.Add(TokenRefusalMemory)
	tok, err := c.Get(context.Background())
	require.NoError(t, err)
	require.Equal(t, "ok", tok)
}

func TestTokenCacheDoesNotRememberAnOutage(t *testing.T) {
	t.Parallel()
	var fetches int
	c := &TokenCache{Fetch: func(context.Context) (string, time.Duration, error) {
		fetches++
		return "", 0, &TokenError{Result: core.Result{Outcome: core.OutcomeRetry, Reason: "down"}}
	}}
	_, err := c.Get(context.Background())
	require.Error(t, err)
	_, err = c.Get(context.Background())
	require.Error(t, err)
	require.Equal(t, 2, fetches, "an outage is asked again")
}
