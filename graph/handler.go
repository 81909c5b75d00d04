package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
)

// MaxBodyBytes is the largest GraphQL request body accepted (docs/api.md, Limits).
const MaxBodyBytes = 1 << 20

// HandlerConfig configures the /graphql endpoint.
type HandlerConfig struct {
	Service *push.Service
	Auth    *auth.Service
	// Vendors are the vendor channels the registry has.
	Vendors []channel.Vendor
	Logger  *slog.Logger
	// Extensions run before all others (metrics, so they see every
	// operation, also rejected ones).
	Extensions      []graphql.HandlerExtension
	Introspection   bool
	ComplexityLimit int
	TokenLimit      int
	// OriginPatterns are extra browser origins allowed to open
	// subscriptions; the request's own host is always allowed.
	OriginPatterns []string
	InitTimeout    time.Duration
	// RecheckInterval is how often a live subscription's credentials are
	// checked again (default 5 s), so a revoked key or ended session loses
	// its subscriptions within that time.
	RecheckInterval time.Duration
	// SubscriptionsPerSocket and SubscriptionsPerAccount bound the
	// subscriptions held at once by one WebSocket and by one account or
	// API key on this process (0: no limit).
	SubscriptionsPerSocket, SubscriptionsPerAccount int
}

// NewHandler returns the hardened GraphQL handler: POST and GET queries,
// graphql-transport-ws subscriptions, and nothing else (no multipart, no
// SSE); limits on body size, parser tokens, complexity, depth and filters;
// introspection only when enabled.
func NewHandler(cfg HandlerConfig) http.Handler {
	if cfg.RecheckInterval <= 0 {
		cfg.RecheckInterval = 5 * time.Second
	}
	schema := NewSchema(cfg.Service, cfg.Auth, cfg.Vendors)
	srv := handler.New(schema)
	srv.AddTransport(transport.Websocket{
		InitFunc: initFunc(cfg.Auth, cfg.RecheckInterval, cfg.Logger,
			newSubscriptionLimits(cfg.SubscriptionsPerSocket, cfg.SubscriptionsPerAccount)),
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{OriginPatterns: cfg.OriginPatterns},
		},
		InitTimeout:           cfg.InitTimeout,
		KeepAlivePingInterval: 15 * time.Second,
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	cache := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(cache)
	srv.SetParserTokenLimit(cfg.TokenLimit)
	srv.SetDisableSuggestion(!cfg.Introspection)
	for _, ext := range cfg.Extensions {
		srv.Use(ext)
	}
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(subscriptionsOnly{})
	srv.Use(depthLimit{})
	// After depthLimit, which bounds the selections it walks.
	srv.Use(filterBudget{schema: schema.Schema(), cache: cache, tokenLimit: cfg.TokenLimit})
	srv.Use(extension.FixedComplexityLimit(cfg.ComplexityLimit))
	// Last: what it counts must not be refused after it.
	srv.Use(subscriptionLimit{})
	srv.SetErrorPresenter(presentError(cfg.Logger))
	srv.SetRecoverFunc(recoverPanic(cfg.Logger))
	return srv
}

// bodyReadTimeout bounds how long a client may take to send its body, so
// a slow drip cannot hold a connection (headers have their own limit).
const bodyReadTimeout = 30 * time.Second

// LimitBody rejects bodies over MaxBodyBytes with a coded GraphQL error
// before any parsing or authentication, for every method and whether or
// not the client sent Content-Length. WebSocket upgrades have no body;
// their messages have a limit of their own.
func LimitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > MaxBodyBytes {
			tooLarge(w)
			return
		}
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyReadTimeout))
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
		if err != nil {
			writeError(w, http.StatusBadRequest, core.CodeInvalidArgument, "could not read request body")
			return
		}
		if len(body) > MaxBodyBytes {
			tooLarge(w)
			return
		}
		_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func tooLarge(w http.ResponseWriter) {
	writeError(w, http.StatusRequestEntityTooLarge, core.CodeInvalidArgument,
		fmt.Sprintf("request body exceeds %d bytes", MaxBodyBytes))
}

func writeError(w http.ResponseWriter, status int, code core.Code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}
