package admission_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/admission"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/core"
)

func refused(t *testing.T, err error) *core.Error {
	t.Helper()
	e, ok := core.AsError(err)
	require.True(t, ok, "want a RATE_LIMITED error, got %v", err)
	require.Equal(t, core.CodeRateLimited, e.Code)
	require.GreaterOrEqual(t, e.RetryAfter, time.Second)
	require.Zero(t, e.RetryAfter%time.Second, "whole seconds")
	return e
}

// Two API replicas share each limit: what one admitted counts for the
// other. The app's limit binds every key of the app.
func TestRateLimitsHoldAcrossReplicas(t *testing.T) {
	t.Parallel()
	c := testenv.Redis(t)
	prefix := "t" + string(nodeid.New("a"))[4:14] + ":"
	limits := admission.Limits{AppPerSecond: 6, KeyPerSecond: 4, Period: time.Hour}
	replicas := []*admission.Controller{
		admission.New(admission.Config{Redis: c, Prefix: prefix, Limits: limits}),
		admission.New(admission.Config{Redis: c, Prefix: prefix, Limits: limits}),
	}
	ctx := context.Background()
	app := nodeid.New("app")
	admitted := 0
	for i := range 10 {
		if err := replicas[i%2].Admit(ctx, app, "key-1"); err == nil {
			admitted++
		} else {
			require.Contains(t, refused(t, err).Message, "API key")
		}
	}
	require.Equal(t, 4, admitted, "the key's limit, over both replicas")
	// Another key of the same app has its own 4, but the app only 2 left.
	admitted = 0
	for i := range 4 {
		if err := replicas[i%2].Admit(ctx, app, "key-2"); err == nil {
			admitted++
		} else {
			require.Contains(t, refused(t, err).Message, "app")
		}
	}
	require.Equal(t, 2, admitted)
	require.NoError(t, replicas[0].Admit(ctx, nodeid.New("app"), ""), "another app is not limited by this one")
}

// An overloaded pipeline refuses pushes until it catches up; the reading
// is taken at most once a second.
func TestOverloadedPipelineRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		load   admission.Load
		refuse bool
	}{
		{"idle", admission.Load{}, false},
		{"lag under the bound", admission.Load{QueueLag: 30 * time.Second, QueuedTasks: 900}, false},
		{"lagging", admission.Load{QueueLag: 2 * time.Minute}, true},
		{"too many tasks", admission.Load{QueuedTasks: 1001}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reads := 0
			a := admission.New(admission.Config{Redis: testenv.Redis(t), Limits: admission.Limits{MaxQueueLag: time.Minute, MaxQueuedTasks: 1000},
				Load: func(context.Context) (admission.Load, error) { reads++; return tc.load, nil }})
			for range 3 {
				err := a.Admit(context.Background(), "app", "")
				if tc.refuse {
					require.Equal(t, 5*time.Second, refused(t, err).RetryAfter)
					require.Contains(t, err.Error(), "nothing was written")
				} else {
					require.NoError(t, err)
				}
			}
			require.Equal(t, 1, reads, "one reading serves a second")
		})
	}
}

// When the load cannot be read, or the limiter's Redis is gone, pushes
// are admitted: accepted work is durable, a dead counter must not stop it.
func TestAdmitsWhenItCannotTell(t *testing.T) {
	t.Parallel()
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	t.Cleanup(func() { _ = dead.Close() })
	a := admission.New(admission.Config{Redis: dead, Limits: admission.Limits{AppPerSecond: 1, KeyPerSecond: 1, MaxQueueLag: time.Second},
		Load: func(context.Context) (admission.Load, error) { return admission.Load{}, errors.New("redis down") }})
	for range 3 {
		require.NoError(t, a.Admit(context.Background(), "app", "key"))
	}
}
