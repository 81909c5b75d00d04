package store

import (
	"crypto/tls"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/stretchr/testify/require"
)

func TestParseRedisURL(t *testing.T) {
	t.Parallel()
	tlsOn := &tls.Config{MinVersion: tls.VersionTLS12}
	for _, tc := range []struct {
		url      string
		topology string
		want     asynq.RedisConnOpt
		err      string
	}{
		{url: "redis://:pw@cache:6380/2", topology: RedisStandalone,
			want: asynq.RedisClientOpt{Network: "tcp", Addr: "cache:6380", Password: "pw", DB: 2}},
		{url: "redis-sentinel://u:pw@s1:26379,s2:26379,s3:26380/1?master=main&sentinel_password=spw", topology: RedisSentinel,
			want: asynq.RedisFailoverClientOpt{MasterName: "main", SentinelAddrs: []string{"s1:26379", "s2:26379", "s3:26380"},
				SentinelPassword: "spw", Username: "u", Password: "pw", DB: 1}},
		{url: "rediss-sentinel://s1?master=main", topology: RedisSentinel,
			want: asynq.RedisFailoverClientOpt{MasterName: "main", SentinelAddrs: []string{"s1:26379"}, TLSConfig: tlsOn}},
		{url: "redis-cluster://:pw@n1:7000,n2:7001", topology: RedisCluster,
			want: asynq.RedisClusterClientOpt{Addrs: []string{"n1:7000", "n2:7001"}, Password: "pw"}},
		{url: "redis-cluster://n1,n2", topology: RedisCluster,
			want: asynq.RedisClusterClientOpt{Addrs: []string{"n1:6379", "n2:6379"}}},
		{url: "rediss-cluster://[::1]:7000/0", topology: RedisCluster,
			want: asynq.RedisClusterClientOpt{Addrs: []string{"[::1]:7000"}, TLSConfig: tlsOn}},
		{url: "redis-sentinel://s1:26379", err: "?master="},
		{url: "redis-sentinel://s1:26379?master=m&mastr=x", err: `unknown parameter "mastr"`},
		{url: "redis-sentinel://s1:26379/x?master=m", err: "database number"},
		{url: "redis-cluster://n1:7000/3", err: "database 0 only"},
		{url: "redis-cluster://n1:7000?read_only=true", err: "takes no parameters"},
		{url: "redis-cluster://n1:0", err: "port must be"},
		{url: "redis-cluster://n1,,n2", err: "empty host"},
		{url: "redis-cluster:///", err: "names no host"},
		{url: "redis-cluster://[::1]:7000,[::2]:7000", err: "does not parse"},
		{url: "redis-cluster://n1:7000,n2:7001,n3", err: "give every host its port"},
		{url: "redis-cluster://a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", err: "at most 16"},
	} {
		got, err := parseRedisURL(tc.url)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.url)
			continue
		}
		require.NoError(t, err, tc.url)
		require.Equal(t, tc.topology, got.topology, tc.url)
		require.Equal(t, tc.want, got.asynq, tc.url)
		c := got.newClient()
		require.NoError(t, c.Close())
	}
}
