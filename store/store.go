// Package store opens pushd's storage: PostgreSQL (the source of truth) and
// Redis (queues, presence, nonces, live counters: all rebuildable), or the
// embedded default of SQLite and an in-process Redis for trying pushd out.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	_ "github.com/lib/pq" // PostgreSQL driver, registered as "postgres"
	"github.com/redis/go-redis/v9"
	_ "modernc.org/sqlite" // pure-Go SQLite driver, registered as "sqlite"

	"github.com/pushd/pushd/audit"
	"github.com/pushd/pushd/ent"
	_ "github.com/pushd/pushd/ent/runtime" // schema hooks and interceptors
)

// Options say where the stores are. Empty URLs select the embedded default.
type Options struct {
	DatabaseURL string
	RedisURL    string
	// DataDir holds the embedded SQLite database.
	DataDir string
	// StatementTimeout is PostgreSQL's statement_timeout on every
	// connection but the migrations' (0: the server's setting), so that
	// no request can hold a backend for long whatever it asks. One pool
	// serves the API and the worker alike, so it must also cover the
	// worker's longest statement; migrations may rightly take longer.
	StatementTimeout time.Duration
	// PoolMode is PoolSession (the default, for "") or PoolTransaction,
	// when DatabaseURL is a pooler that shares server connections per
	// transaction.
	PoolMode string
	// MaxConns bounds the main PostgreSQL pool (0: 20); the relaxed pool
	// gets half as many, at least one.
	MaxConns int
	// History says how long deliveries are kept, and how they are
	// partitioned on PostgreSQL.
	History History
}

// Stores are the open database and Redis connections.
type Stores struct {
	Ent *ent.Client
	// Relaxed writes without waiting for the write-ahead log to reach the
	// disk (PostgreSQL's synchronous_commit=off), for state that is
	// recomputed or harmless to lose in a database crash: acks, counts,
	// last-seen times. On SQLite it is Ent.
	Relaxed *ent.Client
	DB      *sql.DB
	Dialect string
	// Redis is pushd's own client: a single server's, a Sentinel-managed
	// master's or a cluster's, as PUSHD_REDIS_URL says.
	Redis redis.UniversalClient
	// RedisOpt is how asynq connects to the same Redis, in the same
	// topology (asynq builds its own connections from it).
	RedisOpt asynq.RedisConnOpt
	// RedisTopology is RedisStandalone, RedisSentinel or RedisCluster.
	RedisTopology string

	// databaseURL is PUSHD_DATABASE_URL as given, for migrations' own
	// connections without the statement timeout.
	databaseURL string
	// poolMode is PoolSession or PoolTransaction (PostgreSQL only).
	poolMode  string
	history   History
	relaxedDB *sql.DB
	closers   []func() error
}

// Open connects to the database and Redis that opts name, or starts the
// embedded ones. It does not migrate; see Migrate.
func Open(ctx context.Context, opts Options, log *slog.Logger) (*Stores, error) {
	s := &Stores{history: opts.History.withDefaults()}
	if err := s.openDB(ctx, opts, log); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := s.openRedis(ctx, opts, log); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Stores) openDB(ctx context.Context, opts Options, log *slog.Logger) error {
	if opts.DatabaseURL != "" {
		if err := s.openPostgresPools(opts); err != nil {
			return err
		}
	} else if err := s.openSQLite(ctx, opts, log); err != nil {
		return err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.DB.PingContext(pingCtx); err != nil {
		return fmt.Errorf("connect to database: %w", err)
	}
	s.Ent = ent.NewClient(ent.Driver(entsql.OpenDB(s.Dialect, s.DB)))
	// Every client records the audit log, so no path changes an audited
	// entity unrecorded.
	s.Ent.Use(audit.Hook())
	s.Relaxed = s.Ent
	if s.relaxedDB != nil {
		s.Relaxed = ent.NewClient(ent.Driver(entsql.OpenDB(s.Dialect, s.relaxedDB)))
		s.Relaxed.Use(audit.Hook())
	}
	return nil
}

// openPostgresPools opens the main pool and the relaxed one.
func (s *Stores) openPostgresPools(opts Options) error {
	s.Dialect = dialect.Postgres
	s.databaseURL = opts.DatabaseURL
	s.poolMode = opts.PoolMode
	if s.poolMode == "" {
		s.poolMode = PoolSession
	}
	if s.poolMode != PoolSession && s.poolMode != PoolTransaction {
		return fmt.Errorf("PUSHD_DATABASE_POOL_MODE: must be %q or %q, got %q", PoolSession, PoolTransaction, s.poolMode)
	}
	params := statementTimeoutParams(opts.StatementTimeout)
	db, err := s.openPostgres(opts.DatabaseURL, params)
	if err != nil {
		return err
	}
	s.DB = db
	s.closers = append(s.closers, s.DB.Close)
	maxConns := opts.MaxConns
	if maxConns <= 0 {
		maxConns = 20
	}
	s.DB.SetMaxOpenConns(maxConns)
	// As many idle as open: a burst that outgrows the idle pool would
	// otherwise open (fork) a PostgreSQL backend per query.
	s.DB.SetMaxIdleConns(maxConns)
	s.DB.SetConnMaxIdleTime(5 * time.Minute)

	params["synchronous_commit"] = "off"
	relaxed, err := s.openPostgres(opts.DatabaseURL, params)
	if err != nil {
		return err
	}
	relaxed.SetMaxOpenConns(max(1, maxConns/2))
	relaxed.SetMaxIdleConns(max(1, maxConns/2))
	relaxed.SetConnMaxIdleTime(5 * time.Minute)
	s.closers = append(s.closers, relaxed.Close)
	s.relaxedDB = relaxed
	return nil
}

// openPostgres opens a pool on dsn whose connections have the run-time
// parameters params: sent at connect on a session, set in every
// transaction behind a transaction-mode pooler (see txPoolConnector).
func (s *Stores) openPostgres(dsn string, params map[string]string) (*sql.DB, error) {
	if s.poolMode == PoolTransaction {
		c, err := newTxPoolConnector(dsn, params)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		return sql.OpenDB(c), nil
	}
	for _, k := range slices.Sorted(maps.Keys(params)) {
		dsn = withRuntimeParam(dsn, k, params[k])
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, nil
}

func (s *Stores) openSQLite(ctx context.Context, opts Options, log *slog.Logger) error {
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	path := filepath.Join(opts.DataDir, "pushd.db")
	if err := ownerOnly(path); err != nil {
		return err
	}
	s.Dialect = dialect.SQLite
	db, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	s.DB = db
	s.closers = append(s.closers, s.DB.Close)
	// SQLite has one writer; a small pool avoids lock churn while WAL
	// still lets readers run beside the writer.
	s.DB.SetMaxOpenConns(4)
	log.WarnContext(ctx, "EMBEDDED MODE: using SQLite at "+path+" — for trying pushd out only, NOT FOR PRODUCTION; set PUSHD_DATABASE_URL and PUSHD_REDIS_URL")
	return nil
}

// withRuntimeParam adds a PostgreSQL run-time parameter to a connection
// string, in URL or key=value form (lib/pq sends parameters it does not
// know itself to the server).
func withRuntimeParam(dsn, key, value string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			q := u.Query()
			q.Set(key, value)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " " + key + "=" + value
}

// statementTimeoutParams sets statement_timeout in milliseconds
// (PostgreSQL's unit without a suffix), or leaves the server's setting
// for 0. It replaces a value in the URL itself, so what the configuration
// says holds.
func statementTimeoutParams(d time.Duration) map[string]string {
	if d <= 0 {
		return map[string]string{}
	}
	return map[string]string{"statement_timeout": strconv.FormatInt(max(d.Milliseconds(), 1), 10)}
}

// sqliteDSN turns on what pushd relies on: foreign keys (cascades), WAL
// (readers beside a writer), a busy timeout instead of instant SQLITE_BUSY,
// and immediate transactions so two writers never deadlock upgrading locks.
func sqliteDSN(path string) string {
	return "file:" + path +
		"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

func (s *Stores) openRedis(ctx context.Context, opts Options, log *slog.Logger) error {
	var target redisTarget
	if opts.RedisURL != "" {
		t, err := parseRedisURL(opts.RedisURL)
		if err != nil {
			return fmt.Errorf("PUSHD_REDIS_URL: %w", err)
		}
		target = t
	} else {
		t, err := s.startEmbeddedRedis(ctx, log)
		if err != nil {
			return err
		}
		target = t
	}
	s.RedisTopology, s.RedisOpt = target.topology, target.asynq
	s.Redis = target.newClient()
	s.closers = append(s.closers, s.Redis.Close)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.Redis.Ping(pingCtx).Err(); err != nil {
		return fmt.Errorf("connect to redis (%s): %w", target.topology, err)
	}
	return nil
}

// startEmbeddedRedis starts the in-process Redis of the embedded mode.
func (s *Stores) startEmbeddedRedis(ctx context.Context, log *slog.Logger) (redisTarget, error) {
	// It listens on loopback, where any local user could reach it:
	// a password nobody else learns keeps them out.
	password := rand.Text()
	mr := miniredis.NewMiniRedis()
	mr.RequireAuth(password)
	if err := mr.StartAddr("127.0.0.1:0"); err != nil {
		return redisTarget{}, fmt.Errorf("start embedded redis: %w", err)
	}
	s.closers = append(s.closers, func() error { mr.Close(); return nil })
	stop := fastForward(mr, time.Second)
	s.closers = append(s.closers, func() error { stop(); return nil })
	log.WarnContext(ctx, "EMBEDDED MODE: using an in-process Redis at "+mr.Addr()+" — queues and presence are lost on exit, NOT FOR PRODUCTION")
	o := &redis.Options{Addr: mr.Addr(), Password: password}
	return redisTarget{
		topology:  RedisStandalone,
		newClient: func() redis.UniversalClient { return redis.NewClient(o) },
		asynq:     asynqClientOpt(o),
	}, nil
}

// fastForward advances miniredis's clock in step with the wall clock:
// miniredis only expires keys when told time has passed, and pushd relies
// on TTLs (nonces, presence).
func fastForward(mr *miniredis.Miniredis, every time.Duration) (stop func()) {
	done := make(chan struct{})
	t := time.NewTicker(every)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				mr.FastForward(every)
			}
		}
	}()
	return func() { close(done) }
}

// Ping checks both stores, for readiness probes.
func (s *Stores) Ping(ctx context.Context) error {
	var errs []error
	if err := s.DB.PingContext(ctx); err != nil {
		errs = append(errs, fmt.Errorf("database: %w", err))
	}
	if err := s.Redis.Ping(ctx).Err(); err != nil {
		errs = append(errs, fmt.Errorf("redis: %w", err))
	}
	return errors.Join(errs...)
}

// Close closes everything Open opened, in reverse order.
func (s *Stores) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}

// ownerOnly creates the SQLite file readable by its owner only (SQLite
// gives the -wal and -shm files the same mode) and narrows an existing
// one: it holds sealed secrets, password hashes and every message.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("chmod %s: %w", p, err)
		}
	}
	return nil
}
