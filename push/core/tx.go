package core

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent/dialect"

	"github.com/pushd/pushd/ent"
)

// WithTx runs fn in a transaction, committing when it returns nil and
// rolling back otherwise (auth's membership changes use it too).
func WithTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Tx) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Numbered adapts a query written with PostgreSQL's $n parameters to the
// database in use (SQLite numbers them ?n).
func Numbered(dbDialect, query string) string {
	if dbDialect == dialect.Postgres {
		return query
	}
	return strings.ReplaceAll(query, "$", "?")
}
