package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/admission"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/pubsub"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/worker"
)

// pushd's pieces that use Redis work on a Sentinel-managed master, also
// across a failover, and on a cluster: the queue and the worker, the
// broker, the job marks and the admission limiter. (The gateway's
// presence and routing have theirs in gateway/topology_test.go, the login
// limiter in auth/ratelimit_topology_test.go.)
func TestRedisTopologies(t *testing.T) {
	t.Parallel()
	t.Run("sentinel", func(t *testing.T) {
		t.Parallel()
		sentinel := testenv.StartRedisSentinel(t)
		st := openOnRedis(t, sentinel.URL, store.RedisSentinel)
		_, failover := st.Redis.(*redis.Client)
		require.True(t, failover, "a failover client is a *redis.Client, got %T", st.Redis)
		exerciseRedis(t, st)

		// After a failover the same stores reach the new master. Until the
		// client hears of the switch its writes may still meet the old
		// master (a manual failover leaves it running until the Sentinel
		// demotes it), so each try writes a new value and looks for it on
		// the promoted replica.
		sentinel.Failover(t)
		ctx := context.Background()
		promoted := redis.NewClient(&redis.Options{Addr: sentinel.ReplicaAddr})
		defer promoted.Close()
		try := 0
		require.Eventually(t, func() bool {
			try++
			v := strconv.Itoa(try)
			return st.Redis.Set(ctx, "pushdtest:after-failover", v, time.Minute).Err() == nil &&
				promoted.Get(ctx, "pushdtest:after-failover").Val() == v
		}, 15*time.Second, 20*time.Millisecond, "writes reach the promoted replica")
		exerciseRedis(t, st)
	})
	t.Run("cluster", func(t *testing.T) {
		t.Parallel()
		st := openOnRedis(t, testenv.RedisClusterURL(t), store.RedisCluster)
		_, cluster := st.Redis.(*redis.ClusterClient)
		require.True(t, cluster, "%T", st.Redis)
		exerciseRedis(t, st)
	})
}

// openOnRedis opens stores on the embedded database and the Redis of url,
// as PUSHD_REDIS_URL would.
func openOnRedis(t *testing.T, url, topology string) *store.Stores {
	t.Helper()
	st, err := store.Open(context.Background(), store.Options{DataDir: t.TempDir(), RedisURL: url}, testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.Equal(t, topology, st.RedisTopology)
	return st
}

// exerciseRedis runs each Redis-backed piece once, under a fresh
// namespace, and checks what it did.
func exerciseRedis(t *testing.T, st *store.Stores) {
	t.Helper()
	ns := "t" + strconv.FormatInt(time.Now().UnixNano(), 36)
	t.Run("queue and worker", func(t *testing.T) { exerciseQueue(t, st, ns) })
	t.Run("broker", func(t *testing.T) { exerciseBroker(t, st, ns) })
	t.Run("job marks", func(t *testing.T) { exerciseMarks(t, st, ns) })
	t.Run("admission", func(t *testing.T) { exerciseAdmission(t, st, ns) })
}

// A task enqueued on the Redis reaches a worker on it once, and the
// queue's load is readable meanwhile.
func exerciseQueue(t *testing.T, st *store.Stores, ns string) {
	const kind = "topology:probe"
	got := make(chan string, 4)
	w := worker.New(worker.Config{Redis: st.RedisOpt, Logger: testenv.Logger(t), Concurrency: 2, ShutdownTimeout: 5 * time.Second, Namespace: ns})
	w.Handle(kind, asynq.HandlerFunc(func(_ context.Context, task *asynq.Task) error {
		got <- string(task.Payload())
		return nil
	}))
	q := worker.NewQueue(st.RedisOpt, ns)
	defer q.Close()
	ctx := context.Background()
	task := pipeline.Task{ID: "probe-1", Type: kind, Queue: pipeline.QueueCritical, Payload: []byte("hello"), MaxRetries: 1}
	require.NoError(t, q.Enqueue(ctx, []pipeline.Task{task}))
	require.NoError(t, q.Enqueue(ctx, []pipeline.Task{task}), "an ID already queued is success")

	load, closeLoad := worker.QueueLoad(st.RedisOpt, ns)
	defer func() { _ = closeLoad() }()
	l, err := load(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, l.QueuedTasks, "the task waits")

	require.NoError(t, w.Start())
	defer w.Shutdown(ctx)
	select {
	case p := <-got:
		require.Equal(t, "hello", p)
	case <-time.After(15 * time.Second):
		require.FailNow(t, "the worker never ran the task")
	}
	require.Eventually(t, func() bool {
		l, err := load(ctx)
		return err == nil && l.QueuedTasks == 0
	}, 5*time.Second, 20*time.Millisecond)
	require.Empty(t, got, "run once")
}

// What is published after Subscribe returns reaches the subscriber.
func exerciseBroker(t *testing.T, st *store.Stores, ns string) {
	var broker core.Broker = pubsub.NewRedis(st.Redis, ns+":")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msgs, err := broker.Subscribe(ctx, "job:1")
	require.NoError(t, err)
	require.NoError(t, broker.Publish(ctx, "job:1", []byte("changed")))
	select {
	case m := <-msgs:
		require.Equal(t, "changed", string(m))
	case <-time.After(10 * time.Second):
		require.FailNow(t, "the subscriber never heard the message")
	}
}

// Marked jobs are taken once each.
func exerciseMarks(t *testing.T, st *store.Stores, ns string) {
	ctx := context.Background()
	marks := pubsub.NewJobMarks(st.Redis, ns+":")
	a, b := nodeid.New("job"), nodeid.New("job")
	require.NoError(t, marks.Mark(ctx, a, b, a))
	n, err := marks.Len(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	taken, err := marks.Take(ctx, 10)
	require.NoError(t, err)
	require.ElementsMatch(t, []nodeid.ID{a, b}, taken)
}

// The push rate limit refuses past its burst: its script ran.
func exerciseAdmission(t *testing.T, st *store.Stores, ns string) {
	ctx := context.Background()
	c := admission.New(admission.Config{Redis: st.Redis, Prefix: ns + ":", Limits: admission.Limits{AppPerSecond: 2, Period: time.Minute}})
	app := nodeid.New("app")
	require.NoError(t, c.Admit(ctx, app, ""))
	require.NoError(t, c.Admit(ctx, app, ""))
	err := c.Admit(ctx, app, "")
	var coded *core.Error
	require.True(t, errors.As(err, &coded), "refused: %v", err)
	require.Equal(t, core.CodeRateLimited, coded.Code)
	require.NoError(t, c.Admit(ctx, nodeid.New("app"), ""), "another app has its own limit")
}
