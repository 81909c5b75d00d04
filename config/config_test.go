package config

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// testVendorURLs are the endpoint variables pushd passes to Load, so that
// the tests and the docs check cover them as the binary has them.
func testVendorURLs() []Var {
	return []Var{
		{Env: "PUSHD_APNS_PRODUCTION_URL", Flag: "apns-production-url",
			Help: "APNs production gateway (default https://api.push.apple.com); for tests, demos and private gateways."},
		{Env: "PUSHD_APNS_SANDBOX_URL", Flag: "apns-sandbox-url",
			Help: "APNs sandbox gateway (default https://api.sandbox.push.apple.com)."},
		{Env: "PUSHD_FCM_URL", Flag: "fcm-url",
			Help: "FCM HTTP v1 base URL (default https://fcm.googleapis.com/v1)."},
		{Env: "PUSHD_FCM_AUTH_URL", Flag: "fcm-auth-url",
			Help: "Google OAuth token URL for FCM service accounts (default https://oauth2.googleapis.com/token); a key file's token_uri is never used."},
		{Env: "PUSHD_HUAWEI_URL", Flag: "huawei-url",
			Help: "Huawei Push Kit base URL (default https://push-api.cloud.huawei.com)."},
		{Env: "PUSHD_HUAWEI_AUTH_URL", Flag: "huawei-auth-url",
			Help: "Huawei OAuth token URL (default https://oauth-login.cloud.huawei.com/oauth2/v3/token)."},
		{Env: "PUSHD_XIAOMI_URL", Flag: "xiaomi-url",
			Help: "Xiaomi MiPush base URL (default https://api.xmpush.xiaomi.com; global regions have their own)."},
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := Load("pushd serve", nil, nil)
	require.NoError(t, err)
	require.Equal(t, Default(), cfg)
	require.NoError(t, Default().Validate())
	require.True(t, cfg.Embedded())
	require.True(t, cfg.EmbeddedRedis())
	require.Equal(t, ":8080", cfg.HTTPAddr)
	require.Equal(t, "./pushd-data", cfg.DataDir)
	require.Equal(t, "text", cfg.LogFormat)
	require.Equal(t, "info", cfg.LogLevel)
	require.True(t, cfg.AutoMigrate)
	require.False(t, cfg.GraphQLIntrospection)
	require.Equal(t, 2000, cfg.GraphQLComplexityLimit)
	require.Equal(t, 15000, cfg.GraphQLTokenLimit)
	require.Empty(t, cfg.AllowedOrigins)
	require.Equal(t, 30*time.Second, cfg.ShutdownTimeout)
	require.Equal(t, 5*time.Second, cfg.WebSocketInitTimeout)
	require.Equal(t, 30*time.Second, cfg.DatabaseStatementTimeout)
}

// The table must cover every field, or a new field would be neither
// loadable nor logged nor documented. VendorURLs is covered by the
// caller's variables instead of one of its own.
func TestVarsCoverConfig(t *testing.T) {
	t.Parallel()
	require.Len(t, Vars(), reflect.TypeFor[Config]().NumField()-1)
	vars := Vars(testVendorURLs()...)
	require.Len(t, vars, reflect.TypeFor[Config]().NumField()-1+len(testVendorURLs()))
	envs, flags := map[string]bool{}, map[string]bool{}
	def := map[string]string{}
	for _, v := range vars {
		require.True(t, strings.HasPrefix(v.Env, "PUSHD_"), v.Env)
		require.NotEmpty(t, v.Flag, v.Env)
		require.NotEmpty(t, v.Help, v.Env)
		require.False(t, envs[v.Env], "duplicate %s", v.Env)
		require.False(t, flags[v.Flag], "duplicate %s", v.Flag)
		envs[v.Env], flags[v.Flag] = true, true
		if v.Default != "" {
			def[v.Env] = v.Default
		}
	}
	// The documented defaults, fed back in, give Default.
	cfg, err := Load("t", nil, env(def), testVendorURLs()...)
	require.NoError(t, err)
	require.Equal(t, Default(), cfg)
}

func TestEnvParsing(t *testing.T) {
	t.Parallel()
	cfg, err := Load("t", nil, env(map[string]string{
		"PUSHD_HTTP_ADDR":                "127.0.0.1:0",
		"PUSHD_DATABASE_URL":             "postgresql://pushd@db:5432/pushd?sslmode=disable",
		"PUSHD_REDIS_URL":                "rediss://cache:6380/1",
		"PUSHD_DATA_DIR":                 "/var/lib/pushd",
		"PUSHD_MASTER_KEY":               "k",
		"PUSHD_LOG_FORMAT":               "json",
		"PUSHD_LOG_LEVEL":                "debug",
		"PUSHD_AUTO_MIGRATE":             "false",
		"PUSHD_GRAPHQL_INTROSPECTION":    "1",
		"PUSHD_GRAPHQL_COMPLEXITY_LIMIT": " 500 ",
		"PUSHD_GRAPHQL_TOKEN_LIMIT":      "100",
		"PUSHD_ALLOWED_ORIGINS":          " app.example.com, ,*.example.org:8443,",
		"PUSHD_SHUTDOWN_TIMEOUT":         "2m",
		"PUSHD_WS_INIT_TIMEOUT":          "1m",
		"PUSHD_ADMIN_EMAIL":              "ops@example.com",
		"PUSHD_ADMIN_PASSWORD":           "long-enough-pw",
		"PUSHD_COOKIE_SECURE":            "always",
		"PUSHD_SESSION_TTL":              "1h",
		"PUSHD_DATABASE_POOL_MODE":       "transaction",
		"PUSHD_DATABASE_MAX_CONNS":       "8",
	}))
	require.NoError(t, err)
	require.Equal(t, Config{
		HTTPAddr:               "127.0.0.1:0",
		DatabaseURL:            "postgresql://pushd@db:5432/pushd?sslmode=disable",
		RedisURL:               "rediss://cache:6380/1",
		DataDir:                "/var/lib/pushd",
		MasterKey:              "k",
		LogFormat:              "json",
		LogLevel:               "debug",
		AutoMigrate:            false,
		GraphQLIntrospection:   true,
		GraphQLComplexityLimit: 500,
		GraphQLTokenLimit:      100,
		AllowedOrigins:         []string{"app.example.com", "*.example.org:8443"},
		ShutdownTimeout:        2 * time.Minute,
		WebSocketInitTimeout:   time.Minute,
		AdminEmail:             "ops@example.com",
		AdminPassword:          "long-enough-pw",
		CookieSecure:           "always",
		SessionTTL:             time.Hour,
		DatabasePoolMode:       "transaction",
		DatabaseMaxConns:       8,
		DeviceHeartbeat:        30 * time.Second,
		WorkerConcurrency:      20,
		RedisNamespace:         "pushd",
		ReconcileAfter:         time.Minute,
		DeliveryLease:          time.Minute,
		LimitAppRate:           2000,
		LimitKeyRate:           1000,
		AdmitMaxQueueLag:       2 * time.Minute,
		AdmitMaxQueuedTasks:    100000,
		StatsMinutes:           7 * 24 * time.Hour,
		// Throttles, not set above: the defaults.
		LimitRegisterAddressRate: 20, LimitRegisterAppRate: 500, LimitConnectAddressRate: 20,
		LimitDeviceFrameRate: 100, LimitSubscriptionsPerSocket: 100, LimitSubscriptionsPerAccount: 500,
		StatsHours:     90 * 24 * time.Hour,
		StatsRetention: 730 * 24 * time.Hour,
		AuditRetention: 90 * 24 * time.Hour,
		// Not set above: the defaults.
		DeliveryRetention: 30 * 24 * time.Hour, DeliveryPartition: 7 * 24 * time.Hour,
		DatabaseStatementTimeout: 30 * time.Second,
	}, cfg)
	require.False(t, cfg.Embedded())
	require.False(t, cfg.EmbeddedRedis())
}

func TestBadEnvValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ env, value string }{
		{"PUSHD_AUTO_MIGRATE", "maybe"},
		{"PUSHD_GRAPHQL_INTROSPECTION", "yes please"},
		{"PUSHD_SHUTDOWN_TIMEOUT", "soon"},
		{"PUSHD_WS_INIT_TIMEOUT", "5"},
		{"PUSHD_GRAPHQL_TOKEN_LIMIT", "abc"},
		{"PUSHD_GRAPHQL_COMPLEXITY_LIMIT", "1e3"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Parallel()
			_, err := Load("t", nil, env(map[string]string{tc.env: tc.value}))
			require.ErrorContains(t, err, tc.env)
			require.ErrorContains(t, err, tc.value)
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := Load("t", []string{"-log-format=xml"}, env(map[string]string{
		"PUSHD_AUTO_MIGRATE": "maybe",
		"PUSHD_LOG_LEVEL":    "loud",
	}))
	for _, name := range []string{"PUSHD_AUTO_MIGRATE", "PUSHD_LOG_LEVEL", "PUSHD_LOG_FORMAT"} {
		require.ErrorContains(t, err, name)
	}
}

func TestFlagsOverrideEnv(t *testing.T) {
	t.Parallel()
	cfg, err := Load("t", []string{
		"-http-addr", ":9090",
		"-log-level=warn",
		"-auto-migrate=false",
		"-graphql-introspection",
		"-graphql-token-limit", "200",
		"-allowed-origins", "b.example.com",
		"-shutdown-timeout=10s",
		"-data-dir", "/flag",
	}, env(map[string]string{
		"PUSHD_HTTP_ADDR":             ":7070",
		"PUSHD_LOG_LEVEL":             "error",
		"PUSHD_AUTO_MIGRATE":          "true",
		"PUSHD_GRAPHQL_INTROSPECTION": "false",
		"PUSHD_GRAPHQL_TOKEN_LIMIT":   "300",
		"PUSHD_ALLOWED_ORIGINS":       "a.example.com,c.example.com",
		"PUSHD_SHUTDOWN_TIMEOUT":      "20s",
		"PUSHD_DATA_DIR":              "/env",
		"PUSHD_LOG_FORMAT":            "json",
	}))
	require.NoError(t, err)
	require.Equal(t, ":9090", cfg.HTTPAddr)
	require.Equal(t, "warn", cfg.LogLevel)
	require.False(t, cfg.AutoMigrate)
	require.True(t, cfg.GraphQLIntrospection)
	require.Equal(t, 200, cfg.GraphQLTokenLimit)
	require.Equal(t, []string{"b.example.com"}, cfg.AllowedOrigins)
	require.Equal(t, 10*time.Second, cfg.ShutdownTimeout)
	require.Equal(t, "/flag", cfg.DataDir)
	require.Equal(t, "json", cfg.LogFormat, "env applies where no flag is given")
}

func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args     []string
		contains []string
	}{
		{[]string{"-auto-migrate=maybe"}, []string{"-auto-migrate", "PUSHD_AUTO_MIGRATE"}},
		{[]string{"-shutdown-timeout", "soon"}, []string{"-shutdown-timeout", "PUSHD_SHUTDOWN_TIMEOUT"}},
		{[]string{"-graphql-token-limit=abc"}, []string{"-graphql-token-limit", "PUSHD_GRAPHQL_TOKEN_LIMIT"}},
		{[]string{"-log-format", "xml"}, []string{"PUSHD_LOG_FORMAT", "xml"}},
		{[]string{"-no-such-flag"}, []string{"no-such-flag"}},
		{[]string{"-auto-migrate", "false"}, []string{`unexpected argument "false"`}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			_, err := Load("t", tc.args, nil)
			for _, s := range tc.contains {
				require.ErrorContains(t, err, s)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"-h", "-help", "--help"} {
		_, err := Load("t", []string{arg}, env(map[string]string{"PUSHD_AUTO_MIGRATE": "maybe"}))
		require.ErrorIs(t, err, flag.ErrHelp, arg)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		mutate func(*Config)
		want   string // "" means valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"ipv6 addr", func(c *Config) { c.HTTPAddr = "[::1]:0" }, ""},
		{"addr without port", func(c *Config) { c.HTTPAddr = "localhost" }, "PUSHD_HTTP_ADDR: must be host:port"},
		{"addr bad port", func(c *Config) { c.HTTPAddr = ":http" }, "PUSHD_HTTP_ADDR: port"},
		{"addr port too big", func(c *Config) { c.HTTPAddr = ":65536" }, "PUSHD_HTTP_ADDR"},
		{"metrics addr", func(c *Config) { c.MetricsAddr = "127.0.0.1:9464" }, ""},
		{"metrics addr without port", func(c *Config) { c.MetricsAddr = "localhost" }, "PUSHD_METRICS_ADDR: must be host:port"},
		{"metrics addr bad port", func(c *Config) { c.MetricsAddr = ":x" }, "PUSHD_METRICS_ADDR: port"},
		{"metrics addr is the http addr", func(c *Config) { c.MetricsAddr = c.HTTPAddr }, "PUSHD_METRICS_ADDR: must differ from PUSHD_HTTP_ADDR"},
		{"postgres url", func(c *Config) { c.DatabaseURL = "postgres://u:p@h/db"; c.MasterKey = "k" }, ""},
		{"postgres socket url", func(c *Config) { c.DatabaseURL = "postgresql:///db?host=/run/pg"; c.MasterKey = "k" }, ""},
		{"mysql url", func(c *Config) { c.DatabaseURL = "mysql://h/db"; c.MasterKey = "k" }, `PUSHD_DATABASE_URL: must be a postgres:// or postgresql:// URL, got scheme "mysql"`},
		{"opaque url", func(c *Config) { c.DatabaseURL = "postgres:db"; c.MasterKey = "k" }, "PUSHD_DATABASE_URL"},
		{"unparsable url", func(c *Config) { c.DatabaseURL = "postgres://u:p%zz@h/db"; c.MasterKey = "k" }, "PUSHD_DATABASE_URL"},
		{"database without key", func(c *Config) { c.DatabaseURL = "postgres://h/db" }, "PUSHD_MASTER_KEY: required"},
		{"redis url", func(c *Config) { c.RedisURL = "redis://:pw@h:6379/0" }, ""},
		{"http redis url", func(c *Config) { c.RedisURL = "http://h" }, "PUSHD_REDIS_URL: must be a redis:// or rediss:// or redis-sentinel:// or rediss-sentinel:// or redis-cluster:// or rediss-cluster:// URL"},
		{"sentinel redis url", func(c *Config) { c.RedisURL = "redis-sentinel://:pw@s1:26379,s2:26379/0?master=m" }, ""},
		{"cluster redis url", func(c *Config) { c.RedisURL = "rediss-cluster://n1:7000,n2:7000" }, ""},
		{"transaction pooling", func(c *Config) { c.DatabasePoolMode = "transaction" }, ""},
		{"one connection", func(c *Config) { c.DatabaseMaxConns = 1 }, "PUSHD_DATABASE_MAX_CONNS: must be from 2 to 500, got 1"},
		{"too many connections", func(c *Config) { c.DatabaseMaxConns = 501 }, "PUSHD_DATABASE_MAX_CONNS: must be from 2 to 500, got 501"},
		{"unknown pool mode", func(c *Config) { c.DatabasePoolMode = "statement" }, `PUSHD_DATABASE_POOL_MODE: must be "session" or "transaction", got "statement"`},
		{"empty data dir", func(c *Config) { c.DataDir = " " }, "PUSHD_DATA_DIR: must not be empty"},
		{"xml logs", func(c *Config) { c.LogFormat = "xml" }, `PUSHD_LOG_FORMAT: must be "text" or "json", got "xml"`},
		{"loud logs", func(c *Config) { c.LogLevel = "loud" }, "PUSHD_LOG_LEVEL: must be"},
		{"complexity low", func(c *Config) { c.GraphQLComplexityLimit = 9 }, "PUSHD_GRAPHQL_COMPLEXITY_LIMIT: must be from 10 to 1000000"},
		{"complexity high", func(c *Config) { c.GraphQLComplexityLimit = 1_000_001 }, "PUSHD_GRAPHQL_COMPLEXITY_LIMIT"},
		{"tokens low", func(c *Config) { c.GraphQLTokenLimit = 99 }, "PUSHD_GRAPHQL_TOKEN_LIMIT: must be from 100 to 1000000"},
		{"tokens high", func(c *Config) { c.GraphQLTokenLimit = 1_000_001 }, "PUSHD_GRAPHQL_TOKEN_LIMIT"},
		{"origin patterns", func(c *Config) { c.AllowedOrigins = []string{"*.example.com", "localhost:3000"} }, ""},
		{"origin url", func(c *Config) { c.AllowedOrigins = []string{"https://example.com"} }, "PUSHD_ALLOWED_ORIGINS"},
		{"stats minutes short", func(c *Config) { c.StatsMinutes = time.Minute }, "PUSHD_STATS_MINUTES: must be from 1h"},
		{"stats hours below minutes", func(c *Config) { c.StatsMinutes, c.StatsHours = 48*time.Hour, 24*time.Hour }, "PUSHD_STATS_HOURS"},
		{"stats retention below hours", func(c *Config) { c.StatsRetention = 30 * 24 * time.Hour }, "PUSHD_STATS_RETENTION"},
		{"audit retention short", func(c *Config) { c.AuditRetention = time.Hour }, "PUSHD_AUDIT_RETENTION: must be from 24h"},
		{"audit retention long", func(c *Config) { c.AuditRetention = 87601 * time.Hour }, "PUSHD_AUDIT_RETENTION"},
		{"delivery retention short", func(c *Config) { c.DeliveryRetention = 23 * time.Hour }, "PUSHD_DELIVERY_RETENTION: must be from 24h"},
		{"delivery retention long", func(c *Config) { c.DeliveryRetention = 87601 * time.Hour }, "PUSHD_DELIVERY_RETENTION"},
		{"delivery partition of days", func(c *Config) { c.DeliveryPartition = 24 * time.Hour }, ""},
		{"delivery partition part of a day", func(c *Config) { c.DeliveryPartition = 36 * time.Hour }, "PUSHD_DELIVERY_PARTITION: must be whole days"},
		{"delivery partition long", func(c *Config) { c.DeliveryPartition = 745 * time.Hour }, "PUSHD_DELIVERY_PARTITION"},
		{"origin bad glob", func(c *Config) { c.AllowedOrigins = []string{"[a"} }, "PUSHD_ALLOWED_ORIGINS"},
		{"shutdown short", func(c *Config) { c.ShutdownTimeout = 999 * time.Millisecond }, "PUSHD_SHUTDOWN_TIMEOUT: must be from 1s to 10m0s"},
		{"shutdown long", func(c *Config) { c.ShutdownTimeout = 11 * time.Minute }, "PUSHD_SHUTDOWN_TIMEOUT"},
		{"ws init bounds", func(c *Config) { c.WebSocketInitTimeout = time.Minute }, ""},
		{"ws init long", func(c *Config) { c.WebSocketInitTimeout = 61 * time.Second }, "PUSHD_WS_INIT_TIMEOUT"},
		{"ws init zero", func(c *Config) { c.WebSocketInitTimeout = 0 }, "PUSHD_WS_INIT_TIMEOUT"},
		{"statement timeout off", func(c *Config) { c.DatabaseStatementTimeout = 0 }, ""},
		{"statement timeout bounds", func(c *Config) { c.DatabaseStatementTimeout = time.Hour }, ""},
		{"statement timeout short", func(c *Config) { c.DatabaseStatementTimeout = 999 * time.Millisecond }, "PUSHD_DATABASE_STATEMENT_TIMEOUT: must be 0 (the server's setting) or from 1s to 1h, got 999ms"},
		{"statement timeout long", func(c *Config) { c.DatabaseStatementTimeout = 61 * time.Minute }, "PUSHD_DATABASE_STATEMENT_TIMEOUT"},
		{"statement timeout negative", func(c *Config) { c.DatabaseStatementTimeout = -time.Second }, "PUSHD_DATABASE_STATEMENT_TIMEOUT"},
		{"vendor url", func(c *Config) { c.VendorURLs = map[string]string{"PUSHD_X_URL": "https://gw.example.com/v1"} }, ""},
		{"vendor url empty", func(c *Config) { c.VendorURLs = map[string]string{"PUSHD_X_URL": ""} }, ""},
		{"vendor url http", func(c *Config) { c.VendorURLs = map[string]string{"PUSHD_X_URL": "http://u:p@gw"} }, `PUSHD_X_URL: must be a https:// URL, got scheme "http"`},
		{"vendor url opaque", func(c *Config) { c.VendorURLs = map[string]string{"PUSHD_X_URL": "https:gw"} }, "PUSHD_X_URL: must be a https:// URL (missing // after the scheme)"},
		{"vendor url unparsable", func(c *Config) { c.VendorURLs = map[string]string{"PUSHD_X_URL": "https://u:p%zz@gw"} }, "PUSHD_X_URL: must be a https:// URL (it does not parse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := Default()
			tc.mutate(&c)
			err := c.Validate()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.want)
			require.NotContains(t, err.Error(), ":p@", "a URL password leaked into the error")
		})
	}
}

func TestValidateJoinsEverything(t *testing.T) {
	t.Parallel()
	c := Config{}
	err := c.Validate()
	for _, v := range []string{
		"PUSHD_HTTP_ADDR", "PUSHD_DATA_DIR", "PUSHD_LOG_FORMAT", "PUSHD_LOG_LEVEL",
		"PUSHD_GRAPHQL_COMPLEXITY_LIMIT", "PUSHD_GRAPHQL_TOKEN_LIMIT",
		"PUSHD_SHUTDOWN_TIMEOUT", "PUSHD_WS_INIT_TIMEOUT",
	} {
		require.ErrorContains(t, err, v)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		require.True(t, strings.HasPrefix(line, "PUSHD_"), line)
	}
}

func TestStringRedacts(t *testing.T) {
	t.Parallel()
	c := Default()
	c.DatabaseURL = "postgres://pushd:s3cr3t-pw@db:5432/pushd?sslmode=require&sslpassword=qu3ry-pw"
	c.RedisURL = "rediss://:r3d1s-pw@cache:6380/0"
	c.MasterKey = "m4st3r-k3y"
	c.AllowedOrigins = []string{"a.example.com", "b.example.com"}
	s := c.String()
	for _, secret := range []string{"s3cr3t-pw", "qu3ry-pw", "r3d1s-pw", "m4st3r-k3y"} {
		require.NotContains(t, s, secret)
	}
	require.Contains(t, s, `master-key="[redacted]"`)
	require.Contains(t, s, "pushd:xxxxx@db:5432")
	require.Contains(t, s, `allowed-origins="a.example.com,b.example.com"`)
	require.Contains(t, s, "shutdown-timeout=30s")
	for _, v := range Vars() {
		require.Contains(t, s, v.Flag+"=")
	}

	c.RedisURL = "redis-sentinel://:m4st3r-pw@s1:26379,s2:26379/0?master=m&sentinel_password=s3nt1n3l-pw"
	s = c.String()
	require.NotContains(t, s, "m4st3r-pw")
	require.NotContains(t, s, "s3nt1n3l-pw")
	require.Contains(t, s, "s1:26379,s2:26379")

	c.DatabaseURL = "postgres://u:p%zz-unparsable@h/db"
	require.NotContains(t, c.String(), "unparsable")
	require.Contains(t, Default().String(), `master-key=""`)
}

func TestEnvErrorHidesSecrets(t *testing.T) {
	t.Parallel()
	_, err := Load("t", nil, env(map[string]string{
		"PUSHD_DATABASE_URL": "mysql://u:s3cr3t-pw@h/db",
		"PUSHD_MASTER_KEY":   "k",
	}))
	require.ErrorContains(t, err, "PUSHD_DATABASE_URL")
	require.NotContains(t, err.Error(), "s3cr3t-pw")
}

func TestNewLogger(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c := Default()
	c.LogFormat, c.LogLevel = "json", "warn"
	log := c.NewLogger(&buf)
	log.Info("hidden")
	log.Warn("shown", "k", 1)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec))
	require.Equal(t, "shown", rec["msg"])

	buf.Reset()
	c = Default()
	log = c.NewLogger(&buf)
	log.Debug("hidden")
	log.Info("shown")
	require.NotContains(t, buf.String(), "hidden")
	require.Contains(t, buf.String(), "level=INFO msg=shown")
}

func TestUsage(t *testing.T) {
	t.Parallel()
	u := Usage("pushd serve", testVendorURLs()...)
	require.Contains(t, u, "Usage: pushd serve [flags]")
	for _, v := range Vars(testVendorURLs()...) {
		require.Contains(t, u, v.Env)
		require.Contains(t, u, "-"+v.Flag)
	}
	require.Contains(t, u, `default ":8080"`)
	require.Contains(t, u, "default 30s")
}

// The docs are hand-written; this keeps them from missing a variable.
func TestDocsListEveryVar(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../docs/configuration.md")
	require.NoError(t, err)
	for _, v := range Vars(testVendorURLs()...) {
		require.Contains(t, string(doc), "`"+v.Env+"`", "docs/configuration.md lacks %s", v.Env)
		require.Contains(t, string(doc), "`-"+v.Flag+"`", "docs/configuration.md lacks -%s", v.Flag)
	}
}

func TestStatementTimeoutVar(t *testing.T) {
	t.Parallel()
	cfg, err := Load("t", nil, env(map[string]string{"PUSHD_DATABASE_STATEMENT_TIMEOUT": "45s"}))
	require.NoError(t, err)
	require.Equal(t, 45*time.Second, cfg.DatabaseStatementTimeout)
	cfg, err = Load("t", []string{"-database-statement-timeout=0"}, env(map[string]string{"PUSHD_DATABASE_STATEMENT_TIMEOUT": "45s"}))
	require.NoError(t, err)
	require.Zero(t, cfg.DatabaseStatementTimeout, "0 turns it off, and the flag wins")
	_, err = Load("t", nil, env(map[string]string{"PUSHD_DATABASE_STATEMENT_TIMEOUT": "soon"}))
	require.ErrorContains(t, err, "PUSHD_DATABASE_STATEMENT_TIMEOUT: invalid value")
	_, err = Load("t", nil, env(map[string]string{"PUSHD_DATABASE_STATEMENT_TIMEOUT": "500ms"}))
	require.ErrorContains(t, err, "PUSHD_DATABASE_STATEMENT_TIMEOUT: must be 0")
}

func TestThrottleVars(t *testing.T) {
	t.Parallel()
	d := Default()
	require.Equal(t, []int{20, 500, 20, 100, 100, 500}, []int{d.LimitRegisterAddressRate, d.LimitRegisterAppRate,
		d.LimitConnectAddressRate, d.LimitDeviceFrameRate, d.LimitSubscriptionsPerSocket, d.LimitSubscriptionsPerAccount})
	cfg, err := Load("t", []string{"-limit-subscriptions-per-socket=7"}, env(map[string]string{
		"PUSHD_LIMIT_REGISTER_ADDRESS_RPS": "0", "PUSHD_LIMIT_DEVICE_FRAMES_RPS": "50", "PUSHD_LIMIT_SUBSCRIPTIONS_PER_SOCKET": "9",
	}))
	require.NoError(t, err)
	require.Zero(t, cfg.LimitRegisterAddressRate, "0 turns it off")
	require.Equal(t, 50, cfg.LimitDeviceFrameRate)
	require.Equal(t, 7, cfg.LimitSubscriptionsPerSocket, "the flag wins")
	for name, v := range map[string]string{
		"PUSHD_LIMIT_REGISTER_APP_RPS": "-1", "PUSHD_LIMIT_CONNECT_ADDRESS_RPS": "1000001",
		"PUSHD_LIMIT_SUBSCRIPTIONS_PER_ACCOUNT": "100001", "PUSHD_LIMIT_SUBSCRIPTIONS_PER_SOCKET": "-5",
	} {
		_, err := Load("t", nil, env(map[string]string{name: v}))
		require.ErrorContains(t, err, name+": must be 0 (no limit)", v)
	}
}

func TestVendorURLVars(t *testing.T) {
	t.Parallel()
	gw := []Var{
		{Env: "PUSHD_A_URL", Flag: "a-url", Help: "Gateway A."},
		{Env: "PUSHD_B_URL", Flag: "b-url", Default: "https://b.example.com", Help: "Gateway B."},
	}

	cfg, err := Load("t", nil, nil, gw...)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"PUSHD_B_URL": "https://b.example.com"}, cfg.VendorURLs, "only B has a default")
	cfg, err = Load("t", nil, nil)
	require.NoError(t, err)
	require.Nil(t, cfg.VendorURLs)

	cfg, err = Load("t", nil, env(map[string]string{"PUSHD_A_URL": "https://a.example.com/v1"}), gw...)
	require.NoError(t, err)
	require.Equal(t, "https://a.example.com/v1", cfg.VendorURLs["PUSHD_A_URL"])

	cfg, err = Load("t", []string{"-a-url=https://flag.example.com", "-b-url="},
		env(map[string]string{"PUSHD_A_URL": "https://a.example.com", "PUSHD_B_URL": "https://env.example.com"}), gw...)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"PUSHD_A_URL": "https://flag.example.com"}, cfg.VendorURLs,
		"the flag wins, and an empty one leaves the endpoint to the caller")

	_, err = Load("t", nil, env(map[string]string{"PUSHD_A_URL": "gw.example.com:443"}), gw...)
	require.ErrorContains(t, err, `PUSHD_A_URL: must be a https:// URL, got scheme "gw.example.com"`)
	_, err = Load("t", []string{"-a-url", "http://gw.example.com"}, nil, gw...)
	require.ErrorContains(t, err, `PUSHD_A_URL: must be a https:// URL, got scheme "http"`)
	_, err = Load("t", []string{"-a-url", "https://gw.example.com"}, nil)
	require.ErrorContains(t, err, "a-url", "without the Var there is no flag")

	vars := Vars(gw...)
	require.Equal(t, []Var{
		{Env: "PUSHD_A_URL", Flag: "a-url", Help: "Gateway A."},
		{Env: "PUSHD_B_URL", Flag: "b-url", Default: "https://b.example.com", Help: "Gateway B."},
	}, vars[len(vars)-2:], "after the built-in ones, in the given order")
	require.Equal(t, Vars(), vars[:len(vars)-2])

	u := Usage("t", gw...)
	require.Contains(t, u, "  -a-url url\n    \tGateway A.\n    \t(env PUSHD_A_URL, no default)\n")
	require.Contains(t, u, `(env PUSHD_B_URL, default "https://b.example.com")`)
	require.Greater(t, strings.Index(u, "-a-url"), strings.Index(u, "-pprof"))

	cfg.VendorURLs = map[string]string{"PUSHD_B_URL": "https://u:s3cr3t-pw@b", "PUSHD_A_URL": "https://a"}
	require.True(t, strings.HasSuffix(cfg.String(), ` PUSHD_A_URL="https://a" PUSHD_B_URL="https://u:xxxxx@b"`), cfg.String())
}

func TestVendorURLVarNamesAreUnique(t *testing.T) {
	t.Parallel()
	for _, v := range []Var{
		{Env: "PUSHD_HTTP_ADDR", Flag: "other"},
		{Env: "PUSHD_OTHER", Flag: "http-addr"},
		{Env: "", Flag: "other"},
		{Env: "PUSHD_OTHER", Flag: ""},
	} {
		require.Panics(t, func() { Vars(v) }, v)
	}
	require.Panics(t, func() { Vars(Var{Env: "PUSHD_X", Flag: "x"}, Var{Env: "PUSHD_X", Flag: "y"}) })
}
