// Package testenv gives tests real, isolated PostgreSQL and Redis.
//
// Each call to Postgres makes a fresh schema in the test database and drops
// it when the test ends, so tests run in parallel without seeing each
// other's rows. Redis is shared; tests isolate themselves by key or topic
// (every ID pushd makes is unique). When either service cannot be reached
// the test fails: storage tests never skip.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/store"
)

// Defaults match the CI machine; override with PUSHD_TEST_DATABASE_URL and
// PUSHD_TEST_REDIS_URL.
const (
	defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/pushd_test?sslmode=disable"
	defaultRedisURL    = "redis://127.0.0.1:6379/0"
)

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// DatabaseURL returns the URL of a fresh, empty schema in the test
// database, dropped at cleanup.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	base := env("PUSHD_TEST_DATABASE_URL", defaultDatabaseURL)
	ensureDatabase(t, base)
	schema := "t_" + randomHex(8)
	db, err := sql.Open("postgres", base)
	require.NoError(t, err)
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err, "testenv: PostgreSQL at %s is required (start it as .ci/run does)", redact(base))
	t.Cleanup(func() {
		db, err := sql.Open("postgres", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// ensureDatabase creates the test database on first use.
func ensureDatabase(t testing.TB, base string) {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	name := u.Path[1:]
	admin := *u
	admin.Path = "/postgres"
	db, err := sql.Open("postgres", admin.String())
	require.NoError(t, err)
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var exists bool
	err = db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	require.NoError(t, err, "testenv: PostgreSQL at %s is required (start it as .ci/run does)", redact(base))
	if exists {
		return
	}
	_, err = db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && (pqErr.Code == "42P04" || pqErr.Code == "23505") {
		return // created meanwhile by a parallel test package
	}
	require.NoError(t, err)
}

// RedisURL returns the test Redis URL after checking it answers.
func RedisURL(t testing.TB) string {
	t.Helper()
	raw := env("PUSHD_TEST_REDIS_URL", defaultRedisURL)
	opt, err := redis.ParseURL(raw)
	require.NoError(t, err)
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, c.Ping(ctx).Err(), "testenv: Redis at %s is required (start it as .ci/run does)", redact(raw))
	return raw
}

// Redis returns a client of the test Redis, closed with the test.
func Redis(t testing.TB) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(RedisURL(t))
	require.NoError(t, err)
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Stores opens migrated stores on a fresh schema and the test Redis.
func Stores(t testing.TB) *store.Stores {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DatabaseURL: DatabaseURL(t), RedisURL: RedisURL(t)}, Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.Migrate(ctx))
	return s
}

// EmbeddedStores opens migrated stores of the embedded mode (SQLite in a
// temporary directory, in-process Redis).
func EmbeddedStores(t testing.TB) *store.Stores {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DataDir: t.TempDir()}, Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.Migrate(ctx))
	return s
}

// Logger returns a silent logger, or one writing to stderr when
// PUSHD_TEST_LOG is set. (Not t.Log: background goroutines may log after
// the test has ended, which t.Log does not allow.)
func Logger(testing.TB) *slog.Logger {
	if os.Getenv("PUSHD_TEST_LOG") == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "[unparsable URL]"
	}
	return u.Redacted()
}
