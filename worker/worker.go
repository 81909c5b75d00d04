// Package worker runs pushd's background work on Asynq: task types,
// constructors and handlers that decode a task and call the push domain.
package worker

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pushd/pushd/pipeline"
)

// Config configures the worker.
type Config struct {
	// Redis is how asynq reaches pushd's Redis, in any topology
	// (store.Stores.RedisOpt).
	Redis           asynq.RedisConnOpt
	Logger          *slog.Logger
	Concurrency     int
	ShutdownTimeout time.Duration
	// Namespace starts the names of pushd's queues ("pushd" → "pushd:critical").
	Namespace string
	// Registry receives the worker's metrics; nil keeps them private.
	Registry prometheus.Registerer
}

// Worker processes queued tasks until stopped.
type Worker struct {
	srv *asynq.Server
	mux *asynq.ServeMux
	log *slog.Logger
}

// New returns a worker. Handlers are registered on it before Start.
func New(cfg Config) *Worker {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 20
	}
	srv := asynq.NewServer(cfg.Redis, asynq.Config{
		Concurrency: cfg.Concurrency,
		// Single pushes must not wait behind a broadcast's fan-out, so
		// they get most of the worker's attention.
		Queues: map[string]int{
			QueueName(cfg.Namespace, pipeline.QueueCritical): 6,
			QueueName(cfg.Namespace, pipeline.QueueDefault):  3,
			QueueName(cfg.Namespace, pipeline.QueueLow):      1,
		},
		RetryDelayFunc: retryDelay,
		// Poll often: a push waits at most this long for a free worker.
		TaskCheckInterval: 100 * time.Millisecond,
		ShutdownTimeout:   cfg.ShutdownTimeout,
		Logger:            asynqLogger{cfg.Logger},
		LogLevel:          asynq.WarnLevel,
	})
	if cfg.Registry != nil {
		cfg.Registry.MustRegister(newQueueCollector(cfg.Redis, cfg.Namespace))
	}
	return &Worker{srv: srv, mux: asynq.NewServeMux(), log: cfg.Logger}
}

// Handle registers the handler of one task type.
func (w *Worker) Handle(taskType string, h asynq.Handler) { w.mux.Handle(taskType, h) }

// Start begins processing in the background.
func (w *Worker) Start() error {
	if err := w.srv.Start(w.mux); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	return nil
}

// Shutdown stops taking tasks and waits for running ones, up to the
// configured timeout; unfinished tasks go back to the queue.
func (w *Worker) Shutdown(context.Context) { w.srv.Shutdown() }

// Run processes tasks until ctx ends, then shuts down as Shutdown does.
func (w *Worker) Run(ctx context.Context) error {
	if err := w.Start(); err != nil {
		return err
	}
	<-ctx.Done()
	w.Shutdown(context.WithoutCancel(ctx))
	return nil
}

// RedisConnOpt returns o: asynq's options now come from store.Stores
// whatever the Redis topology, so there is nothing left to convert.
//
// Deprecated: pass the asynq.RedisConnOpt itself.
func RedisConnOpt(o asynq.RedisConnOpt) asynq.RedisConnOpt { return o }

// asynqLogger adapts slog to asynq's logger interface.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...), "component", "asynq") }

// Fatal is called by asynq on unrecoverable errors; pushd logs and lets
// the process's own shutdown path decide, instead of exiting from a library.
func (a asynqLogger) Fatal(args ...any) {
	a.l.Error(fmt.Sprint(args...), "component", "asynq", "fatal", true)
}
