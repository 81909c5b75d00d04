package stats

import (
	"context"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// DeliveryEvent is one delivery reaching a status, for live watchers.
type DeliveryEvent struct {
	DeliveryID nodeid.ID
	JobID      nodeid.ID
	DeviceID   nodeid.ID
	Status     string
	Channel    string
	Error      string
	At         time.Time
}

func deliveriesTopic(app nodeid.ID) string { return "deliveries:" + string(app) }

// deliveryEventsBuffer is how many events a watcher may leave unread
// before it is dropped: a slow reader never slows the pipeline.
const deliveryEventsBuffer = 1024

// deliveryEventsOverlap re-reads a little of what the last read saw:
// updates committed out of timestamp order are not missed, and the seen
// map keeps them from being sent twice.
const deliveryEventsOverlap = 2 * time.Second

// maxSeen bounds the deliveries a watcher remembers per job.
const maxSeen = 200_000

// DeliveryEvents streams an app's delivery status changes (or one job's)
// from now on, until ctx ends or the reader falls behind (the channel is
// then closed). Events come within about a second of the change.
func (s *Service) DeliveryEvents(ctx context.Context, app, job nodeid.ID) (<-chan DeliveryEvent, error) {
	if err := tenant.Require(ctx, app, tenant.NeedRead); err != nil {
		return nil, err
	}
	if job != "" {
		ok, err := s.client.PushJob.Query().Where(pushjob.ID(job), pushjob.AppID(app)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, core.NotFound("push job")
		}
	}
	if s.broker == nil {
		return nil, &core.Error{Code: core.CodeInternal, Message: "live events are not available in this process"}
	}
	changes, err := s.broker.Subscribe(ctx, deliveriesTopic(app))
	if err != nil {
		return nil, err
	}
	out := make(chan DeliveryEvent, deliveryEventsBuffer)
	start := s.now()
	go func() {
		defer close(out)
		cursor := map[nodeid.ID]time.Time{}
		seen := map[nodeid.ID]map[nodeid.ID]string{}
		sys := tenant.AsSystem(ctx)
		for msg := range changes {
			j := nodeid.ID(msg)
			if job != "" && j != job {
				continue
			}
			from, ok := cursor[j]
			if !ok {
				from = start
			}
			ds, err := s.client.Delivery.Query().
				Where(delivery.JobID(j), delivery.AppID(app), delivery.DeviceIDNotNil(),
					delivery.UpdatedAtGTE(from.Add(-deliveryEventsOverlap))).
				Order(ent.Asc(delivery.FieldUpdatedAt)).Limit(5000).All(sys)
			if err != nil {
				s.log.WarnContext(ctx, "delivery events", "job", j, "err", err)
				continue
			}
			if seen[j] == nil {
				seen[j] = map[nodeid.ID]string{}
			}
			for _, d := range ds {
				st := d.Status.String()
				if seen[j][d.ID] == st {
					continue
				}
				if len(seen[j]) < maxSeen {
					seen[j][d.ID] = st
				}
				e := DeliveryEvent{DeliveryID: d.ID, JobID: d.JobID, Status: st, Error: d.LastError, At: d.UpdatedAt}
				if d.DeviceID != nil {
					e.DeviceID = *d.DeviceID
				}
				if d.Channel != nil {
					e.Channel = string(*d.Channel)
				}
				select {
				case out <- e:
				default:
					return // fell behind: dropped
				}
				if d.UpdatedAt.After(from) {
					from = d.UpdatedAt
				}
			}
			cursor[j] = from
		}
	}()
	return out, nil
}
