package main

import (
	"context"
	"log/slog"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/metrics"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/server"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/worker"
)

// wiring is a serving pushd while serve wires it: the open stores, what
// every role shares, and what closes when it exits.
type wiring struct {
	cfg   config.Config
	roles server.Roles
	log   *slog.Logger

	stores  *store.Stores
	metrics *metrics.Metrics
	sends   *worker.SendMetrics
	router  *gateway.Router
	svc     *push.Service
	vendors *provider.Registry
	authn   *auth.Service
	// addr is where the main listener is bound.
	addr string

	closers []func()
}

// prefix starts every Redis key of this deployment.
func (w *wiring) prefix() string { return w.cfg.RedisNamespace + ":" }

// onClose adds f to what closes at exit. They close in reverse order, so
// the stores, opened first, close last.
func (w *wiring) onClose(f func()) { w.closers = append(w.closers, f) }

func (w *wiring) close() {
	for i := len(w.closers) - 1; i >= 0; i-- {
		w.closers[i]()
	}
}

// stopping logs why the process stops: a signal, or a failed component
// (whose error serve returns once everything stopped).
func (w *wiring) stopping(ctx context.Context) func(cause error) {
	return func(cause error) {
		timeout := w.cfg.ShutdownTimeout.String()
		if ctx.Err() == nil {
			w.log.ErrorContext(ctx, "pushd shutting down: a component failed", "err", cause, "timeout", timeout)
			return
		}
		w.log.InfoContext(ctx, "pushd shutting down", "timeout", timeout)
	}
}
