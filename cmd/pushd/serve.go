package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/metrics"
	"github.com/pushd/pushd/server"
	"github.com/pushd/pushd/worker"
)

// serve runs the given roles until ctx ends or one of their components
// fails, then shuts down gracefully: readiness fails first, the listener
// stops taking connections, in-flight requests and tasks finish (up to
// PUSHD_SHUTDOWN_TIMEOUT), then the stores close. The first component to
// fail is serve's error, named after it, so that the process exits with
// it instead of serving without the part that failed.
func serve(ctx context.Context, cfg config.Config, roles server.Roles, log *slog.Logger) error {
	started := time.Now()
	log.InfoContext(ctx, "pushd starting", "version", version, "config", cfg.String())
	reg := metrics.New()
	w := &wiring{cfg: cfg, roles: roles, log: log, metrics: reg, sends: worker.NewSendMetrics(reg.Registry)}
	defer w.close()
	if err := w.openStores(ctx); err != nil {
		return err
	}
	if err := w.newDomain(ctx); err != nil {
		return err
	}
	stages, err := w.stages(ctx)
	if err != nil {
		return err
	}
	log.InfoContext(ctx, "pushd listening",
		"addr", w.addr, "api", roles.API, "worker", roles.Worker, "gateway", roles.Gateway,
		"startup", time.Since(started).Round(time.Millisecond).String())
	if err := runStages(ctx, stages, w.stopping(ctx)); err != nil {
		return err
	}
	log.InfoContext(ctx, "pushd stopped")
	return nil
}

// stages are the components of the roles in the order they stop: the
// main listener (then the sends its requests started), the worker (then
// the leases this process still holds), and last what the others lean
// on while they stop: the gateway hub with its device connections, the
// periodic work and the metrics listener.
func (w *wiring) stages(ctx context.Context) ([]stage, error) {
	var last []component
	var devices *gateway.API
	if w.roles.Gateway {
		var hub component
		hub, devices = w.newGateway()
		last = append(last, hub)
	}
	front, ops, err := w.listeners(ctx, w.newServer(devices))
	if err != nil {
		return nil, err
	}
	if ops != nil {
		last = append(last, *ops)
	}
	var workers []component
	if w.roles.Worker {
		tasks, maintenance := w.newWorker()
		workers = append(workers, tasks)
		last = append(last, maintenance)
	}
	return []stage{
		{components: []component{front}, then: func(context.Context) { w.svc.Drain() }},
		{components: workers, then: w.releaseLeases},
		{components: last},
	}, nil
}
