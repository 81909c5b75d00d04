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
	"github.com/pushd/pushd/push/devices"
	"github.com/pushd/pushd/push/stats"
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
		d, _, err := v.s.Devices().RegisterDevice(v.ctx, devices.Registration{AppKey: v.app.AppKey, InstallationID: "st" + version + string(rune('a'+i)),
			Platform: enum.PlatformAndroid, AppVersion: version, Tokens: map[enum.Channel]string{enum.ChannelXiaomi: "tok" + string(rune('a'+i))}})
		require.NoError(t, err)
		ids = append(ids, string(d.ID))
		devs = append(devs, d.ID)
	}
	j, err := v.s.Push(v.ctx, simplePush(v.app.ID, jsontype.Target{DeviceIDs: ids}, "hi"))
	require.NoError(t, err)
	_, err = v.s.Delivery().Send(v.ctx, SendRequest{Job: j.ID})
	require.NoError(t, err)
	return v, j.ID, devs
}

func (v vendorSetup) stats(t *testing.T, groupBy ...stats.StatDimension) []stats.StatPoint {
	t.Helper()
	now := time.Now()
	pts, err := v.s.Stats().Points(v.ctx, stats.Query{AppID: v.app.ID, From: now.Add(-time.Hour), To: now.Add(time.Hour), Granularity: stats.Hour, GroupBy: groupBy})
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
	require.Equal(t, stats.StatCounts{Targeted: 3, Sent: 3, Arrived: 2, Opened: 1, Ignored: 1}, pts[0].Counts)
	require.InDelta(t, 2.0/3, pts[0].Counts.ArrivalRate(), 1e-9)
	require.InDelta(t, 0.5, pts[0].Counts.OpenRate(), 1e-9)

	// Counting again changes nothing: the snapshot moved with the counts.
	require.NoError(t, v.s.RefreshJob(v.ctx, job))
	require.NoError(t, v.s.RefreshJob(v.ctx, job))
	require.Equal(t, pts, v.stats(t))

	byVersion := v.stats(t, stats.DimAppVersion, stats.DimChannel)
	require.Len(t, byVersion, 2)
	got := map[string]stats.StatCounts{}
	for _, p := range byVersion {
		require.Equal(t, "XIAOMI", p.Dims[stats.DimChannel])
		got[p.Dims[stats.DimAppVersion]] = p.Counts
	}
	require.Equal(t, stats.StatCounts{Targeted: 2, Sent: 2, Arrived: 1, Opened: 1}, got["1.0"])
	require.Equal(t, stats.StatCounts{Targeted: 1, Sent: 1, Arrived: 1, Ignored: 1}, got["2.0"])

	// Every other dimension, at minute granularity.
	now := time.Now()
	for _, tc := range []struct {
		dim  stats.StatDimension
		want string
	}{{stats.DimPlatform, "ANDROID"}, {stats.DimKind, "SIMPLE"}, {stats.DimJob, string(job)}, {stats.DimChannel, "XIAOMI"}} {
		pts, err := v.s.Stats().Points(v.ctx, stats.Query{AppID: v.app.ID, From: now.Add(-time.Hour), To: now.Add(time.Minute),
			Granularity: stats.Minute, GroupBy: []stats.StatDimension{tc.dim}})
		require.NoError(t, err)
		var sum stats.StatCounts
		for _, p := range pts {
			require.Equal(t, tc.want, p.Dims[tc.dim], "%s", tc.dim)
			require.Equal(t, p.At, p.At.Truncate(time.Minute))
			sum = addCounts(sum, p.Counts)
		}
		require.Equal(t, stats.StatCounts{Targeted: 3, Sent: 3, Arrived: 2, Opened: 1, Ignored: 1}, sum, "%s", tc.dim)
	}
	// Filters narrow; a filter that matches nothing gives no points.
	pts, err = v.s.Stats().Points(v.ctx, stats.Query{AppID: v.app.ID, From: now.Add(-time.Hour), To: now.Add(time.Minute), Platform: "IOS"})
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
	_, err = v.s.Stats().RecordTx(v.ctx, tx, j)
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
		q     stats.Query
		field string
	}{
		{"to before from", stats.Query{From: now, To: now.Add(-time.Minute)}, "to"},
		{"minutes over a day", stats.Query{From: now, To: now.Add(25 * time.Hour), Granularity: stats.Minute}, "to"},
		{"days over a year", stats.Query{From: now, To: now.Add(400 * 24 * time.Hour), Granularity: stats.Day}, "to"},
		{"unknown granularity", stats.Query{From: now, To: now.Add(time.Hour), Granularity: "WEEK"}, "granularity"},
		{"unknown dimension", stats.Query{From: now, To: now.Add(time.Hour), GroupBy: []stats.StatDimension{"COLOUR"}}, "groupBy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.q.AppID = v.app.ID
			_, err := v.s.Stats().Points(v.ctx, tc.q)
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tc.field, e.Field)
		})
	}
}

// nextFrame waits for a frame that satisfies cond.
func nextFrame(t *testing.T, ch <-chan stats.LiveFrame, cond func(stats.LiveFrame) bool) stats.LiveFrame {
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
	v.s.stats = stats.New(stats.Config{
		Client: v.s.client, Relaxed: v.s.relaxed, Dialect: v.s.dialect, Logger: v.s.log, Clock: v.s.now,
		LiveInterval: 20 * time.Millisecond,
	})
	ctx, cancel := context.WithCancel(v.ctx)
	defer cancel()
	frames, err := v.s.Stats().Live(ctx, v.app.ID, []stats.StatDimension{stats.DimChannel})
	require.NoError(t, err)
	f := nextFrame(t, frames, func(stats.LiveFrame) bool { return true })
	require.Equal(t, int64(3), f.Totals.Sent)
	require.Len(t, f.Minute, 1)
	require.Equal(t, "XIAOMI", f.Minute[0].Dims[stats.DimChannel])

	// Without a broker the feed recomputes when a minute begins; a fresh
	// subscriber of another grouping gets a fresh feed at once.
	_, err = v.s.RecordDeviceEventsFor(v.ctx, devs[0], []DeviceEvent{{MessageID: job, Type: EventArrived}})
	require.NoError(t, err)
	other, err := v.s.Stats().Live(ctx, v.app.ID, nil)
	require.NoError(t, err)
	f = nextFrame(t, other, func(stats.LiveFrame) bool { return true })
	require.Equal(t, int64(1), f.Totals.Arrived)

	// A subscriber that stops reading is dropped; the others go on.
	slow, err := v.s.Stats().Live(ctx, v.app.ID, []stats.StatDimension{stats.DimChannel})
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
	require.Eventually(t, func() bool {
		return v.s.Stats().LiveSubscribers(v.app.ID, []stats.StatDimension{stats.DimChannel}) == 1
	},
		10*time.Second, 10*time.Millisecond)
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

// A refresh whose statistics are put off keeps the job marked, and a later
// refresh counts what happened meanwhile, once.
func TestPacedStatsCatchUp(t *testing.T) {
	t.Parallel()
	v, job, devs := statsSetup(t)
	marks := &setMarks{m: map[nodeid.ID]bool{}}
	v.s.marks = marks
	before := v.stats(t)
	// The last count took an hour: the next is not due yet.
	v.s.Stats().Counted(job, time.Now(), time.Hour)
	_, err := v.s.RecordDeviceEventsFor(v.ctx, devs[1], []DeviceEvent{{MessageID: job, Type: EventArrived}})
	require.NoError(t, err)
	require.NoError(t, marks.Mark(v.ctx, job))

	n, err := v.s.RefreshMarked(v.ctx, 100)
	require.NoError(t, err)
	require.Zero(t, n, "the only job was put off")
	require.True(t, marks.m[job], "and stays marked")
	require.Equal(t, before, v.stats(t), "not counted yet")

	v.s.Stats().Counted(job, time.Now().Add(-time.Hour), time.Millisecond) // now due
	n, err = v.s.RefreshMarked(v.ctx, 100)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Empty(t, marks.m)
	require.Equal(t, before[0].Counts.Arrived+1, v.stats(t)[0].Counts.Arrived)
}

func addCounts(a, b stats.StatCounts) stats.StatCounts {
	return stats.StatCounts{
		Targeted: a.Targeted + b.Targeted, Sent: a.Sent + b.Sent, Arrived: a.Arrived + b.Arrived, Opened: a.Opened + b.Opened,
		Ignored: a.Ignored + b.Ignored, Failed: a.Failed + b.Failed, Expired: a.Expired + b.Expired, Revoked: a.Revoked + b.Revoked,
	}
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
