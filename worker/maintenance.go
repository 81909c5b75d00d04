package worker

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/pushd/pushd/audit"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/stats"
)

// MaintenanceConfig sets the periodic work of the pipeline.
type MaintenanceConfig struct {
	// Stall is how long a job may make no progress before the reconciler
	// restarts it.
	Stall time.Duration
	// Tick scales every period (tests shorten it); default 1s.
	Tick time.Duration
	// RedeliverAfter is how long a message on the WebSocket channel may
	// stay unacknowledged before it is handed to the gateway again.
	RedeliverAfter time.Duration
	// StatsRetention is how long statistics are kept at each width
	// (default stats.DefaultRetention).
	StatsRetention stats.Retention
	// AuditRetention is how long audit records are kept (default
	// audit.DefaultRetention).
	AuditRetention time.Duration
	// OnLeases, if set, hears what each lease sweep took back (metrics).
	OnLeases func(push.LeaseStats)
}

// RunMaintenance runs the pipeline's periodic work until ctx ends: the
// outbox relay, the progress refresher, the expiry sweeper, the lease
// sweeper, the scheduler of recurring pushes and the reconciler. Every step is safe to run on
// several nodes at once.
func RunMaintenance(ctx context.Context, svc *push.Service, cfg MaintenanceConfig, log *slog.Logger) {
	if cfg.Stall <= 0 {
		cfg.Stall = time.Minute
	}
	if cfg.Tick <= 0 {
		cfg.Tick = time.Second
	}
	if cfg.RedeliverAfter <= 0 {
		cfg.RedeliverAfter = 10 * time.Second
	}
	loops := []struct {
		name  string
		every time.Duration
		run   func(context.Context) error
	}{
		{"roll up statistics", 600 * cfg.Tick, func(ctx context.Context) error {
			r := cfg.StatsRetention
			if r.Minutes <= 0 || r.Hours <= 0 || r.All <= 0 {
				r = stats.DefaultRetention
			}
			_, err := svc.Stats().RollUp(ctx, r)
			return err
		}},
		{"prune audit log", 600 * cfg.Tick, func(ctx context.Context) error {
			_, err := audit.Prune(ctx, svc.Client(), cfg.AuditRetention, time.Now())
			return err
		}},
		{"relay outbox", cfg.Tick, func(ctx context.Context) error {
			_, err := svc.Outbox().RelayPending(ctx, 2*cfg.Tick, 500)
			return err
		}},
		{"refresh jobs", cfg.Tick, func(ctx context.Context) error {
			for {
				n, err := svc.RefreshMarked(ctx, 100)
				if err != nil || n < 100 {
					return err
				}
			}
		}},
		{"fire schedules", cfg.Tick, func(ctx context.Context) error {
			_, err := svc.FireDue(ctx, 100)
			return err
		}},
		{"expire deliveries", 5 * cfg.Tick, func(ctx context.Context) error {
			for {
				n, err := svc.ExpireDue(ctx, 5000)
				if err != nil || n < 5000 {
					return err
				}
			}
		}},
		{"sweep lapsed leases", 2 * cfg.Tick, func(ctx context.Context) error {
			for {
				st, err := svc.SweepLeases(ctx, 5000)
				if st.Returned+st.Failed > 0 {
					log.WarnContext(ctx, "lease sweeper took back deliveries whose sender stopped answering",
						"pending", st.Returned, "failed", st.Failed)
					if cfg.OnLeases != nil {
						cfg.OnLeases(st)
					}
				}
				if err != nil || st.Returned+st.Failed < 5000 {
					return err
				}
			}
		}},
		{"redeliver unacknowledged", 2 * cfg.Tick, func(ctx context.Context) error {
			for {
				n, err := svc.RedeliverSelf(ctx, cfg.RedeliverAfter, 500)
				if err != nil || n < 500 {
					return err
				}
			}
		}},
		{"reconcile jobs", max(cfg.Stall/4, cfg.Tick), func(ctx context.Context) error {
			restarted, err := svc.Reconcile(ctx, cfg.Stall)
			if len(restarted) > 0 {
				log.WarnContext(ctx, "reconciler restarted stalled jobs", "jobs", restarted)
			}
			if err != nil {
				return err
			}
			retried, err := svc.RetryLost(ctx, cfg.Stall, 5000)
			if retried > 0 {
				log.WarnContext(ctx, "reconciler queued lost vendor retries again", "deliveries", retried)
			}
			if err != nil {
				return err
			}
			hooks, err := svc.Hooks().RetryLost(ctx, 1000)
			if hooks > 0 {
				log.WarnContext(ctx, "reconciler queued lost webhook batches again", "batches", hooks)
			}
			return err
		}},
	}
	var wg sync.WaitGroup
	for _, l := range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(l.every)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					if err := l.run(ctx); err != nil && ctx.Err() == nil {
						log.WarnContext(ctx, "maintenance: "+l.name, "err", err)
					}
				}
			}
		}()
	}
	wg.Wait()
}
