package stats

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/tenant"
)

// rollUpSetup is a Service on fresh stores, with one app to count for.
func rollUpSetup(t *testing.T) (*Service, context.Context, nodeid.ID) {
	t.Helper()
	st := testenv.Stores(t)
	ctx := tenant.AsSystem(t.Context())
	app, err := st.Ent.App.Create().SetInput(ent.CreateAppInput{Name: "a"}).SetAppKey("ak_rollup").Save(ctx)
	require.NoError(t, err)
	s := New(Config{Client: st.Ent, Relaxed: st.Ent, Dialect: st.Dialect, Logger: testenv.Logger(t), Clock: time.Now, LiveInterval: LiveInterval})
	return s, ctx, app.ID
}

func TestRollUpKeepsTheSums(t *testing.T) {
	t.Parallel()
	s, ctx, app := rollUpSetup(t)
	now := time.Now().UTC()
	old := now.Add(-10 * 24 * time.Hour).Truncate(time.Hour)
	ancient := now.Add(-800 * 24 * time.Hour)
	for i, at := range []time.Time{old, old.Add(time.Minute), old.Add(59 * time.Minute), now.Truncate(time.Minute), ancient} {
		_, err := s.client.StatMinute.Create().SetAppID(app).SetMinute(at).SetChannel("FCM").
			SetKind("SIMPLE").SetSent(int64(i + 1)).SetArrived(1).Save(ctx)
		require.NoError(t, err)
	}
	window := Query{AppID: app, From: old.Add(-time.Hour), To: now.Add(time.Hour), Granularity: allTime}
	before, err := s.queryStats(ctx, window)
	require.NoError(t, err)

	_, err = s.RollUp(ctx, DefaultRetention)
	require.NoError(t, err)
	after, err := s.queryStats(ctx, window)
	require.NoError(t, err)
	require.Equal(t, before[0].Counts, after[0].Counts, "the sums survive the roll-up")

	rows, err := s.client.StatMinute.Query().All(ctx)
	require.NoError(t, err)
	grains := map[string]int{}
	for _, r := range rows {
		grains[r.Grain]++
		require.False(t, r.Minute.Before(now.Add(-731*24*time.Hour)), "older than two years is gone")
	}
	require.Equal(t, map[string]int{"h": 1, "m": 1}, grains, "three old minutes became one hour")
	// Running it again changes nothing.
	n, err := s.RollUp(ctx, DefaultRetention)
	require.NoError(t, err)
	require.Zero(t, n)
}
