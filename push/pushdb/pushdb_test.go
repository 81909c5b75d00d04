package pushdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/pushdb"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// The conformance suite: every Executor behaves the same on its database.
func TestPostgres(t *testing.T) {
	t.Parallel()
	conformance(t, testenv.Stores)
}

func TestSQLite(t *testing.T) {
	t.Parallel()
	conformance(t, testenv.EmbeddedStores)
}

func conformance(t *testing.T, open func(testing.TB) *store.Stores) {
	for name, test := range map[string]func(*testing.T, fixture){
		"claim takes pending deliveries once":   testClaimOnce,
		"racing claims split the deliveries":    testClaimsSplit,
		"release needs the lease":               testReleaseNeedsLease,
		"release to sent stamps sent_at":        testReleaseSent,
		"release to pending keeps the attempts": testReleasePending,
		"nothing to claim or release":           testEmpty,
		"a fan-out chunk is written once":       testFanOutOnce,
		"a fan-out chunk is written claimed":    testFanOutClaimed,
		"counts refresh and a job finishes":     testRefreshCounts,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, newFixture(t, open(t)))
		})
	}
}

type fixture struct {
	ctx     context.Context
	client  *ent.Client
	db      pushdb.Executor
	app     nodeid.ID
	job     nodeid.ID
	devices []nodeid.ID
	ids     []nodeid.ID
	now     time.Time
}

// newFixture writes three PENDING deliveries of one job, each to a device
// of its own.
func newFixture(t *testing.T, st *store.Stores) fixture {
	ctx := tenant.AsSystem(t.Context())
	c := st.Ent
	app, err := c.App.Create().SetInput(ent.CreateAppInput{Name: "a"}).SetAppKey("ak_" + string(nodeid.New("x"))).Save(ctx)
	require.NoError(t, err)
	job, err := c.PushJob.Create().SetAppID(app.ID).SetKind(enum.PushKindMultiple).
		SetMessage(jsontype.Message{Title: "t"}).SetOptions(jsontype.Options{}).SetTTLSeconds(60).Save(ctx)
	require.NoError(t, err)
	f := fixture{ctx: ctx, client: c, db: pushdb.For(st.Dialect), app: app.ID, job: job.ID, now: time.Now().UTC().Truncate(time.Millisecond)}
	for i := range 3 {
		d, err := c.Device.Create().SetAppID(app.ID).SetInstallationID("i" + string(rune('a'+i))).SetPlatform(enum.PlatformAndroid).Save(ctx)
		require.NoError(t, err)
		dl, err := c.Delivery.Create().SetAppID(app.ID).SetJobID(job.ID).SetDeviceID(d.ID).SetExpiresAt(f.now.Add(time.Hour)).Save(ctx)
		require.NoError(t, err)
		f.ids = append(f.ids, dl.ID)
		f.devices = append(f.devices, d.ID)
	}
	return f
}

func (f fixture) claim(t *testing.T, lease string, ids ...nodeid.ID) []pushdb.Claimed {
	got, err := f.db.Claim(f.ctx, f.client, pushdb.Claim{IDs: ids, Channel: enum.ChannelFCM, Lease: lease, Now: f.now, For: time.Minute})
	require.NoError(t, err)
	return got
}

func (f fixture) get(t *testing.T, id nodeid.ID) *ent.Delivery {
	d, err := f.client.Delivery.Get(f.ctx, id)
	require.NoError(t, err)
	return d
}

func testClaimOnce(t *testing.T, f fixture) {
	got := f.claim(t, "l1", f.ids...)
	require.Len(t, got, 3)
	d := f.get(t, f.ids[0])
	require.Equal(t, delivery.StatusSENDING, d.Status)
	require.Equal(t, enum.ChannelFCM, *d.Channel)
	require.Equal(t, "l1", *d.LeaseOwner)
	require.Equal(t, 1, d.Attempts)
	require.True(t, d.LeaseUntil.After(f.now.Add(-time.Second)), "the lease runs from now")
	require.Empty(t, f.claim(t, "l2", f.ids...), "SENDING is not claimed again")
}

func testClaimsSplit(t *testing.T, f fixture) {
	results := make(chan []pushdb.Claimed, 4)
	for i := range 4 {
		go func() {
			got, err := f.db.Claim(f.ctx, f.client, pushdb.Claim{IDs: f.ids, Channel: enum.ChannelFCM, Lease: "l" + string(rune('0'+i)), Now: f.now, For: time.Minute})
			if err != nil {
				got = nil
				t.Error(err)
			}
			results <- got
		}()
	}
	seen := map[nodeid.ID]int{}
	for range 4 {
		for _, c := range <-results {
			seen[c.ID]++
		}
	}
	require.Len(t, seen, 3, "every delivery claimed")
	for id, n := range seen {
		require.Equal(t, 1, n, "%s claimed once", id)
	}
}

func testReleaseNeedsLease(t *testing.T, f fixture) {
	f.claim(t, "l1", f.ids...)
	n, err := f.db.Release(f.ctx, f.client, pushdb.Release{IDs: f.ids, Lease: "other", To: delivery.StatusFAILED, Why: "x", Now: f.now})
	require.NoError(t, err)
	require.Zero(t, n, "a lease that is not held records nothing")
	n, err = f.db.Release(f.ctx, f.client, pushdb.Release{IDs: f.ids[:2], Lease: "l1", To: delivery.StatusFAILED, Why: "refused", Now: f.now})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	d := f.get(t, f.ids[0])
	require.Equal(t, delivery.StatusFAILED, d.Status)
	require.Equal(t, "refused", d.LastError)
	require.Nil(t, d.LeaseOwner)
	require.Nil(t, d.LeaseUntil)
	require.Equal(t, delivery.StatusSENDING, f.get(t, f.ids[2]).Status, "not named, not moved")
}

func testReleaseSent(t *testing.T, f fixture) {
	f.claim(t, "l1", f.ids...)
	n, err := f.db.Release(f.ctx, f.client, pushdb.Release{IDs: f.ids, Lease: "l1", To: delivery.StatusSENT, Now: f.now})
	require.NoError(t, err)
	require.Equal(t, 3, n)
	d := f.get(t, f.ids[1])
	require.Equal(t, delivery.StatusSENT, d.Status)
	require.NotNil(t, d.SentAt)
	require.WithinDuration(t, f.now, *d.SentAt, time.Second)
}

func testReleasePending(t *testing.T, f fixture) {
	f.claim(t, "l1", f.ids[0])
	n, err := f.db.Release(f.ctx, f.client, pushdb.Release{IDs: f.ids[:1], Lease: "l1", To: delivery.StatusPENDING, Why: "retry", Now: f.now})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	d := f.get(t, f.ids[0])
	require.Equal(t, delivery.StatusPENDING, d.Status)
	require.Nil(t, d.SentAt)
	got := f.claim(t, "l2", f.ids[0])
	require.Equal(t, []pushdb.Claimed{{ID: f.ids[0], LastError: "retry"}}, got, "claimed again, saying why it waited")
	require.Equal(t, 2, f.get(t, f.ids[0]).Attempts)
}

func testEmpty(t *testing.T, f fixture) {
	require.Empty(t, f.claim(t, "l1"))
	n, err := f.db.Release(f.ctx, f.client, pushdb.Release{Lease: "l1", To: delivery.StatusSENT, Now: f.now})
	require.NoError(t, err)
	require.Zero(t, n)
}

func testFanOutOnce(t *testing.T, f fixture) {
	job, err := f.client.PushJob.Create().SetAppID(f.app).SetKind(enum.PushKindBroadcast).
		SetMessage(jsontype.Message{Title: "b"}).SetOptions(jsontype.Options{}).SetTTLSeconds(60).Save(f.ctx)
	require.NoError(t, err)
	chunk := pushdb.FanOut{AppID: f.app, JobID: job.ID, Devices: f.devices, ExpiresAt: f.now.Add(time.Hour), Now: f.now}
	n, err := f.db.InsertFanOut(f.ctx, f.client, &chunk)
	require.NoError(t, err)
	require.Equal(t, len(f.devices), n)
	again := pushdb.FanOut{AppID: f.app, JobID: job.ID, Devices: f.devices[1:], ExpiresAt: f.now.Add(time.Hour), Now: f.now} // a repeated, overlapping chunk
	n, err = f.db.InsertFanOut(f.ctx, f.client, &again)
	require.NoError(t, err)
	require.Zero(t, n, "nothing written twice")
	require.Empty(t, again.Written)
	ds, err := f.client.Delivery.Query().Where(delivery.JobID(job.ID)).All(f.ctx)
	require.NoError(t, err)
	require.Len(t, ds, len(f.devices), "one delivery per device")
	require.ElementsMatch(t, core.IDsOf(ds), chunk.Written, "the insert says what it wrote")
	for _, d := range ds {
		require.Equal(t, delivery.StatusPENDING, d.Status)
		require.Zero(t, d.Attempts)
		require.WithinDuration(t, f.now.Add(time.Hour), d.ExpiresAt, time.Second)
		require.Equal(t, "dlv", d.ID.Prefix())
	}
	got := f.claim(t, "l1", ds[0].ID)
	require.Len(t, got, 1, "a fan-out's delivery is claimable")
	n, err = f.db.InsertFanOut(f.ctx, f.client, &pushdb.FanOut{AppID: f.app, JobID: job.ID, Now: f.now})
	require.NoError(t, err, "an empty chunk writes nothing")
	require.Zero(t, n)
}

// A fan-out chunk written claimed: the devices with a channel get a
// SENDING delivery under the lease, with an attempt counted and the
// lease's end in the future; the others a PENDING one. The lease holds
// them as a claim's does.
func testFanOutClaimed(t *testing.T, f fixture) {
	job, err := f.client.PushJob.Create().SetAppID(f.app).SetKind(enum.PushKindBroadcast).
		SetMessage(jsontype.Message{Title: "b"}).SetOptions(jsontype.Options{}).SetTTLSeconds(60).Save(f.ctx)
	require.NoError(t, err)
	ids := []nodeid.ID{nodeid.New("dlv"), nodeid.New("dlv"), nodeid.New("dlv")}
	chunk := pushdb.FanOut{AppID: f.app, JobID: job.ID, Devices: f.devices, IDs: ids, ExpiresAt: f.now.Add(time.Hour), Now: f.now,
		Channels: []enum.Channel{enum.ChannelAPNs, "", enum.ChannelFCM}, Lease: "fresh", For: time.Minute}
	n, err := f.db.InsertFanOut(f.ctx, f.client, &chunk)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	want := []struct {
		status  delivery.Status
		channel enum.Channel
	}{{delivery.StatusSENDING, enum.ChannelAPNs}, {delivery.StatusPENDING, ""}, {delivery.StatusSENDING, enum.ChannelFCM}}
	for i, id := range ids {
		d, err := f.client.Delivery.Get(f.ctx, id)
		require.NoError(t, err)
		require.Equal(t, want[i].status, d.Status, i)
		if want[i].channel == "" {
			require.Nil(t, d.Channel)
			require.Zero(t, d.Attempts)
			require.Nil(t, d.LeaseUntil)
			continue
		}
		require.Equal(t, want[i].channel, *d.Channel)
		require.Equal(t, 1, d.Attempts)
		require.Equal(t, "fresh", *d.LeaseOwner)
		require.True(t, d.LeaseUntil.After(time.Now().Add(30*time.Second)), "the lease runs about a minute")
	}
	require.Empty(t, f.claim(t, "l2", ids[0], ids[2]), "claimed rows are not claimed again")
	moved, err := f.db.Release(f.ctx, f.client, pushdb.Release{IDs: []nodeid.ID{ids[0], ids[2]}, Lease: "fresh", To: delivery.StatusSENT, Now: f.now})
	require.NoError(t, err)
	require.Equal(t, 2, moved, "the insert's lease releases them")
}

func testRefreshCounts(t *testing.T, f fixture) {
	refresh := func() bool {
		changed, err := f.db.RefreshCounts(f.ctx, f.client, pushdb.Refresh{Job: f.job, Now: f.now, Resends: []string{"retry", "lapsed", "released"}})
		require.NoError(t, err)
		return changed
	}
	require.True(t, refresh(), "three deliveries counted")
	j, err := f.client.PushJob.Get(f.ctx, f.job)
	require.NoError(t, err)
	require.Equal(t, 3, j.CountTargeted)
	require.Equal(t, 3, j.CountPending)
	require.False(t, refresh(), "nothing changed, nothing written")

	require.NoError(t, f.client.PushJob.UpdateOneID(f.job).SetStatus(pushjob.StatusSENDING).SetDispatchedAt(f.now).Exec(f.ctx))
	f.claim(t, "l1", f.ids...)
	_, err = f.db.Release(f.ctx, f.client, pushdb.Release{IDs: f.ids[:2], Lease: "l1", To: delivery.StatusSENT, Now: f.now})
	require.NoError(t, err)
	_, err = f.db.Release(f.ctx, f.client, pushdb.Release{IDs: f.ids[2:], Lease: "l1", To: delivery.StatusPENDING, Why: "retry", Now: f.now})
	require.NoError(t, err)
	require.True(t, refresh())
	j, err = f.client.PushJob.Get(f.ctx, f.job)
	require.NoError(t, err)
	require.Equal(t, 2, j.CountSent)
	require.Equal(t, pushjob.StatusSENDING, j.Status, "a delivery waits for its retry")

	f.claim(t, "l2", f.ids[2])
	_, err = f.db.Release(f.ctx, f.client, pushdb.Release{IDs: f.ids[2:], Lease: "l2", To: delivery.StatusFAILED, Why: "refused", Now: f.now})
	require.NoError(t, err)
	require.True(t, refresh())
	j, err = f.client.PushJob.Get(f.ctx, f.job)
	require.NoError(t, err)
	require.Equal(t, pushjob.StatusDONE, j.Status)
	require.Equal(t, 1, j.CountFailed)
	require.NotNil(t, j.FinishedAt)
}
