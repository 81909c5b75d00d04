package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/internal/testenv"
)

// A whole pushd runs on PostgreSQL through PgBouncer in transaction mode
// (PUSHD_DATABASE_POOL_MODE=transaction), on one Redis, a Sentinel-managed
// master or a cluster: it migrates at start, accepts pushes, runs them
// through the queue and delivers them to devices.
func TestPushOnScaledOutEngines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		redis func(testing.TB) string
	}{
		{"pgbouncer", testenv.RedisURL},
		{"pgbouncer and redis sentinel", func(t testing.TB) string { return testenv.StartRedisSentinel(t).URL }},
		{"pgbouncer and redis cluster", testenv.RedisClusterURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := testEnv(t)
			env["PUSHD_DATABASE_URL"] = testenv.PgBouncerURL(t, env["PUSHD_DATABASE_URL"])
			env["PUSHD_DATABASE_POOL_MODE"] = "transaction"
			env["PUSHD_REDIS_URL"] = tc.redis(t)
			in := startInstance(t, env)
			b := newBackend(t, in)
			d1, d2 := b.register("i-1", enum.PlatformAndroid), b.register("i-2", enum.PlatformIOS)
			c1, c2 := b.connect(d1, 0), b.connect(d2, 0)
			ctx := context.Background()

			j := b.push("pushSimple", map[string]any{
				"target":  map[string]any{"deviceIDs": []string{d1.id}},
				"message": map[string]any{"title": "Hello", "body": "simple"},
			})
			p := nextPush(t, c1)
			require.Equal(t, "Hello", p.Title)
			require.NoError(t, c1.Ack(ctx, p.MessageID))
			b.waitJob(j.ID, func(j job) bool { return done(j) && j.Counts.Arrived == 1 })

			// A broadcast goes through the queue: dispatch, fan-out, send.
			j = b.push("pushBroadcast", map[string]any{"message": map[string]any{"title": "To all"}})
			for _, c := range []*deviceclient.Conn{c1, c2} {
				p := nextPush(t, c)
				require.Equal(t, "To all", p.Title)
				require.NoError(t, c.Ack(ctx, p.MessageID))
			}
			got := b.waitJob(j.ID, func(j job) bool { return done(j) && j.Counts.Arrived == 2 })
			require.Equal(t, 2, got.Counts.Targeted)
		})
	}
}
