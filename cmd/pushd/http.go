package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/server"
)

// newServer builds the HTTP surface of the roles this process runs;
// devices is the gateway role's device API (nil without it).
func (w *wiring) newServer(devices *gateway.API) *server.Server {
	return server.New(server.Deps{
		Config:   w.cfg,
		Logger:   w.log,
		Stores:   w.stores,
		Service:  w.svc,
		Auth:     w.authn,
		Devices:  devices,
		Receipts: &provider.Receipts{Service: w.svc, Registry: w.vendors, Logger: w.log},
		Vendors:  w.vendors.Vendors(),
		Metrics:  w.metrics,
		Roles:    w.roles,
		Version:  version,
	})
}

// httpListener serves one bound listener as a component. Binding comes
// first, while the process is wired, so that a taken address fails the
// start and the log can say where pushd listens.
type httpListener struct {
	ln  net.Listener
	srv *http.Server
	// drain is how long in-flight requests get to finish once the
	// listener is told to stop; zero cuts them off.
	drain time.Duration
	// stopping, if set, runs first when the listener is told to stop.
	stopping func()
}

// listen binds addr for h; setting names the setting addr comes from,
// for the error. Requests never see the process's context end: the
// listener decides when they stop.
func listen(ctx context.Context, setting, addr string, h http.Handler) (*httpListener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", setting, err)
	}
	return &httpListener{ln: ln, srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}}, nil
}

func (l *httpListener) addr() string { return l.ln.Addr().String() }

func (l *httpListener) run(ctx context.Context) error {
	served := make(chan error, 1)
	go func() { served <- l.srv.Serve(l.ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	if l.stopping != nil {
		l.stopping()
	}
	err := l.stop(context.WithoutCancel(ctx))
	if serr := <-served; err == nil && !errors.Is(serr, http.ErrServerClosed) {
		err = serr
	}
	return err
}

// stop closes the listener and waits for in-flight requests, up to
// drain. It does not wait for hijacked (WebSocket) connections: the hub
// closes them when it stops, after the work behind the requests.
func (l *httpListener) stop(ctx context.Context) error {
	if l.drain <= 0 {
		return l.srv.Close()
	}
	ctx, cancel := context.WithTimeout(ctx, l.drain)
	defer cancel()
	if err := l.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// listeners binds the main listener and, when PUSHD_METRICS_ADDR puts
// the metrics and profiles apart, theirs. The main one stops first:
// readiness fails, it stops taking connections, in-flight requests finish
// up to PUSHD_SHUTDOWN_TIMEOUT. The operations one stays up until the
// last stage, so the last scrape sees the shutdown.
func (w *wiring) listeners(ctx context.Context, srv *server.Server) (front component, ops *component, err error) {
	l, err := listen(ctx, "PUSHD_HTTP_ADDR", w.cfg.HTTPAddr, srv)
	if err != nil {
		return component{}, nil, err
	}
	// Closing a listener that served is harmless; one that never did
	// (the next bind failed) would otherwise stay open.
	w.onClose(func() { _ = l.ln.Close() })
	l.drain, l.stopping = w.cfg.ShutdownTimeout, srv.Drain
	w.addr = l.addr()
	front = component{name: "http listener", run: l.run}
	h := srv.Operations()
	if h == nil {
		return front, nil, nil
	}
	o, err := listen(ctx, "PUSHD_METRICS_ADDR", w.cfg.MetricsAddr, h)
	if err != nil {
		return component{}, nil, err
	}
	w.onClose(func() { _ = o.ln.Close() })
	w.log.InfoContext(ctx, "pushd metrics listening", "addr", o.addr())
	return front, &component{name: "metrics listener", run: o.run}, nil
}
