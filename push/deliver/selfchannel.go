package deliver

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/pushdb"
	"github.com/pushd/pushd/tenant"
)

// MaxResume bounds the backlog sent to a device on one resume; the device
// asks again with the last seq it got.
const MaxResume = 500

// DeliverSelf sends deliveries to their devices on the self-built channel,
// if the devices are online. Each delivery is claimed (PENDING → SENT) in
// the same transaction that gives it the device's next seq, so it is sent
// at most once however many callers race. It returns the deliveries left
// PENDING (device offline, expired, or already claimed elsewhere).
func (s *Service) DeliverSelf(ctx context.Context, deliveryIDs []nodeid.ID) (left []nodeid.ID, err error) {
	sys := tenant.AsSystem(ctx)
	ds, err := s.client.Delivery.Query().
		Where(delivery.IDIn(deliveryIDs...), delivery.StatusEQ(delivery.StatusPENDING), delivery.DeviceIDNotNil(),
			delivery.ExpiresAtGT(s.now()), delivery.HasJobWith(sendableJob())).
		WithJob().
		Order(ent.Asc(delivery.FieldCreatedAt), ent.Asc(delivery.FieldID)).
		All(sys)
	if err != nil {
		return nil, err
	}
	var devices []nodeid.ID
	for _, d := range ds {
		devices = append(devices, *d.DeviceID)
	}
	online, err := s.self.Online(ctx, core.Unique(devices))
	if err != nil {
		return nil, err
	}
	var send []*ent.Delivery
	for _, d := range ds {
		if online[*d.DeviceID] {
			send = append(send, d)
		}
	}
	msgs, err := s.claimSelf(sys, send)
	if err != nil {
		return nil, err
	}
	if err := s.self.SendSelf(ctx, msgs); err != nil {
		// Claimed and numbered: the devices get them on their next resume.
		s.log.WarnContext(ctx, "self channel: hand-off failed", "messages", len(msgs), "err", err)
	}
	sent := make(map[nodeid.ID]bool, len(msgs))
	for _, m := range msgs {
		sent[m.MessageID] = true
	}
	for _, id := range deliveryIDs {
		if !sent[id] {
			left = append(left, id)
		}
	}
	return left, nil
}

// claimSelf numbers and claims deliveries for the self channel, per device
// in the order given. Deliveries another caller claimed first are skipped.
func (s *Service) claimSelf(ctx context.Context, ds []*ent.Delivery) ([]core.SelfMessage, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	byDevice := map[nodeid.ID][]*ent.Delivery{}
	var order []nodeid.ID
	for _, d := range ds {
		if _, ok := byDevice[*d.DeviceID]; !ok {
			order = append(order, *d.DeviceID)
		}
		byDevice[*d.DeviceID] = append(byDevice[*d.DeviceID], d)
	}
	// Rows are locked in device ID order, so two claims over overlapping
	// devices cannot deadlock.
	slices.Sort(order)
	var msgs []core.SelfMessage
	var err error
	if s.dialect == dialect.Postgres && len(order) == len(ds) {
		msgs, err = s.claimSelfOnePerDevice(ctx, ds)
	} else {
		msgs, err = s.claimSelfInTx(ctx, byDevice, order)
	}
	if err != nil {
		return nil, err
	}
	var jobs []nodeid.ID
	for _, d := range ds {
		jobs = append(jobs, d.JobID)
	}
	s.mark(ctx, core.Unique(jobs)...)
	return msgs, nil
}

// claimSelfOnePerDevice claims deliveries to distinct devices in one
// transaction of two statements: each device's next seq is reserved, then
// given to its delivery. One statement joining the devices' update to the
// deliveries' was planned as a nested loop comparing every delivery with
// every device, a million comparisons for a batch of 1,000: 137–155 ms
// where these two take 30–40.
func (s *Service) claimSelfOnePerDevice(ctx context.Context, ds []*ent.Delivery) ([]core.SelfMessage, error) {
	devices := make([]nodeid.ID, len(ds))
	byID := make(map[nodeid.ID]*ent.Delivery, len(ds))
	for i, d := range ds {
		devices[i] = *d.DeviceID
		byID[d.ID] = d
	}
	var msgs []core.SelfMessage
	err := core.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		seqs, err := ReserveNextSeqs(ctx, tx, devices)
		if err != nil {
			return err
		}
		var claim []*ent.Delivery
		var next []int64
		for _, d := range ds {
			if seq, ok := seqs[*d.DeviceID]; ok {
				claim, next = append(claim, d), append(next, seq)
			}
		}
		if len(claim) == 0 {
			return nil
		}
		query, args := claimSelfStatement(claim, next, s.now())
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("claim for the self channel: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var seq int64
			if err := rows.Scan(&id, &seq); err != nil {
				return err
			}
			msgs = append(msgs, selfMessage(byID[nodeid.ID(id)], seq))
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	// By device, the order send batches load them in.
	slices.SortFunc(msgs, func(a, b core.SelfMessage) int { return strings.Compare(string(a.DeviceID), string(b.DeviceID)) })
	return msgs, nil
}

// ReserveNextSeqs takes the next seq of each device (PostgreSQL), locking
// their rows in ID order so that two reservations over overlapping
// devices cannot deadlock, and returns them by device; a device that is
// gone has none.
func ReserveNextSeqs(ctx context.Context, q pushdb.Querier, devices []nodeid.ID) (map[nodeid.ID]int64, error) {
	rows, err := q.QueryContext(ctx, `UPDATE devices SET last_seq = last_seq + 1
WHERE id IN (SELECT id FROM devices WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE)
RETURNING id, last_seq`, pushdb.IDs(devices))
	if err != nil {
		return nil, fmt.Errorf("reserve seqs: %w", err)
	}
	defer rows.Close()
	seqs := make(map[nodeid.ID]int64, len(devices))
	for rows.Next() {
		var id string
		var seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, err
		}
		seqs[nodeid.ID(id)] = seq
	}
	return seqs, rows.Err()
}

// claimSelfStatement is claimSelfOnePerDevice's second statement and its
// arguments: ds become SENT on the self channel, the i-th with seqs[i].
// Each bounds its own row's expiry and status, so that the planner probes
// the primary key row by row (see pushdb.Expiry).
func claimSelfStatement(ds []*ent.Delivery, seqs []int64, now time.Time) (string, []any) {
	expiries := make([]time.Time, len(ds))
	for i, d := range ds {
		expiries[i] = d.ExpiresAt
	}
	lo, hi := pushdb.RowBounds(expiries)
	return `UPDATE deliveries AS d SET status = 'SENT', channel = 'SELF', seq = k.seq, sent_at = $2, updated_at = $2, attempts = d.attempts + 1
FROM unnest($1::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::bigint[]) AS k(id, lo, hi, status, seq)
WHERE d.id = k.id AND d.expires_at BETWEEN k.lo AND k.hi AND d.status = k.status
RETURNING d.id, d.seq`, []any{pushdb.IDs(core.IDsOf(ds)), now, lo, hi, pushdb.Repeat(delivery.StatusPENDING.String(), len(ds)), pushdb.Int64Array(seqs)}
}

// claimSelfInTx claims deliveries, several per device if need be, in one
// transaction.
func (s *Service) claimSelfInTx(ctx context.Context, byDevice map[nodeid.ID][]*ent.Delivery, order []nodeid.ID) ([]core.SelfMessage, error) {
	var msgs []core.SelfMessage
	err := core.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		now := s.now()
		for _, dev := range order {
			list := byDevice[dev]
			// Reserving the seqs locks the device row: concurrent claims
			// for one device serialise here, so seqs never repeat.
			last, err := s.reserveSeqs(ctx, tx, dev, len(list))
			if err != nil {
				return err
			}
			seq := last - int64(len(list))
			for _, d := range list {
				n, err := tx.Delivery.Update().
					Where(delivery.ID(d.ID), delivery.StatusEQ(delivery.StatusPENDING), s.inPartitionOf(d.ExpiresAt)).
					SetStatus(delivery.StatusSENT).SetChannel(enum.ChannelSelf).SetSeq(seq + 1).SetSentAt(now).AddAttempts(1).
					Save(ctx)
				if err != nil {
					return err
				}
				if n == 0 {
					continue // claimed by someone else; the seq stays unused
				}
				seq++
				msgs = append(msgs, selfMessage(d, seq))
			}
		}
		return nil
	})
	return msgs, err
}

// inPartitionOf narrows a statement by ID to the partition of deliveries
// that expire at t, on PostgreSQL (see pushdb.Expiry); it matches every
// row on SQLite.
func (s *Service) inPartitionOf(t time.Time) predicate.Delivery {
	return func(sel *sql.Selector) {
		if p := pushdb.ExpiryOf(t).Predicate(s.dialect); p != nil {
			sel.Where(p)
		}
	}
}

func selfMessage(d *ent.Delivery, seq int64) core.SelfMessage {
	m := core.SelfMessage{MessageID: d.ID, DeviceID: *d.DeviceID, Seq: seq, ExpiresAt: d.ExpiresAt}
	switch {
	case d.Message != nil:
		m.Message = *d.Message
	case d.Edges.Job != nil:
		m.Message = d.Edges.Job.Message
	}
	return m
}

// ClaimPending claims a connected device's PENDING unexpired messages for
// the self channel (at most MaxResume) and returns them, numbered.
func (s *Service) ClaimPending(ctx context.Context, deviceID nodeid.ID) ([]core.SelfMessage, error) {
	sys := tenant.AsSystem(ctx)
	// Pages in creation order until MaxResume may go out here: messages of
	// jobs that exclude this channel are passed over, not counted.
	var claimable []*ent.Delivery
	var last *ent.Delivery
	for page := 0; page < maxClaimPages && len(claimable) < MaxResume; page++ {
		q := s.client.Delivery.Query().
			Where(s.waitingFor(deviceID))
		if last != nil {
			q.Where(delivery.Or(delivery.CreatedAtGT(last.CreatedAt),
				delivery.And(delivery.CreatedAtEQ(last.CreatedAt), delivery.IDGT(last.ID))))
		}
		ds, err := q.WithJob().
			Order(ent.Asc(delivery.FieldCreatedAt), ent.Asc(delivery.FieldID)).
			Limit(MaxResume).
			All(sys)
		if err != nil {
			return nil, err
		}
		claimable = append(claimable, onlySelfAllowed(ds)...)
		if len(ds) < MaxResume {
			break
		}
		last = ds[len(ds)-1]
	}
	if len(claimable) > MaxResume {
		claimable = claimable[:MaxResume]
	}
	return s.claimSelf(sys, claimable)
}

// maxClaimPages bounds the pages one ClaimPending reads.
const maxClaimPages = 10

// onlySelfAllowed drops deliveries whose job excludes the self channel.
func onlySelfAllowed(ds []*ent.Delivery) []*ent.Delivery {
	out := ds[:0]
	for _, d := range ds {
		if d.Edges.Job == nil || core.ChannelAllowed(d.Edges.Job, enum.ChannelSelf) {
			out = append(out, d)
		}
	}
	return out
}

// Resume is what a device gets when it connects or reconnects: first its
// PENDING unexpired messages are claimed for the self channel, then every
// unacknowledged message after afterSeq is returned, in seq order, at
// most MaxResume of them.
func (s *Service) Resume(ctx context.Context, deviceID nodeid.ID, afterSeq int64) ([]core.SelfMessage, error) {
	sys := tenant.AsSystem(ctx)
	unacked := s.unackedOnSelf(deviceID)
	if _, err := s.ClaimPending(sys, deviceID); err != nil {
		return nil, err
	}
	ds, err := s.client.Delivery.Query().
		Where(unacked, delivery.SeqGT(afterSeq)).
		WithJob().
		Order(ent.Asc(delivery.FieldSeq)).
		Limit(MaxResume).
		All(sys)
	if err != nil {
		return nil, err
	}
	msgs := make([]core.SelfMessage, 0, len(ds))
	for _, d := range ds {
		msgs = append(msgs, selfMessage(d, *d.Seq))
	}
	return msgs, nil
}

// MaxSelfHandOffs bounds how often one message is handed to the gateway
// for a device that never acknowledges it.
const MaxSelfHandOffs = 5

// RedeliverSelf hands SENT self-channel messages that no device
// acknowledged within olderThan to their gateway nodes again, with the same
// seq. A hand-off can be lost (a worker killed between claiming and
// publishing, Redis down for a moment); a repeat cannot reach the device
// twice: its connection skips message IDs it already wrote and seqs at or
// below the one it resumed from. It returns how many it handed off.
func (s *Service) RedeliverSelf(ctx context.Context, olderThan time.Duration, limit int) (int, error) {
	if s.self == nil {
		return 0, nil
	}
	sys := tenant.AsSystem(ctx)
	now := s.now()
	ds, err := s.client.Delivery.Query().
		Where(delivery.StatusEQ(delivery.StatusSENT), delivery.ChannelEQ(enum.ChannelSelf),
			delivery.SentAtLT(now.Add(-olderThan)), delivery.ExpiresAtGT(now),
			delivery.AttemptsLT(MaxSelfHandOffs), delivery.DeviceIDNotNil(), delivery.SeqNotNil()).
		WithJob().
		Order(ent.Asc(delivery.FieldSentAt)).
		Limit(limit).All(sys)
	if err != nil || len(ds) == 0 {
		return 0, err
	}
	devices := make([]nodeid.ID, len(ds))
	for i, d := range ds {
		devices[i] = *d.DeviceID
	}
	online, err := s.self.Online(ctx, core.Unique(devices))
	if err != nil {
		return 0, err
	}
	// Offline devices get theirs on resume; either way, wait a full period
	// before looking at these again.
	if err := s.client.Delivery.Update().Where(delivery.IDIn(core.IDsOf(ds)...), delivery.StatusEQ(delivery.StatusSENT)).
		SetSentAt(now).AddAttempts(1).Exec(sys); err != nil {
		return 0, err
	}
	var msgs []core.SelfMessage
	for _, d := range ds {
		if online[*d.DeviceID] {
			msgs = append(msgs, selfMessage(d, *d.Seq))
		}
	}
	if err := s.self.SendSelf(ctx, msgs); err != nil {
		return 0, err
	}
	return len(msgs), nil
}

// reserveSeqs adds n to a device's last seq and returns the new value, in
// one statement.
func (s *Service) reserveSeqs(ctx context.Context, tx *ent.Tx, dev nodeid.ID, n int) (int64, error) {
	query, args := sql.Dialect(s.dialect).Update(device.Table).
		Add(device.FieldLastSeq, n).
		Where(sql.EQ(device.FieldID, string(dev))).
		Returning(device.FieldLastSeq).Query()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("reserve seqs: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, err
		}
		return 0, core.NotFound("device")
	}
	var last int64
	if err := rows.Scan(&last); err != nil {
		return 0, err
	}
	return last, rows.Err()
}

// sendableJob is a job whose deliveries may go out now: not scheduled for
// later, not withdrawn.
func sendableJob() predicate.PushJob {
	return pushjob.StatusIn(pushjob.StatusQUEUED, pushjob.StatusSENDING, pushjob.StatusDONE)
}

// waitingFor is the deliveries to devices that wait for them: PENDING,
// unexpired, of jobs that may still go out.
func (s *Service) waitingFor(devices ...nodeid.ID) predicate.Delivery {
	return delivery.And(delivery.DeviceIDIn(devices...), delivery.StatusEQ(delivery.StatusPENDING),
		delivery.ExpiresAtGT(s.now()), delivery.HasJobWith(sendableJob()))
}

// unackedOnSelf is the deliveries the WebSocket channel sent to devices
// that they have not acknowledged, unexpired.
func (s *Service) unackedOnSelf(devices ...nodeid.ID) predicate.Delivery {
	return delivery.And(delivery.DeviceIDIn(devices...), delivery.StatusEQ(delivery.StatusSENT),
		delivery.ChannelEQ(enum.ChannelSelf), delivery.ExpiresAtGT(s.now()))
}
