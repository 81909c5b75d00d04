package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

func TestEmbeddedStores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DataDir: t.TempDir()}, testenv.Logger(t))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Migrate(ctx))
	require.NoError(t, s.Migrate(ctx), "migrating twice is harmless")
	require.Equal(t, "sqlite3", s.Dialect)

	var fk int
	require.NoError(t, s.DB.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
	require.Equal(t, 1, fk, "cascades rely on foreign keys")
	var mode string
	require.NoError(t, s.DB.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	require.Equal(t, "wal", mode)
	var busy int
	require.NoError(t, s.DB.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
	require.Positive(t, busy)

	sys := tenant.NewContext(ctx, tenant.System())
	app, err := s.Ent.App.Create().SetName("a").SetAppKey("k").Save(sys)
	require.NoError(t, err)
	_, err = s.Ent.AppUser.Create().SetAppID(app.ID).SetExternalID("u").Save(sys)
	require.NoError(t, err)
	require.NoError(t, s.Ent.App.DeleteOne(app).Exec(sys))
	n, err := s.Ent.AppUser.Query().Count(sys)
	require.NoError(t, err)
	require.Zero(t, n, "deleting an app cascades on SQLite too")

	require.NoError(t, s.Ping(ctx))
}

// The embedded stores are the operator's alone: the database file is
// readable by its owner only and the in-process Redis wants a password.
func TestEmbeddedStoresAreOwnerOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pushd.db"), nil, 0o644))
	s, err := store.Open(ctx, store.Options{DataDir: dir}, testenv.Logger(t))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Migrate(ctx))
	files, err := filepath.Glob(filepath.Join(dir, "pushd.db*"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		fi, err := os.Stat(f)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), f)
	}

	opt, ok := s.RedisOpt.(asynq.RedisClientOpt)
	require.True(t, ok, "%T", s.RedisOpt)
	require.NotEmpty(t, opt.Password)
	stranger := redis.NewClient(&redis.Options{Addr: opt.Addr})
	defer stranger.Close()
	require.ErrorContains(t, stranger.Ping(ctx).Err(), "NOAUTH")
	require.NoError(t, s.Redis.Ping(ctx).Err())
}

// The embedded Redis expires keys in real time, as pushd's nonces and
// presence need.
func TestEmbeddedRedisExpiresKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DataDir: t.TempDir()}, testenv.Logger(t))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Redis.Set(ctx, "k", "v", time.Second).Err())
	require.Eventually(t, func() bool {
		return s.Redis.Exists(ctx, "k").Val() == 0
	}, 5*time.Second, 50*time.Millisecond)
}

func TestPostgresStores(t *testing.T) {
	t.Parallel()
	s := testenv.Stores(t)
	require.Equal(t, "postgres", s.Dialect)
	require.NoError(t, s.Migrate(context.Background()), "migrating twice is harmless")
	require.NoError(t, s.Ping(context.Background()))

	// The relaxed client is the same database, without waiting for the
	// disk at commit.
	show := func(c *ent.Client) string {
		rows, err := c.QueryContext(context.Background(), "SHOW synchronous_commit")
		require.NoError(t, err)
		defer rows.Close()
		require.True(t, rows.Next())
		var v string
		require.NoError(t, rows.Scan(&v))
		return v
	}
	require.Equal(t, "on", show(s.Ent))
	require.Equal(t, "off", show(s.Relaxed))
}

func TestScopeIsEnforcedByStorage(t *testing.T) {
	t.Parallel()
	s := testenv.Stores(t)
	ctx := context.Background()
	sys := tenant.NewContext(ctx, tenant.System())
	a, err := s.Ent.App.Create().SetName("a").SetAppKey("ka").Save(sys)
	require.NoError(t, err)
	b, err := s.Ent.App.Create().SetName("b").SetAppKey("kb").Save(sys)
	require.NoError(t, err)
	tb, err := s.Ent.Template.Create().SetAppID(b.ID).SetName("t").SetBody("x").Save(sys)
	require.NoError(t, err)

	_, err = s.Ent.App.Query().All(ctx)
	require.ErrorIs(t, err, tenant.ErrNoPrincipal, "no principal reads nothing")

	asA := tenant.NewContext(ctx, tenant.Principal{Kind: tenant.KindAPIKey, AppID: a.ID})
	apps, err := s.Ent.App.Query().All(asA)
	require.NoError(t, err)
	require.Len(t, apps, 1)
	require.Equal(t, a.ID, apps[0].ID)

	n, err := s.Ent.Template.Query().Count(asA)
	require.NoError(t, err)
	require.Zero(t, n, "A cannot see B's template")
	_, err = s.Ent.Template.Get(asA, tb.ID)
	require.Error(t, err)

	_, err = s.Ent.Template.Create().SetAppID(b.ID).SetName("evil").SetBody("x").Save(asA)
	require.ErrorIs(t, err, tenant.ErrForbidden, "A cannot create in B")
	_, err = s.Ent.Template.UpdateOneID(tb.ID).SetBody("changed").Save(asA)
	require.Error(t, err, "A cannot change B's template")
	err = s.Ent.Template.DeleteOneID(tb.ID).Exec(asA)
	require.True(t, ent.IsNotFound(err), "A cannot delete B's template: %v", err)
	still, err := s.Ent.Template.Get(sys, tb.ID)
	require.NoError(t, err)
	require.Equal(t, "x", still.Body)

	// Traversal through an edge is scoped too.
	nb, err := s.Ent.App.Query().QueryTemplates().Count(asA)
	require.NoError(t, err)
	require.Zero(t, nb)
}

// The stores' statements stop at the statement timeout; a migration does
// not, even while it waits longer than that for another replica's.
func TestStatementTimeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const timeout = 200 * time.Millisecond
	appName := fmt.Sprintf("pushd-timeout-%d", time.Now().UnixNano())
	dbURL := testenv.DatabaseURL(t)
	s, err := store.Open(ctx, store.Options{
		DatabaseURL:      dbURL + "&application_name=" + appName,
		RedisURL:         testenv.RedisURL(t),
		StatementTimeout: timeout,
	}, testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })

	for _, c := range []*ent.Client{s.Ent, s.Relaxed} {
		rows, err := c.QueryContext(ctx, "SHOW statement_timeout")
		require.NoError(t, err)
		require.True(t, rows.Next())
		var v string
		require.NoError(t, rows.Scan(&v))
		require.NoError(t, rows.Close())
		require.Equal(t, "200ms", v)
	}
	_, err = s.DB.ExecContext(ctx, "SELECT pg_sleep(5)")
	var pqErr *pq.Error
	require.ErrorAs(t, err, &pqErr)
	require.Equal(t, "query_canceled", pqErr.Code.Name())

	// Another replica is migrating: this one waits for the lock (store's
	// migrationLockKey) past the timeout, then migrates. The other one's
	// connection has no timeout, as it may wait for other tests' migrations.
	other, err := sql.Open("postgres", dbURL)
	require.NoError(t, err)
	defer other.Close()
	lock, err := other.Conn(ctx)
	require.NoError(t, err)
	defer lock.Close()
	_, err = lock.ExecContext(ctx, "SELECT pg_advisory_lock($1)", 0x70757368)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- s.Migrate(ctx) }()
	require.Eventually(t, func() bool {
		var waiting bool
		err := s.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock' AND now() - query_start > $2 * interval '1 millisecond')`,
			appName, 2*timeout.Milliseconds()).Scan(&waiting)
		return err == nil && waiting
	}, 10*time.Second, 20*time.Millisecond, "the migration waits for the lock")
	_, err = lock.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", 0x70757368)
	require.NoError(t, err)
	require.NoError(t, <-done)
	n, err := s.Ent.App.Query().Count(tenant.NewContext(ctx, tenant.System()))
	require.NoError(t, err)
	require.Zero(t, n, "the schema is there")
}
