// Package metrics exposes pushd's Prometheus metrics: HTTP request
// instrumentation, GraphQL operation instrumentation (as a gqlgen handler
// extension) and the /metrics endpoint.
//
// Everything hangs off a *Metrics value with its own registry rather than
// prometheus.DefaultRegisterer, so tests (and multiple servers in one
// process) never collide on duplicate registration and only what pushd
// registers is exported.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics owns the registry and every collector pushd exports. Create one per
// process with New and share it.
type Metrics struct {
	Registry *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	httpInFlight *prometheus.GaugeVec

	gqlOperations *prometheus.CounterVec
	gqlDuration   *prometheus.HistogramVec
}

// New registers the Go runtime and process collectors and pushd's HTTP and
// GraphQL metrics.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_http_requests_total",
			Help: "HTTP requests handled, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pushd_http_request_duration_seconds",
			Help:    "HTTP request latency, by route pattern and method. Hijacked (WebSocket) connections are not observed.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		httpInFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "pushd_http_requests_in_flight",
			Help: "HTTP requests currently being served, including open WebSocket connections.",
		}, []string{"route"}),
		gqlOperations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_graphql_operations_total",
			Help: "GraphQL operations, by operation type, first root field and result. Subscriptions count once per subscription, not per event.",
		}, []string{"type", "field", "result"}),
		gqlDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pushd_graphql_operation_duration_seconds",
			Help:    "GraphQL operation latency by operation type. For subscriptions this is the time to establish the stream.",
			Buckets: prometheus.DefBuckets,
		}, []string{"type"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpRequests,
		m.httpDuration,
		m.httpInFlight,
		m.gqlOperations,
		m.gqlDuration,
	)
	return m
}

// Handler serves the metrics in m.Registry. It is safe to call more than once:
// promhttp reuses its own already-registered collectors.
func (m *Metrics) Handler() http.Handler {
	return promhttp.InstrumentMetricHandler(m.Registry, promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{
		// A single failing collector should not blank the whole scrape; the
		// failure is still visible in promhttp_metric_handler_errors_total.
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.Registry,
	}))
}
