package testenv

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// SentinelMaster is the master name RedisSentinel's Sentinel monitors.
const SentinelMaster = "pushdmaster"

// RedisSentinel is a master, its replica and one Sentinel watching them,
// started by the test on loopback ports and stopped at its cleanup.
type RedisSentinel struct {
	// URL is PUSHD_REDIS_URL for them (redis-sentinel://…).
	URL                           string
	MasterAddr, ReplicaAddr, Addr string
}

// StartRedisSentinel starts a Sentinel setup and waits until the replica
// follows the master and the Sentinel knows both. redis-server is
// required: the test fails without it.
func StartRedisSentinel(t testing.TB) *RedisSentinel {
	t.Helper()
	dir := t.TempDir()
	master := startRedisServer(t, dir, "master")
	replica := startRedisServer(t, dir, "replica", "--replicaof", "127.0.0.1", strconv.Itoa(master))
	port := freePort(t, false)
	conf := writeFile(t, dir, "sentinel.conf", fmt.Sprintf(`port %d
bind 127.0.0.1
dir %s
sentinel monitor %s 127.0.0.1 %d 1
sentinel down-after-milliseconds %s 1000
sentinel failover-timeout %s 5000
`, port, dir, SentinelMaster, master, SentinelMaster, SentinelMaster))
	startProcess(t, "redis sentinel", "redis-server", conf, "--sentinel")
	s := &RedisSentinel{
		URL:        fmt.Sprintf("redis-sentinel://127.0.0.1:%d/0?master=%s", port, SentinelMaster),
		MasterAddr: addr(master), ReplicaAddr: addr(replica), Addr: addr(port),
	}
	replicaClient := redis.NewClient(&redis.Options{Addr: s.ReplicaAddr})
	defer replicaClient.Close()
	require.Eventually(t, func() bool {
		info, err := replicaClient.Info(context.Background(), "replication").Result()
		return err == nil && strings.Contains(info, "master_link_status:up")
	}, 10*time.Second, 20*time.Millisecond, "the replica follows the master")
	sentinel := redis.NewSentinelClient(&redis.Options{Addr: s.Addr})
	defer sentinel.Close()
	require.Eventually(t, func() bool {
		return s.sentinelKnowsReplica(sentinel)
	}, 15*time.Second, 50*time.Millisecond, "the Sentinel knows the master and its replica")
	return s
}

// sentinelKnowsReplica says the Sentinel names the master and lists the
// replica as reachable: what a failover needs.
func (s *RedisSentinel) sentinelKnowsReplica(sentinel *redis.SentinelClient) bool {
	ctx := context.Background()
	got, err := sentinel.GetMasterAddrByName(ctx, SentinelMaster).Result()
	if err != nil || len(got) != 2 || net.JoinHostPort(got[0], got[1]) != s.MasterAddr {
		return false
	}
	replicas, err := sentinel.Replicas(ctx, SentinelMaster).Result()
	if err != nil {
		return false
	}
	for _, r := range replicas {
		if net.JoinHostPort(r["ip"], r["port"]) == s.ReplicaAddr && r["flags"] == "slave" && r["master-link-status"] == "ok" {
			return true
		}
	}
	return false
}

// Failover has the Sentinel promote the replica, and waits until it names
// the replica as the master.
func (s *RedisSentinel) Failover(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	sentinel := redis.NewSentinelClient(&redis.Options{Addr: s.Addr})
	defer sentinel.Close()
	require.NoError(t, sentinel.Failover(ctx, SentinelMaster).Err())
	require.Eventually(t, func() bool {
		got, err := sentinel.GetMasterAddrByName(ctx, SentinelMaster).Result()
		return err == nil && len(got) == 2 && net.JoinHostPort(got[0], got[1]) == s.ReplicaAddr
	}, 15*time.Second, 20*time.Millisecond, "the Sentinel promotes the replica")
}

// RedisClusterURL starts a cluster of three masters on loopback ports,
// each serving a third of the slots, waits until every node sees it
// whole, and returns PUSHD_REDIS_URL for it (redis-cluster://…). The
// nodes stop at the test's cleanup; redis-server is required.
func RedisClusterURL(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	ports := make([]int, 3)
	for i := range ports {
		ports[i] = startRedisServer(t, dir, fmt.Sprintf("cluster node %d", i),
			"--cluster-enabled", "yes", "--cluster-node-timeout", "5000",
			"--cluster-config-file", fmt.Sprintf("%s/nodes-%d.conf", dir, i))
	}
	ctx := context.Background()
	clients := make([]*redis.Client, len(ports))
	for i, p := range ports {
		clients[i] = redis.NewClient(&redis.Options{Addr: addr(p)})
		defer clients[i].Close()
	}
	const slots = 16384
	for i, c := range clients {
		from, to := i*slots/len(clients), (i+1)*slots/len(clients)-1
		require.NoError(t, c.ClusterAddSlotsRange(ctx, from, to).Err(), "assign slots %d-%d", from, to)
	}
	for _, p := range ports[1:] {
		require.NoError(t, clients[0].ClusterMeet(ctx, "127.0.0.1", strconv.Itoa(p)).Err())
	}
	require.Eventually(t, func() bool {
		for _, c := range clients {
			info, err := c.ClusterInfo(ctx).Result()
			if err != nil || !strings.Contains(info, "cluster_state:ok") || !strings.Contains(info, "cluster_known_nodes:3") {
				return false
			}
		}
		return true
	}, 15*time.Second, 20*time.Millisecond, "every node sees the whole cluster")
	hosts := make([]string, len(ports))
	for i, p := range ports {
		hosts[i] = addr(p)
	}
	return "redis-cluster://" + strings.Join(hosts, ",")
}

// startRedisServer starts one redis-server on a free loopback port,
// without persistence, and waits until it answers.
func startRedisServer(t testing.TB, dir, name string, args ...string) int {
	t.Helper()
	port := freePort(t, true)
	base := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--save", "", "--appendonly", "no", "--logfile", "",
		// A replica's first sync starts at once instead of after 5 s.
		"--repl-diskless-sync-delay", "0"}
	startProcess(t, "redis "+name, "redis-server", append(base, args...)...)
	c := redis.NewClient(&redis.Options{Addr: addr(port)})
	defer c.Close()
	require.Eventually(t, func() bool {
		return c.Ping(context.Background()).Err() == nil
	}, 10*time.Second, 10*time.Millisecond, "redis %s answers", name)
	return port
}

func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }
