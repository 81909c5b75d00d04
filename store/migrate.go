package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/migrate"
)

// migrateMu serialises migrations within one process. ent's Schema.Create
// mutates the generated, package-level migrate.Tables as it runs, so two
// migrations at once (parallel tests, each on its own schema) would race
// on it. This is the one package variable in pushd, and it guards
// another package's.
var migrateMu sync.Mutex

// migrationLockKey is the PostgreSQL advisory lock that serialises schema
// migrations when several pushd replicas start at once.
const migrationLockKey = 0x70757368 // "push"

// Migrate brings the database schema up to date. It only adds (tables,
// columns, indexes); it never drops data.
func (s *Stores) Migrate(ctx context.Context) error {
	if s.Dialect != dialect.Postgres {
		return create(ctx, s.Ent)
	}
	// Not the pools of Stores: an index built on a large table, or the
	// wait for another replica's migration, may rightly outlast their
	// statement timeout.
	db, err := sql.Open("postgres", withRuntimeParam(s.databaseURL, "statement_timeout", "0"))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("migrate: take lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey) //nolint:errcheck // released with the session anyway
	return create(ctx, ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, db))))
}

// create brings client's schema up to date. Indexes the schema no longer
// declares are dropped: a unique key that grew a column (stat_minutes
// gained grain) must not keep its old form.
//
// The process-wide mutex is taken here, after the advisory lock: a
// migration waiting for another replica must not hold up this process's
// others behind a mutex while doing so.
func create(ctx context.Context, client *ent.Client) error {
	migrateMu.Lock()
	defer migrateMu.Unlock()
	if err := client.Schema.Create(ctx, migrate.WithForeignKeys(true), migrate.WithDropIndex(true)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
