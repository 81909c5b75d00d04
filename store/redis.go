package store

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// Redis topologies, by the scheme of PUSHD_REDIS_URL (docs/scaling-engines.md).
const (
	RedisStandalone = "standalone"
	RedisSentinel   = "sentinel"
	RedisCluster    = "cluster"
)

// Default ports of a host listed without one: Sentinel's own, and Redis's
// for cluster nodes.
const (
	defaultSentinelPort = "26379"
	defaultRedisPort    = "6379"
)

// maxRedisHosts bounds the host list of a Sentinel or Cluster URL: the
// client only needs a few seeds to find the rest.
const maxRedisHosts = 16

// redisTarget is one Redis deployment, described for both of pushd's
// clients: go-redis for pushd's own keys and pub/sub, and asynq's option,
// from which asynq builds its own connections for the queues.
type redisTarget struct {
	topology  string
	newClient func() redis.UniversalClient
	asynq     asynq.RedisConnOpt
}

// parseRedisURL reads PUSHD_REDIS_URL: redis:// and rediss:// (and
// unix://) as go-redis reads them, redis-sentinel:// and redis-cluster://
// (rediss-… with TLS) with a comma-separated host list.
func parseRedisURL(raw string) (redisTarget, error) {
	scheme, _, _ := strings.Cut(raw, "://")
	switch strings.ToLower(scheme) {
	case "redis-sentinel", "rediss-sentinel":
		return parseSentinelURL(raw)
	case "redis-cluster", "rediss-cluster":
		return parseClusterURL(raw)
	}
	o, err := redis.ParseURL(raw)
	if err != nil {
		return redisTarget{}, err
	}
	return redisTarget{
		topology:  RedisStandalone,
		newClient: func() redis.UniversalClient { return redis.NewClient(o) },
		asynq:     asynqClientOpt(o),
	}, nil
}

// asynqClientOpt is asynq's form of a single server's go-redis options.
func asynqClientOpt(o *redis.Options) asynq.RedisClientOpt {
	var tlsCfg *tls.Config
	if o.TLSConfig != nil {
		tlsCfg = o.TLSConfig.Clone()
	}
	return asynq.RedisClientOpt{
		Network: o.Network, Addr: o.Addr, Username: o.Username, Password: o.Password, DB: o.DB, TLSConfig: tlsCfg,
	}
}

// parseSentinelURL reads
// redis-sentinel://[user:password@]host:port[,host:port…][/db]?master=name
// [&sentinel_username=…][&sentinel_password=…]. The user info is the
// master's, as in redis://; the Sentinels may have credentials of their own.
func parseSentinelURL(raw string) (redisTarget, error) {
	u, addrs, err := parseHostList(raw, defaultSentinelPort)
	if err != nil {
		return redisTarget{}, err
	}
	q := u.Query()
	if err := onlyParams(q, "master", "sentinel_username", "sentinel_password"); err != nil {
		return redisTarget{}, err
	}
	master := q.Get("master")
	if master == "" {
		return redisTarget{}, errors.New("a Sentinel URL needs ?master=<name of the monitored master>")
	}
	db, err := pathDB(u.Path)
	if err != nil {
		return redisTarget{}, err
	}
	user, password := userInfo(u)
	tlsCfg := tlsFor(u.Scheme)
	opt := asynq.RedisFailoverClientOpt{
		MasterName: master, SentinelAddrs: addrs,
		SentinelUsername: q.Get("sentinel_username"), SentinelPassword: q.Get("sentinel_password"),
		Username: user, Password: password, DB: db, TLSConfig: tlsCfg,
	}
	return redisTarget{
		topology: RedisSentinel,
		newClient: func() redis.UniversalClient {
			return redis.NewFailoverClient(&redis.FailoverOptions{
				MasterName: opt.MasterName, SentinelAddrs: opt.SentinelAddrs,
				SentinelUsername: opt.SentinelUsername, SentinelPassword: opt.SentinelPassword,
				Username: opt.Username, Password: opt.Password, DB: opt.DB, TLSConfig: cloneTLS(tlsCfg),
			})
		},
		asynq: opt,
	}, nil
}

// parseClusterURL reads redis-cluster://[user:password@]host:port[,host:port…]:
// the seed nodes, from which the client learns the rest of the cluster.
// A cluster has database 0 only.
func parseClusterURL(raw string) (redisTarget, error) {
	u, addrs, err := parseHostList(raw, defaultRedisPort)
	if err != nil {
		return redisTarget{}, err
	}
	if err := onlyParams(u.Query()); err != nil {
		return redisTarget{}, err
	}
	if db, err := pathDB(u.Path); err != nil || db != 0 {
		return redisTarget{}, fmt.Errorf("a Cluster URL names no database (a cluster has database 0 only), got path %q", u.Path)
	}
	user, password := userInfo(u)
	tlsCfg := tlsFor(u.Scheme)
	opt := asynq.RedisClusterClientOpt{Addrs: addrs, Username: user, Password: password, TLSConfig: tlsCfg}
	return redisTarget{
		topology: RedisCluster,
		newClient: func() redis.UniversalClient {
			return redis.NewClusterClient(&redis.ClusterOptions{
				Addrs: opt.Addrs, Username: opt.Username, Password: opt.Password, TLSConfig: cloneTLS(tlsCfg),
			})
		},
		asynq: opt,
	}, nil
}

// parseHostList parses raw and splits its host into addresses, adding
// port where one is missing.
func parseHostList(raw, port string) (*url.URL, []string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("does not parse (list hosts as name:port or IPv4:port, comma-separated, and give every host its port or none; %%-escape special characters in the password): %w", err)
	}
	if u.Host == "" {
		return nil, nil, errors.New("names no host")
	}
	hosts := strings.Split(u.Host, ",")
	if len(hosts) > maxRedisHosts {
		return nil, nil, fmt.Errorf("lists %d hosts, at most %d", len(hosts), maxRedisHosts)
	}
	addrs := make([]string, 0, len(hosts))
	for _, h := range hosts {
		addr, err := withPort(h, port)
		if err != nil {
			return nil, nil, err
		}
		addrs = append(addrs, addr)
	}
	return u, addrs, nil
}

func withPort(host, port string) (string, error) {
	if host == "" {
		return "", errors.New("has an empty host in its list")
	}
	h, p, err := net.SplitHostPort(host)
	if err != nil {
		// No port: the host alone.
		return net.JoinHostPort(host, port), nil
	}
	if n, err := strconv.ParseUint(p, 10, 16); err != nil || n == 0 {
		return "", fmt.Errorf("host %q: port must be a number from 1 to 65535", host)
	}
	return net.JoinHostPort(h, p), nil
}

// onlyParams refuses query parameters other than allowed: a misspelt one
// would otherwise be ignored silently.
func onlyParams(q url.Values, allowed ...string) error {
	for k := range q {
		if slices.Contains(allowed, k) {
			continue
		}
		if len(allowed) == 0 {
			return fmt.Errorf("takes no parameters, got %q", k)
		}
		return fmt.Errorf("unknown parameter %q (known: %s)", k, strings.Join(allowed, ", "))
	}
	return nil
}

// pathDB reads the database number of a /db path; none is 0.
func pathDB(path string) (int, error) {
	p := strings.Trim(path, "/")
	if p == "" {
		return 0, nil
	}
	db, err := strconv.Atoi(p)
	if err != nil || db < 0 {
		return 0, fmt.Errorf("path must be a database number, got %q", path)
	}
	return db, nil
}

func userInfo(u *url.URL) (user, password string) {
	if u.User == nil {
		return "", ""
	}
	password, _ = u.User.Password()
	return u.User.Username(), password
}

// tlsFor returns the TLS configuration of a rediss-… scheme, nil for
// plain. The server name is left for each connection to take from the
// host it dials, as the hosts of a list differ.
func tlsFor(scheme string) *tls.Config {
	if !strings.HasPrefix(scheme, "rediss-") {
		return nil
	}
	return &tls.Config{MinVersion: tls.VersionTLS12}
}

func cloneTLS(c *tls.Config) *tls.Config {
	if c == nil {
		return nil
	}
	return c.Clone()
}
