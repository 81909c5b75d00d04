package config

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

var redisNamespace = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)

// Validate reports every problem at once, joined, so that an operator can
// fix a deployment in one round; each message starts with the variable's
// name, as that is what operators set.
func (c Config) Validate() error {
	var p problems
	for _, check := range []func(*problems){
		c.checkListeners, c.checkStores, c.checkConsole, c.checkWorker,
		c.checkLimits, c.checkEgress, c.checkRetention, c.checkRuntime,
	} {
		check(&p)
	}
	return errors.Join(p...)
}

// problems collects what Validate finds, one error per finding.
type problems []error

func (p *problems) bad(env, format string, args ...any) {
	*p = append(*p, fmt.Errorf("%s: %s", env, fmt.Sprintf(format, args...)))
}

func (p *problems) intIn(env string, n, lo, hi int) {
	if n < lo || n > hi {
		p.bad(env, "must be from %d to %d, got %d", lo, hi, n)
	}
}

func (p *problems) durationIn(env string, d, lo, hi time.Duration) {
	if d < lo || d > hi {
		p.bad(env, "must be from %s to %s, got %s", lo, hi, d)
	}
}

func (c Config) checkListeners(p *problems) {
	if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		p.bad(envHTTPAddr, "must be host:port, got %q", c.HTTPAddr)
	} else if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		p.bad(envHTTPAddr, "port must be a number from 0 to 65535, got %q", port)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			p.bad(envMetricsAddr, "must be host:port, got %q", c.MetricsAddr)
		} else if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			p.bad(envMetricsAddr, "port must be a number from 0 to 65535, got %q", port)
		} else if c.MetricsAddr == c.HTTPAddr && port != "0" {
			p.bad(envMetricsAddr, "must differ from %s (%q)", envHTTPAddr, c.HTTPAddr)
		}
	}
	for _, o := range c.AllowedOrigins {
		if msg := checkOrigin(o); msg != "" {
			p.bad(envAllowedOrigins, "%q %s", o, msg)
		}
	}
	p.durationIn(envWSInitTimeout, c.WebSocketInitTimeout, time.Second, time.Minute)
	if c.DeviceHeartbeat < 5*time.Second || c.DeviceHeartbeat > 5*time.Minute {
		p.bad(envDeviceHeartbeat, "must be from 5s to 5m, got %s", c.DeviceHeartbeat)
	}
}

func (c Config) checkStores(p *problems) {
	if c.DatabaseURL != "" {
		if msg := checkURL(c.DatabaseURL, "postgres", "postgresql"); msg != "" {
			p.bad(envDatabaseURL, "%s", msg)
		}
		if c.MasterKey == "" {
			p.bad(envMasterKey, "required when %s is set", envDatabaseURL)
		}
	}
	if t := c.DatabaseStatementTimeout; t != 0 && (t < time.Second || t > time.Hour) {
		p.bad(envStatementTimeout, "must be 0 (the server's setting) or from 1s to 1h, got %s", t)
	}
	if n := c.DatabaseMaxConns; n < 2 || n > 500 {
		p.bad(envDatabaseMaxConns, "must be from 2 to 500, got %d", n)
	}
	switch c.DatabasePoolMode {
	case "session", "transaction":
	default:
		p.bad(envDatabasePoolMode, `must be "session" or "transaction", got %q`, c.DatabasePoolMode)
	}
	if c.RedisURL != "" {
		if msg := checkURL(c.RedisURL, "redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis-cluster", "rediss-cluster"); msg != "" {
			p.bad(envRedisURL, "%s", msg)
		}
	}
	if !redisNamespace.MatchString(c.RedisNamespace) {
		p.bad(envRedisNamespace, "must be 1 to 32 of a-z, 0-9, '_' and '-', got %q", c.RedisNamespace)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		p.bad(envDataDir, "must not be empty")
	}
}

func (c Config) checkConsole(p *problems) {
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		p.bad(envAdminEmail, "%s and %s go together: set both or neither", envAdminEmail, envAdminPassword)
	}
	if c.AdminPassword != "" && (len(c.AdminPassword) < 10 || len(c.AdminPassword) > 256) {
		p.bad(envAdminPassword, "must be 10 to 256 bytes long")
	}
	switch c.CookieSecure {
	case "auto", "always", "never":
	default:
		p.bad(envCookieSecure, `must be "auto", "always" or "never", got %q`, c.CookieSecure)
	}
	if c.SessionTTL < 5*time.Minute || c.SessionTTL > 720*time.Hour {
		p.bad(envSessionTTL, "must be from 5m to 720h, got %s", c.SessionTTL)
	}
	if c.PublicURL != "" {
		if msg := checkURL(c.PublicURL, "https", "http"); msg != "" {
			p.bad(envPublicURL, "%s", msg)
		}
	}
}

func (c Config) checkWorker(p *problems) {
	p.intIn(envWorkerConcurrency, c.WorkerConcurrency, 1, 1000)
	if c.ReconcileAfter < time.Second || c.ReconcileAfter > time.Hour {
		p.bad(envReconcileAfter, "must be from 1s to 1h, got %s", c.ReconcileAfter)
	}
	if c.DeliveryLease < 5*time.Second || c.DeliveryLease > 10*time.Minute {
		p.bad(envDeliveryLease, "must be from 5s to 10m, got %s", c.DeliveryLease)
	}
	if c.AdmitMaxQueueLag != 0 && (c.AdmitMaxQueueLag < time.Second || c.AdmitMaxQueueLag > time.Hour) {
		p.bad(envAdmitQueueLag, "must be 0 (no bound) or from 1s to 1h, got %s", c.AdmitMaxQueueLag)
	}
	if c.AdmitMaxQueuedTasks != 0 && (c.AdmitMaxQueuedTasks < 100 || c.AdmitMaxQueuedTasks > 10_000_000) {
		p.bad(envAdmitQueuedTasks, "must be 0 (no bound) or from 100 to 10000000, got %d", c.AdmitMaxQueuedTasks)
	}
}

func (c Config) checkLimits(p *problems) {
	for _, r := range []struct {
		env string
		v   int
		max int
	}{
		{envLimitAppRate, c.LimitAppRate, 1_000_000}, {envLimitKeyRate, c.LimitKeyRate, 1_000_000},
		{envLimitRegisterAddress, c.LimitRegisterAddressRate, 1_000_000}, {envLimitRegisterApp, c.LimitRegisterAppRate, 1_000_000},
		{envLimitConnectAddress, c.LimitConnectAddressRate, 1_000_000}, {envLimitDeviceFrames, c.LimitDeviceFrameRate, 1_000_000},
		{envLimitSubsPerSocket, c.LimitSubscriptionsPerSocket, 100_000}, {envLimitSubsPerAccount, c.LimitSubscriptionsPerAccount, 100_000},
	} {
		if r.v < 0 || r.v > r.max {
			p.bad(r.env, "must be 0 (no limit) or from 1 to %d, got %d", r.max, r.v)
		}
	}
	p.intIn(envGraphQLComplexity, c.GraphQLComplexityLimit, 10, 1_000_000)
	p.intIn(envGraphQLTokenLimit, c.GraphQLTokenLimit, 100, 1_000_000)
}

func (c Config) checkEgress(p *problems) {
	// Vendor endpoints carry credentials and tokens: TLS only. Sorted, so
	// that the joined error reads the same on every run.
	for _, env := range slices.Sorted(maps.Keys(c.VendorURLs)) {
		if v := c.VendorURLs[env]; v != "" {
			if msg := checkURL(v, "https"); msg != "" {
				p.bad(env, "%s", msg)
			}
		}
	}
	if _, err := c.EgressPrefixes(); err != nil {
		p.bad(envEgressAllow, "%v", err)
	}
}

func (c Config) checkRetention(p *problems) {
	if c.StatsMinutes < time.Hour || c.StatsMinutes > 90*24*time.Hour {
		p.bad(envStatsMinutes, "must be from 1h to 2160h, got %s", c.StatsMinutes)
	}
	if c.StatsHours < 24*time.Hour || c.StatsHours > 730*24*time.Hour || c.StatsHours < c.StatsMinutes {
		p.bad(envStatsHours, "must be from 24h to 17520h and not shorter than %s, got %s", envStatsMinutes, c.StatsHours)
	}
	if c.StatsRetention < 24*time.Hour || c.StatsRetention > 3650*24*time.Hour || c.StatsRetention < c.StatsHours {
		p.bad(envStatsRetention, "must be from 24h to 87600h and not shorter than %s, got %s", envStatsHours, c.StatsRetention)
	}
	if c.AuditRetention < 24*time.Hour || c.AuditRetention > 87600*time.Hour {
		p.bad(envAuditRetention, "must be from 24h to 87600h, got %s", c.AuditRetention)
	}
	if c.DeliveryRetention < 24*time.Hour || c.DeliveryRetention > 87600*time.Hour {
		p.bad(envDeliveryRetention, "must be from 24h to 87600h, got %s", c.DeliveryRetention)
	}
	if c.DeliveryPartition < 24*time.Hour || c.DeliveryPartition > 744*time.Hour || c.DeliveryPartition%(24*time.Hour) != 0 {
		p.bad(envDeliveryPartition, "must be whole days from 24h to 744h, got %s", c.DeliveryPartition)
	}
}

func (c Config) checkRuntime(p *problems) {
	if c.LogFormat != "text" && c.LogFormat != "json" {
		p.bad(envLogFormat, `must be "text" or "json", got %q`, c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		p.bad(envLogLevel, `must be "debug", "info", "warn" or "error", got %q`, c.LogLevel)
	}
	p.durationIn(envShutdownTimeout, c.ShutdownTimeout, time.Second, 10*time.Minute)
}

// checkURL returns what is wrong with raw, or "". It never quotes raw, which
// may hold a password; url.Parse's own errors do, so they are not passed on.
func checkURL(raw string, schemes ...string) string {
	want := "must be a " + strings.Join(schemes, ":// or ") + ":// URL"
	u, err := url.Parse(raw)
	if err != nil {
		return want + " (it does not parse; check that special characters in the password are %-escaped)"
	}
	// url.Parse lowercases the scheme, so "POSTGRES://" passes as well.
	if !slices.Contains(schemes, u.Scheme) {
		return fmt.Sprintf("%s, got scheme %q", want, u.Scheme)
	}
	if u.Opaque != "" {
		return want + " (missing // after the scheme)"
	}
	return ""
}

// checkOrigin returns what is wrong with a host pattern, or "". Patterns
// are path.Match globs over the Origin's host (the form WebSocket origin
// checks such as coder/websocket's OriginPatterns take), so an entry with a
// scheme or path would silently never match.
func checkOrigin(pattern string) string {
	if strings.Contains(pattern, "/") {
		return "must be a host pattern such as app.example.com or *.example.com, without scheme or path"
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return "is a malformed pattern"
	}
	return ""
}
