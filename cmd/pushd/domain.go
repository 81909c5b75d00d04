package main

import (
	"context"
	"log/slog"
	"net/netip"

	"github.com/pushd/pushd/admission"
	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/pubsub"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/webhook"
	"github.com/pushd/pushd/worker"
)

// newDomain builds what every role shares on the open stores: the push
// service (with the vendor senders, the queue and the routes to the
// gateway nodes) and the console's authentication. The API role also
// makes sure the console can be logged into.
func (w *wiring) newDomain(ctx context.Context) error {
	sealer, err := loadSealer(ctx, w.cfg, w.log)
	if err != nil {
		return err
	}
	allow, err := w.cfg.EgressPrefixes()
	if err != nil {
		return err
	}
	w.vendors, err = w.newVendors(sealer, allow)
	if err != nil {
		return err
	}
	w.svc = w.newService(sealer, allow, w.vendors)
	w.authn, err = auth.NewService(auth.Config{
		Client:      w.stores.Ent,
		Sealer:      sealer,
		Redis:       w.stores.Redis,
		Logger:      w.log,
		SessionTTL:  w.cfg.SessionTTL,
		RedisPrefix: w.prefix(),
		Dialect:     w.stores.Dialect,
	})
	if err != nil {
		return err
	}
	if w.roles.API {
		return ensureAdmin(ctx, w.cfg, w.authn, w.log)
	}
	return nil
}

func (w *wiring) newService(sealer *seal.Sealer, allow []netip.Prefix, channels *provider.Registry) *push.Service {
	prefix := w.prefix()
	w.router = gateway.NewRouter(w.stores.Redis, prefix)
	queue := worker.NewQueue(w.stores.RedisOpt, w.cfg.RedisNamespace)
	w.onClose(func() { _ = queue.Close() })
	marks := pubsub.NewJobMarks(w.stores.Redis, prefix)
	registerJobMarks(w.metrics.Registry, marks)
	return push.NewService(push.Config{
		Admission:     w.admission(),
		OnSend:        w.sends.Observe,
		Webhooks:      webhook.New(egress.Policy{Allow: allow, Any: w.cfg.WebhookAllowPrivate}),
		WebhookEgress: egress.Policy{Allow: allow, Any: w.cfg.WebhookAllowPrivate},
		Client:        w.stores.Ent,
		Relaxed:       w.stores.Relaxed,
		Sealer:        sealer,
		Broker:        pubsub.NewRedis(w.stores.Redis, prefix),
		Self:          w.router,
		Queue:         queue,
		Marks:         marks,
		Channels:      channels,
		Lease:         w.cfg.DeliveryLease,
		Dialect:       w.stores.Dialect,
		Logger:        w.log,

		MaxVendorBookkeeping: w.vendorBookkeeping(),
	})
}

// vendorBookkeeping bounds the worker's vendor claims and releases where
// the process also serves devices or the API: to half of its database
// pool, so that a broadcast's send batches leave the other half to the
// devices' handshakes and resumes and to API requests. Measured after a
// kill -9 of pushd serve with 48,000 vendor and 12,000 WebSocket devices:
// unbounded, the releases held 15 of the 20 connections and 8 more
// waited, and so did the handshakes, 9,411 of them queued for a turn. A
// worker alone has nothing to leave room for.
func (w *wiring) vendorBookkeeping() int {
	if !w.roles.Worker || !(w.roles.Gateway || w.roles.API) {
		return 0
	}
	return max(1, w.cfg.DatabaseMaxConns/2)
}

// admission is the API role's bound on what pushes it accepts: per app
// and key rates, and the queue's lag and length. The other roles accept
// no pushes, so they have none (a nil interface, not a nil controller).
func (w *wiring) admission() core.Admission {
	if !w.roles.API {
		return nil
	}
	load, closeLoad := worker.QueueLoad(w.stores.RedisOpt, w.cfg.RedisNamespace)
	w.onClose(func() { _ = closeLoad() })
	return admission.New(admission.Config{
		Redis: w.stores.Redis, Prefix: w.prefix(), Load: load, Logger: w.log, Registry: w.metrics.Registry,
		Limits: admission.Limits{
			AppPerSecond: w.cfg.LimitAppRate, KeyPerSecond: w.cfg.LimitKeyRate,
			MaxQueueLag: w.cfg.AdmitMaxQueueLag, MaxQueuedTasks: w.cfg.AdmitMaxQueuedTasks,
		},
	})
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
