package gateway

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the gateway's Prometheus metrics.
type Metrics struct {
	connections    prometheus.Gauge
	framesIn       *prometheus.CounterVec
	framesOut      *prometheus.CounterVec
	slowDrops      prometheus.Counter
	presenceErrors prometheus.Counter
	busyRefusals   prometheus.Counter
	throttled      *prometheus.CounterVec
	backlogs       prometheus.Gauge
	reportBatch    prometheus.Histogram
	handshakeBatch prometheus.Histogram
	resumeBatch    prometheus.Histogram
}

// NewMetrics registers the gateway metrics on reg (nil: not registered,
// for tests that run several hubs in one process).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pushd_gateway_connections", Help: "Devices connected to this node's WebSocket channel.",
		}),
		framesIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_gateway_frames_in_total", Help: "Frames received from devices, by type.",
		}, []string{"type"}),
		framesOut: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_gateway_frames_out_total", Help: "Frames sent to devices, by type.",
		}, []string{"type"}),
		slowDrops: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pushd_gateway_slow_client_drops_total", Help: "Connections closed because the device did not read fast enough.",
		}),
		presenceErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pushd_gateway_presence_errors_total", Help: "Failed presence writes or refreshes in Redis.",
		}),
		busyRefusals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pushd_gateway_busy_refusals_total", Help: "Connections told to come back later because the node had no handshake turn for them within the auth timeout.",
		}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_gateway_throttled_total", Help: "Device requests refused by a throttle: register_address, register_app, connect_address (429), frames (close 4429).",
		}, []string{"throttle"}),
		backlogs: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pushd_gateway_backlog_reads",
			Help: "Connected devices whose backlog (resume or waiting messages) is being read or waits for its turn: high after a node restart, 0 once every reconnected device is served.",
		}),
		reportBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "pushd_gateway_report_batch_size", Help: "Device acks and events recorded per statement batch.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 6),
		}),
		handshakeBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "pushd_gateway_handshake_batch_size", Help: "Devices admitted per handshake batch (one token lookup and one presence pipeline): 1 when devices connect one at a time, more in a reconnection storm.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 5),
		}),
		resumeBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "pushd_gateway_resume_batch_size", Help: "Device resumes read per batch: 1 when devices resume one at a time, more in a reconnection storm.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 4),
		}),
	}
	if reg != nil {
		reg.MustRegister(m.connections, m.framesIn, m.framesOut, m.slowDrops, m.presenceErrors, m.busyRefusals, m.throttled, m.backlogs, m.reportBatch, m.handshakeBatch, m.resumeBatch)
	}
	return m
}
