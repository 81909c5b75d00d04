package main

import (
	"context"
	"time"

	"github.com/pushd/pushd/push/deliver"
	"github.com/pushd/pushd/push/stats"
	"github.com/pushd/pushd/worker"
)

// newWorker builds the worker role: the queue worker that runs the
// pipeline's tasks (it finishes the running ones when it stops, up to
// PUSHD_SHUTDOWN_TIMEOUT) and the pipeline's periodic work.
func (w *wiring) newWorker() (tasks, maintenance component) {
	wk := worker.New(worker.Config{
		Redis: w.stores.RedisOpt, Logger: w.log, Concurrency: w.cfg.WorkerConcurrency,
		ShutdownTimeout: w.cfg.ShutdownTimeout, Registry: w.metrics.Registry, Namespace: w.cfg.RedisNamespace,
	})
	wk.RegisterPipeline(w.svc)
	worker.RegisterDeliveryStates(w.metrics.Registry, w.svc)
	cfg := worker.MaintenanceConfig{
		Stall:          w.cfg.ReconcileAfter,
		StatsRetention: stats.Retention{Minutes: w.cfg.StatsMinutes, Hours: w.cfg.StatsHours, All: w.cfg.StatsRetention},
		AuditRetention: w.cfg.AuditRetention,
		OnLeases:       func(st deliver.LeaseStats) { w.sends.ObserveLeases("expired", st) },
		KeepHistory:    w.keepHistory,
	}
	return component{name: "worker", run: wk.Run}, component{name: "maintenance", run: func(ctx context.Context) error {
		worker.RunMaintenance(ctx, w.svc, cfg, w.log)
		return nil
	}}
}

// keepHistory applies the delivery history's retention and says what went.
func (w *wiring) keepHistory(ctx context.Context) error {
	kept, err := w.stores.KeepHistory(ctx, time.Now())
	if len(kept.Partitions)+kept.Deliveries+kept.Jobs > 0 {
		w.log.InfoContext(ctx, "delivery history past retention deleted", "partitions", kept.Partitions,
			"deliveries", kept.Deliveries, "jobs", kept.Jobs)
	}
	return err
}

// releaseLeases gives back whatever this process still holds (a send cut
// off by the shutdown timeout): it goes back to PENDING now, with its
// sends queued for the other workers, instead of waiting for its lease
// to lapse. It runs once the worker has stopped (or at once, in a process
// without the worker role), after the sends of accepted requests.
func (w *wiring) releaseLeases(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := w.svc.Delivery().ReleaseLeases(ctx)
	if err != nil {
		w.log.ErrorContext(ctx, "release delivery leases", "err", err)
		return
	}
	if st.Returned+st.Failed > 0 {
		w.log.WarnContext(ctx, "released the deliveries this process was sending", "pending", st.Returned, "failed", st.Failed)
		w.sends.ObserveLeases("released", st)
	}
}
