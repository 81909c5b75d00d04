package deliver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"golang.org/x/sync/semaphore"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/pushdb"
	"github.com/pushd/pushd/tenant"
)

// A vendor send holds its deliveries under a lease: PENDING → SENDING
// with the claim's name and an expiry taken from the database's clock,
// then SENDING → SENT only once the vendor accepted the message. A process
// that dies mid-send leaves its deliveries SENDING; once the lease lapses
// the sweeper returns them to PENDING and they are sent again. So a crash
// costs a duplicate of what was in flight, never a loss (docs/delivery.md).

// DefaultLease is how long a vendor send holds its deliveries. It covers a
// full send batch (SendBatch messages, DefaultConcurrency requests in
// flight) with vendor answers of up to about 1.5 s each, and bounds the
// recovery after a crash: every delivery is final within 2 × the lease
// plus the sweeper's period.
const DefaultLease = time.Minute

// MinLease is the shortest lease a deployment may set.
const MinLease = 5 * time.Second

// Reasons a delivery is PENDING again after it was claimed: the retry
// paths (the sweeper's queued send, the reconciler) look for them.
const (
	leaseExpiredReason = "lease expired: its sender stopped answering; sent again"
	releasedReason     = "released when its sender shut down; sent again"
)

// ResendReasons are the marks of deliveries that wait to be sent again:
// a job with any of them is not done.
func ResendReasons() []string {
	return []string{VendorRetryReason, leaseExpiredReason, releasedReason}
}

// sendWindow is how long a send may wait for its vendor: the rest of the
// lease is kept for recording the answers, so a live sender never sees its
// lease lapse.
func (s *Service) sendWindow() time.Duration {
	return s.lease - max(s.lease/6, 2*time.Second)
}

// ProcessName names this process in leases: host, pid and a random nonce,
// so a restarted process with the same pid is another owner.
func ProcessName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), randomHex(4))
}

// newLease names one claim of this process.
func (s *Service) newLease() string { return s.node + "/" + randomHex(6) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// hold names what one claim holds for the statements that record its
// sends: the lease, and the span of the deliveries' expiries, which
// names their partitions on PostgreSQL.
type hold struct {
	lease  string
	expiry pushdb.Expiry
}

// claimed is what one claim took.
type claimed struct {
	hold
	// deadline ends the vendor's time to answer: the lease's end less the
	// time kept for recording the answers.
	deadline time.Time
	ids      map[nodeid.ID]bool
	// resends counts the deliveries taken again after a lease expiry or a
	// release: each may be a duplicate at the vendor.
	resends int
}

// claim moves PENDING deliveries to SENDING on channel c under a new
// lease and returns those it moved: one statement, so two racing senders
// split them, never share. expiry holds the deliveries' expiries.
func (s *Service) claim(ctx context.Context, want []nodeid.ID, expiry pushdb.Expiry, c enum.Channel) (claimed, error) {
	cl := claimed{hold: hold{lease: s.newLease(), expiry: expiry}, ids: make(map[nodeid.ID]bool, len(want)), deadline: time.Now().Add(s.sendWindow())}
	var got []pushdb.Claimed
	err := s.booking(ctx, func() (err error) {
		got, err = s.db.Claim(ctx, s.client, pushdb.Claim{IDs: want, Channel: c, Lease: cl.lease, Now: s.now(), For: s.lease, Expiry: expiry})
		return err
	})
	if err != nil {
		return cl, fmt.Errorf("claim deliveries: %w", err)
	}
	for _, d := range got {
		cl.ids[d.ID] = true
		if d.LastError == leaseExpiredReason || d.LastError == releasedReason {
			cl.resends++
		}
	}
	return cl, nil
}

// release moves the deliveries of ids that h's lease holds out of SENDING, to
// status with why as their last error (sent, for SENT, stamps sent_at),
// and returns how many it moved. On PostgreSQL it is one statement with
// the IDs as one array parameter, planned once per batch like the claim:
// it runs once per send batch, on the hot path of every broadcast.
func (s *Service) release(ctx context.Context, h hold, ids []nodeid.ID, to delivery.Status, why string) (int, error) {
	var n int
	err := s.booking(ctx, func() (err error) {
		n, err = s.db.Release(ctx, s.client, pushdb.Release{IDs: ids, Lease: h.lease, To: to, Why: why, Now: s.now(), Expiry: h.expiry})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("record vendor answers: %w", err)
	}
	return n, nil
}

// confirmSent records that the vendor accepted the deliveries: SENDING →
// SENT, one statement per send batch.
func (s *Service) confirmSent(ctx context.Context, h hold, ids []nodeid.ID) error {
	_, err := s.release(ctx, h, ids, delivery.StatusSENT, "")
	return err
}

// unclaim puts claimed deliveries back to PENDING, so that a retry (the
// task's, or the next round's channel) sends them, and only them.
func (s *Service) unclaim(ctx context.Context, h hold, ids []nodeid.ID, why string) error {
	_, err := s.release(ctx, h, ids, delivery.StatusPENDING, why)
	return err
}

// failClaimed ends claimed deliveries as FAILED with the vendor's reason.
func (s *Service) failClaimed(ctx context.Context, h hold, ids []nodeid.ID, why string) (int, error) {
	return s.release(ctx, h, ids, delivery.StatusFAILED, why)
}

// LeaseStats says what a sweep or a release did.
type LeaseStats struct {
	// Returned deliveries are PENDING again, with a send queued.
	Returned int
	// Failed deliveries had used up their attempts.
	Failed int
}

// SweepLeases returns deliveries whose lease lapsed (their sender died or
// hung) to PENDING, at most limit of them, and queues their sends. Two
// sweepers never take the same row: each skips rows the other has locked,
// and a row taken is no longer SENDING.
func (s *Service) SweepLeases(ctx context.Context, limit int) (LeaseStats, error) {
	return s.returnLeases(ctx, leaseExpiredReason, limit, "")
}

// ReleaseLeases returns every delivery this process still holds to
// PENDING and queues their sends, so that a stopping process leaves no
// delivery waiting for its lease to lapse. Call it once the process's
// sends have stopped.
func (s *Service) ReleaseLeases(ctx context.Context) (LeaseStats, error) {
	// A send the queue gave up on at its shutdown timeout has had its
	// context cancelled and is recording its answers (its vendor's, or
	// "retry"): taking its rows now would skip them while they are locked
	// and leave them SENDING once the process exits.
	s.recording.waitCutOff(ctx)
	var total LeaseStats
	for {
		st, err := s.returnLeases(ctx, releasedReason, 5000, s.node+"/")
		total.Returned += st.Returned
		total.Failed += st.Failed
		if err != nil || st.Returned+st.Failed < 5000 {
			return total, err
		}
	}
}

// leasedRow is a delivery a sweep or release took back.
type leasedRow struct {
	id, job, device nodeid.ID
	attempts        int
}

// returnLeases takes back SENDING deliveries, the lapsed ones (owner
// empty) or those whose lease starts with owner, and makes them PENDING
// with why, or FAILED past MaxVendorAttempts.
func (s *Service) returnLeases(ctx context.Context, why string, limit int, owner string) (LeaseStats, error) {
	var st LeaseStats
	sys := tenant.AsSystem(ctx)
	rows, err := s.takeLeases(sys, why, limit, owner)
	if err != nil || len(rows) == 0 {
		return st, err
	}
	var spent []nodeid.ID
	byJob := map[nodeid.ID][]nodeid.ID{}
	var jobs []nodeid.ID
	for _, r := range rows {
		jobs = append(jobs, r.job)
		if r.attempts >= MaxVendorAttempts {
			spent = append(spent, r.id)
			continue
		}
		byJob[r.job] = append(byJob[r.job], r.device)
	}
	if len(spent) > 0 {
		n, err := s.finish(sys, spent, delivery.StatusFAILED,
			fmt.Sprintf("gave up after %d attempts: the sender stopped answering", MaxVendorAttempts))
		if err != nil {
			return st, err
		}
		st.Failed = n
	}
	st.Returned = len(rows) - len(spent)
	s.mark(sys, core.Unique(jobs)...)
	// If the queue is unreachable the deliveries stay PENDING with why,
	// and the reconciler queues them later (RetryLost).
	return st, s.queueResends(sys, byJob)
}

// takeLeases is returnLeases's one statement.
func (s *Service) takeLeases(ctx context.Context, why string, limit int, owner string) ([]leasedRow, error) {
	now := s.now()
	var query string
	var args []any
	if s.dialect == dialect.Postgres {
		cond := `lease_until < now()`
		args = []any{why, now, limit}
		if owner != "" {
			cond = `starts_with(lease_owner, $4)`
			args = append(args, owner)
		}
		query = `UPDATE ` + delivery.Table + ` SET status = 'PENDING', lease_owner = NULL, lease_until = NULL, last_error = $1, updated_at = $2
WHERE id IN (SELECT id FROM ` + delivery.Table + ` WHERE status = 'SENDING' AND ` + cond + `
  ORDER BY lease_until LIMIT $3 FOR UPDATE SKIP LOCKED)
RETURNING id, job_id, device_id, attempts`
	} else {
		cond := sql.LT(delivery.FieldLeaseUntil, now)
		if owner != "" {
			cond = sql.HasPrefix(delivery.FieldLeaseOwner, owner)
		}
		b := sql.Dialect(s.dialect)
		sel := b.Select(delivery.FieldID).From(b.Table(delivery.Table)).
			Where(sql.And(sql.EQ(delivery.FieldStatus, delivery.StatusSENDING.String()), cond)).Limit(limit)
		query, args = b.Update(delivery.Table).
			Set(delivery.FieldStatus, delivery.StatusPENDING.String()).
			SetNull(delivery.FieldLeaseOwner).SetNull(delivery.FieldLeaseUntil).
			Set(delivery.FieldLastError, why).Set(delivery.FieldUpdatedAt, now).
			Where(sql.In(delivery.FieldID, sel)).
			Returning(delivery.FieldID, delivery.FieldJobID, delivery.FieldDeviceID, delivery.FieldAttempts).
			Query()
	}
	rs, err := s.client.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("take leases: %w", err)
	}
	defer rs.Close()
	var out []leasedRow
	for rs.Next() {
		var r leasedRow
		var dev *string
		if err := rs.Scan(&r.id, &r.job, &dev, &r.attempts); err != nil {
			return nil, err
		}
		if dev != nil {
			r.device = nodeid.ID(*dev)
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// queueResends queues one send task per job and SendBatch devices.
func (s *Service) queueResends(ctx context.Context, byJob map[nodeid.ID][]nodeid.ID) error {
	if s.queue == nil || len(byJob) == 0 {
		return nil
	}
	ids := make([]nodeid.ID, 0, len(byJob))
	for id := range byJob {
		ids = append(ids, id)
	}
	jobs, err := s.client.PushJob.Query().Where(pushjob.IDIn(ids...)).All(ctx)
	if err != nil {
		return err
	}
	var tasks []pipeline.Task
	for _, j := range jobs {
		for _, part := range core.Chunks(byJob[j.ID], SendBatch) {
			// Each take-back is one of a kind (the rows moved once), so
			// its task must not be mistaken for an earlier one.
			tasks = append(tasks, pipeline.NewTask(pipeline.Send{Job: j.ID, Devices: part}, pipeline.QueueFor(j.Kind), "resend@"+randomHex(4)))
		}
	}
	return s.queue.Enqueue(ctx, tasks)
}

// InFlight counts the deliveries pushd still has to do something with:
// PENDING (waiting for a send, a retry or their device) and SENDING (a
// vendor has them). Both are counted through partial indexes.
func (s *Service) InFlight(ctx context.Context) (pending, sending int, err error) {
	sys := tenant.AsSystem(ctx)
	if pending, err = s.client.Delivery.Query().Where(delivery.StatusEQ(delivery.StatusPENDING)).Count(sys); err != nil {
		return 0, 0, err
	}
	sending, err = s.client.Delivery.Query().Where(delivery.StatusEQ(delivery.StatusSENDING)).Count(sys)
	return pending, sending, err
}

// sends tracks the vendor sends of this process that hold a lease and
// have not recorded their answers yet, for ReleaseLeases to wait for those
// that were cut off.
type sends struct {
	mu      sync.Mutex
	live    map[*send]struct{}
	changed chan struct{} // closed and replaced whenever a send leaves
}

// send is one tracked send; its context says whether it was cut off.
type send struct{ ctx context.Context }

func (c *sends) enter(ctx context.Context) *send {
	sd := &send{ctx: ctx}
	c.mu.Lock()
	if c.live == nil {
		c.live, c.changed = map[*send]struct{}{}, make(chan struct{})
	}
	c.live[sd] = struct{}{}
	c.mu.Unlock()
	return sd
}

func (c *sends) leave(sd *send) {
	c.mu.Lock()
	delete(c.live, sd)
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// waitCutOff returns once no send whose context ended is still recording,
// or when ctx ends. Sends still running are not waited for: their leases
// are what the release takes back.
func (c *sends) waitCutOff(ctx context.Context) {
	for {
		c.mu.Lock()
		cut := false
		for sd := range c.live {
			if sd.ctx.Err() != nil {
				cut = true
				break
			}
		}
		changed := c.changed
		c.mu.Unlock()
		if !cut {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return
		}
	}
}

// bound is a semaphore of n, or nil (no bound) for n <= 0.
func bound(n int) *semaphore.Weighted {
	if n <= 0 {
		return nil
	}
	return semaphore.NewWeighted(int64(n))
}

// booking runs one claim or release statement within the bound.
func (s *Service) booking(ctx context.Context, statement func() error) error {
	if s.bookkeeping == nil {
		return statement()
	}
	if err := s.bookkeeping.Acquire(ctx, 1); err != nil {
		return err
	}
	defer s.bookkeeping.Release(1)
	return statement()
}
