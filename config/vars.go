package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Var describes one configuration variable: its environment variable, its
// flag (without the dash), its default as it would be written in the
// environment, and a one-line help.
type Var struct {
	Env, Flag, Default, Help string
}

// Environment variable names, shared by the table and Validate's messages.
const (
	envHTTPAddr             = "PUSHD_HTTP_ADDR"
	envMetricsAddr          = "PUSHD_METRICS_ADDR"
	envDatabaseURL          = "PUSHD_DATABASE_URL"
	envStatementTimeout     = "PUSHD_DATABASE_STATEMENT_TIMEOUT"
	envDatabasePoolMode     = "PUSHD_DATABASE_POOL_MODE"
	envDatabaseMaxConns     = "PUSHD_DATABASE_MAX_CONNS"
	envRedisURL             = "PUSHD_REDIS_URL"
	envDataDir              = "PUSHD_DATA_DIR"
	envMasterKey            = "PUSHD_MASTER_KEY"
	envLogFormat            = "PUSHD_LOG_FORMAT"
	envLogLevel             = "PUSHD_LOG_LEVEL"
	envAutoMigrate          = "PUSHD_AUTO_MIGRATE"
	envGraphQLIntrospection = "PUSHD_GRAPHQL_INTROSPECTION"
	envGraphQLComplexity    = "PUSHD_GRAPHQL_COMPLEXITY_LIMIT"
	envGraphQLTokenLimit    = "PUSHD_GRAPHQL_TOKEN_LIMIT"
	envAllowedOrigins       = "PUSHD_ALLOWED_ORIGINS"
	envShutdownTimeout      = "PUSHD_SHUTDOWN_TIMEOUT"
	envWSInitTimeout        = "PUSHD_WS_INIT_TIMEOUT"
	envAdminEmail           = "PUSHD_ADMIN_EMAIL"
	envAdminPassword        = "PUSHD_ADMIN_PASSWORD"
	envCookieSecure         = "PUSHD_COOKIE_SECURE"
	envSessionTTL           = "PUSHD_SESSION_TTL"
	envDeviceHeartbeat      = "PUSHD_DEVICE_HEARTBEAT"
	envPprof                = "PUSHD_PPROF"
	envWorkerConcurrency    = "PUSHD_WORKER_CONCURRENCY"
	envReconcileAfter       = "PUSHD_RECONCILE_AFTER"
	envDeliveryLease        = "PUSHD_DELIVERY_LEASE"
	envLimitAppRate         = "PUSHD_LIMIT_APP_RPS"
	envLimitKeyRate         = "PUSHD_LIMIT_KEY_RPS"
	envLimitRegisterAddress = "PUSHD_LIMIT_REGISTER_ADDRESS_RPS"
	envLimitRegisterApp     = "PUSHD_LIMIT_REGISTER_APP_RPS"
	envLimitConnectAddress  = "PUSHD_LIMIT_CONNECT_ADDRESS_RPS"
	envLimitDeviceFrames    = "PUSHD_LIMIT_DEVICE_FRAMES_RPS"
	envLimitSubsPerSocket   = "PUSHD_LIMIT_SUBSCRIPTIONS_PER_SOCKET"
	envLimitSubsPerAccount  = "PUSHD_LIMIT_SUBSCRIPTIONS_PER_ACCOUNT"
	envAdmitQueueLag        = "PUSHD_ADMIT_MAX_QUEUE_LAG"
	envAdmitQueuedTasks     = "PUSHD_ADMIT_MAX_QUEUED_TASKS"
	envRedisNamespace       = "PUSHD_REDIS_NAMESPACE"
	envEgressAllow          = "PUSHD_EGRESS_ALLOW"
	envProviderCAFile       = "PUSHD_PROVIDER_CA_FILE"
	envPublicURL            = "PUSHD_PUBLIC_URL"
	envConsoleDir           = "PUSHD_CONSOLE_DIR"
	envWebhookAllowPrivate  = "PUSHD_WEBHOOK_ALLOW_PRIVATE"
	envStatsMinutes         = "PUSHD_STATS_MINUTES"
	envStatsHours           = "PUSHD_STATS_HOURS"
	envStatsRetention       = "PUSHD_STATS_RETENTION"
	envAuditRetention       = "PUSHD_AUDIT_RETENTION"
	envDeliveryRetention    = "PUSHD_DELIVERY_RETENTION"
	envDeliveryPartition    = "PUSHD_DELIVERY_PARTITION"
)

// kind is the value syntax of a variable; it picks the parser, the flag
// style (boolean flags need no value) and the placeholder in Usage.
type kind string

const (
	kindString   kind = "string"
	kindAddr     kind = "host:port"
	kindURL      kind = "url"
	kindBool     kind = "bool"
	kindInt      kind = "int"
	kindDuration kind = "duration"
	kindList     kind = "list"
)

// spec is a Var plus how to read and write its Config field.
type spec struct {
	Var
	kind kind
	// redact, when set, hides secrets for String.
	redact func(string) string
	get    func(Config) string
	// set parses v into the field; its error omits the variable name and
	// the value, which the caller adds in the form fitting env or flag.
	set func(c *Config, v string) error
}

func (s spec) quoted() bool {
	return s.kind != kindBool && s.kind != kindInt && s.kind != kindDuration
}

// quoteInput shows a rejected input in an error, unless it may be secret.
func (s spec) quoteInput(v string) string {
	if s.redact != nil {
		return redacted
	}
	return strconv.Quote(v)
}

// specs is the single table of built-in variables; tableWith appends the
// caller's endpoint variables to it. Defaults are not repeated here: Vars
// reads them off Default.
//
// long: one row per setting, data rather than logic; splitting the table
// would only scatter the settings a reader looks for in one place.
func specs() []spec {
	return []spec{
		stringVar(envHTTPAddr, "http-addr", kindAddr, nil,
			"Address the HTTP server listens on; port 0 picks a free port.",
			func(c *Config) *string { return &c.HTTPAddr }),
		stringVar(envMetricsAddr, "metrics-addr", kindAddr, nil,
			"Address of a separate listener for /metrics and /debug/pprof/, which the HTTP port then no longer serves; empty serves them on the HTTP port.",
			func(c *Config) *string { return &c.MetricsAddr }),
		stringVar(envDatabaseURL, "database-url", kindURL, redactURL,
			"PostgreSQL URL (postgres:// or postgresql://); empty runs embedded SQLite in the data directory.",
			func(c *Config) *string { return &c.DatabaseURL }),
		durationVar(envStatementTimeout, "database-statement-timeout",
			"PostgreSQL statement_timeout of pushd's connections, migrations excepted (0 = the server's, else 1s..1h): PostgreSQL cancels a statement that runs longer.",
			func(c *Config) *time.Duration { return &c.DatabaseStatementTimeout }),
		stringVar(envDatabasePoolMode, "database-pool-mode", kindString, nil,
			`How a pooler in front of PostgreSQL shares server connections: "session" (also for none) or "transaction" (PgBouncer's pool_mode=transaction).`,
			func(c *Config) *string { return &c.DatabasePoolMode }),
		intVar(envDatabaseMaxConns, "database-max-conns",
			"PostgreSQL connections one process opens at most (2..500), and half as many more for its relaxed-commit writes.",
			func(c *Config) *int { return &c.DatabaseMaxConns }),
		stringVar(envRedisURL, "redis-url", kindURL, redactURL,
			"Redis URL: redis:// or rediss:// (one server), redis-sentinel:// (a master found by Sentinels) or redis-cluster:// (a cluster), rediss-… with TLS; empty runs an in-process Redis.",
			func(c *Config) *string { return &c.RedisURL }),
		stringVar(envDataDir, "data-dir", kindString, nil,
			"Directory for embedded-mode state: the SQLite database and the generated master key.",
			func(c *Config) *string { return &c.DataDir }),
		stringVar(envMasterKey, "master-key", kindString, redactSecret,
			"Master key; required when "+envDatabaseURL+" is set. In embedded mode, if empty, one is generated into the data directory.",
			func(c *Config) *string { return &c.MasterKey }),
		stringVar(envLogFormat, "log-format", kindString, nil,
			`Log format: "text" or "json".`,
			func(c *Config) *string { return &c.LogFormat }),
		stringVar(envLogLevel, "log-level", kindString, nil,
			"Minimum log level: debug, info, warn or error.",
			func(c *Config) *string { return &c.LogLevel }),
		boolVar(envAutoMigrate, "auto-migrate",
			"Migrate the database schema at start (serve, api, worker and gateway).",
			func(c *Config) *bool { return &c.AutoMigrate }),
		boolVar(envGraphQLIntrospection, "graphql-introspection",
			"Answer GraphQL introspection queries.",
			func(c *Config) *bool { return &c.GraphQLIntrospection }),
		intVar(envGraphQLComplexity, "graphql-complexity-limit",
			"Maximum complexity of a GraphQL operation (10..1000000).",
			func(c *Config) *int { return &c.GraphQLComplexityLimit }),
		intVar(envGraphQLTokenLimit, "graphql-token-limit",
			"Maximum number of tokens in a GraphQL document (100..1000000).",
			func(c *Config) *int { return &c.GraphQLTokenLimit }),
		listVar(envAllowedOrigins, "allowed-origins",
			"Comma-separated host patterns (e.g. app.example.com,*.example.com) whose browser Origin may open WebSockets; empty allows the same host only.",
			func(c *Config) *[]string { return &c.AllowedOrigins }),
		durationVar(envShutdownTimeout, "shutdown-timeout",
			"How long shutdown waits for in-flight work (1s..10m).",
			func(c *Config) *time.Duration { return &c.ShutdownTimeout }),
		durationVar(envWSInitTimeout, "ws-init-timeout",
			"How long a new WebSocket has to send its connection_init message (1s..1m).",
			func(c *Config) *time.Duration { return &c.WebSocketInitTimeout }),
		stringVar(envAdminEmail, "admin-email", kindString, nil,
			"Console admin account ensured at start (with "+envAdminPassword+"). Without it, a first start (no admin yet, any mode) creates admin@pushd.local with a one-time password printed once.",
			func(c *Config) *string { return &c.AdminEmail }),
		stringVar(envAdminPassword, "admin-password", kindString, redactSecret,
			"Password of "+envAdminEmail+" (10 to 256 bytes); applied at every start.",
			func(c *Config) *string { return &c.AdminPassword }),
		stringVar(envCookieSecure, "cookie-secure", kindString, nil,
			`When session cookies are marked Secure: "auto" (request over TLS or X-Forwarded-Proto: https), "always" or "never".`,
			func(c *Config) *string { return &c.CookieSecure }),
		durationVar(envSessionTTL, "session-ttl",
			"How long a console login lasts (5m..720h).",
			func(c *Config) *time.Duration { return &c.SessionTTL }),
		durationVar(envDeviceHeartbeat, "device-heartbeat",
			"Interval of pings on device WebSockets and of presence refreshes (5s..5m); a device that misses a pong is dropped, a crashed node's presence expires after three.",
			func(c *Config) *time.Duration { return &c.DeviceHeartbeat }),
		stringVar(envRedisNamespace, "redis-namespace", kindString, nil,
			"Starts every Redis key and queue name of pushd, so that several deployments can share one Redis ([a-z0-9_-], 1 to 32).",
			func(c *Config) *string { return &c.RedisNamespace }),
		intVar(envWorkerConcurrency, "worker-concurrency",
			"Tasks a worker runs at once (1..1000): dispatch and send tasks of the push pipeline.",
			func(c *Config) *int { return &c.WorkerConcurrency }),
		durationVar(envReconcileAfter, "reconcile-after",
			"How long an unfinished push may make no progress before the reconciler restarts it (1s..1h): it recovers jobs whose queued tasks were lost.",
			func(c *Config) *time.Duration { return &c.ReconcileAfter }),
		durationVar(envDeliveryLease, "delivery-lease",
			"How long a vendor send may hold its deliveries (5s..10m): a send that has not recorded the vendor's answer by then is presumed dead and its deliveries are sent again.",
			func(c *Config) *time.Duration { return &c.DeliveryLease }),
		intVar(envLimitAppRate, "limit-app-rps",
			"Push requests one app may make a second, across every API replica (0 = no limit, else 1..1000000); past it pushes answer RATE_LIMITED.",
			func(c *Config) *int { return &c.LimitAppRate }),
		intVar(envLimitKeyRate, "limit-key-rps",
			"Push requests one API key may make a second, across every API replica (0 = no limit, else 1..1000000).",
			func(c *Config) *int { return &c.LimitKeyRate }),
		intVar(envLimitRegisterAddress, "limit-register-address-rps",
			"Device registrations one client address (IPv4 address or IPv6 /64) may make a second, across every gateway, with a burst of five seconds' worth (0 = no limit, else 1..1000000); past it 429 RATE_LIMITED.",
			func(c *Config) *int { return &c.LimitRegisterAddressRate }),
		intVar(envLimitRegisterApp, "limit-register-app-rps",
			"Device registrations one app may receive a second, across every gateway, burst of five seconds' worth (0 = no limit, else 1..1000000).",
			func(c *Config) *int { return &c.LimitRegisterAppRate }),
		intVar(envLimitConnectAddress, "limit-connect-address-rps",
			"Device WebSocket upgrades one client address may make a second, across every gateway, burst of five seconds' worth, counted before the token is checked (0 = no limit, else 1..1000000).",
			func(c *Config) *int { return &c.LimitConnectAddressRate }),
		intVar(envLimitDeviceFrames, "limit-device-frames-rps",
			"Frames a device may send a second on its WebSocket, burst of five seconds' worth, besides an ack and two events per message it was sent (0 = no limit, else 1..1000000); past it the socket closes with 4429.",
			func(c *Config) *int { return &c.LimitDeviceFrameRate }),
		intVar(envLimitSubsPerSocket, "limit-subscriptions-per-socket",
			"GraphQL subscriptions one WebSocket may hold at once (0 = no limit, else 1..100000); past it a subscription answers RATE_LIMITED.",
			func(c *Config) *int { return &c.LimitSubscriptionsPerSocket }),
		intVar(envLimitSubsPerAccount, "limit-subscriptions-per-account",
			"GraphQL subscriptions one account or API key may hold at once on one API process, over all its sockets (0 = no limit, else 1..100000).",
			func(c *Config) *int { return &c.LimitSubscriptionsPerAccount }),
		durationVar(envAdmitQueueLag, "admit-max-queue-lag",
			"Pushes answer RATE_LIMITED while the oldest waiting pipeline task has waited longer than this (0 = no bound, else 1s..1h).",
			func(c *Config) *time.Duration { return &c.AdmitMaxQueueLag }),
		intVar(envAdmitQueuedTasks, "admit-max-queued-tasks",
			"Pushes answer RATE_LIMITED while more pipeline tasks than this wait (0 = no bound, else 100..10000000).",
			func(c *Config) *int { return &c.AdmitMaxQueuedTasks }),
		stringVar(envProviderCAFile, "provider-ca-file", kindString, nil,
			"PEM file of extra CA certificates trusted for the vendor endpoints (private gateways, fakes).",
			func(c *Config) *string { return &c.ProviderCAFile }),
		stringVar(envPublicURL, "public-url", kindURL, nil,
			"pushd's public base URL (https://push.example.com), where vendors post delivery receipts; empty disables receipt callbacks.",
			func(c *Config) *string { return &c.PublicURL }),
		stringVar(envConsoleDir, "console-dir", kindString, nil,
			"Serve the web console from this directory (a `vite build` output) instead of the build embedded in the binary.",
			func(c *Config) *string { return &c.ConsoleDir }),
		stringVar(envEgressAllow, "egress-allow", kindString, nil,
			"Comma-separated address blocks (CIDR) that vendor and webhook connections may reach although they are special-purpose (private, loopback, ...); empty: none.",
			func(c *Config) *string { return &c.EgressAllow }),
		boolVar(envWebhookAllowPrivate, "webhook-allow-private",
			"Let webhooks point at loopback, private and link-local addresses (refused by default, against SSRF).",
			func(c *Config) *bool { return &c.WebhookAllowPrivate }),
		durationVar(envStatsMinutes, "stats-minutes",
			"How long statistics keep minute resolution before minutes are rolled up into hours (1h..2160h).",
			func(c *Config) *time.Duration { return &c.StatsMinutes }),
		durationVar(envStatsHours, "stats-hours",
			"How long statistics keep hour resolution before hours are rolled up into days (24h..17520h).",
			func(c *Config) *time.Duration { return &c.StatsHours }),
		durationVar(envStatsRetention, "stats-retention",
			"How long statistics are kept at all (24h..87600h).",
			func(c *Config) *time.Duration { return &c.StatsRetention }),
		durationVar(envAuditRetention, "audit-retention",
			"How long the audit log keeps its records (24h..87600h).",
			func(c *Config) *time.Duration { return &c.AuditRetention }),
		durationVar(envDeliveryRetention, "delivery-retention",
			"How long a delivery, and then its job, is kept after it expires (24h..87600h).",
			func(c *Config) *time.Duration { return &c.DeliveryRetention }),
		durationVar(envDeliveryPartition, "delivery-partition",
			"On PostgreSQL, the span of expiry times each partition of the deliveries table holds: whole days, 24h..744h.",
			func(c *Config) *time.Duration { return &c.DeliveryPartition }),
		boolVar(envPprof, "pprof",
			"Serve Go profiles at /debug/pprof/ beside /metrics (for diagnosis; keep off where that port is public).",
			func(c *Config) *bool { return &c.Pprof }),
	}
}

func stringVar(env, flag string, k kind, redact func(string) string, help string, field func(*Config) *string) spec {
	return spec{
		Var:    Var{Env: env, Flag: flag, Help: help},
		kind:   k,
		redact: redact,
		get:    func(c Config) string { return *field(&c) },
		set:    func(c *Config, v string) error { *field(c) = v; return nil },
	}
}

func boolVar(env, flag, help string, field func(*Config) *bool) spec {
	return spec{
		Var:  Var{Env: env, Flag: flag, Help: help},
		kind: kindBool,
		get:  func(c Config) string { return strconv.FormatBool(*field(&c)) },
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return errors.New("want true or false")
			}
			*field(c) = b
			return nil
		},
	}
}

func intVar(env, flag, help string, field func(*Config) *int) spec {
	return spec{
		Var:  Var{Env: env, Flag: flag, Help: help},
		kind: kindInt,
		get:  func(c Config) string { return strconv.Itoa(*field(&c)) },
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return errors.New("want an integer")
			}
			*field(c) = n
			return nil
		},
	}
}

func durationVar(env, flag, help string, field func(*Config) *time.Duration) spec {
	return spec{
		Var:  Var{Env: env, Flag: flag, Help: help},
		kind: kindDuration,
		get:  func(c Config) string { return field(&c).String() },
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil {
				return errors.New("want a duration such as 30s or 2m")
			}
			*field(c) = d
			return nil
		},
	}
}

func listVar(env, flag, help string, field func(*Config) *[]string) spec {
	return spec{
		Var:  Var{Env: env, Flag: flag, Help: help},
		kind: kindList,
		get:  func(c Config) string { return strings.Join(*field(&c), ",") },
		set: func(c *Config, v string) error {
			var list []string
			for item := range strings.SplitSeq(v, ",") {
				if item = strings.TrimSpace(item); item != "" {
					list = append(list, item)
				}
			}
			*field(c) = list
			return nil
		},
	}
}

// urlMapVar is a caller's endpoint variable, whose value lands in VendorURLs
// under its environment variable's name. An empty value, which only a flag
// can give, removes the entry, so that "-flag=" overrides the environment
// back to the caller's own endpoint.
func urlMapVar(v Var) spec {
	env := v.Env
	return spec{
		Var:  Var{Env: env, Flag: v.Flag, Help: v.Help},
		kind: kindURL,
		get:  func(c Config) string { return c.VendorURLs[env] },
		set: func(c *Config, s string) error {
			if s == "" {
				delete(c.VendorURLs, env)
				return nil
			}
			if c.VendorURLs == nil {
				c.VendorURLs = map[string]string{}
			}
			c.VendorURLs[env] = s
			return nil
		},
	}
}

// tableWith is specs followed by the caller's endpoint variables, in the
// given order. A name used twice is a programming error: the flag package
// would panic on the flag anyway, and a shared environment variable would
// set two values at once.
func tableWith(vendorURLs []Var) []spec {
	table := specs()
	envs, flags := map[string]bool{}, map[string]bool{}
	for _, s := range table {
		envs[s.Env], flags[s.Flag] = true, true
	}
	for _, v := range vendorURLs {
		if v.Env == "" || v.Flag == "" || envs[v.Env] || flags[v.Flag] {
			panic(fmt.Sprintf("config: endpoint variable %s (-%s) is unnamed or already defined", v.Env, v.Flag))
		}
		envs[v.Env], flags[v.Flag] = true, true
		table = append(table, urlMapVar(v))
	}
	return table
}

// defaultsWith is Default plus the Defaults of the caller's endpoint
// variables, which is where Load starts and what Vars and Usage report.
func defaultsWith(vendorURLs []Var) Config {
	c := Default()
	for _, v := range vendorURLs {
		if v.Default != "" {
			if c.VendorURLs == nil {
				c.VendorURLs = map[string]string{}
			}
			c.VendorURLs[v.Env] = v.Default
		}
	}
	return c
}

// Vars returns every configuration variable, in a stable order: the
// built-in ones, then vendorURLs as Load takes them.
func Vars(vendorURLs ...Var) []Var {
	def := defaultsWith(vendorURLs)
	table := tableWith(vendorURLs)
	vars := make([]Var, len(table))
	for i, s := range table {
		vars[i] = s.Var
		vars[i].Default = s.get(def)
	}
	return vars
}

// Usage is the help text for a command that calls Load with this name,
// e.g. "pushd serve", and the same vendorURLs.
func Usage(name string, vendorURLs ...Var) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s [flags]\n\n", name)
	b.WriteString("Each flag can also be set by its environment variable. A flag overrides\n")
	b.WriteString("its variable, which overrides the default.\n\n")
	def := defaultsWith(vendorURLs)
	for _, s := range tableWith(vendorURLs) {
		if s.kind == kindBool {
			fmt.Fprintf(&b, "  -%s[=bool]\n", s.Flag)
		} else {
			fmt.Fprintf(&b, "  -%s %s\n", s.Flag, s.kind)
		}
		fmt.Fprintf(&b, "    \t%s\n", s.Help)
		if d := s.get(def); d != "" {
			if s.quoted() {
				d = strconv.Quote(d)
			}
			fmt.Fprintf(&b, "    \t(env %s, default %s)\n", s.Env, d)
		} else {
			fmt.Fprintf(&b, "    \t(env %s, no default)\n", s.Env)
		}
	}
	return b.String()
}
