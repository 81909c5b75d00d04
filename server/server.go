// Package server assembles pushd's one HTTP listener: GraphQL, the device
// gateway, health and metrics, by the roles a process runs.
package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"sync/atomic"
	"time"

	gqlgraphql "github.com/99designs/gqlgen/graphql"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/graph"
	"github.com/pushd/pushd/metrics"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/web"
)

// Roles are the parts of pushd one process runs.
type Roles struct {
	API, Worker, Gateway bool
}

// Pinger checks the stores for readiness.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are what the handler needs.
type Deps struct {
	Config  config.Config
	Logger  *slog.Logger
	Stores  Pinger
	Service *push.Service
	Auth    *auth.Service
	// Devices is the device API, served by the gateway role.
	Devices *gateway.API
	// Receipts are the vendors' receipt callbacks, served by the API and
	// gateway roles.
	Receipts *provider.Receipts
	// Vendors are the vendor channels the API describes.
	Vendors []channel.Vendor
	Metrics *metrics.Metrics
	Roles   Roles
	Version string
	// SubscriptionRecheck overrides how often live subscriptions re-check
	// their credentials (tests shorten it).
	SubscriptionRecheck time.Duration
}

// Server is the HTTP surface of one pushd process.
type Server struct {
	handler  http.Handler
	ops      http.Handler // /metrics and profiles on their own listener; nil: on handler
	draining atomic.Bool
	deps     Deps
}

// New builds the routes for deps.Roles.
func New(deps Deps) *Server {
	s := &Server{deps: deps}
	m := deps.Metrics
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", m.HTTP("/healthz", http.HandlerFunc(s.healthz)))
	mux.Handle("GET /readyz", m.HTTP("/readyz", http.HandlerFunc(s.readyz)))
	ops := mux
	if deps.Config.MetricsAddr != "" {
		ops = http.NewServeMux()
		s.ops = ops
		// Not the console's pages either: the paths answer 404 here.
		mux.Handle("/metrics", http.NotFoundHandler())
		mux.Handle("/debug/pprof/", http.NotFoundHandler())
	}
	ops.Handle("GET /metrics", m.Handler())
	if deps.Config.Pprof {
		ops.HandleFunc("GET /debug/pprof/", pprof.Index)
		ops.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		ops.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	if deps.Roles.API {
		gql := graph.NewHandler(graph.HandlerConfig{
			Service:                 deps.Service,
			Auth:                    deps.Auth,
			Vendors:                 deps.Vendors,
			Logger:                  deps.Logger,
			Extensions:              []gqlgraphql.HandlerExtension{m.GraphQL()},
			Introspection:           deps.Config.GraphQLIntrospection,
			ComplexityLimit:         deps.Config.GraphQLComplexityLimit,
			TokenLimit:              deps.Config.GraphQLTokenLimit,
			OriginPatterns:          deps.Config.AllowedOrigins,
			InitTimeout:             deps.Config.WebSocketInitTimeout,
			RecheckInterval:         deps.SubscriptionRecheck,
			SubscriptionsPerSocket:  deps.Config.LimitSubscriptionsPerSocket,
			SubscriptionsPerAccount: deps.Config.LimitSubscriptionsPerAccount,
		})
		// Size first (cheapest), then identity, then GraphQL.
		mode := auth.CookieMode(deps.Config.CookieSecure)
		mux.Handle("/graphql", m.HTTP("/graphql", graph.LimitBody(deps.Auth.Middleware(mode, gql))))
	}
	if deps.Roles.Gateway && deps.Devices != nil {
		deps.Devices.Routes(mux, m.HTTP)
	}
	if deps.Receipts != nil && (deps.Roles.API || deps.Roles.Gateway) {
		deps.Receipts.Routes(mux, m.HTTP)
	}
	if deps.Roles.API {
		// The console: every other GET path is a page of the app. The
		// pattern has no method because /graphql has none either.
		var consoleFS fs.FS // nil: the embedded build
		if dir := deps.Config.ConsoleDir; dir != "" {
			consoleFS = os.DirFS(dir)
		}
		console := web.Handler(consoleFS)
		mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				http.NotFound(w, r)
				return
			}
			console.ServeHTTP(w, r)
		}))
	} else {
		mux.Handle("GET /{$}", http.HandlerFunc(s.index))
	}
	s.handler = mux
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Operations is the handler for Config.MetricsAddr (metrics and profiles),
// or nil when they are served by ServeHTTP.
func (s *Server) Operations() http.Handler { return s.ops }

// Drain makes /readyz fail so load balancers stop sending new work while
// in-flight requests finish.
func (s *Server) Drain() { s.draining.Store(true) }

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "draining"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.deps.Stores.Ping(ctx); err != nil {
		// The details (hosts, driver errors) go to the log, not to whoever
		// can reach the probe.
		s.deps.Logger.WarnContext(ctx, "not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready"})
}

func (s *Server) index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "pushd %s\n\nGraphQL API: POST /graphql\nDevice API: /device/v1\nHealth: /healthz, /readyz\nMetrics: /metrics\n", s.deps.Version)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
