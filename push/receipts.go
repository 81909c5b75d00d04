package push

import (
	"context"

	"github.com/pushd/pushd/push/core"

	"entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/tenant"
)

// jobIDPrefix starts every push job's node ID.
const jobIDPrefix = "job"

// RecordVendorReceipts applies a vendor's delivery receipts (already
// verified by the provider that parsed them) to the app's deliveries:
// arrived and opened move them forward, a dead token is never used again
// and its delivery fails. Receipts about unknown jobs or tokens change
// nothing. It returns how many deliveries changed.
func (s *Service) RecordVendorReceipts(ctx context.Context, app nodeid.ID, ch enum.Channel, receipts []core.VendorReceipt) (int, error) {
	sys := tenant.AsSystem(ctx)
	groups, tokens := groupReceipts(receipts)
	if len(tokens) == 0 {
		return 0, nil
	}
	deviceOf, err := s.devicesOfTokens(sys, app, ch, tokens)
	if err != nil {
		return 0, err
	}
	changed := 0
	var jobs []nodeid.ID
	for k, toks := range groups {
		var devices []nodeid.ID
		for _, t := range toks {
			devices = append(devices, deviceOf[t]...)
		}
		if len(devices) == 0 {
			continue
		}
		n, err := s.applyReceipt(sys, app, ch, k, toks, devices)
		if err != nil {
			return changed, err
		}
		if n > 0 {
			changed += n
			jobs = append(jobs, k.job)
		}
	}
	s.mark(sys, core.Unique(jobs)...)
	return changed, nil
}

// receiptKey groups receipts that make the same change to one job.
type receiptKey struct {
	job   nodeid.ID
	event core.ReceiptEvent
	why   string
}

// groupReceipts groups the receipts of pushd's jobs by the change they
// make, with their tokens.
func groupReceipts(receipts []core.VendorReceipt) (map[receiptKey][]string, []string) {
	groups := map[receiptKey][]string{}
	var tokens []string
	for _, r := range receipts {
		if r.JobID.Prefix() != jobIDPrefix || r.Token == "" {
			continue
		}
		k := receiptKey{job: r.JobID, event: r.Event}
		if r.Event == core.ReceiptFailed || r.Event == core.ReceiptTokenDead {
			k.why = r.Reason
		}
		groups[k] = append(groups[k], r.Token)
		tokens = append(tokens, r.Token)
	}
	return groups, tokens
}

// devicesOfTokens finds the app's devices holding each token on ch.
// Several device rows may share a token (a reinstall before the old row
// was cleaned up): a receipt is about each.
func (s *Service) devicesOfTokens(ctx context.Context, app nodeid.ID, ch enum.Channel, tokens []string) (map[string][]nodeid.ID, error) {
	deviceOf := make(map[string][]nodeid.ID, len(tokens))
	for _, part := range core.Chunks(core.Unique(tokens), 1000) {
		owned, err := s.client.DeviceToken.Query().
			Where(devicetoken.AppID(app), devicetoken.ChannelEQ(ch), devicetoken.TokenIn(part...)).
			All(ctx)
		if err != nil {
			return nil, err
		}
		for _, t := range owned {
			deviceOf[t.Token] = append(deviceOf[t.Token], t.DeviceID)
		}
	}
	return deviceOf, nil
}

// applyReceipt makes one group's change to the devices' deliveries of the
// job, and returns how many changed. Only deliveries this channel carried
// change: one that went out on another channel since (a timed-out send
// retried elsewhere) is not this receipt's to change. Durable: the vendor
// was told the receipt was taken and will not post it again.
func (s *Service) applyReceipt(ctx context.Context, app nodeid.ID, ch enum.Channel, k receiptKey, toks []string, devices []nodeid.ID) (int, error) {
	upd := s.client.Delivery.Update().Where(delivery.AppID(app), delivery.JobID(k.job), delivery.DeviceIDIn(devices...), delivery.ChannelEQ(ch))
	now := s.now()
	switch k.event {
	case core.ReceiptArrived:
		upd.Where(delivery.StatusIn(delivery.StatusPENDING, delivery.StatusSENDING, delivery.StatusSENT)).SetStatus(delivery.StatusARRIVED).SetArrivedAt(now)
	case core.ReceiptOpened:
		upd.Where(delivery.StatusIn(delivery.StatusPENDING, delivery.StatusSENDING, delivery.StatusSENT, delivery.StatusARRIVED)).SetStatus(delivery.StatusOPENED).SetOpenedAt(now).
			Modify(func(u *sql.UpdateBuilder) { u.Set(delivery.FieldArrivedAt, arrivedNoLaterThan(now)) })
	case core.ReceiptTokenDead, core.ReceiptFailed:
		if k.event == core.ReceiptTokenDead {
			if _, err := s.client.DeviceToken.Update().
				Where(devicetoken.AppID(app), devicetoken.ChannelEQ(ch), devicetoken.TokenIn(toks...), devicetoken.StatusEQ(devicetoken.StatusACTIVE)).
				SetStatus(devicetoken.StatusDEAD).SetDeadReason(k.why).SetDeadAt(now).Save(ctx); err != nil {
				return 0, err
			}
		}
		upd.Where(delivery.StatusIn(delivery.StatusSENDING, delivery.StatusSENT)).SetStatus(delivery.StatusFAILED).SetLastError(k.why)
	default:
		return 0, nil
	}
	return upd.Save(ctx)
}
