package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/fanoutrange"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// pruneBatch is how many rows one statement of the pruning deletes.
const pruneBatch = 1000

// partitionLockKey is the advisory lock of the partition work (the
// migrations' is migrationLockKey).
const partitionLockKey = 0x70617274 // "part"

// errBusy says another node is keeping the history right now.
var errBusy = errors.New("another node is keeping the delivery history")

// Kept is what one run of KeepHistory did.
type Kept struct {
	// Partitions dropped (PostgreSQL).
	Partitions []string
	// Deliveries deleted, in batches (SQLite).
	Deliveries int
	// Jobs deleted, with their fan-out ranges.
	Jobs int
}

// KeepHistory applies the delivery history's settings at now: on
// PostgreSQL it makes the partitions of the coming periods and drops the
// ones past the retention; on SQLite it deletes the deliveries past it.
// Then it deletes the push jobs none of whose deliveries is left. Several
// nodes may run it at once: one does the partition work, under an advisory
// lock, while the others skip it, and a delete of what another node
// deleted deletes nothing.
func (s *Stores) KeepHistory(ctx context.Context, now time.Time) (Kept, error) {
	var kept Kept
	h := s.history.withDefaults()
	cutoff := now.Add(-h.Retention)
	jobsBefore := cutoff
	if s.Dialect == dialect.Postgres {
		left, err := s.keepPartitions(ctx, h, now, &kept)
		if errors.Is(err, errBusy) {
			return kept, nil // that node does the rest too
		}
		if err != nil {
			return kept, err
		}
		if left.IsZero() {
			// The first partition (or the legacy one) is still there:
			// the jobs of its deliveries go with it.
			return kept, nil
		}
		jobsBefore = minTime(jobsBefore, left)
	} else {
		n, err := s.deleteBatches(ctx, `DELETE FROM `+delivery.Table+` WHERE `+delivery.FieldID+` IN (SELECT `+delivery.FieldID+
			` FROM `+delivery.Table+` WHERE `+delivery.FieldExpiresAt+` < $1 LIMIT $2)`, cutoff)
		kept.Deliveries = n
		if err != nil {
			return kept, err
		}
	}
	n, err := s.pruneJobs(ctx, jobsBefore)
	kept.Jobs = n
	return kept, err
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// keepPartitions makes and drops partitions in one transaction, and
// returns the start of the oldest partition left (zero for the first
// one, which has none).
func (s *Stores) keepPartitions(ctx context.Context, h History, now time.Time, kept *Kept) (time.Time, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return time.Time{}, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if err := inUTC(ctx, tx); err != nil {
		return time.Time{}, err
	}
	// One node at a time: another's split, read before this one's
	// commit, would try to make partitions that exist by then.
	var mine bool
	if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1), set_config('lock_timeout', $2, true)`,
		partitionLockKey, partitionLockTimeout).Scan(&mine, new(string)); err != nil {
		return time.Time{}, err
	}
	if !mine {
		return time.Time{}, errBusy
	}
	if err := h.ensurePartitions(ctx, tx, now); err != nil {
		return time.Time{}, err
	}
	dropped, left, err := h.dropExpired(ctx, tx, now)
	if err != nil {
		return time.Time{}, err
	}
	if err := tx.Commit(); err != nil {
		return time.Time{}, err
	}
	kept.Partitions = dropped
	return left, nil
}

// pruneJobs deletes the jobs that expired before before, with their
// fan-out ranges; a schedule (no expiry) stays. A job expires after it
// was made, so only jobs made before before are read, through the
// primary key.
func (s *Stores) pruneJobs(ctx context.Context, before time.Time) (int, error) {
	floor := nodeid.Floor("job", before)
	total := 0
	for {
		tx, err := s.DB.BeginTx(ctx, nil)
		if err != nil {
			return total, err
		}
		ids, err := deleteJobs(ctx, tx, floor, before)
		if err == nil && len(ids) > 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM `+fanoutrange.Table+` WHERE `+fanoutrange.FieldJobID+` IN (`+placeholders(len(ids))+`)`, ids...)
		}
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			_ = tx.Rollback()
			return total, fmt.Errorf("prune jobs: %w", err)
		}
		total += len(ids)
		if len(ids) < pruneBatch {
			return total, nil
		}
	}
}

func deleteJobs(ctx context.Context, tx *sql.Tx, floor nodeid.ID, before time.Time) ([]any, error) {
	rows, err := tx.QueryContext(ctx, `DELETE FROM `+pushjob.Table+` WHERE `+pushjob.FieldID+` IN (SELECT `+pushjob.FieldID+` FROM `+pushjob.Table+
		` WHERE `+pushjob.FieldID+` < $1 AND `+pushjob.FieldExpiresAt+` < $2 LIMIT $3) RETURNING `+pushjob.FieldID, string(floor), before, pruneBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// placeholders is "$1, …, $n".
func placeholders(n int) string {
	b := make([]byte, 0, n*4)
	for i := 1; i <= n; i++ {
		if i > 1 {
			b = append(b, ", "...)
		}
		b = fmt.Appendf(b, "$%d", i)
	}
	return string(b)
}

// deleteBatches runs a delete of at most pruneBatch rows (its $2) until
// it deletes fewer, and returns how many it deleted.
func (s *Stores) deleteBatches(ctx context.Context, query string, arg any) (int, error) {
	total := 0
	for {
		res, err := s.DB.ExecContext(ctx, query, arg, pruneBatch)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		total += int(n)
		if err != nil || n < pruneBatch {
			return total, err
		}
	}
}

// inUTC sets the transaction's time zone to UTC, in which partition
// bounds are read and written.
func inUTC(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT set_config('TimeZone', 'UTC', true)`)
	return err
}
