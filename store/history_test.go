package store_test

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
	"github.com/pushd/pushd/push/intake"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

const week = 7 * 24 * time.Hour

// history writes jobs and their deliveries expiring at chosen times.
type history struct {
	t   *testing.T
	s   *store.Stores
	sys context.Context
	app *ent.App
}

func newHistory(t *testing.T, s *store.Stores) *history {
	sys := tenant.NewContext(context.Background(), tenant.System())
	app, err := s.Ent.App.Create().SetName("h").SetAppKey("k-" + t.Name()).Save(sys)
	require.NoError(t, err)
	return &history{t: t, s: s, sys: sys, app: app}
}

// job writes a job expiring at expires with n deliveries, and returns it.
func (h *history) job(expires time.Time, n int) *ent.PushJob {
	job, err := h.s.Ent.PushJob.Create().SetAppID(h.app.ID).SetKind(enum.PushKindBroadcast).
		SetMessage(jsontype.Message{Title: "t"}).SetOptions(jsontype.Options{}).SetTTLSeconds(60).SetExpiresAt(expires).Save(h.sys)
	require.NoError(h.t, err)
	bulk := make([]*ent.DeliveryCreate, n)
	for i := range bulk {
		dev, err := h.s.Ent.Device.Create().SetAppID(h.app.ID).SetPlatform(enum.PlatformAndroid).SetInstallationID(nodeid.New("inst").String()).Save(h.sys)
		require.NoError(h.t, err)
		bulk[i] = h.s.Ent.Delivery.Create().SetAppID(h.app.ID).SetJobID(job.ID).SetDeviceID(dev.ID).SetExpiresAt(expires)
	}
	require.NoError(h.t, h.s.Ent.Delivery.CreateBulk(bulk...).Exec(h.sys))
	return job
}

// deliveries counts the job's deliveries.
func (h *history) deliveries(job *ent.PushJob) int {
	n, err := h.s.Ent.Delivery.Query().Where(delivery.JobID(job.ID)).Count(h.sys)
	require.NoError(h.t, err)
	return n
}

func (h *history) jobExists(job *ent.PushJob) bool {
	ok, err := h.s.Ent.PushJob.Query().Where(pushjob.ID(job.ID)).Exist(h.sys)
	require.NoError(h.t, err)
	return ok
}

// partitions maps each partition of deliveries to its rows.
func (h *history) partitions() map[string]int {
	rows, err := h.s.DB.QueryContext(context.Background(), `SELECT c.relname, count(d.tableoid)
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid LEFT JOIN deliveries d ON d.tableoid = c.oid
WHERE i.inhparent = to_regclass('deliveries') GROUP BY c.relname`)
	require.NoError(h.t, err)
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		require.NoError(h.t, rows.Scan(&name, &n))
		out[name] = n
	}
	require.NoError(h.t, rows.Err())
	return out
}

// foreignKeys names the foreign keys of deliveries and its partitions.
func (h *history) foreignKeys() []string {
	rows, err := h.s.DB.QueryContext(context.Background(), `SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint
WHERE contype = 'f' AND conrelid IN (SELECT to_regclass('deliveries') UNION SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass('deliveries'))`)
	require.NoError(h.t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		require.NoError(h.t, rows.Scan(&name))
		out = append(out, name)
	}
	require.NoError(h.t, rows.Err())
	return out
}

func period(t time.Time) string { return "deliveries_p" + t.UTC().Truncate(week).Format("20060102") }

// Deliveries land in the partition of their expiry; the ones expiring
// past the partitions made so far wait in deliveries_future and move to
// their own when it is made; a partition goes once everything in it
// expired longer ago than the retention, and the jobs with it.
func TestDeliveryPartitionsAreMadeAheadAndDroppedAfterRetention(t *testing.T) {
	t.Parallel()
	s := testenv.Stores(t)
	h := newHistory(t, s)
	now := time.Now()
	this, next, far := now, now.Add(week), now.Add(8*week)
	soon, later, scheduled := h.job(this, 3), h.job(next, 2), h.job(far, 4)

	parts := h.partitions()
	require.Contains(t, parts, period(now.Add(intake.MaxTTL)), "partitions reach past the longest TTL: %v", parts)
	require.Equal(t, 3, parts[period(this)])
	require.Equal(t, 2, parts[period(next)])
	require.Equal(t, 4, parts["deliveries_future"])

	// Four weeks on, the partitions reach the far job's period: its
	// deliveries moved out of deliveries_future, none lost.
	kept, err := s.KeepHistory(h.sys, now.Add(4*week))
	require.NoError(t, err)
	require.Empty(t, kept.Partitions, "nothing is past the 30-day retention yet")
	parts = h.partitions()
	require.Equal(t, 4, parts[period(far)], "%v", parts)
	require.Zero(t, parts["deliveries_future"])
	require.Equal(t, 4, h.deliveries(scheduled))

	// Once this period ended more than the retention ago, its partition
	// and its job go; the later ones stay.
	kept, err = s.KeepHistory(h.sys, now.Add(week+store.DefaultRetention))
	require.NoError(t, err)
	require.Equal(t, []string{period(this)}, kept.Partitions)
	require.Equal(t, 1, kept.Jobs)
	require.False(t, h.jobExists(soon))
	require.True(t, h.jobExists(later))
	require.Equal(t, 2, h.deliveries(later))
	require.Equal(t, 4, h.deliveries(scheduled))

	// Running again changes nothing.
	kept, err = s.KeepHistory(h.sys, now.Add(week+store.DefaultRetention))
	require.NoError(t, err)
	require.Empty(t, kept.Partitions)
	require.Zero(t, kept.Jobs)
}

// The ledger holds across the partitioned table: a job's second delivery
// to a device is refused, as before partitioning.
func TestLedgerHoldsOnPartitionedDeliveries(t *testing.T) {
	t.Parallel()
	s := testenv.Stores(t)
	h := newHistory(t, s)
	job := h.job(time.Now().Add(time.Hour), 1)
	d, err := s.Ent.Delivery.Query().Where(delivery.JobID(job.ID)).Only(h.sys)
	require.NoError(t, err)
	err = s.Ent.Delivery.Create().SetAppID(h.app.ID).SetJobID(job.ID).SetDeviceID(*d.DeviceID).SetExpiresAt(d.ExpiresAt).Exec(h.sys)
	require.True(t, ent.IsConstraintError(err), "%v", err)
}

// A new database's deliveries have no foreign keys: their checks cost
// every insert a look-up and a lock of the app's, the job's and the
// device's rows. A database migrated while they had them loses them.
func TestDeliveriesHaveNoForeignKeys(t *testing.T) {
	t.Parallel()
	s := testenv.Stores(t)
	h := newHistory(t, s)
	h.job(time.Now().Add(time.Hour), 1)
	require.Empty(t, h.foreignKeys())

	_, err := s.DB.ExecContext(context.Background(), `ALTER TABLE deliveries ADD CONSTRAINT deliveries_apps_deliveries
FOREIGN KEY (app_id) REFERENCES apps (id) ON DELETE CASCADE`)
	require.NoError(t, err)
	require.NotEmpty(t, h.foreignKeys())
	require.NoError(t, s.Migrate(context.Background()))
	require.Empty(t, h.foreignKeys())
}

// A deliveries table from before partitioning becomes the partition of
// everything up to the first period: its rows are all there, new ones go
// to the periods, and the ledger covers both.
func TestPlainDeliveriesTableIsAdopted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DatabaseURL: testenv.DatabaseURL(t), RedisURL: testenv.RedisURL(t)}, testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, store.MigrateUnpartitioned(ctx, s))
	h := newHistory(t, s)
	old := h.job(time.Now().Add(-time.Hour), 5)
	scheduled := h.job(time.Now().Add(3*week), 2)

	require.NotEmpty(t, h.foreignKeys(), "the plain table had its foreign keys")
	require.NoError(t, s.Migrate(ctx))
	parts := h.partitions()
	require.Equal(t, 7, parts["deliveries_legacy"], "%v", parts)
	require.Empty(t, h.foreignKeys(), "the migration drops them")
	require.Equal(t, 5, h.deliveries(old))
	require.Equal(t, 2, h.deliveries(scheduled))
	fresh := h.job(time.Now().Add(10*week), 1)
	require.Equal(t, 1, h.partitions()["deliveries_future"])
	require.Equal(t, 1, h.deliveries(fresh))
	d, err := s.Ent.Delivery.Query().Where(delivery.JobID(old.ID)).First(h.sys)
	require.NoError(t, err)
	err = s.Ent.Delivery.Create().SetAppID(h.app.ID).SetJobID(old.ID).SetDeviceID(*d.DeviceID).SetExpiresAt(d.ExpiresAt).Exec(h.sys)
	require.True(t, ent.IsConstraintError(err), "%v", err)
	require.NoError(t, s.Migrate(ctx), "migrating again is harmless")

	// The legacy partition goes when its last expiry is past the
	// retention; its jobs with it.
	kept, err := s.KeepHistory(h.sys, time.Now().Add(10*week+store.DefaultRetention))
	require.NoError(t, err)
	require.Contains(t, kept.Partitions, "deliveries_legacy")
	require.False(t, h.jobExists(old))
	require.False(t, h.jobExists(scheduled))
	require.True(t, h.jobExists(fresh))
}

// The partitions reach past the longest TTL.
func TestPartitionsCoverTheLongestTTL(t *testing.T) {
	t.Parallel()
	require.Greater(t, store.ExpiryCovered, intake.MaxTTL)
}

// On SQLite the deliveries past the retention are deleted, then their
// jobs.
func TestEmbeddedHistoryDeletesExpiredDeliveries(t *testing.T) {
	t.Parallel()
	s := testenv.EmbeddedStores(t)
	h := newHistory(t, s)
	now := time.Now()
	old, recent := h.job(now.Add(-time.Hour), 3), h.job(now.Add(time.Hour), 2)
	// A minute on, as the jobs were written after now.
	kept, err := s.KeepHistory(h.sys, now.Add(store.DefaultRetention+time.Minute))
	require.NoError(t, err)
	require.Equal(t, 3, kept.Deliveries)
	require.Equal(t, 1, kept.Jobs)
	require.False(t, h.jobExists(old))
	require.Equal(t, 2, h.deliveries(recent))
}

// Nodes keeping the history at once do not trip over each other's
// partitions: one does the work, the others find nothing left or step
// aside.
func TestHistoryKeptByNodesAtOnce(t *testing.T) {
	t.Parallel()
	s := testenv.Stores(t)
	h := newHistory(t, s)
	far := h.job(time.Now().Add(12*week), 2)
	later := time.Now().Add(8 * week)
	errs := make(chan error, 4)
	for range cap(errs) {
		go func() {
			_, err := s.KeepHistory(h.sys, later)
			errs <- err
		}()
	}
	for range cap(errs) {
		require.NoError(t, <-errs)
	}
	_, err := s.KeepHistory(h.sys, later)
	require.NoError(t, err)
	require.Equal(t, 2, h.deliveries(far))
	require.Equal(t, 2, h.partitions()[period(*far.ExpiresAt)])
}
