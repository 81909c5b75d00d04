package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/lib/pq"
)

// Pool modes of PUSHD_DATABASE_POOL_MODE: how the server connections
// behind PUSHD_DATABASE_URL are shared (docs/scaling-engines.md).
const (
	// PoolSession is PostgreSQL itself, or a pooler that gives each client
	// connection one server connection for its lifetime.
	PoolSession = "session"
	// PoolTransaction is a pooler that hands a server connection to a
	// client for one transaction only (PgBouncer's pool_mode=transaction).
	PoolTransaction = "transaction"
)

// errPrepareOutsideTx refuses a prepared statement outside a transaction
// in transaction pooling: it would live on a server connection the next
// statement may not get.
var errPrepareOutsideTx = errors.New("store: a prepared statement needs a transaction behind a transaction-mode pooler")

// txPoolConnector opens lib/pq connections fit for a pooler in transaction
// mode. Two things that hold on a session do not hold there:
//
//   - Run-time parameters sent at connect (statement_timeout,
//     synchronous_commit, a search_path in the URL) are refused by
//     PgBouncer, or silently dropped when it is told to ignore them, and a
//     SET would stay on a server connection other clients get next. They
//     are set with set_config(…, true), local to each transaction, instead.
//   - lib/pq runs a statement with parameters in two exchanges (parse and
//     describe, then bind and execute), each ending in a Sync, after which
//     the pooler may hand the rest to another server connection: there the
//     unnamed statement is missing, or is another client's. Inside a
//     transaction the server connection stays, so a statement outside one
//     runs in a transaction of its own.
type txPoolConnector struct {
	inner *pq.Connector
	// settings is the statement that applies the run-time parameters to a
	// transaction, "" when there are none.
	settings string
}

// newTxPoolConnector returns a connector on dsn that applies the run-time
// parameters of dsn and params (params win) per transaction.
func newTxPoolConnector(dsn string, params map[string]string) (*txPoolConnector, error) {
	cfg, err := pq.NewConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	settings := maps.Clone(cfg.Runtime)
	if settings == nil {
		settings = map[string]string{}
	}
	maps.Copy(settings, params)
	cfg.Runtime = map[string]string{}
	inner, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	return &txPoolConnector{inner: inner, settings: setConfigStatement(settings)}, nil
}

// setConfigStatement sets every parameter for the current transaction
// only, in one statement; "" for none. Names and values are quoted
// literals: set_config parses a value as a connect-time parameter would
// be, so a list (search_path) keeps its meaning.
func setConfigStatement(params map[string]string) string {
	if len(params) == 0 {
		return ""
	}
	calls := make([]string, 0, len(params))
	for _, k := range slices.Sorted(maps.Keys(params)) {
		calls = append(calls, "set_config("+pq.QuoteLiteral(k)+", "+pq.QuoteLiteral(params[k])+", true)")
	}
	return "SELECT " + strings.Join(calls, ", ")
}

// Connect implements driver.Connector.
func (c *txPoolConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	pc, ok := conn.(pqConn)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("store: lib/pq's connection (%T) lacks an interface transaction pooling relies on", conn)
	}
	return &txPoolConn{inner: pc, settings: c.settings}, nil
}

// Driver implements driver.Connector.
func (c *txPoolConnector) Driver() driver.Driver { return c.inner.Driver() }

// pqConn is what lib/pq's connection implements and txPoolConn forwards.
type pqConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
	driver.NamedValueChecker
}

// txPoolConn runs every statement inside a transaction that starts with
// the connector's settings.
type txPoolConn struct {
	inner    pqConn
	settings string
	inTx     bool
}

func (c *txPoolConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *txPoolConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if !c.inTx {
		return nil, errPrepareOutsideTx
	}
	return c.inner.PrepareContext(ctx, query)
}

func (c *txPoolConn) Close() error { return c.inner.Close() }

func (c *txPoolConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx opens a transaction and applies the settings to it.
func (c *txPoolConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.inner.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	if c.settings != "" {
		if _, err := c.inner.ExecContext(ctx, c.settings, nil); err != nil {
			_ = tx.Rollback()
			return nil, fmt.Errorf("apply connection settings: %w", err)
		}
	}
	c.inTx = true
	return &txPoolTx{conn: c, inner: tx}, nil
}

// ExecContext runs query in the open transaction, or in one of its own.
func (c *txPoolConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.inTx || (len(args) == 0 && c.settings == "") {
		// A statement without parameters is one message and one exchange:
		// nothing can move between its parts.
		return c.inner.ExecContext(ctx, query, args)
	}
	tx, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	res, err := c.inner.ExecContext(ctx, query, args)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return res, nil
}

// QueryContext runs query in the open transaction, or in one of its own
// that ends when the rows do.
func (c *txPoolConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.inTx || (len(args) == 0 && c.settings == "") {
		return c.inner.QueryContext(ctx, query, args)
	}
	tx, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	rows, err := c.inner.QueryContext(ctx, query, args)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	pr, ok := rows.(pqRows)
	if !ok {
		_ = rows.Close()
		_ = tx.Rollback()
		return nil, fmt.Errorf("store: lib/pq's rows (%T) lack an interface transaction pooling relies on", rows)
	}
	return &txPoolRows{pqRows: pr, tx: tx}, nil
}

func (c *txPoolConn) Ping(ctx context.Context) error { return c.inner.Ping(ctx) }

func (c *txPoolConn) ResetSession(ctx context.Context) error { return c.inner.ResetSession(ctx) }

func (c *txPoolConn) IsValid() bool { return c.inner.IsValid() }

func (c *txPoolConn) CheckNamedValue(nv *driver.NamedValue) error { return c.inner.CheckNamedValue(nv) }

// txPoolTx is a transaction of txPoolConn; ending it ends the conn's.
type txPoolTx struct {
	conn  *txPoolConn
	inner driver.Tx
}

func (t *txPoolTx) Commit() error {
	t.conn.inTx = false
	return t.inner.Commit()
}

func (t *txPoolTx) Rollback() error {
	t.conn.inTx = false
	return t.inner.Rollback()
}

// pqRows is what lib/pq's rows implement and txPoolRows passes on, so
// that database/sql still sees the column types.
type pqRows interface {
	driver.Rows
	driver.RowsColumnTypeScanType
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypePrecisionScale
}

// txPoolRows are the rows of a statement run in a transaction of its own.
// The transaction commits when the rows are read to the end, so that a
// failed commit (of an INSERT … RETURNING) is the rows' error, or when
// they are closed before that, as a statement outside a transaction
// commits once it has run.
type txPoolRows struct {
	pqRows
	tx driver.Tx
	// failed is set when reading the rows failed: the transaction is rolled
	// back, its statement having failed.
	failed, done bool
	err          error
}

func (r *txPoolRows) Next(dest []driver.Value) error {
	if r.done {
		if r.err != nil {
			return r.err
		}
		return io.EOF
	}
	err := r.pqRows.Next(dest)
	switch {
	case errors.Is(err, io.EOF):
		if err := r.finish(); err != nil {
			return err
		}
	case err != nil:
		r.failed = true
	}
	return err
}

func (r *txPoolRows) Close() error { return r.finish() }

// finish closes the statement's rows and commits its transaction, once.
func (r *txPoolRows) finish() error {
	if r.done {
		return r.err
	}
	r.done = true
	closeErr := r.pqRows.Close()
	if r.failed {
		// The statement's own error was Next's; this is only cleanup.
		r.err = errors.Join(closeErr, r.tx.Rollback())
		return r.err
	}
	r.err = errors.Join(closeErr, r.tx.Commit())
	return r.err
}
