package worker

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/pushd/pushd/audit"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/deliver"
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
	// KeepHistory, if set, applies the delivery history's retention (and
	// makes the coming partitions of deliveries).
	KeepHistory func(context.Context) error
	// OnLeases, if set, hears what each lease sweep took back (metrics).
	OnLeases func(deliver.LeaseStats)
}

// RunMaintenance runs the pipeline's periodic work until ctx ends: the
// outbox relay, the progress refresher, the expiry sweeper, the lease
// sweeper, the scheduler of recurring pushes and the reconciler. Every step is safe to run on
// several nodes at once.
func RunMaintenance(ctx context.Context, svc *push.Service, cfg MaintenanceConfig, log *slog.Logger) {
	m := &maintenance{svc: svc, cfg: cfg.withDefaults(), log: log}
	var wg sync.WaitGroup
	for _, j := range m.jobs() {
		wg.Go(func() { j.loop(ctx, log) })
	}
	wg.Wait()
}

// withDefaults fills in the periods left zero.
func (cfg MaintenanceConfig) withDefaults() MaintenanceConfig {
	if cfg.Stall <= 0 {
		cfg.Stall = time.Minute
	}
	if cfg.Tick <= 0 {
		cfg.Tick = time.Second
	}
	if cfg.RedeliverAfter <= 0 {
		cfg.RedeliverAfter = 10 * time.Second
	}
	return cfg
}

// maintenanceJob is one periodic step: run every so often, its failures
// logged under its name.
type maintenanceJob struct {
	name  string
	every time.Duration
	run   func(context.Context) error
}

// loop runs the job on its ticker until ctx ends.
func (j maintenanceJob) loop(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(j.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := j.run(ctx); err != nil && ctx.Err() == nil {
				log.WarnContext(ctx, "maintenance: "+j.name, "err", err)
			}
		}
	}
}

// maintenance holds what the periodic steps share.
type maintenance struct {
	svc *push.Service
	cfg MaintenanceConfig
	log *slog.Logger
}

// jobs is the table of periodic steps and their periods.
func (m *maintenance) jobs() []maintenanceJob {
	tick := m.cfg.Tick
	return []maintenanceJob{
		{"roll up statistics", 600 * tick, m.rollUpStats},
		{"prune audit log", 600 * tick, m.pruneAudit},
		{"keep delivery history", 600 * tick, m.keepHistory},
		{"relay outbox", tick, m.relayOutbox},
		{"refresh jobs", tick, m.refreshJobs},
		{"fire schedules", tick, m.fireSchedules},
		{"expire deliveries", 5 * tick, m.expireDeliveries},
		{"prune quota counts", 60 * tick, m.pruneQuotaUses},
		{"sweep lapsed leases", 2 * tick, m.sweepLeases},
		{"redeliver unacknowledged", 2 * tick, m.redeliver},
		{"reconcile jobs", max(m.cfg.Stall/4, tick), m.reconcile},
	}
}

// untilShort runs batch until it fails or handles fewer than limit items,
// so a backlog is worked off within one tick.
func untilShort(limit int, batch func() (int, error)) error {
	for {
		n, err := batch()
		if err != nil || n < limit {
			return err
		}
	}
}

func (m *maintenance) rollUpStats(ctx context.Context) error {
	r := m.cfg.StatsRetention
	if r.Minutes <= 0 || r.Hours <= 0 || r.All <= 0 {
		r = stats.DefaultRetention
	}
	_, err := m.svc.Stats().RollUp(ctx, r)
	return err
}

func (m *maintenance) pruneAudit(ctx context.Context) error {
	_, err := audit.Prune(ctx, m.svc.Client(), m.cfg.AuditRetention, time.Now())
	return err
}

func (m *maintenance) keepHistory(ctx context.Context) error {
	if m.cfg.KeepHistory == nil {
		return nil
	}
	return m.cfg.KeepHistory(ctx)
}

func (m *maintenance) relayOutbox(ctx context.Context) error {
	_, err := m.svc.Outbox().RelayPending(ctx, 2*m.cfg.Tick, 500)
	return err
}

func (m *maintenance) refreshJobs(ctx context.Context) error {
	return untilShort(100, func() (int, error) { return m.svc.RefreshMarked(ctx, 100) })
}

func (m *maintenance) fireSchedules(ctx context.Context) error {
	_, err := m.svc.FireDue(ctx, 100)
	return err
}

func (m *maintenance) expireDeliveries(ctx context.Context) error {
	return untilShort(5000, func() (int, error) { return m.svc.Delivery().ExpireDue(ctx, 5000) })
}

func (m *maintenance) pruneQuotaUses(ctx context.Context) error {
	return untilShort(5000, func() (int, error) { return m.svc.Delivery().PruneQuotaUses(ctx, 5000) })
}

func (m *maintenance) sweepLeases(ctx context.Context) error {
	return untilShort(5000, func() (int, error) {
		st, err := m.svc.Delivery().SweepLeases(ctx, 5000)
		if st.Returned+st.Failed > 0 {
			m.log.WarnContext(ctx, "lease sweeper took back deliveries whose sender stopped answering",
				"pending", st.Returned, "failed", st.Failed)
			if m.cfg.OnLeases != nil {
				m.cfg.OnLeases(st)
			}
		}
		return st.Returned + st.Failed, err
	})
}

func (m *maintenance) redeliver(ctx context.Context) error {
	return untilShort(500, func() (int, error) { return m.svc.Delivery().RedeliverSelf(ctx, m.cfg.RedeliverAfter, 500) })
}

// reconcile restarts stalled jobs, then queues again the vendor retries
// and webhook batches whose task was lost; it stops at the first failure.
func (m *maintenance) reconcile(ctx context.Context) error {
	restarted, err := m.svc.Reconcile(ctx, m.cfg.Stall)
	if len(restarted) > 0 {
		m.log.WarnContext(ctx, "reconciler restarted stalled jobs", "jobs", restarted)
	}
	if err != nil {
		return err
	}
	retried, err := m.svc.RetryLost(ctx, m.cfg.Stall, 5000)
	if retried > 0 {
		m.log.WarnContext(ctx, "reconciler queued lost vendor retries again", "deliveries", retried)
	}
	if err != nil {
		return err
	}
	hooks, err := m.svc.Hooks().RetryLost(ctx, 1000)
	if hooks > 0 {
		m.log.WarnContext(ctx, "reconciler queued lost webhook batches again", "batches", hooks)
	}
	return err
}
