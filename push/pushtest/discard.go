// Package pushtest holds stand-ins for the push domain's outside
// dependencies, for benchmarks and load runs only: nothing in pushd's
// binary uses them.
package pushtest

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/pushd/pushd/push/core"
)

// DiscardSender is a vendor channel that accepts every message and sends
// nothing: it stands in for APNs, FCM, Huawei or Xiaomi when measuring the
// pipeline itself. Latency, when set, is added to every batch.
type DiscardSender struct {
	Latency time.Duration
	sent    atomic.Int64
	first   atomic.Int64 // unix nanoseconds of the first batch
	last    atomic.Int64 // and of the last
}

// Send implements push.Sender.
func (d *DiscardSender) Send(ctx context.Context, msgs []core.Outgoing) []core.Result {
	if d.Latency > 0 {
		select {
		case <-time.After(d.Latency):
		case <-ctx.Done():
		}
	}
	now := time.Now().UnixNano()
	d.first.CompareAndSwap(0, now)
	d.last.Store(now)
	d.sent.Add(int64(len(msgs)))
	return make([]core.Result, len(msgs)) // the zero Result is OutcomeSent
}

// Sent is how many messages it accepted.
func (d *DiscardSender) Sent() int64 { return d.sent.Load() }

// First returns when it accepted its first batch (zero: none yet).
func (d *DiscardSender) First() time.Time {
	if n := d.first.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// Last returns when it accepted its latest batch (zero: none yet).
func (d *DiscardSender) Last() time.Time {
	if n := d.last.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}
