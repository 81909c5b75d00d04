package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	entschema "entgo.io/ent/dialect/sql/schema"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/device"
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
//
// On PostgreSQL the whole migration, the inspection of the schema
// included, runs in one transaction that first takes a transaction-level
// advisory lock: replicas starting at once migrate one after the other,
// and the lock ends with the transaction whatever happens. A session lock
// would not survive a pooler in transaction mode, which may run its
// unlock (or nothing at all) on another server connection and leave the
// lock held on one that other clients go on using.
func (s *Stores) Migrate(ctx context.Context) error {
	if s.Dialect != dialect.Postgres {
		return create(ctx, s.Ent)
	}
	// Not the pools of Stores: an index built on a large table, or the
	// wait for another replica's migration, may rightly outlast their
	// statement timeout.
	db, err := s.openPostgres(s.databaseURL, map[string]string{"statement_timeout": "0"})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("migrate: take lock: %w", err)
	}
	if err := s.migratePostgres(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// migratePostgres runs the migration in tx, which holds the lock: the
// schema, with deliveries partitioned (a table from before partitioning
// becomes a partition of it), then the partitions of the coming periods;
// last, the foreign keys an adopted table brought are dropped and the
// devices' fill factor is set.
func (s *Stores) migratePostgres(ctx context.Context, tx *sql.Tx) error {
	if err := inUTC(ctx, tx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	legacy, err := adoptPlainTable(ctx, tx)
	if err != nil {
		return fmt.Errorf("migrate: %s: %w", delivery.Table, err)
	}
	client := ent.NewClient(ent.Driver(inTx{entsql.NewDriver(dialect.Postgres, entsql.Conn{ExecQuerier: tx})}))
	if err := create(ctx, client, entschema.WithDiffHook(partitionDeliveries)); err != nil {
		return err
	}
	h, now := s.history.withDefaults(), time.Now()
	if legacy {
		if err := h.attachLegacy(ctx, tx, now); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	if err := h.ensurePartitions(ctx, tx, now); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := dropPartitionForeignKeys(ctx, tx); err != nil {
		return fmt.Errorf("migrate: %s: %w", delivery.Table, err)
	}
	if _, err := tx.ExecContext(ctx, `ALTER TABLE `+device.Table+` SET (fillfactor = `+strconv.Itoa(DeviceFillFactor)+`)`); err != nil {
		return fmt.Errorf("migrate: %s: %w", device.Table, err)
	}
	return nil
}

// DeviceFillFactor is how full PostgreSQL fills a page of devices (per
// cent): every message on the WebSocket channel updates its device's row
// (last_seq, which no index holds), and the room left lets that update
// be a HOT one, written beside the old row with no new index entries.
// Pages written before it was set fill as they were until the table is
// rewritten.
const DeviceFillFactor = 70

// inTx is an ent driver on one open transaction: the transaction ent's
// migration opens for its changes becomes a part of the one that holds the
// lock, and closing the driver leaves that transaction to Migrate.
type inTx struct{ *entsql.Driver }

func (d inTx) Tx(context.Context) (dialect.Tx, error) { return dialect.NopTx(d.Driver), nil }

func (d inTx) BeginTx(context.Context, *entsql.TxOptions) (dialect.Tx, error) {
	return dialect.NopTx(d.Driver), nil
}

func (inTx) Close() error { return nil }

// create brings client's schema up to date. Indexes the schema no longer
// declares are dropped: a unique key that grew a column (stat_minutes
// gained grain) must not keep its old form.
//
// The process-wide mutex is taken here, after the advisory lock: a
// migration waiting for another replica must not hold up this process's
// others behind a mutex while doing so.
func create(ctx context.Context, client *ent.Client, opts ...entschema.MigrateOption) error {
	migrateMu.Lock()
	defer migrateMu.Unlock()
	opts = append(opts, migrate.WithForeignKeys(true), migrate.WithDropIndex(true))
	if err := client.Schema.Create(ctx, opts...); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
