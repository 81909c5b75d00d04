package pubsub

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// JobMarks is push.JobMarks on a Redis set: marking a job many times
// between two refreshes costs one refresh, and several workers taking from
// the set share the work instead of repeating it.
type JobMarks struct {
	client redis.UniversalClient
	key    string
}

// NewJobMarks returns the set under prefix + "jobs:dirty".
func NewJobMarks(client redis.UniversalClient, prefix string) *JobMarks {
	return &JobMarks{client: client, key: prefix + "jobs:dirty"}
}

// Mark adds jobs to the set.
func (m *JobMarks) Mark(ctx context.Context, jobs ...nodeid.ID) error {
	if len(jobs) == 0 {
		return nil
	}
	members := make([]any, len(jobs))
	for i, j := range jobs {
		members[i] = string(j)
	}
	return m.client.SAdd(ctx, m.key, members...).Err()
}

// Take removes and returns up to n jobs.
func (m *JobMarks) Take(ctx context.Context, n int) ([]nodeid.ID, error) {
	got, err := m.client.SPopN(ctx, m.key, int64(n)).Result()
	if err != nil && err != redis.Nil {
		return nil, err
	}
	out := make([]nodeid.ID, len(got))
	for i, g := range got {
		out[i] = nodeid.ID(g)
	}
	return out, nil
}

// Len returns how many jobs wait for a refresh (their counts, statistics
// and receipts): the lag of counting, for metrics.
func (m *JobMarks) Len(ctx context.Context) (int64, error) {
	return m.client.SCard(ctx, m.key).Result()
}
