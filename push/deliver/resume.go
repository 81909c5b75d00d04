package deliver

import (
	"context"
	"slices"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// ResumeRequest is one device's resume: what it has not acknowledged
// after AfterSeq.
type ResumeRequest struct {
	Device   nodeid.ID
	AfterSeq int64
}

// MaxResumeBatch bounds the devices ResumeAll reads together, and
// resumeBatchRows the rows one of its reads may return before it falls
// back to reading each device alone (a batch whose devices have large
// backlogs gains nothing from being read together).
const (
	MaxResumeBatch  = 64
	resumeBatchRows = 4 * MaxResume
)

// ResumeAll is Resume for several devices at once, as after a node
// restart, when every device it held reconnects: one read of their
// PENDING messages, one claim, and one read of what they have not
// acknowledged, where one Resume a device would take as many round trips
// each. The i-th result is reqs[i]'s.
func (s *Service) ResumeAll(ctx context.Context, reqs []ResumeRequest) ([][]core.SelfMessage, error) {
	sys := tenant.AsSystem(ctx)
	devices := make([]nodeid.ID, len(reqs))
	for i, r := range reqs {
		devices[i] = r.Device
	}
	devices = core.Unique(devices)
	pending, err := s.client.Delivery.Query().
		Where(s.waitingFor(devices...)).
		WithJob().
		Order(ent.Asc(delivery.FieldCreatedAt), ent.Asc(delivery.FieldID)).
		Limit(resumeBatchRows).
		All(sys)
	if err != nil {
		return nil, err
	}
	if len(pending) == resumeBatchRows {
		return s.resumeEach(ctx, reqs)
	}
	if _, err := s.claimSelf(sys, firstOfEachDevice(onlySelfAllowed(pending), MaxResume)); err != nil {
		return nil, err
	}
	unacked, err := s.client.Delivery.Query().
		Where(s.unackedOnSelf(devices...)).
		WithJob().
		Order(ent.Asc(delivery.FieldSeq)).
		Limit(resumeBatchRows).
		All(sys)
	if err != nil {
		return nil, err
	}
	if len(unacked) == resumeBatchRows {
		return s.resumeEach(ctx, reqs)
	}
	byDevice := map[nodeid.ID][]*ent.Delivery{}
	for _, d := range unacked {
		byDevice[*d.DeviceID] = append(byDevice[*d.DeviceID], d)
	}
	out := make([][]core.SelfMessage, len(reqs))
	for i, r := range reqs {
		for _, d := range byDevice[r.Device] {
			if *d.Seq > r.AfterSeq && len(out[i]) < MaxResume {
				out[i] = append(out[i], selfMessage(d, *d.Seq))
			}
		}
	}
	return out, nil
}

// resumeEach resumes the devices of reqs one by one.
func (s *Service) resumeEach(ctx context.Context, reqs []ResumeRequest) ([][]core.SelfMessage, error) {
	out := make([][]core.SelfMessage, len(reqs))
	for i, r := range reqs {
		msgs, err := s.Resume(ctx, r.Device, r.AfterSeq)
		if err != nil {
			return nil, err
		}
		out[i] = msgs
	}
	return out, nil
}

// firstOfEachDevice keeps, of ds in their order, the first n of each
// device's.
func firstOfEachDevice(ds []*ent.Delivery, n int) []*ent.Delivery {
	kept := map[nodeid.ID]int{}
	return slices.DeleteFunc(ds, func(d *ent.Delivery) bool {
		kept[*d.DeviceID]++
		return kept[*d.DeviceID] > n
	})
}
