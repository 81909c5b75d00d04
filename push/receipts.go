package push

import (
	"context"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/tenant"
)

// jobIDPrefix starts every push job's node ID.
const jobIDPrefix = "job"

// MaxReceiptsPerCall bounds one vendor callback (Huawei sends at most
// 1,000 statuses at once, Xiaomi a second's worth).
const MaxReceiptsPerCall = 10_000

// RecordVendorReceipts applies a vendor's delivery receipts (already
// verified by the provider that parsed them) to the app's deliveries:
// arrived and opened move them forward, a dead token is never used again
// and its delivery fails. Receipts about unknown jobs or tokens change
// nothing. It returns how many deliveries changed.
func (s *Service) RecordVendorReceipts(ctx context.Context, app nodeid.ID, ch enum.Channel, receipts []VendorReceipt) (int, error) {
	if len(receipts) > MaxReceiptsPerCall {
		return 0, Invalid("receipts", "at most %d per call, got %d", MaxReceiptsPerCall, len(receipts))
	}
	sys := tenant.AsSystem(ctx)
	type key struct {
		job   nodeid.ID
		event ReceiptEvent
		why   string
	}
	groups := map[key][]string{}
	var tokens []string
	for _, r := range receipts {
		if r.JobID.Prefix() != jobIDPrefix || r.Token == "" {
			continue
		}
		k := key{job: r.JobID, event: r.Event}
		if r.Event == ReceiptFailed || r.Event == ReceiptTokenDead {
			k.why = r.Reason
		}
		groups[k] = append(groups[k], r.Token)
		tokens = append(tokens, r.Token)
	}
	if len(tokens) == 0 {
		return 0, nil
	}
	owned, err := s.client.DeviceToken.Query().
		Where(devicetoken.AppID(app), devicetoken.ChannelEQ(ch), devicetoken.TokenIn(tokens...)).
		All(sys)
	if err != nil {
		return 0, err
	}
	deviceOf := make(map[string]nodeid.ID, len(owned))
	for _, t := range owned {
		deviceOf[t.Token] = t.DeviceID
	}
	changed := 0
	var jobs []nodeid.ID
	for k, toks := range groups {
		var devices []nodeid.ID
		for _, t := range toks {
			if d, ok := deviceOf[t]; ok {
				devices = append(devices, d)
			}
		}
		if len(devices) == 0 {
			continue
		}
		upd := s.relaxed.Delivery.Update().Where(delivery.AppID(app), delivery.JobID(k.job), delivery.DeviceIDIn(devices...))
		now := s.now()
		switch k.event {
		case ReceiptArrived:
			upd.Where(delivery.StatusIn(delivery.StatusPENDING, delivery.StatusSENT)).SetStatus(delivery.StatusARRIVED).SetArrivedAt(now)
		case ReceiptOpened:
			upd.Where(delivery.StatusIn(delivery.StatusPENDING, delivery.StatusSENT, delivery.StatusARRIVED)).SetStatus(delivery.StatusOPENED).SetOpenedAt(now)
		case ReceiptTokenDead, ReceiptFailed:
			if k.event == ReceiptTokenDead {
				dead := make([]string, 0, len(toks))
				dead = append(dead, toks...)
				if _, err := s.client.DeviceToken.Update().
					Where(devicetoken.AppID(app), devicetoken.ChannelEQ(ch), devicetoken.TokenIn(dead...), devicetoken.StatusEQ(devicetoken.StatusACTIVE)).
					SetStatus(devicetoken.StatusDEAD).SetDeadReason(k.why).SetDeadAt(now).Save(sys); err != nil {
					return changed, err
				}
			}
			upd.Where(delivery.StatusEQ(delivery.StatusSENT)).SetStatus(delivery.StatusFAILED).SetLastError(k.why)
		default:
			continue
		}
		n, err := upd.Save(sys)
		if err != nil {
			return changed, err
		}
		if n > 0 {
			changed += n
			jobs = append(jobs, k.job)
		}
	}
	s.mark(sys, unique(jobs)...)
	return changed, nil
}
