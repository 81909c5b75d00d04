package push

import (
	"context"
	"strings"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
)

func jobTopic(id nodeid.ID) string { return "job:" + string(id) }

// SetJobStatus records a job's new status and tells its watchers.
func (s *Service) SetJobStatus(ctx context.Context, id nodeid.ID, status pushjob.Status) (*ent.PushJob, error) {
	job, err := s.client.PushJob.UpdateOneID(id).SetStatus(status).Save(ctx)
	if err != nil {
		return nil, core.NotFoundAs(err, "push job")
	}
	s.jobChanged(ctx, id)
	return job, nil
}

// jobChanged notifies watchers of a job. A failure only delays them until
// the next change, so it is logged, not returned.
func (s *Service) jobChanged(ctx context.Context, id nodeid.ID) {
	if s.broker == nil {
		return
	}
	if err := s.broker.Publish(ctx, jobTopic(id), []byte(id)); err != nil {
		s.log.WarnContext(ctx, "publish job change", "job", id, "err", err)
	}
}

// WatchJob streams a job: its current state at once, then its state after
// each change, until ctx ends. A slow reader gets the latest state, not
// every intermediate one.
func (s *Service) WatchJob(ctx context.Context, id nodeid.ID) (<-chan *ent.PushJob, error) {
	// Subscribe before the first read, so a change in between is not lost.
	changes, err := s.broker.Subscribe(ctx, jobTopic(id))
	if err != nil {
		return nil, err
	}
	job, err := s.client.PushJob.Get(ctx, id)
	if err != nil {
		return nil, core.NotFoundAs(err, "push job")
	}
	out := make(chan *ent.PushJob, 1)
	go func() {
		defer close(out)
		latest := job
		for {
			send := out
			if latest == nil {
				send = nil // nothing new to send: wait for a change
			}
			select {
			case <-ctx.Done():
				return
			case send <- latest:
				latest = nil
			case _, ok := <-changes:
				if !ok {
					return
				}
				j, err := s.client.PushJob.Get(ctx, id)
				if err != nil {
					if ctx.Err() == nil {
						s.log.WarnContext(ctx, "watch job: reload", "job", id, "err", err)
					}
					return
				}
				latest = j
			}
		}
	}()
	return out, nil
}

// MaxMessageSearchBytes bounds the text a push search looks for: a title
// is at most 1,024 bytes, so a longer text cannot match one.
const MaxMessageSearchBytes = 1024

// JobMessageContains matches jobs whose message title or body contains q,
// in any case, on PostgreSQL and SQLite alike (the message is a JSON
// column; sqljson writes each dialect's path). SQLite folds only ASCII
// case; scripts without case, such as Chinese, match as typed either way.
func JobMessageContains(q string) predicate.PushJob {
	like := "%" + likeEscaper.Replace(strings.ToLower(q)) + "%"
	return func(sel *sql.Selector) {
		col := sel.C(pushjob.FieldMessage)
		sel.Where(sql.P(func(b *sql.Builder) {
			b.WriteString("(")
			for i, key := range []string{"title", "body"} {
				if i > 0 {
					b.WriteString(" OR ")
				}
				b.WriteString("LOWER(").Join(sqljson.ValuePath(col, sqljson.Path(key), sqljson.Unquote(true))).WriteString(")")
				b.WriteString(" LIKE ").Arg(like).WriteString(` ESCAPE '\'`)
			}
			b.WriteString(")")
		}))
	}
}

// likeEscaper makes a search text literal inside a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
