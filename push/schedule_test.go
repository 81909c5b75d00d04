package push_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
	"github.com/pushd/pushd/worker"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// newService is one pushd process's domain service on shared stores: a
// second one on the same stores is pushd after a restart.
func newService(t *testing.T, stores *store.Stores, clk *clock) *push.Service {
	t.Helper()
	sealer, err := seal.New(make([]byte, 32))
	require.NoError(t, err)
	q := worker.NewQueue(stores.RedisOpt, "t"+string(nodeid.New("q"))[4:14])
	t.Cleanup(func() { _ = q.Close() })
	return push.NewService(push.Config{
		Client: stores.Ent, Sealer: sealer, Queue: q, Dialect: stores.Dialect,
		Logger: testenv.Logger(t), Clock: clk.Now,
	})
}

// A recurring push makes one job per occurrence, on time, and its schedule
// lives in PostgreSQL: a restarted pushd fires what is due.
func TestRecurringPushFiresAcrossRestart(t *testing.T) {
	t.Parallel()
	stores := testenv.Stores(t)
	ctx := tenant.AsSystem(context.Background())
	start := time.Date(2026, 11, 27, 8, 58, 0, 0, time.UTC)
	clk := &clock{now: start}
	first := newService(t, stores, clk)
	app, err := first.CreateApp(ctx, ent.CreateAppInput{Name: "sched"})
	require.NoError(t, err)

	sched, err := first.Push(ctx, push.PushRequest{
		AppID: app.ID, Kind: enum.PushKindSimple,
		Target:  jsontype.Target{UserIDs: []string{"u-1"}},
		Message: &jsontype.Message{Title: "stand-up"},
		Options: push.PushOptions{Recurrence: &jsontype.Recurrence{Cron: "0 9 * * 1-5", TimeZone: "Europe/Berlin"}},
	})
	require.NoError(t, err)
	require.Equal(t, pushjob.StatusSCHEDULED, sched.Status)
	// 09:00 in Berlin is 08:00 UTC in winter; the 27th is a Friday past
	// its 09:00, so the next is Monday.
	require.Equal(t, time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), *sched.ScheduleAt)

	fired, err := first.FireDue(ctx, 10)
	require.NoError(t, err)
	require.Empty(t, fired, "nothing is due yet")

	// pushd restarts; at Monday 08:00:01 UTC the new process fires it.
	clk.Set(time.Date(2026, 11, 30, 8, 0, 1, 0, time.UTC))
	second := newService(t, stores, clk)
	fired, err = second.FireDue(ctx, 10)
	require.NoError(t, err)
	require.Len(t, fired, 1)
	occ := fired[0]
	require.Equal(t, sched.ID, *occ.ScheduleID)
	require.Equal(t, time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), *occ.ScheduleAt)
	require.Equal(t, "stand-up", occ.Message.Title)
	fired, err = first.FireDue(ctx, 10)
	require.NoError(t, err)
	require.Empty(t, fired, "an occurrence fires once, whichever node looks")

	parent, err := stores.Ent.PushJob.Get(ctx, sched.ID)
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC), *parent.ScheduleAt)

	// Down for three days: only the latest missed occurrence is sent.
	clk.Set(time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC))
	fired, err = second.FireDue(ctx, 10)
	require.NoError(t, err)
	require.Len(t, fired, 1)
	require.Equal(t, time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC), *fired[0].ScheduleAt)

	// Cancelled: nothing more.
	_, err = second.CancelPush(ctx, sched.ID)
	require.NoError(t, err)
	clk.Set(time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC))
	fired, err = second.FireDue(ctx, 10)
	require.NoError(t, err)
	require.Empty(t, fired)
	n, err := stores.Ent.PushJob.Query().Where(pushjob.ScheduleID(sched.ID)).Count(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n)
}
