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
	var errs []error
	bad := func(env, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", env, fmt.Sprintf(format, args...)))
	}

	if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		bad(envHTTPAddr, "must be host:port, got %q", c.HTTPAddr)
	} else if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		bad(envHTTPAddr, "port must be a number from 0 to 65535, got %q", port)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad(envMetricsAddr, "must be host:port, got %q", c.MetricsAddr)
		} else if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			bad(envMetricsAddr, "port must be a number from 0 to 65535, got %q", port)
		} else if c.MetricsAddr == c.HTTPAddr && port != "0" {
			bad(envMetricsAddr, "must differ from %s (%q)", envHTTPAddr, c.HTTPAddr)
		}
	}

	if c.DatabaseURL != "" {
		if msg := checkURL(c.DatabaseURL, "postgres", "postgresql"); msg != "" {
			bad(envDatabaseURL, "%s", msg)
		}
		if c.MasterKey == "" {
			bad(envMasterKey, "required when %s is set", envDatabaseURL)
		}
	}
	if t := c.DatabaseStatementTimeout; t != 0 && (t < time.Second || t > time.Hour) {
		bad(envStatementTimeout, "must be 0 (the server's setting) or from 1s to 1h, got %s", t)
	}
	if c.RedisURL != "" {
		if msg := checkURL(c.RedisURL, "redis", "rediss"); msg != "" {
			bad(envRedisURL, "%s", msg)
		}
	}

	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		bad(envAdminEmail, "%s and %s go together: set both or neither", envAdminEmail, envAdminPassword)
	}
	if c.AdminPassword != "" && (len(c.AdminPassword) < 10 || len(c.AdminPassword) > 256) {
		bad(envAdminPassword, "must be 10 to 256 bytes long")
	}
	switch c.CookieSecure {
	case "auto", "always", "never":
	default:
		bad(envCookieSecure, `must be "auto", "always" or "never", got %q`, c.CookieSecure)
	}
	if c.SessionTTL < 5*time.Minute || c.SessionTTL > 720*time.Hour {
		bad(envSessionTTL, "must be from 5m to 720h, got %s", c.SessionTTL)
	}

	if c.DeviceHeartbeat < 5*time.Second || c.DeviceHeartbeat > 5*time.Minute {
		bad(envDeviceHeartbeat, "must be from 5s to 5m, got %s", c.DeviceHeartbeat)
	}

	if !redisNamespace.MatchString(c.RedisNamespace) {
		bad(envRedisNamespace, "must be 1 to 32 of a-z, 0-9, '_' and '-', got %q", c.RedisNamespace)
	}
	if c.WorkerConcurrency < 1 || c.WorkerConcurrency > 1000 {
		bad(envWorkerConcurrency, "must be from 1 to 1000, got %d", c.WorkerConcurrency)
	}
	if c.ReconcileAfter < time.Second || c.ReconcileAfter > time.Hour {
		bad(envReconcileAfter, "must be from 1s to 1h, got %s", c.ReconcileAfter)
	}
	if c.DeliveryLease < 5*time.Second || c.DeliveryLease > 10*time.Minute {
		bad(envDeliveryLease, "must be from 5s to 10m, got %s", c.DeliveryLease)
	}
	for _, r := range []struct {
		env string
		v   int
	}{
		{envLimitAppRate, c.LimitAppRate}, {envLimitKeyRate, c.LimitKeyRate},
		{envLimitRegisterAddress, c.LimitRegisterAddressRate}, {envLimitRegisterApp, c.LimitRegisterAppRate},
		{envLimitConnectAddress, c.LimitConnectAddressRate}, {envLimitDeviceFrames, c.LimitDeviceFrameRate},
	} {
		if r.v < 0 || r.v > 1_000_000 {
			bad(r.env, "must be 0 (no limit) or from 1 to 1000000, got %d", r.v)
		}
	}
	for _, r := range []struct {
		env string
		v   int
	}{{envLimitSubsPerSocket, c.LimitSubscriptionsPerSocket}, {envLimitSubsPerAccount, c.LimitSubscriptionsPerAccount}} {
		if r.v < 0 || r.v > 100_000 {
			bad(r.env, "must be 0 (no limit) or from 1 to 100000, got %d", r.v)
		}
	}
	if c.AdmitMaxQueueLag != 0 && (c.AdmitMaxQueueLag < time.Second || c.AdmitMaxQueueLag > time.Hour) {
		bad(envAdmitQueueLag, "must be 0 (no bound) or from 1s to 1h, got %s", c.AdmitMaxQueueLag)
	}
	if c.AdmitMaxQueuedTasks != 0 && (c.AdmitMaxQueuedTasks < 100 || c.AdmitMaxQueuedTasks > 10_000_000) {
		bad(envAdmitQueuedTasks, "must be 0 (no bound) or from 100 to 10000000, got %d", c.AdmitMaxQueuedTasks)
	}

	// Vendor endpoints carry credentials and tokens: TLS only. Sorted, so
	// that the joined error reads the same on every run.
	for _, env := range slices.Sorted(maps.Keys(c.VendorURLs)) {
		if v := c.VendorURLs[env]; v != "" {
			if msg := checkURL(v, "https"); msg != "" {
				bad(env, "%s", msg)
			}
		}
	}
	if c.PublicURL != "" {
		if msg := checkURL(c.PublicURL, "https", "http"); msg != "" {
			bad(envPublicURL, "%s", msg)
		}
	}
	if _, err := c.EgressPrefixes(); err != nil {
		bad(envEgressAllow, "%v", err)
	}

	if c.StatsMinutes < time.Hour || c.StatsMinutes > 90*24*time.Hour {
		bad(envStatsMinutes, "must be from 1h to 2160h, got %s", c.StatsMinutes)
	}
	if c.StatsHours < 24*time.Hour || c.StatsHours > 730*24*time.Hour || c.StatsHours < c.StatsMinutes {
		bad(envStatsHours, "must be from 24h to 17520h and not shorter than %s, got %s", envStatsMinutes, c.StatsHours)
	}
	if c.StatsRetention < 24*time.Hour || c.StatsRetention > 3650*24*time.Hour || c.StatsRetention < c.StatsHours {
		bad(envStatsRetention, "must be from 24h to 87600h and not shorter than %s, got %s", envStatsHours, c.StatsRetention)
	}
	if c.AuditRetention < 24*time.Hour || c.AuditRetention > 87600*time.Hour {
		bad(envAuditRetention, "must be from 24h to 87600h, got %s", c.AuditRetention)
	}

	if strings.TrimSpace(c.DataDir) == "" {
		bad(envDataDir, "must not be empty")
	}

	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad(envLogFormat, `must be "text" or "json", got %q`, c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad(envLogLevel, `must be "debug", "info", "warn" or "error", got %q`, c.LogLevel)
	}

	checkInt := func(env string, n, lo, hi int) {
		if n < lo || n > hi {
			bad(env, "must be from %d to %d, got %d", lo, hi, n)
		}
	}
	checkInt(envGraphQLComplexity, c.GraphQLComplexityLimit, 10, 1_000_000)
	checkInt(envGraphQLTokenLimit, c.GraphQLTokenLimit, 100, 1_000_000)

	for _, o := range c.AllowedOrigins {
		if msg := checkOrigin(o); msg != "" {
			bad(envAllowedOrigins, "%q %s", o, msg)
		}
	}

	checkDuration := func(env string, d, lo, hi time.Duration) {
		if d < lo || d > hi {
			bad(env, "must be from %s to %s, got %s", lo, hi, d)
		}
	}
	checkDuration(envShutdownTimeout, c.ShutdownTimeout, time.Second, 10*time.Minute)
	checkDuration(envWSInitTimeout, c.WebSocketInitTimeout, time.Second, time.Minute)

	return errors.Join(errs...)
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
