package deliver

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/app"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/quotause"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// holdSpread spreads the sends of held deliveries over the first minutes
// of the new day, so that every app's held messages do not leave at once.
const holdSpread = 10 * time.Minute

// marketing reports whether a message counts against the vendors' caps:
// it is not of the service class (an unclassified message counts, as the
// vendors count it) and not a test message (which they exempt).
func marketing(m core.Outgoing) bool {
	if m.Test {
		return false
	}
	class, _ := core.ClassOf(m.Message.Classification)
	return class != core.ClassService
}

// applyQuota counts out's content and marketing messages against channel
// c's daily per-device cap and returns the messages that may go now. The
// others are held for the next day or failed, by the app's quota policy.
// A delivery is counted once a day, however often its send is retried.
// Two sends to one device at the same moment may both pass: the count is
// a guard against the vendor silencing the app, not a lock.
func (s *Service) applyQuota(ctx context.Context, job *ent.PushJob, c enum.Channel, limit int, out []core.Outgoing, sum *core.SendSummary) ([]core.Outgoing, error) {
	if limit <= 0 {
		return out, nil
	}
	var counted []core.Outgoing
	for _, o := range out {
		if marketing(o) {
			counted = append(counted, o)
		}
	}
	if len(counted) == 0 {
		return out, nil
	}
	now := s.now()
	day := core.QuotaDay(now)
	over, err := s.countQuota(ctx, job.AppID, c, day, limit, counted)
	if err != nil || len(over) == 0 {
		return out, err
	}
	overIDs := make(map[nodeid.ID]bool, len(over))
	for _, o := range over {
		overIDs[o.DeliveryID] = true
	}
	if err := s.settleOverQuota(ctx, job, c, day, limit, over, sum); err != nil {
		return nil, err
	}
	kept := out[:0:0]
	for _, o := range out {
		if !overIDs[o.DeliveryID] {
			kept = append(kept, o)
		}
	}
	return kept, nil
}

// countQuota records the messages that fit the cap as SENT and returns
// those that do not, in order.
func (s *Service) countQuota(ctx context.Context, appID nodeid.ID, c enum.Channel, day string, limit int, msgs []core.Outgoing) ([]core.Outgoing, error) {
	devices := make([]string, len(msgs))
	for i, o := range msgs {
		devices[i] = string(o.DeviceID)
	}
	uses, err := s.client.QuotaUse.Query().Where(quotause.AppID(appID), quotause.ChannelEQ(c), quotause.Day(day),
		quotause.DeviceIDIn(devices...), quotause.StateEQ(quotause.StateSENT)).
		Select(quotause.FieldDeviceID, quotause.FieldDeliveryID).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("read quota counts: %w", err)
	}
	perDevice := map[string]int{}
	mine := map[string]bool{}
	for _, u := range uses {
		perDevice[u.DeviceID]++
		mine[u.DeliveryID] = true
	}
	var over []core.Outgoing
	var fresh []*ent.QuotaUseCreate
	for _, o := range msgs {
		switch dev := string(o.DeviceID); {
		case mine[string(o.DeliveryID)]:
			// Counted already today: a retry of a send that went out.
		case perDevice[dev] < limit:
			perDevice[dev]++
			fresh = append(fresh, s.quotaUse(appID, c, day, o, quotause.StateSENT))
		default:
			over = append(over, o)
		}
	}
	return over, s.saveQuotaUses(ctx, fresh)
}

func (s *Service) quotaUse(appID nodeid.ID, c enum.Channel, day string, o core.Outgoing, st quotause.State) *ent.QuotaUseCreate {
	return s.client.QuotaUse.Create().SetAppID(appID).SetChannel(c).SetDay(day).
		SetDeviceID(string(o.DeviceID)).SetDeliveryID(string(o.DeliveryID)).SetState(st).SetCreatedAt(s.now())
}

// saveQuotaUses writes uses; a delivery already recorded today takes the
// new state (a held one that is held again, or failed).
func (s *Service) saveQuotaUses(ctx context.Context, uses []*ent.QuotaUseCreate) error {
	for _, part := range core.Chunks(uses, 1000) {
		err := s.client.QuotaUse.CreateBulk(part...).
			OnConflict(sql.ConflictColumns(quotause.FieldDeliveryID, quotause.FieldDay)).
			Update(func(u *ent.QuotaUseUpsert) { u.UpdateState() }).Exec(ctx)
		if err != nil {
			return fmt.Errorf("record quota use: %w", err)
		}
	}
	return nil
}

// settleOverQuota holds or fails the deliveries over the cap, as the
// app's policy says. A delivery whose TTL ends before the cap resets
// cannot be held: it fails.
func (s *Service) settleOverQuota(ctx context.Context, job *ent.PushJob, c enum.Channel, day string, limit int, over []core.Outgoing, sum *core.SendSummary) error {
	a, err := s.client.App.Query().Where(app.ID(job.AppID)).Select(app.FieldQuotaPolicy).Only(ctx)
	if err != nil {
		return fmt.Errorf("read the app's quota policy: %w", err)
	}
	now := s.now()
	reset := core.NextQuotaDay(now)
	spent := fmt.Sprintf("%s: the device's daily cap of %d content and marketing messages is spent (counted by pushd; it resets at midnight Beijing time)", c, limit)
	var held, failed []core.Outgoing
	for _, o := range over {
		if a.QuotaPolicy == app.QuotaPolicyHOLD && o.ExpiresAt.After(reset) {
			held = append(held, o)
		} else {
			failed = append(failed, o)
		}
	}
	uses := make([]*ent.QuotaUseCreate, 0, len(over))
	for _, o := range held {
		uses = append(uses, s.quotaUse(job.AppID, c, day, o, quotause.StateHELD))
	}
	for _, o := range failed {
		uses = append(uses, s.quotaUse(job.AppID, c, day, o, quotause.StateFAILED))
	}
	if err := s.saveQuotaUses(ctx, uses); err != nil {
		return err
	}
	why := spent
	if a.QuotaPolicy == app.QuotaPolicyHOLD {
		why += "; the TTL ends before it resets"
	}
	n, err := s.finish(ctx, outIDs(failed), delivery.StatusFAILED, why)
	if err != nil {
		return err
	}
	sum.Failed += n
	sum.Held += len(held)
	return s.hold(ctx, job, held, reset, spent)
}

// hold leaves deliveries PENDING with why, and queues their send for
// reset, spread over holdSpread. A hold is not an attempt: the deliveries
// were not claimed.
func (s *Service) hold(ctx context.Context, job *ent.PushJob, held []core.Outgoing, reset time.Time, why string) error {
	if len(held) == 0 {
		return nil
	}
	err := s.client.Delivery.Update().Where(delivery.IDIn(outIDs(held)...), delivery.StatusEQ(delivery.StatusPENDING)).
		SetLastError("held: " + why).Exec(ctx)
	if err != nil || s.queue == nil {
		return err
	}
	devices := make([]nodeid.ID, len(held))
	for i, o := range held {
		devices[i] = o.DeviceID
	}
	var tasks []pipeline.Task
	for _, part := range core.Chunks(devices, SendBatch) {
		t := pipeline.NewTask(pipeline.Send{Job: job.ID, Devices: part}, pipeline.QueueFor(job.Kind), "quota@"+core.QuotaDay(reset))
		t.ProcessAt = reset.Add(time.Duration(rand.Int64N(int64(holdSpread))))
		tasks = append(tasks, t)
	}
	return s.queue.Enqueue(ctx, tasks)
}

func outIDs(out []core.Outgoing) []nodeid.ID {
	ids := make([]nodeid.ID, len(out))
	for i, o := range out {
		ids[i] = o.DeliveryID
	}
	return ids
}

// PruneQuotaUses deletes the quota counts of days before yesterday (in
// Beijing), at most limit rows, and returns how many.
func (s *Service) PruneQuotaUses(ctx context.Context, limit int) (int, error) {
	ctx = tenant.AsSystem(ctx)
	cutoff := core.QuotaDay(s.now().Add(-24 * time.Hour))
	ids, err := s.client.QuotaUse.Query().Where(quotause.DayLT(cutoff)).Limit(limit).IDs(ctx)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return s.client.QuotaUse.Delete().Where(quotause.IDIn(ids...)).Exec(ctx)
}

// capOf is the daily per-device cap of content and marketing messages on
// channel c: own, the app's for that channel, when set; else the
// vendor's; 0 when the vendor caps none.
func (s *Service) capOf(c enum.Channel, own int) int {
	if s.caps == nil || s.caps(c) <= 0 {
		return 0
	}
	if own > 0 {
		return own
	}
	return s.caps(c)
}

// QuotaUsage says what channel c's daily per-device cap (own, the app's,
// or the vendor's) let through for an app today; ok is false when the
// vendor has no cap. It needs read access to the app.
func (s *Service) QuotaUsage(ctx context.Context, appID nodeid.ID, c enum.Channel, own int) (u core.QuotaUsage, ok bool, err error) {
	if err := tenant.Require(ctx, appID, tenant.NeedRead); err != nil {
		return u, false, err
	}
	limit := s.capOf(c, own)
	if limit <= 0 {
		return u, false, nil
	}
	u.MarketingPerDevice, u.Day = limit, core.QuotaDay(s.now())
	var rows []struct {
		State quotause.State `json:"state"`
		Count int            `json:"count"`
	}
	err = s.client.QuotaUse.Query().Where(quotause.AppID(appID), quotause.ChannelEQ(c), quotause.Day(u.Day)).GroupBy(quotause.FieldState).Aggregate(ent.Count()).Scan(ctx, &rows)
	if err != nil {
		return u, true, fmt.Errorf("read quota counts: %w", err)
	}
	for _, r := range rows {
		switch r.State {
		case quotause.StateSENT:
			u.Sent = r.Count
		case quotause.StateHELD:
			u.Held = r.Count
		case quotause.StateFAILED:
			u.Failed = r.Count
		}
	}
	u.DevicesAtCap, err = s.devicesAtCap(ctx, appID, c, u.Day, limit)
	return u, true, err
}

// devicesAtCap counts, in the database (after two broadcasts every device
// of the app may be at the cap), the devices that have had limit content
// and marketing messages on channel c on day.
func (s *Service) devicesAtCap(ctx context.Context, appID nodeid.ID, c enum.Channel, day string, limit int) (int, error) {
	b := sql.Dialect(s.dialect)
	atCap := b.Select(quotause.FieldDeviceID).From(sql.Table(quotause.Table)).
		Where(sql.And(sql.EQ(quotause.FieldAppID, string(appID)), sql.EQ(quotause.FieldChannel, string(c)),
			sql.EQ(quotause.FieldDay, day), sql.EQ(quotause.FieldState, quotause.StateSENT.String()))).
		GroupBy(quotause.FieldDeviceID).Having(sql.GTE(sql.Count("*"), limit))
	query, args := b.Select(sql.Count("*")).From(atCap.As("at_cap")).Query()
	rows, err := s.client.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("count devices at the cap: %w", err)
	}
	defer rows.Close()
	n := 0
	if rows.Next() {
		err = rows.Scan(&n)
	}
	return n, errors.Join(err, rows.Err())
}
