package worker

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pushd/pushd/push"
)

type metrics struct {
	deliveries *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_send_deliveries_total",
			Help: "Deliveries handled by send tasks, by outcome: self (sent on the WebSocket channel), vendor (accepted by a vendor), waiting (device unreachable, kept until its TTL), expired, failed, retry.",
		}, []string{"outcome"}),
	}
	if reg != nil {
		reg.MustRegister(m.deliveries)
	}
	return m
}

func (m *metrics) observe(s push.SendSummary) {
	for outcome, n := range map[string]int{
		"self": s.Self, "vendor": s.Vendor, "waiting": s.Waiting, "expired": s.Expired, "failed": s.Failed, "retry": s.Retry,
	} {
		if n > 0 {
			m.deliveries.WithLabelValues(outcome).Add(float64(n))
		}
	}
}
