package worker

import (
	"context"
	"slices"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/deliver"
)

// SendMetrics count what sends did, wherever they ran (a worker's send
// task, or the API process sending a small push itself): push.Config's
// OnSend is its Observe.
type SendMetrics struct {
	deliveries *prometheus.CounterVec
	vendors    *prometheus.CounterVec
	resends    prometheus.Counter
	leases     *prometheus.CounterVec
}

// NewSendMetrics registers the send metrics on reg (nil keeps them private).
func NewSendMetrics(reg prometheus.Registerer) *SendMetrics {
	m := &SendMetrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_send_deliveries_total",
			Help: "Deliveries handled by send tasks, by outcome: self (sent on the WebSocket channel), vendor (accepted by a vendor), waiting (device unreachable, kept until its TTL), expired, failed, retry.",
		}, []string{"outcome"}),
		vendors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_vendor_deliveries_total",
			Help: "Vendor answers to deliveries, by vendor channel and outcome: sent, retry, token_dead, failed, config_error.",
		}, []string{"channel", "outcome"}),
		resends: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pushd_vendor_resends_total",
			Help: "Vendor sends of deliveries taken back from a sender that died or stopped (its lease expired or was released): each may be a duplicate at the vendor.",
		}),
		leases: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pushd_delivery_leases_returned_total",
			Help: "SENDING deliveries taken back from their sender, by why: expired (the sender died or hung past its lease) or released (the sender shut down), and by result: pending (to be sent again) or failed (out of attempts).",
		}, []string{"why", "result"}),
	}
	if reg != nil {
		reg.MustRegister(m.deliveries, m.vendors, m.resends, m.leases)
	}
	return m
}

// ObserveLeases counts a sweep's or a release's take-backs; why is
// expired or released.
func (m *SendMetrics) ObserveLeases(why string, st deliver.LeaseStats) {
	if st.Returned > 0 {
		m.leases.WithLabelValues(why, "pending").Add(float64(st.Returned))
	}
	if st.Failed > 0 {
		m.leases.WithLabelValues(why, "failed").Add(float64(st.Failed))
	}
}

// Observe counts one send.
func (m *SendMetrics) Observe(s core.SendSummary) {
	for outcome, n := range map[string]int{
		"self": s.Self, "vendor": s.Vendor, "waiting": s.Waiting, "expired": s.Expired, "failed": s.Failed, "retry": s.Retry,
	} {
		if n > 0 {
			m.deliveries.WithLabelValues(outcome).Add(float64(n))
		}
	}
	if s.Resends > 0 {
		m.resends.Add(float64(s.Resends))
	}
	for k, n := range s.Vendors {
		m.vendors.WithLabelValues(string(k.Channel), k.Outcome).Add(float64(n))
	}
}

// queueCollector reports the pipeline's queues at each scrape: how many
// tasks wait, and how long the oldest pending one has waited (the lag).
type queueCollector struct {
	inspector *asynq.Inspector
	queues    map[string]string // asynq name -> label
	size, lag *prometheus.Desc
}

func newQueueCollector(opt asynq.RedisConnOpt, namespace string) *queueCollector {
	q := map[string]string{}
	for _, name := range pipeline.Queues {
		q[QueueName(namespace, name)] = name
	}
	return &queueCollector{
		inspector: asynq.NewInspector(opt),
		queues:    q,
		size:      prometheus.NewDesc("pushd_queue_tasks", "Tasks in a pipeline queue, by state (pending, active, scheduled, retry).", []string{"queue", "state"}, nil),
		lag:       prometheus.NewDesc("pushd_queue_lag_seconds", "How long the oldest pending task of a pipeline queue has waited.", []string{"queue"}, nil),
	}
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.size
	ch <- c.lag
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	known, err := c.inspector.Queues()
	if err != nil {
		return // Redis unreachable: no reading rather than a false zero
	}
	for name, label := range c.queues {
		info := &asynq.QueueInfo{} // a queue that never had a task is empty
		if slices.Contains(known, name) {
			if info, err = c.inspector.GetQueueInfo(name); err != nil {
				continue
			}
		}
		for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled, "retry": info.Retry} {
			ch <- prometheus.MustNewConstMetric(c.size, prometheus.GaugeValue, float64(n), label, state)
		}
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, info.Latency.Seconds(), label)
	}
}

// deliveryCollector reports, at each scrape, the deliveries in the
// pipeline's two working states.
type deliveryCollector struct {
	svc  *push.Service
	desc *prometheus.Desc
}

// RegisterDeliveryStates adds pushd_deliveries{state="pending"|"sending"}
// to reg: the deliveries waiting for a send or their device, and those a
// vendor has now.
func RegisterDeliveryStates(reg prometheus.Registerer, svc *push.Service) {
	reg.MustRegister(&deliveryCollector{svc: svc, desc: prometheus.NewDesc("pushd_deliveries",
		"Deliveries in the pipeline's working states: pending (waiting for a send, a retry or their device) and sending (a vendor has them; a lease holds them).",
		[]string{"state"}, nil)})
}

func (c *deliveryCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *deliveryCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	pending, sending, err := c.svc.Delivery().InFlight(ctx)
	if err != nil {
		return // the database is unreachable: no reading rather than a false zero
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(pending), "pending")
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(sending), "sending")
}
