package gateway

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
)

// A broadcast's acks come from every connected device within about a
// second. Written one by one, each would be a statement and a commit (a
// WAL flush) of its own, and at 10,000 devices they crowd out the next
// messages' claims. So the hub gathers the devices' reports (acks and
// events) and a few writers record them: each takes whatever waits, up
// to push.MaxReportsPerBatch, so under load one statement carries
// hundreds, and when the node is quiet a report goes at once, alone.
const (
	reportWriters = 4
	// reportQueue bounds the reports waiting for a writer. When it is
	// full (the database is slow or down), a report is recorded on its
	// own, as if there were no batching, rather than waiting or dropped.
	reportQueue = 8192
	// reportShutdownGrace is how long writers keep trying, once the hub
	// stops, to record what they hold.
	reportShutdownGrace = 5 * time.Second
)

// reporter batches the devices' reports for the database.
type reporter struct {
	svc *push.Service
	log *slog.Logger
	in  chan push.DeviceReport
	// batches observes each batch's size.
	batches prometheus.Histogram

	mu      sync.RWMutex
	running bool
	writers sync.WaitGroup
}

func newReporter(svc *push.Service, log *slog.Logger, batches prometheus.Histogram) *reporter {
	return &reporter{svc: svc, log: log, in: make(chan push.DeviceReport, reportQueue), batches: batches}
}

// add queues a report for the writers; false when they do not run (the
// hub is not running, or stopping) or the queue is full, and the caller
// must record it itself.
func (r *reporter) add(rep push.DeviceReport) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if !r.running {
		return false
	}
	select {
	case r.in <- rep:
		return true
	default:
		return false
	}
}

// start runs the writers until ctx ends; the returned function waits for
// them to have recorded what was queued by then.
func (r *reporter) start(ctx context.Context) (wait func()) {
	r.mu.Lock()
	r.running = true
	r.mu.Unlock()
	context.AfterFunc(ctx, func() {
		r.mu.Lock()
		r.running = false // no report joins the queue after this
		r.mu.Unlock()
	})
	for range reportWriters {
		r.writers.Go(func() { r.write(ctx) })
	}
	return r.writers.Wait
}

func (r *reporter) write(ctx context.Context) {
	batch := make([]push.DeviceReport, 0, push.MaxReportsPerBatch)
	for {
		select {
		case <-ctx.Done():
			r.drain(ctx, batch)
			return
		case rep := <-r.in:
			r.record(ctx, r.fill(append(batch[:0], rep)))
		}
	}
}

// fill adds what waits in the queue to batch, up to a full batch.
func (r *reporter) fill(batch []push.DeviceReport) []push.DeviceReport {
	for len(batch) < push.MaxReportsPerBatch {
		select {
		case rep := <-r.in:
			batch = append(batch, rep)
		default:
			return batch
		}
	}
	return batch
}

// drain records what is left in the queue once the hub stops.
func (r *reporter) drain(ctx context.Context, batch []push.DeviceReport) {
	r.mu.Lock() // wait out an add in progress
	r.running = false
	r.mu.Unlock()
	for {
		batch = r.fill(batch[:0])
		if len(batch) == 0 {
			return
		}
		r.record(ctx, batch)
	}
}

// record writes one batch. Reports are facts a device does not repeat, so
// a failed write is retried with backoff, for eventRetryFor, and for
// reportShutdownGrace at most once the hub stops.
func (r *reporter) record(ctx context.Context, batch []push.DeviceReport) {
	r.batches.Observe(float64(len(batch)))
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), eventRetryFor)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(reportShutdownGrace, cancel) })
	defer stop()
	wait := 200 * time.Millisecond
	for {
		_, err := r.svc.RecordDeviceReports(rec, batch)
		if err == nil {
			return
		}
		if _, coded := core.AsError(err); coded {
			r.recordEach(rec, batch) // one refused report must not take the batch with it
			return
		}
		r.log.Warn("gateway: record device reports; retrying", "reports", len(batch), "err", err, "in", wait.String())
		select {
		case <-rec.Done():
			r.log.Error("gateway: gave up recording device reports", "reports", len(batch))
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func (r *reporter) recordEach(ctx context.Context, batch []push.DeviceReport) {
	for _, rep := range batch {
		if _, err := r.svc.RecordDeviceReports(ctx, []push.DeviceReport{rep}); err != nil {
			r.log.Warn("gateway: device report refused", "device", rep.DeviceID, "message", rep.MessageID, "err", err)
		}
	}
}
