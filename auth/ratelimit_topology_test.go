package auth

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/store"
)

// On a Redis Cluster the scripts' four keys share a slot (their hash tag),
// so every limit decides as it does on one server.
func TestLoginLimiterOnRedisCluster(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), store.Options{DataDir: t.TempDir(), RedisURL: testenv.RedisClusterURL(t)}, testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.Equal(t, store.RedisCluster, st.RedisTopology)
	h := newLimiterHarness(t, st.Redis)
	const a, b = "192.0.2.1", "198.51.100.7"
	h.allowed("v@x.test", a, 5)
	h.refused("v@x.test", a, 1, limitPair, time.Second)
	h.now = h.now.Add(time.Second)
	h.allowed("v@x.test", a, 1)

	h.spread("e@x.test", 1, 25, 4)
	h.refused("e@x.test", "10.1.0.1", 1, limitEmail, emailInterval)
	h.allowed("e@x.test", b, 1)
	h.succeeded("e@x.test", b)
	h.allowed("e@x.test", b, 5)
	h.refused("e@x.test", b, 1, limitPair, time.Second)

	for i := range clientBurst - 6 {
		h.allowed(fmt.Sprintf("u%d@x.test", i), a, 1)
	}
	h.refused("u@x.test", a, 1, limitClient, clientInterval-time.Second)
}
