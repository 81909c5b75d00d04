// Package auth authenticates callers and puts their principal in the
// request context (see package tenant): backends by pushd-sig-v1 signed
// requests with API keys (auth/signature), console users by sessions. It
// manages keys, accounts and memberships, and keeps secrets sealed at rest
// (auth/seal).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"github.com/redis/go-redis/v9"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// ErrUnauthenticated is the one answer to every failed authentication:
// callers never learn which check failed.
var ErrUnauthenticated = &core.Error{Code: core.CodeUnauthenticated, Message: "authentication required"}

// Config configures the Service.
type Config struct {
	Client *ent.Client
	Sealer *seal.Sealer
	Redis  redis.UniversalClient
	Logger *slog.Logger
	// Clock defaults to time.Now.
	Clock func() time.Time
	// SessionTTL is how long a console login lasts (default 12 h).
	SessionTTL time.Duration
	// RedisPrefix starts every Redis key of this service (default
	// "pushd:"); tests give each service its own.
	RedisPrefix string
	// Dialect is the database's (entgo.io/ent/dialect), default postgres:
	// rows that the last-owner and last-admin rules count are locked on
	// PostgreSQL (SQLite runs one writer at a time).
	Dialect string
}

// Service authenticates backends (signed requests with API keys) and
// console users (accounts and sessions), and manages keys, accounts and
// memberships.
type Service struct {
	client     *ent.Client
	sealer     *seal.Sealer
	redis      redis.UniversalClient
	log        *slog.Logger
	now        func() time.Time
	sessionTTL time.Duration
	prefix     string
	lockRows   bool
	// dummyHash is checked against when an email is unknown, so that a
	// login takes as long whether or not the account exists. Made on first
	// use: it costs an argon2id computation that start-up need not pay.
	dummyHash func() string
	// hashSlots bounds concurrent password checks: each argon2id
	// computation takes 19 MiB, and logins need no credentials to start.
	hashSlots chan struct{}
}

// NewService returns a Service.
func NewService(cfg Config) (*Service, error) {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.RedisPrefix == "" {
		cfg.RedisPrefix = "pushd:"
	}
	return &Service{
		client:     cfg.Client,
		sealer:     cfg.Sealer,
		redis:      cfg.Redis,
		log:        cfg.Logger,
		now:        cfg.Clock,
		sessionTTL: cfg.SessionTTL,
		prefix:     cfg.RedisPrefix,
		lockRows:   cfg.Dialect == "" || cfg.Dialect == dialect.Postgres,
		hashSlots:  make(chan struct{}, maxConcurrentHashes),
		dummyHash: sync.OnceValue(func() string {
			h, _ := HashPassword(randomToken(16)) // fails only if crypto/rand does
			return h
		}),
	}, nil
}

// randomToken returns n random bytes as unpadded base64url.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// randomID returns n random bytes as lowercase base32, for identifiers
// people read and paste.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func sha(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func principalOf(ctx context.Context) (tenant.Principal, error) {
	p, ok := tenant.FromContext(ctx)
	if !ok {
		return p, ErrUnauthenticated
	}
	return p, nil
}

func isNotFound(err error) bool {
	var nf *ent.NotFoundError
	return errors.As(err, &nf)
}

// maxConcurrentHashes is how many password checks run at once; others wait.
const maxConcurrentHashes = 4

// checkPassword runs CheckPassword in one of the bounded slots.
func (s *Service) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	select {
	case s.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-s.hashSlots }()
	ok, _ := CheckPassword(hash, password) // a malformed stored hash is a failed login
	return ok, nil
}
