package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// Behind PgBouncer in transaction mode, with every transaction on another
// server connection than the one before (testenv.PgBouncerURL), pushd's
// stores work: statements with parameters, the URL's search_path, the
// statement timeout and the relaxed commit of each pool, and migrations
// that leave no lock behind.
func TestTransactionPooling(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	direct := testenv.DatabaseURL(t)
	// PgBouncer gives its server connections the name of their last
	// client: ours alone, as it serves only this test.
	appName := "pushd-pooled-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	through := testenv.PgBouncerURL(t, direct) + "&application_name=" + appName
	const timeout = 300 * time.Millisecond
	s, err := store.Open(ctx, store.Options{
		DatabaseURL: through, RedisURL: testenv.RedisURL(t), StatementTimeout: timeout, PoolMode: store.PoolTransaction,
	}, testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })

	// Replicas starting together migrate one after the other, each in a
	// transaction of its own.
	errs := make(chan error, 3)
	for range cap(errs) {
		go func() { errs <- s.Migrate(ctx) }()
	}
	for range cap(errs) {
		require.NoError(t, <-errs)
	}
	requireNoMigrationLock(t, direct, appName)

	// Parameters outside a transaction, many times: each statement would
	// otherwise meet a server connection without its unnamed statement.
	for i := range 20 {
		var got int
		require.NoError(t, s.DB.QueryRowContext(ctx, "SELECT $1::int + 1", i).Scan(&got))
		require.Equal(t, i+1, got)
	}
	sys := tenant.NewContext(ctx, tenant.System())
	for _, c := range []*ent.Client{s.Ent, s.Relaxed} {
		app, err := c.App.Create().SetName("pooled").SetAppKey("ak_pooled_" + time.Now().Format("150405.000000000")).Save(sys)
		require.NoError(t, err, "in the test's schema, by the URL's search_path")
		got, err := c.App.Get(sys, app.ID)
		require.NoError(t, err)
		require.Equal(t, "pooled", got.Name)
	}

	require.Equal(t, "300ms", show(t, s.Ent, "statement_timeout"))
	require.Equal(t, "300ms", show(t, s.Relaxed, "statement_timeout"))
	require.Equal(t, "on", show(t, s.Ent, "synchronous_commit"))
	require.Equal(t, "off", show(t, s.Relaxed, "synchronous_commit"))
	_, err = s.DB.ExecContext(ctx, "SELECT pg_sleep($1)", 5)
	var pqErr *pq.Error
	require.ErrorAs(t, err, &pqErr)
	require.Equal(t, "query_canceled", pqErr.Code.Name())

	// Settings are the transaction's: a server connection handed on
	// keeps none of them.
	other, err := sql.Open("postgres", withoutSearchPath(t, through))
	require.NoError(t, err)
	defer other.Close()
	for range 10 {
		var v string
		require.NoError(t, other.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&v))
		require.Equal(t, "on", v)
	}
}

// In the session mode, pushd sends its settings at connect, which a
// transaction-mode PgBouncer refuses: the mode must be said.
func TestSessionModeBehindPgBouncerIsRefused(t *testing.T) {
	t.Parallel()
	through := testenv.PgBouncerURL(t, testenv.DatabaseURL(t))
	_, err := store.Open(context.Background(), store.Options{
		DatabaseURL: through, RedisURL: testenv.RedisURL(t), StatementTimeout: time.Second,
	}, testenv.Logger(t))
	require.ErrorContains(t, err, "unsupported startup parameter")
}

// show reads a run-time parameter through c, as its statements see it.
func show(t *testing.T, c *ent.Client, name string) string {
	t.Helper()
	rows, err := c.QueryContext(context.Background(), "SELECT current_setting($1)", name)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next())
	var v string
	require.NoError(t, rows.Scan(&v))
	return v
}

// requireNoMigrationLock checks, on PostgreSQL itself, that no server
// connection of the PgBouncer (named appName) holds the migrations'
// advisory lock (store's migrationLockKey). Other tests' migrations may
// hold it meanwhile, on their own connections.
func requireNoMigrationLock(t *testing.T, direct, appName string) {
	t.Helper()
	db, err := sql.Open("postgres", direct)
	require.NoError(t, err)
	defer db.Close()
	var held int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $2
		AND ((l.classid::bigint << 32) | l.objid::bigint) = $1`, 0x70757368, appName).Scan(&held))
	require.Zero(t, held)
}

func withoutSearchPath(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String()
}
