package push

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/store"
)

// statsSetup sends one push to three Xiaomi devices (two on app version
// 1.0, one on 2.0): all sent.
func statsSetup(t *testing.T) (vendorSetup, nodeid.ID, []nodeid.ID) {
	t.Helper()
	return statsSetupOn(t, testenv.Stores(t))
}

func statsSetupOn(t *testing.T, st *store.Stores) (vendorSetup, nodeid.ID, []nodeid.ID) {
	t.Helper()
	v := vendorTestOn(t, st, scriptedChannels{enum.ChannelXiaomi: answer(core.Result{Outcome: core.OutcomeSent})}, nil)
	var ids []string
	var devs []nodeid.ID
	for i, version := range []string{"1.0", "1.0", "2.0"} {
		d, _, err := v.s.RegisterDevice(v.ctx, Registration{AppKey: v.app.AppKey, InstallationID: "st" + version + string(rune('a'+i)),
			Platform: enum.PlatformAndroid, AppVersion: version, Tokens: map[enum.Channel]string{enum.ChannelXiaomi: "tok" + string(rune('a'+i))}})
		require.NoError(t, err)
		ids = append(ids, string(d.ID))
		devs = append(devs, d.ID)
	}
	j, err := v.s.Push(v.ctx, simplePush(v.app.ID, jsontype.Target{DeviceIDs: ids}, "hi"))
	require.NoError(t, err)
	_, err = v.s.Send(v.ctx, SendRequest{Job: j.ID})
	require.NoError(t, err)
	return v, j.ID, devs
}

func (v vendorSetup) stats(t *testing.T, groupBy ...StatDimension) []StatPoint {
	t.Helper()
	now := time.Now()
	pts, err := v.s.Stats(v.ctx, StatsQuery{AppID: v.app.ID, From: now.Add(-time.Hour), To: now.Add(time.Hour), Granularity: Hour, GroupBy: groupBy})
	require.NoError(t, err)
	return pts
}

func TestStatsCountEveryTransitionOnce(t *testing.T) {
	t.Parallel()
	v, job, devs := statsSetup(t)
	_, err := v.s.RecordDeviceEventsFor(v.ctx, devs[0], []DeviceEvent{{MessageID: job, Type: EventArrived}, {MessageID: job, Type: EventOpened}})
	require.NoError(t, err)
	_, err = v.s.RecordDeviceEventsFor(v.ctx, devs[2], []DeviceEvent{{MessageID: job, Type: EventIgnored}})
	require.NoError(t, err)

	pts := v.stats(t)
	require.Len(t, pts, 1)
	require.Equal(t, StatCounts{Targeted: 3, Sent: 3, Arrived: 2, Opened: 1, Ignored: 1}, pts[0].Counts)
	require.InDelta(t, 2.0/3, pts[0].Counts.ArrivalRate(), 1e-9)
	require.InDelta(t, 0.5, pts[0].Counts.OpenRate(), 1e-9)

	// Counting again changes nothing: the snapshot moved with the counts.
	require.NoError(t, v.s.RefreshJob(v.ctx, job))
	require.NoError(t, v.s.RefreshJob(v.ctx, job))
	require.Equal(t, pts, v.stats(t))

	byVersion := v.stats(t, DimAppVersion, DimChannel)
	require.Len(t, byVersion, 2)
	got := map[string]StatCounts{}
	for _, p := range byVersion {
		require.Equal(t, "XIAOMI", p.Dims[DimChannel])
		got[p.Dims[DimAppVersion]] = p.Counts
	}
	require.Equal(t, StatCounts{Targeted: 2, Sent: 2, Arrived: 1, Opened: 1}, got["1.0"])
	require.Equal(t, StatCounts{Targeted: 1, Sent: 1, Arrived: 1, Ignored: 1}, got["2.0"])

	// Every other dimension, at minute granularity.
	now := time.Now()
	for _, tc := range []struct {
		dim  StatDimension
		want string
	}{{DimPlatform, "ANDROID"}, {DimKind, "SIMPLE"}, {DimJob, string(job)}, {DimChannel, "XIAOMI"}} {
		pts, err := v.s.Stats(v.ctx, StatsQuery{AppID: v.app.ID, From: now.Add(-time.Hour), To: now.Add(time.Minute),
			Granularity: Minute, GroupBy: []StatDimension{tc.dim}})
		require.NoError(t, err)
		var sum StatCounts
		for _, p := range pts {
			require.Equal(t, tc.want, p.Dims[tc.dim], "%s", tc.dim)
			require.Equal(t, p.At, p.At.Truncate(time.Minute))
			sum.add(p.Counts, 1)
		}
		require.Equal(t, StatCounts{Targeted: 3, Sent: 3, Arrived: 2, Opened: 1, Ignored: 1}, sum, "%s", tc.dim)
	}
	// Filters narrow; a filter that matches nothing gives no points.
	pts, err = v.s.Stats(v.ctx, StatsQuery{AppID: v.app.ID, From: now.Add(-time.Hour), To: now.Add(time.Minute), Platform: "IOS"})
	require.NoError(t, err)
	require.Empty(t, pts)
}

func TestStatsSurviveACrashBeforeTheCommit(t *testing.T) {
	t.Parallel()
	v, job, devs := statsSetup(t)
	before := v.stats(t)
	// Events land, then a count is made and dies before its commit.
	v.s.marks = discardMarks{}
	_, err := v.s.RecordDeviceEventsFor(v.ctx, devs[1], []DeviceEvent{{MessageID: job, Type: EventArrived}})
	require.NoError(t, err)
	tx, err := v.s.relaxed.Tx(v.ctx)
	require.NoError(t, err)
	j, err := v.s.client.PushJob.Get(v.ctx, job)
	require.NoError(t, err)
	_, err = v.s.recordStatsTx(v.ctx, tx, j)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())
	require.Equal(t, before, v.stats(t), "nothing of the lost count")
	// The next count adds the event, once.
	require.NoError(t, v.s.RefreshJob(v.ctx, job))
	require.NoError(t, v.s.RefreshJob(v.ctx, job))
	after := v.stats(t)
	require.Equal(t, before[0].Counts.Arrived+1, after[0].Counts.Arrived)
}

// discardMarks forgets marks: counts are made only when a test asks.
type discardMarks struct{}

func (discardMarks) Mark(context.Context, ...nodeid.ID) error       { return nil }
func (discardMarks) Take(context.Context, int) ([]nodeid.ID, error) { return nil, nil }

func TestStatsRules(t *testing.T) {
	t.Parallel()
	v := vendorTest(t, scriptedChannels{}, nil)
	now := time.Now()
	for _, tc := range []struct {
		name  string
		q     StatsQuery
		field string
	}{
		{"to before from", StatsQuery{From: now, To: now.Add(-time.Minute)}, "to"},
		{"minutes over a day", StatsQuery{From: now, To: now.Add(25 * time.Hour), Granularity: Minute}, "to"},
		{"days over a year", StatsQuery{From: now, To: now.Add(400 * 24 * time.Hour), Granularity: Day}, "to"},
		{"unknown granularity", StatsQuery{From: now, To: now.Add(time.Hour), Granularity: "WEEK"}, "granularity"},
		{"unknown dimension", StatsQuery{From: now, To: now.Add(time.Hour), GroupBy: []StatDimension{"COLOUR"}}, "groupBy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.q.AppID = v.app.ID
			_, err := v.s.Stats(v.ctx, tc.q)
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tc.field, e.Field)
		})
	}
}

// nextFrame waits for a frame that satisfies cond.
func nextFrame(t *testing.T, ch <-chan LiveFrame, cond func(LiveFrame) bool) LiveFrame {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case f, ok := <-ch:
			require.True(t, ok, "the feed ended")
			if cond(f) {
				return f
			}
		case <-deadline:
			t.Fatal("no such frame")
		}
	}
}

func TestLiveStatsFollowTheCounts(t *testing.T) {
	t.Parallel()
	v, job, devs := statsSetup(t)
	v.s.liveInterval = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(v.ctx)
	defer cancel()
	frames, err := v.s.LiveStats(ctx, v.app.ID, []StatDimension{DimChannel})
	require.NoError(t, err)
	f := nextFrame(t, frames, func(LiveFrame) bool { return true })
	require.Equal(t, int64(3), f.Totals.Sent)
	require.Len(t, f.Minute, 1)
	require.Equal(t, "XIAOMI", f.Minute[0].Dims[DimChannel])

	// Without a broker the feed recomputes when a minute begins; a fresh
	// subscriber of another grouping gets a fresh feed at once.
	_, err = v.s.RecordDeviceEventsFor(v.ctx, devs[0], []DeviceEvent{{MessageID: job, Type: EventArrived}})
	require.NoError(t, err)
	other, err := v.s.LiveStats(ctx, v.app.ID, nil)
	require.NoError(t, err)
	f = nextFrame(t, other, func(LiveFrame) bool { return true })
	require.Equal(t, int64(1), f.Totals.Arrived)

	// A subscriber that stops reading is dropped; the others go on.
	slow, err := v.s.LiveStats(ctx, v.app.ID, []StatDimension{DimChannel})
	require.NoError(t, err)
	reading := make(chan int, 1)
	go func() {
		n := 0
		for range frames {
			n++
			select {
			case <-reading:
			default:
			}
			reading <- n
		}
	}()
	subs := func() int {
		v.s.live.mu.Lock()
		defer v.s.live.mu.Unlock()
		return len(v.s.live.feeds[string(v.app.ID)+"|CHANNEL"].subs)
	}
	require.Eventually(t, func() bool { return subs() == 1 }, 10*time.Second, 10*time.Millisecond)
	for range slow { // what was buffered, then closed
	}
	before := <-reading
	require.Eventually(t, func() bool {
		select {
		case n := <-reading:
			return n > before
		default:
			return false
		}
	}, 10*time.Second, 10*time.Millisecond, "the reader that keeps up still gets frames")
}

func TestRollUpKeepsTheSums(t *testing.T) {
	t.Parallel()
	v := vendorTest(t, scriptedChannels{}, nil)
	now := time.Now().UTC()
	old := now.Add(-10 * 24 * time.Hour).Truncate(time.Hour)
	ancient := now.Add(-800 * 24 * time.Hour)
	for i, at := range []time.Time{old, old.Add(time.Minute), old.Add(59 * time.Minute), now.Truncate(time.Minute), ancient} {
		_, err := v.s.client.StatMinute.Create().SetAppID(v.app.ID).SetMinute(at).SetChannel("FCM").
			SetKind("SIMPLE").SetSent(int64(i + 1)).SetArrived(1).Save(v.ctx)
		require.NoError(t, err)
	}
	window := StatsQuery{AppID: v.app.ID, From: old.Add(-time.Hour), To: now.Add(time.Hour), Granularity: allTime}
	before, err := v.s.queryStats(v.ctx, window)
	require.NoError(t, err)

	_, err = v.s.RollUpStats(v.ctx, DefaultStatsRetention)
	require.NoError(t, err)
	after, err := v.s.queryStats(v.ctx, window)
	require.NoError(t, err)
	require.Equal(t, before[0].Counts, after[0].Counts, "the sums survive the roll-up")

	rows, err := v.s.client.StatMinute.Query().All(v.ctx)
	require.NoError(t, err)
	grains := map[string]int{}
	for _, r := range rows {
		grains[r.Grain]++
		require.False(t, r.Minute.Before(now.Add(-731*24*time.Hour)), "older than two years is gone")
	}
	require.Equal(t, map[string]int{"h": 1, "m": 1}, grains, "three old minutes became one hour")
	// Running it again changes nothing.
	n, err := v.s.RollUpStats(v.ctx, DefaultStatsRetention)
	require.NoError(t, err)
	require.Zero(t, n)
}
