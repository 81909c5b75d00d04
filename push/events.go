package push

import (
	"context"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
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
}

// MaxEventsPerBatch bounds one events call.
const MaxEventsPerBatch = 100

// transitions lists, per event, the statuses it may move a delivery from:
// statuses only move forward, so a late or repeated event changes nothing.
func transitions(t DeviceEventType) ([]delivery.Status, delivery.Status, bool) {
	switch t {
	case EventArrived:
		return []delivery.Status{delivery.StatusPENDING, delivery.StatusSENT}, delivery.StatusARRIVED, true
	case EventOpened:
		return []delivery.Status{delivery.StatusPENDING, delivery.StatusSENT, delivery.StatusARRIVED}, delivery.StatusOPENED, true
	case EventIgnored:
		return []delivery.Status{delivery.StatusPENDING, delivery.StatusSENT, delivery.StatusARRIVED}, delivery.StatusIGNORED, true
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
		return 0, Invalid("events", "at most %d per call, got %d", MaxEventsPerBatch, len(events))
	}
	for i, e := range events {
		if _, _, ok := transitions(e.Type); !ok {
			return 0, Invalid("events", "event %d: type must be arrived, opened or ignored, got %q", i, e.Type)
		}
		if e.MessageID == "" {
			return 0, Invalid("events", "event %d: messageID is required", i)
		}
	}
	sys := tenant.AsSystem(ctx)
	changed := 0
	var moved []nodeid.ID
	err := s.withTx(sys, func(tx *ent.Tx) error {
		for _, e := range events {
			from, to, _ := transitions(e.Type)
			at := e.At
			if at.IsZero() || at.After(s.now()) {
				at = s.now()
			}
			upd := tx.Delivery.Update().
				Where(delivery.ID(e.MessageID), delivery.DeviceID(deviceID), delivery.StatusIn(from...)).
				SetStatus(to)
			switch to {
			case delivery.StatusARRIVED:
				upd.SetArrivedAt(at)
			case delivery.StatusOPENED:
				upd.SetOpenedAt(at)
			}
			n, err := upd.Save(sys)
			if err != nil {
				return err
			}
			changed += n
			if n > 0 {
				moved = append(moved, e.MessageID)
			}
		}
		return nil
	})
	if err != nil || len(moved) == 0 {
		return changed, err
	}
	var jobs []nodeid.ID
	if err := s.client.Delivery.Query().Where(delivery.IDIn(moved...)).Unique(true).
		Select(delivery.FieldJobID).Scan(sys, &jobs); err != nil {
		return changed, err
	}
	s.mark(sys, jobs...)
	return changed, nil
}
