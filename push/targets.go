package push

// A job's targets: devices, users and groups resolved into the
// deliveries a job writes, at accept time for small pushes and at each
// occurrence of a recurring one.

import (
	"context"
	"time"

	"entgo.io/ent/dialect"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/appuser"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/group"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/deliver"
)

// checkGroups checks that the groups exist in the app.
func (s *Service) checkGroups(ctx context.Context, app nodeid.ID, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	gids := make([]nodeid.ID, len(ids))
	for i, g := range ids {
		gids[i] = nodeid.ID(g)
	}
	n, err := s.client.Group.Query().Where(group.AppID(app), group.IDIn(gids...)).Count(ctx)
	if err != nil {
		return err
	}
	if n != len(gids) {
		return core.Invalid("audience.groups", "some groups do not exist in this app")
	}
	return nil
}

// resolveTargets turns targets into deliveries of the job-to-be: one per
// device, plus, for each targeted user, an anchor (a delivery with the
// user and no device) that lets a device bound to the user later, within
// the TTL, get the message too. Targets that do not exist are listed.
func (s *Service) resolveTargets(ctx context.Context, tx *ent.Tx, job jobRef, items []planItem) (*resolved, error) {
	var devIDs []nodeid.ID
	var userIDs []string
	for _, it := range items {
		for _, d := range it.target.DeviceIDs {
			devIDs = append(devIDs, nodeid.ID(d))
		}
		userIDs = append(userIDs, it.target.UserIDs...)
	}
	devices, err := namedDevices(ctx, tx, job.AppID, devIDs)
	if err != nil {
		return nil, err
	}
	users, userDevices, err := namedUsers(ctx, tx, job.AppID, userIDs)
	if err != nil {
		return nil, err
	}
	r := &resolved{seen: map[nodeid.ID]bool{}}
	for _, it := range items {
		for _, id := range it.target.DeviceIDs {
			d, ok := devices[nodeid.ID(id)]
			if !ok {
				r.unknown = append(r.unknown, id)
				continue
			}
			r.add(tx, job, d, it)
		}
		for _, u := range it.target.UserIDs {
			uid := users[u]
			anchor := tx.Delivery.Create().SetAppID(job.AppID).SetJobID(job.ID).SetAppUserID(uid).
				SetExpiresAt(job.ExpiresAt)
			setContent(anchor, it)
			r.rows = append(r.rows, anchor)
			for _, d := range userDevices[uid] {
				r.add(tx, job, d, it)
			}
		}
	}
	return r, nil
}

// namedDevices loads the app's devices among ids.
func namedDevices(ctx context.Context, tx *ent.Tx, app nodeid.ID, ids []nodeid.ID) (map[nodeid.ID]*ent.Device, error) {
	devices := map[nodeid.ID]*ent.Device{}
	if len(ids) == 0 {
		return devices, nil
	}
	ds, err := tx.Device.Query().Where(device.AppID(app), device.IDIn(core.Unique(ids)...)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		devices[d.ID] = d
	}
	return devices, nil
}

// namedUsers returns the app's users among the external IDs, creating
// those it does not know yet, and their devices.
func namedUsers(ctx context.Context, tx *ent.Tx, app nodeid.ID, external []string) (map[string]nodeid.ID, map[nodeid.ID][]*ent.Device, error) {
	users := map[string]nodeid.ID{}
	userDevices := map[nodeid.ID][]*ent.Device{}
	for _, chunk := range core.Chunks(core.Unique(external), 1000) {
		bulk := make([]*ent.AppUserCreate, len(chunk))
		for i, u := range chunk {
			bulk[i] = tx.AppUser.Create().SetAppID(app).SetExternalID(u)
		}
		// Pushing to a user that has no device yet is how a backend
		// reaches a user who will sign in within the TTL.
		if err := tx.AppUser.CreateBulk(bulk...).OnConflictColumns(appuser.FieldAppID, appuser.FieldExternalID).DoNothing().Exec(ctx); err != nil {
			return nil, nil, err
		}
		us, err := tx.AppUser.Query().Where(appuser.AppID(app), appuser.ExternalIDIn(chunk...)).All(ctx)
		if err != nil {
			return nil, nil, err
		}
		ids := make([]nodeid.ID, len(us))
		for i, u := range us {
			users[u.ExternalID] = u.ID
			ids[i] = u.ID
		}
		ds, err := tx.Device.Query().Where(device.AppID(app), device.UserIDIn(ids...)).All(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, d := range ds {
			userDevices[*d.UserID] = append(userDevices[*d.UserID], d)
		}
	}
	return users, userDevices, nil
}

// add writes a device's delivery, once per device (the first item that
// names it wins).
func (r *resolved) add(tx *ent.Tx, job jobRef, d *ent.Device, it planItem) {
	if r.seen[d.ID] {
		return
	}
	r.seen[d.ID] = true
	r.targeted++
	id := nodeid.New("dlv")
	c := tx.Delivery.Create().SetID(id).SetAppID(job.AppID).SetJobID(job.ID).SetDeviceID(d.ID).
		SetExpiresAt(job.ExpiresAt)
	setContent(c, it)
	if !d.PushEnabled {
		c.SetStatus(delivery.StatusFAILED).SetLastError("push is disabled on the device")
		r.disabled++
	} else {
		r.sendable = append(r.sendable, sendable{row: c, id: id, device: d.ID, message: it.message})
	}
	r.rows = append(r.rows, c)
}

// setContent gives a delivery its item's own message and key, if any.
func setContent(c *ent.DeliveryCreate, it planItem) {
	if it.message != nil {
		c.SetMessage(it.message)
	}
	if it.msgKey != "" {
		c.SetMsgKey(it.msgKey)
	}
}

// resolved are a job's deliveries, ready to be written once the job is.
type resolved struct {
	rows               []*ent.DeliveryCreate
	unknown            []string
	targeted, disabled int
	// sendable are the device deliveries that may go out (push enabled),
	// with their IDs and messages, for a claim at accept time.
	sendable []sendable
	// claimed are the ones claimed for the self channel at accept time.
	claimed []core.SelfMessage
	// seen are the devices given a delivery already.
	seen map[nodeid.ID]bool
}

type sendable struct {
	row     *ent.DeliveryCreate
	id      nodeid.ID
	device  nodeid.ID
	message *jsontype.Message
}

// setCounts gives the job its counts before its first refresh.
func (r *resolved) setCounts(c *ent.PushJobCreate) {
	sent := len(r.claimed)
	c.SetCountTargeted(r.targeted).SetCountPending(r.targeted - r.disabled - sent).
		SetCountSent(sent).SetCountFailed(r.disabled)
	if len(r.unknown) > 0 {
		c.SetUnknownTargets(r.unknown)
	}
}

// claimOnline claims, before they are even written, the deliveries whose
// devices are online on the self channel: each gets its device's next seq
// and is written SENT, in the accept transaction, which saves a second
// durable commit per push. The caller hands them to the gateway after the
// commit; if it dies first, redelivery hands them again.
func (s *Service) claimOnline(ctx context.Context, tx *ent.Tx, r *resolved, message jsontype.Message, expires time.Time) error {
	if s.self == nil || s.dialect != dialect.Postgres || len(r.sendable) == 0 {
		return nil
	}
	devices := make([]nodeid.ID, len(r.sendable))
	for i, sd := range r.sendable {
		devices[i] = sd.device
	}
	online, err := s.self.Online(ctx, devices)
	if err != nil {
		return nil // presence unavailable: the send that follows decides
	}
	var on []nodeid.ID
	for _, d := range devices {
		if online[d] {
			on = append(on, d)
		}
	}
	if len(on) == 0 {
		return nil
	}
	seqs, err := deliver.ReserveNextSeqs(ctx, tx, on)
	if err != nil {
		return err
	}
	now := s.now()
	for _, sd := range r.sendable {
		seq, ok := seqs[sd.device]
		if !ok {
			continue
		}
		sd.row.SetStatus(delivery.StatusSENT).SetChannel(enum.ChannelSelf).SetSeq(seq).SetSentAt(now).SetAttempts(1)
		m := message
		if sd.message != nil {
			m = *sd.message
		}
		r.claimed = append(r.claimed, core.SelfMessage{MessageID: sd.id, DeviceID: sd.device, Seq: seq, Message: m, ExpiresAt: expires})
	}
	return nil
}

func (r *resolved) write(ctx context.Context, tx *ent.Tx) error {
	for _, chunk := range core.Chunks(r.rows, 1000) {
		if err := tx.Delivery.CreateBulk(chunk...).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
