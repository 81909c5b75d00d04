package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/pushd/pushd/admission"
	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/metrics"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/pubsub"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/server"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/webhook"
	"github.com/pushd/pushd/worker"
)

func openStores(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.Stores, error) {
	return store.Open(ctx, store.Options{
		DatabaseURL:      cfg.DatabaseURL,
		RedisURL:         cfg.RedisURL,
		DataDir:          cfg.DataDir,
		StatementTimeout: cfg.DatabaseStatementTimeout,
	}, log)
}

func migrate(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	stores, err := openStores(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stores.Close()
	if err := stores.Migrate(ctx); err != nil {
		return err
	}
	log.InfoContext(ctx, "schema is up to date", "dialect", stores.Dialect)
	return nil
}

// loadSealer returns the sealer of secrets at rest. In the embedded mode
// without PUSHD_MASTER_KEY, a key is generated into the data dir once.
func loadSealer(ctx context.Context, cfg config.Config, log *slog.Logger) (*seal.Sealer, error) {
	var key []byte
	if cfg.MasterKey != "" {
		k, err := seal.ParseKey(cfg.MasterKey)
		if err != nil {
			return nil, fmt.Errorf("PUSHD_MASTER_KEY: %w", err)
		}
		key = k
	} else {
		path := filepath.Join(cfg.DataDir, "master.key")
		k, created, err := seal.LoadOrCreateKeyFile(path)
		if err != nil {
			return nil, fmt.Errorf("master key: %w", err)
		}
		if created {
			log.WarnContext(ctx, "generated a master key for the embedded mode; back it up with the data dir", "path", path)
		}
		key = k
	}
	return seal.New(key)
}

// ensureAdmin makes sure the console can be logged into. The one-time
// password of a first start is shown once, on stderr through the log.
func ensureAdmin(ctx context.Context, cfg config.Config, authn *auth.Service, log *slog.Logger) error {
	oneTime, err := authn.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword)
	if err != nil {
		return err
	}
	if oneTime != "" {
		log.WarnContext(ctx, "created the console admin; this password is shown only now: log in with it and change it (or set PUSHD_ADMIN_EMAIL and PUSHD_ADMIN_PASSWORD)",
			"email", auth.FirstAdminEmail, "password", oneTime)
	}
	return nil
}

// serve runs the given roles until ctx ends, then shuts down gracefully:
// readiness fails first, the listener stops taking connections, in-flight
// requests and tasks finish (up to PUSHD_SHUTDOWN_TIMEOUT), then the stores
// close.
func serve(ctx context.Context, cfg config.Config, roles server.Roles, log *slog.Logger) error {
	started := time.Now()
	log.InfoContext(ctx, "pushd starting", "version", version, "config", cfg.String())
	stores, err := openStores(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stores.Close()
	if cfg.AutoMigrate {
		if err := stores.Migrate(ctx); err != nil {
			return err
		}
	}
	sealer, err := loadSealer(ctx, cfg, log)
	if err != nil {
		return err
	}
	prefix := cfg.RedisNamespace + ":"
	router := gateway.NewRouter(stores.Redis, prefix)
	queue := worker.NewQueue(stores.RedisOpt, cfg.RedisNamespace)
	defer queue.Close()
	cas, err := provider.LoadRootCAs(cfg.ProviderCAFile)
	if err != nil {
		return err
	}
	allow, err := cfg.EgressPrefixes()
	if err != nil {
		return err
	}
	channels := provider.New(provider.Config{
		Endpoints: provider.Endpoints{
			APNsProduction: cfg.APNsProductionURL, APNsSandbox: cfg.APNsSandboxURL, FCM: cfg.FCMURL, FCMAuth: cfg.FCMAuthURL,
			Huawei: cfg.HuaweiURL, HuaweiAuth: cfg.HuaweiAuthURL, Xiaomi: cfg.XiaomiURL,
		},
		RootCAs: cas,
		Egress:  egress.Policy{Allow: allow},
		Logger:  log,
	})
	defer channels.Close()
	reg := metrics.New()
	sendMetrics := worker.NewSendMetrics(reg.Registry)
	marks := pubsub.NewJobMarks(stores.Redis, prefix)
	reg.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "pushd_jobs_awaiting_refresh",
		Help: "Jobs whose deliveries changed and wait for their counts, statistics and receipts (refreshed about once a second).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := marks.Len(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
	var admit push.Admission
	if roles.API {
		load, closeLoad := worker.QueueLoad(stores.RedisOpt, cfg.RedisNamespace)
		defer closeLoad() //nolint:errcheck // closing at exit
		admit = admission.New(admission.Config{
			Redis: stores.Redis, Prefix: prefix, Load: load, Logger: log, Registry: reg.Registry,
			Limits: admission.Limits{
				AppPerSecond: cfg.LimitAppRate, KeyPerSecond: cfg.LimitKeyRate,
				MaxQueueLag: cfg.AdmitMaxQueueLag, MaxQueuedTasks: cfg.AdmitMaxQueuedTasks,
			},
		})
	}
	svc := push.NewService(push.Config{
		Admission:     admit,
		OnSend:        sendMetrics.Observe,
		Webhooks:      webhook.New(egress.Policy{Allow: allow, Any: cfg.WebhookAllowPrivate}),
		WebhookEgress: egress.Policy{Allow: allow, Any: cfg.WebhookAllowPrivate},
		Client:        stores.Ent,
		Relaxed:       stores.Relaxed,
		Sealer:        sealer,
		Broker:        pubsub.NewRedis(stores.Redis, prefix),
		Self:          router,
		Queue:         queue,
		Marks:         pubsub.NewJobMarks(stores.Redis, prefix),
		Channels:      channels,
		PublicURL:     cfg.PublicURL,
		Lease:         cfg.DeliveryLease,
		Dialect:       stores.Dialect,
		Logger:        log,
	})
	channels.SetReceipts(svc)
	authn, err := auth.NewService(auth.Config{
		Client:      stores.Ent,
		Sealer:      sealer,
		Redis:       stores.Redis,
		Logger:      log,
		SessionTTL:  cfg.SessionTTL,
		RedisPrefix: prefix,
		Dialect:     stores.Dialect,
	})
	if err != nil {
		return err
	}
	if roles.API {
		if err := ensureAdmin(ctx, cfg, authn, log); err != nil {
			return err
		}
	}
	var devices *gateway.API
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRun()
	hubDone := make(chan error, 1)
	if roles.Gateway {
		hub := gateway.NewHub(gateway.HubConfig{
			Service: svc, Router: router, Redis: stores.Redis,
			Heartbeat: cfg.DeviceHeartbeat, Logger: log, Metrics: gateway.NewMetrics(reg.Registry),
			Throttles: gateway.Throttles{
				RegisterPerAddress: gateway.PerSecond(cfg.LimitRegisterAddressRate),
				RegisterPerApp:     gateway.PerSecond(cfg.LimitRegisterAppRate),
				ConnectPerAddress:  gateway.PerSecond(cfg.LimitConnectAddressRate),
				FramesPerSecond:    rate.Limit(cfg.LimitDeviceFrameRate),
				FrameBurst:         gateway.BurstSeconds * cfg.LimitDeviceFrameRate,
			},
		})
		go func() { hubDone <- hub.Run(runCtx) }()
		devices = gateway.NewAPI(svc, hub, cfg.DeviceHeartbeat, log)
	} else {
		close(hubDone)
	}
	srv := server.New(server.Deps{
		Config:   cfg,
		Logger:   log,
		Stores:   stores,
		Service:  svc,
		Auth:     authn,
		Devices:  devices,
		Receipts: &provider.Receipts{Service: svc, Logger: log},
		Metrics:  reg,
		Roles:    roles,
		Version:  version,
	})

	var wk *worker.Worker
	if roles.Worker {
		wk = worker.New(worker.Config{
			Redis: stores.RedisOpt, Logger: log, Concurrency: cfg.WorkerConcurrency,
			ShutdownTimeout: cfg.ShutdownTimeout, Registry: reg.Registry, Namespace: cfg.RedisNamespace,
		})
		wk.RegisterPipeline(svc)
		worker.RegisterDeliveryStates(reg.Registry, svc)
		if err := wk.Start(); err != nil {
			return err
		}
		maintDone := make(chan struct{})
		go func() {
			defer close(maintDone)
			worker.RunMaintenance(runCtx, svc, worker.MaintenanceConfig{
				Stall:          cfg.ReconcileAfter,
				StatsRetention: push.StatsRetention{Minutes: cfg.StatsMinutes, Hours: cfg.StatsHours, All: cfg.StatsRetention},
				AuditRetention: cfg.AuditRetention,
				OnLeases:       func(st push.LeaseStats) { sendMetrics.ObserveLeases("expired", st) },
			}, log)
		}()
		defer func() { stopRun(); <-maintDone }()
	}

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("PUSHD_HTTP_ADDR: %w", err)
	}
	httpSrv := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	serveErr := make(chan error, 2)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	if ops := srv.Operations(); ops != nil {
		opsSrv, err := serveOperations(ctx, cfg.MetricsAddr, ops, serveErr)
		if err != nil {
			return err
		}
		defer opsSrv.Close()
		log.InfoContext(ctx, "pushd metrics listening", "addr", opsSrv.Addr)
	}
	log.InfoContext(ctx, "pushd listening",
		"addr", ln.Addr().String(), "api", roles.API, "worker", roles.Worker, "gateway", roles.Gateway,
		"startup", time.Since(started).Round(time.Millisecond).String())

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		if wk != nil {
			wk.Shutdown(context.Background())
		}
		return fmt.Errorf("http server: %w", err)
	}

	log.Info("pushd shutting down", "timeout", cfg.ShutdownTimeout.String())
	srv.Drain()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	// Shutdown does not wait for hijacked (WebSocket) connections; their
	// handlers end when the base context is cancelled with the stores.
	err = httpSrv.Shutdown(shutdownCtx)
	svc.Drain() // sends that accepted requests started
	if wk != nil {
		wk.Shutdown(shutdownCtx)
	}
	// Whatever this process still holds (a send cut off by the shutdown
	// timeout) goes back to PENDING now, with its sends queued for the
	// other workers, instead of waiting for its lease to lapse.
	releaseCtx, cancelRelease := context.WithTimeout(context.Background(), 10*time.Second)
	if st, err := svc.ReleaseLeases(releaseCtx); err != nil {
		log.Error("release delivery leases", "err", err)
	} else if st.Returned+st.Failed > 0 {
		log.Warn("released the deliveries this process was sending", "pending", st.Returned, "failed", st.Failed)
		sendMetrics.ObserveLeases("released", st)
	}
	cancelRelease()
	stopRun() // closes device connections; they resume on another node
	<-hubDone
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("pushd stopped")
	return nil
}

// serveOperations listens on addr for the metrics and profiles handler; a
// serve error lands in errs like the main listener's. The listener stays
// up through the drain so the last scrape sees the shutdown.
func serveOperations(ctx context.Context, addr string, h http.Handler, errs chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("PUSHD_METRICS_ADDR: %w", err)
	}
	srv := &http.Server{
		Addr:              ln.Addr().String(),
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("metrics listener: %w", err)
		}
	}()
	return srv, nil
}
