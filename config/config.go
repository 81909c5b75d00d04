// Package config is pushd's service configuration: PUSHD_* environment
// variables overridden by command-line flags, over built-in defaults. Every
// variable is declared once, in the table behind Vars, so that loading,
// String, Usage and the documentation cannot drift apart.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is the service configuration. See Vars for the variable and flag
// that set each field.
type Config struct {
	HTTPAddr string
	// MetricsAddr, when set, is a second listener for /metrics and the
	// profiles, and the HTTP port no longer serves them.
	MetricsAddr            string
	DatabaseURL            string
	RedisURL               string
	DataDir                string
	MasterKey              string
	LogFormat              string
	LogLevel               string
	AutoMigrate            bool
	GraphQLIntrospection   bool
	GraphQLComplexityLimit int
	GraphQLTokenLimit      int
	AllowedOrigins         []string
	ShutdownTimeout        time.Duration
	WebSocketInitTimeout   time.Duration
	AdminEmail             string
	AdminPassword          string
	CookieSecure           string
	SessionTTL             time.Duration
	DeviceHeartbeat        time.Duration
	WorkerConcurrency      int
	RedisNamespace         string
	ReconcileAfter         time.Duration
	DeliveryLease          time.Duration
	// DatabaseStatementTimeout bounds every PostgreSQL statement but
	// migrations'; 0 leaves it to the server.
	DatabaseStatementTimeout time.Duration
	// DatabasePoolMode says how a pooler in front of PostgreSQL shares
	// server connections: "session" (or none) or "transaction".
	DatabasePoolMode string
	// DatabaseMaxConns bounds the process's main PostgreSQL pool; the
	// relaxed-commit pool gets half as many.
	DatabaseMaxConns int
	// Admission: request rates and pipeline bounds past which pushes are
	// refused with RATE_LIMITED before anything is written.
	LimitAppRate        int
	LimitKeyRate        int
	AdmitMaxQueueLag    time.Duration
	AdmitMaxQueuedTasks int
	// Throttles (docs/security.md, "Throttles"): device registrations and
	// upgrades per address and app, frames per device socket, GraphQL
	// subscriptions per socket and account. 0 turns one off.
	LimitRegisterAddressRate     int
	LimitRegisterAppRate         int
	LimitConnectAddressRate      int
	LimitDeviceFrameRate         int
	LimitSubscriptionsPerSocket  int
	LimitSubscriptionsPerAccount int
	Pprof                        bool
	// VendorURLs holds the vendor endpoints (for tests, demos and private
	// gateways) of the variables the caller passed to Load, keyed by
	// environment variable name. Only a variable with a non-empty value
	// has an entry, and the map is nil when none has: a missing entry
	// means the vendor's own endpoint. Keeping the names with the caller
	// keeps this package free of any vendor.
	VendorURLs map[string]string
	// EgressAllow lists CIDR blocks outbound connections may reach
	// although they are special-purpose (EgressPrefixes parses it).
	EgressAllow string
	// ProviderCAFile trusts the vendor endpoints' certificates.
	ProviderCAFile string
	// PublicURL is how vendors reach pushd (receipt callbacks).
	PublicURL string
	// ConsoleDir serves the console from a directory instead of the build
	// embedded in the binary (console development, private builds).
	ConsoleDir string
	// WebhookAllowPrivate lets webhooks reach private addresses.
	WebhookAllowPrivate bool
	// Statistics retention: minute rows, then hour rows, then everything.
	StatsMinutes, StatsHours, StatsRetention time.Duration
	// AuditRetention is how long audit records are kept.
	AuditRetention time.Duration
	// DeliveryRetention is how long a delivery is kept after it expires;
	// DeliveryPartition the span of expiries of each partition of the
	// deliveries table on PostgreSQL.
	DeliveryRetention, DeliveryPartition time.Duration
}

// Default returns the configuration used when nothing is set: embedded
// mode, which runs with no external services.
func Default() Config {
	return Config{
		HTTPAddr:               ":8080",
		DataDir:                "./pushd-data",
		LogFormat:              "text",
		LogLevel:               "info",
		AutoMigrate:            true,
		GraphQLComplexityLimit: 2000,
		GraphQLTokenLimit:      15000,
		ShutdownTimeout:        30 * time.Second,
		WebSocketInitTimeout:   5 * time.Second,
		CookieSecure:           "auto",
		DatabasePoolMode:       "session",
		SessionTTL:             12 * time.Hour,
		DeviceHeartbeat:        30 * time.Second,
		WorkerConcurrency:      20,
		RedisNamespace:         "pushd",
		ReconcileAfter:         time.Minute,
		DeliveryLease:          time.Minute,
		LimitAppRate:           2000,
		LimitKeyRate:           1000,
		AdmitMaxQueueLag:       2 * time.Minute,
		AdmitMaxQueuedTasks:    100000,
		// Apps register and connect at every start, so behind one
		// carrier-grade NAT address many devices do both.
		LimitRegisterAddressRate: 20,
		LimitRegisterAppRate:     500,
		LimitConnectAddressRate:  20,
		// Acks and events of messages sent are earned on top, so this
		// bounds only resumes, pings and strays.
		LimitDeviceFrameRate: 100,
		// The console holds one per unfinished job on a page of 25, one
		// for a job's detail and one for live statistics.
		LimitSubscriptionsPerSocket:  100,
		LimitSubscriptionsPerAccount: 500,
		StatsMinutes:                 7 * 24 * time.Hour,
		StatsHours:                   90 * 24 * time.Hour,
		StatsRetention:               730 * 24 * time.Hour,
		AuditRetention:               90 * 24 * time.Hour,
		DeliveryRetention:            30 * 24 * time.Hour,
		DeliveryPartition:            7 * 24 * time.Hour,
		// Long enough for the worker's statements too, which share the
		// connections with the API's when one process runs both.
		DatabaseStatementTimeout: 30 * time.Second,
		DatabaseMaxConns:         20,
	}
}

// Load starts from Default, applies the environment (read through getenv,
// so tests need not touch the process environment; nil means an empty
// one), then the flags in args, then validates. An empty variable counts as
// unset, since getenv cannot tell the two apart.
//
// Each of vendorURLs is one more URL variable, env and flag, whose value
// lands in Config.VendorURLs under its Env; its Default, if any, is the
// value when neither is set. They must not reuse a built-in name.
//
// For -h or -help it returns flag.ErrHelp, for the caller to print Usage.
// On any other error the Config is the zero value, so that a half-applied
// configuration cannot be used by mistake; the error lists every problem
// found, each naming its variable.
func Load(name string, args []string, getenv func(string) string, vendorURLs ...Var) (Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	cfg := defaultsWith(vendorURLs)
	table := tableWith(vendorURLs)

	var errs []error
	for _, s := range table {
		v := getenv(s.Env)
		if v == "" {
			continue
		}
		if err := s.set(&cfg, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: invalid value %s: %w", s.Env, s.quoteInput(v), err))
		}
	}

	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for _, s := range table {
		set := func(v string) error {
			if err := s.set(&cfg, v); err != nil {
				// The flag package prefixes the flag name and value.
				return fmt.Errorf("%w (flag of %s)", err, s.Env)
			}
			return nil
		}
		if s.kind == kindBool {
			fs.BoolFunc(s.Flag, s.Help, set)
		} else {
			fs.Func(s.Flag, s.Help, set)
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, flag.ErrHelp
		}
		return Config{}, errors.Join(append(errs, err)...)
	}
	// Leftover arguments would otherwise be dropped silently; the usual
	// cause is "-auto-migrate false", which sets true and leaves "false".
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("unexpected argument %q (boolean flags take -flag=false)", fs.Arg(0)))
	}

	if err := errors.Join(append(errs, cfg.Validate())...); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Embedded reports whether pushd runs its own SQLite database.
func (c Config) Embedded() bool { return c.DatabaseURL == "" }

// EmbeddedRedis reports whether pushd runs an in-process Redis.
func (c Config) EmbeddedRedis() bool { return c.RedisURL == "" }

// NewLogger returns a logger writing to w in LogFormat at LogLevel. An
// unvalidated, unknown format or level falls back to text or info rather
// than failing, as the logger is what would report the failure.
func (c Config) NewLogger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.slogLevel()}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func (c Config) slogLevel() slog.Level {
	switch c.LogLevel {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// String renders every field as flag=value for a start-up log line, with
// the master key and any password in a URL redacted. VendorURLs entries
// follow as ENV="url", in name order: their flags are the caller's.
func (c Config) String() string {
	var b strings.Builder
	for i, s := range specs() {
		if i > 0 {
			b.WriteByte(' ')
		}
		v := s.get(c)
		if s.redact != nil {
			v = s.redact(v)
		}
		b.WriteString(s.Flag)
		b.WriteByte('=')
		if s.quoted() {
			v = strconv.Quote(v)
		}
		b.WriteString(v)
	}
	for _, env := range slices.Sorted(maps.Keys(c.VendorURLs)) {
		fmt.Fprintf(&b, " %s=%s", env, strconv.Quote(redactURL(c.VendorURLs[env])))
	}
	return b.String()
}

const redacted = "[redacted]"

func redactSecret(v string) string {
	if v == "" {
		return ""
	}
	return redacted
}

// redactURL hides the userinfo password (via url.URL.Redacted) and also
// password query parameters, which libpq accepts as an alternative.
func redactURL(v string) string {
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || u.Opaque != "" {
		// Without a parse there is no telling where a password sits.
		return redacted
	}
	q := u.Query()
	changed := false
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q[k] = []string{"xxxxx"}
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// EgressPrefixes parses EgressAllow: comma-separated CIDR blocks.
func (c *Config) EgressPrefixes() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(c.EgressAllow, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR block such as 10.0.0.0/8 or fd00::/8", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
