package push

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/pushdb"
	"github.com/pushd/pushd/tenant"
)

// DeviceEventType is what a device reports about a message.
type DeviceEventType string

// Device event types.
const (
	EventArrived DeviceEventType = "arrived"
	EventOpened  DeviceEventType = "opened"
	EventIgnored DeviceEventType = "ignored"
)

// DeviceEvent is one report from a device.
type DeviceEvent struct {
	MessageID nodeid.ID
	Type      DeviceEventType
	At        time.Time
	// ExpiresAt, when known, is the message's expiry: the gateway keeps
	// it for what it wrote. It names the delivery's partition of the
	// history, so the statement touches one partition, not all.
	ExpiresAt time.Time
}

// MaxEventsPerBatch bounds one events call.
const MaxEventsPerBatch = 100

// transitions lists, per event, the statuses it may move a delivery from:
// statuses only move forward, so a late or repeated event changes nothing.
func transitions(t DeviceEventType) ([]delivery.Status, delivery.Status, bool) {
	switch t {
	case EventArrived:
		return []delivery.Status{delivery.StatusPENDING, delivery.StatusSENDING, delivery.StatusSENT}, delivery.StatusARRIVED, true
	case EventOpened:
		return []delivery.Status{delivery.StatusPENDING, delivery.StatusSENDING, delivery.StatusSENT, delivery.StatusARRIVED}, delivery.StatusOPENED, true
	case EventIgnored:
		return []delivery.Status{delivery.StatusPENDING, delivery.StatusSENDING, delivery.StatusSENT, delivery.StatusARRIVED}, delivery.StatusIGNORED, true
	}
	return nil, "", false
}

// RecordDeviceEvents applies a device's reports to its own deliveries and
// returns how many changed something. Reports about other devices'
// messages, or that would move a delivery backwards, change nothing.
func (s *Service) RecordDeviceEvents(ctx context.Context, d *ent.Device, events []DeviceEvent) (int, error) {
	return s.RecordDeviceEventsFor(ctx, d.ID, events)
}

// RecordDeviceEventsFor is RecordDeviceEvents for an authenticated device ID.
func (s *Service) RecordDeviceEventsFor(ctx context.Context, deviceID nodeid.ID, events []DeviceEvent) (int, error) {
	if len(events) > MaxEventsPerBatch {
		return 0, core.Invalid("events", "at most %d per call, got %d", MaxEventsPerBatch, len(events))
	}
	for i, e := range events {
		if _, _, ok := transitions(e.Type); !ok {
			return 0, core.Invalid("events", "event %d: type must be arrived, opened or ignored, got %q", i, e.Type)
		}
		if e.MessageID == "" {
			return 0, core.Invalid("events", "event %d: messageID is required", i)
		}
	}
	// Each event is one statement, outside a transaction: transitions only
	// move forward, so a batch that fails halfway is safe to send again.
	changed := 0
	var jobs []nodeid.ID
	for _, e := range events {
		job, ok, err := s.applyEvent(ctx, deviceID, e)
		if err != nil {
			return changed, err
		}
		if ok {
			changed++
			jobs = append(jobs, job)
		}
	}
	s.mark(tenant.AsSystem(ctx), core.Unique(jobs)...)
	return changed, nil
}

// arrivedNoLaterThan keeps a delivery's arrival time, or sets it to at when
// the device reported opened or ignored before (or without) its ack: a
// message it showed has arrived.
func arrivedNoLaterThan(at time.Time) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("COALESCE(").Ident(delivery.FieldArrivedAt).WriteString(", ").Join(notBeforeCreated(at)).WriteString(")")
	})
}

// notBeforeCreated is at, or the delivery's creation time when at is
// earlier: a device's clock (or a device lying) cannot date an event
// before the message existed. Both sides are times pushd's driver wrote,
// so they compare the same way on PostgreSQL and SQLite.
func notBeforeCreated(at time.Time) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("CASE WHEN ").Ident(delivery.FieldCreatedAt).WriteString(" > ").Arg(at).
			WriteString(" THEN ").Ident(delivery.FieldCreatedAt).WriteString(" ELSE ").Arg(at).WriteString(" END")
	})
}

// applyEvent moves one delivery of the device forward and returns its job.
func (s *Service) applyEvent(ctx context.Context, deviceID nodeid.ID, e DeviceEvent) (nodeid.ID, bool, error) {
	from, to, _ := transitions(e.Type)
	now := s.now()
	at := e.At
	if at.IsZero() || at.After(now) {
		at = now
	}
	in := make([]any, len(from))
	for i, f := range from {
		in[i] = f.String()
	}
	upd := sql.Dialect(s.dialect).Update(delivery.Table).
		Set(delivery.FieldStatus, to.String()).
		Set(delivery.FieldUpdatedAt, now)
	switch to {
	case delivery.StatusARRIVED:
		upd.Set(delivery.FieldArrivedAt, notBeforeCreated(at))
	case delivery.StatusOPENED:
		upd.Set(delivery.FieldOpenedAt, notBeforeCreated(at)).Set(delivery.FieldArrivedAt, arrivedNoLaterThan(at))
	case delivery.StatusIGNORED:
		upd.Set(delivery.FieldArrivedAt, arrivedNoLaterThan(at))
	}
	// Vendors that send one request to many devices carry the job's ID, not the delivery's: with the device, it names
	// the same delivery.
	which := sql.EQ(delivery.FieldID, string(e.MessageID))
	if e.MessageID.Prefix() == jobIDPrefix {
		which = sql.EQ(delivery.FieldJobID, string(e.MessageID))
	}
	where := []*sql.Predicate{which, sql.EQ(delivery.FieldDeviceID, string(deviceID)), sql.In(delivery.FieldStatus, in...)}
	if p := pushdb.ExpiryOf(e.ExpiresAt).Predicate(s.dialect); p != nil {
		where = append(where, p)
	}
	query, args := upd.Where(sql.And(where...)).Returning(delivery.FieldJobID).Query()
	// Durable, not relaxed: the device reports once (its connection never
	// carries the message again), so an ack lost in a database crash would
	// leave a delivered message SENT for good.
	rows, err := s.client.QueryContext(ctx, query, args...)
	if err != nil {
		return "", false, fmt.Errorf("record event: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return "", false, rows.Err()
	}
	var job string
	if err := rows.Scan(&job); err != nil {
		return "", false, err
	}
	return nodeid.ID(job), true, rows.Err()
}
