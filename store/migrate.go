package store

import (
	"context"
	"fmt"
	"sync"

	"entgo.io/ent/dialect"

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
	migrateMu.Lock()
	defer migrateMu.Unlock()
	if s.Dialect == dialect.Postgres {
		conn, err := s.DB.Conn(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("migrate: take lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey) //nolint:errcheck // released with the session anyway
	}
	// Indexes the schema no longer declares are dropped: a unique key that
	// grew a column (stat_minutes gained grain) must not keep its old form.
	if err := s.Ent.Schema.Create(ctx, migrate.WithForeignKeys(true), migrate.WithDropIndex(true)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
