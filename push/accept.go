package push

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"entgo.io/ent/dialect"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/appuser"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/group"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/ent/template"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// jobRef is what a job's deliveries need of it before it is written.
type jobRef struct {
	ID, AppID nodeid.ID
	ExpiresAt time.Time
}

// plan is a validated push, ready to be written.
type plan struct {
	req     PushRequest
	ttl     time.Duration
	message jsontype.Message
	// items are the per-target messages of a MULTIPLE push, or one item
	// holding req.Target for SIMPLE and TEMPLATE.
	items []planItem
}

type planItem struct {
	target  jsontype.Target
	msgKey  string
	message *jsontype.Message // nil: the job's message
}

// Push accepts a push in any of the four modes: it validates and renders
// it, and in one transaction writes the job, its deliveries (all but a
// broadcast's, which are written as its audience is paged) and the outbox
// row that starts the pipeline (or sends it at once, below). The same (app, msgKey) returns the job
// first accepted with it, and sends nothing new.
func (s *Service) Push(ctx context.Context, req PushRequest) (*ent.PushJob, error) {
	if err := tenant.Require(ctx, req.AppID, tenant.NeedWrite); err != nil {
		return nil, err
	}
	sys := tenant.AsSystem(ctx)
	if req.Options.MsgKey != "" {
		if job, err := s.jobByMsgKey(sys, req.AppID, req.Options.MsgKey); err == nil || !ent.IsNotFound(err) {
			return job, err
		}
	}
	if s.admission != nil {
		// Before anything is written: a refused push leaves no trace.
		who, _ := tenant.FromContext(ctx)
		if err := s.admission.Admit(ctx, req.AppID, who.APIKeyID); err != nil {
			return nil, err
		}
	}
	p, err := s.plan(sys, req)
	if err != nil {
		return nil, err
	}
	// A push that one send covers is sent by this process: deliveries to
	// devices online on the self channel are claimed as they are written
	// and handed to the gateway right after the commit; the rest (offline
	// devices, vendor channels) are sent here too when a slot is free, or
	// through the queue, so that a burst is not slowed by its own
	// deliveries. Such a push needs no outbox row: if this process dies
	// before its send, the reconciler restarts the job, as it would a job
	// whose task was lost. When more requests than sendSlots are sending
	// at once, the rest go through the queue: under a burst, accepting
	// stays fast and the workers catch up.
	inline := s.inlineCandidate(p) && take(s.sendSlots)
	if inline {
		defer func() { <-s.sendSlots }()
	}
	acc, err := s.accept(sys, p, inline)
	if ent.IsConstraintError(err) && req.Options.MsgKey != "" {
		// Another request with this msgKey won the race.
		return s.jobByMsgKey(sys, req.AppID, req.Options.MsgKey)
	}
	if err != nil {
		return nil, err
	}
	job := acc.job
	if !inline {
		s.outbox.Relay(sys, acc.outbox)
		return job, nil
	}
	if len(acc.claimed) > 0 {
		if err := s.self.SendSelf(sys, acc.claimed); err != nil {
			// Claimed and numbered: redelivery or the device's resume.
			s.log.WarnContext(ctx, "self channel: hand-off failed", "messages", len(acc.claimed), "err", err)
		}
		s.mark(sys, job.ID)
	}
	if !acc.unclaimed {
		return job, nil
	}
	if !take(s.inlineSlots) {
		t := pipeline.NewTask(pipeline.Dispatch{Job: job.ID}, queueFor(job.Kind), "accepted")
		if err := s.queue.Enqueue(sys, []Task{t}); err != nil {
			s.log.WarnContext(ctx, "send: left to the reconciler", "job", job.ID, "err", err)
		}
		return job, nil
	}
	s.inflight.Add(1)
	own := *job // the caller reads job while this runs
	go func() {
		defer s.inflight.Done()
		defer func() { <-s.inlineSlots }()
		ctx := context.WithoutCancel(sys)
		var err error
		if own.CountTargeted <= SendBatch {
			err = s.dispatchSmall(ctx, &own)
		} else {
			err = s.Dispatch(ctx, own.ID) // its users had more devices than expected
		}
		if err != nil {
			s.log.WarnContext(ctx, "send: left to the reconciler", "job", own.ID, "err", err)
		}
	}()
	return job, nil
}

// maxInlineTargets bounds the targets of a push sent inline (a user may
// have several devices; one send covers SendBatch of them).
const maxInlineTargets = 100

// inlineCandidate reports whether a push may be sent by the process that
// accepts it: a single or template push, due now, with few targets.
func (s *Service) inlineCandidate(p *plan) bool {
	o := p.req.Options
	return s.queue != nil && (p.req.Kind == enum.PushKindSimple || p.req.Kind == enum.PushKindTemplate) &&
		o.ScheduleAt == nil && o.Recurrence == nil &&
		len(p.req.Target.DeviceIDs)+len(p.req.Target.UserIDs) <= maxInlineTargets
}

// take takes a slot of a semaphore if one is free.
func take(slots chan struct{}) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// Drain waits for the sends this process started inline.
func (s *Service) Drain() { s.inflight.Wait() }

func (s *Service) jobByMsgKey(ctx context.Context, app nodeid.ID, key string) (*ent.PushJob, error) {
	return s.client.PushJob.Query().Where(pushjob.AppID(app), pushjob.MsgKey(key)).Only(ctx)
}

// plan validates a request and renders its messages.
func (s *Service) plan(ctx context.Context, req PushRequest) (*plan, error) {
	ttl, err := checkOptions(&req.Options, s.now())
	if err != nil {
		return nil, err
	}
	p := &plan{req: req, ttl: ttl}
	var tpl *templateContent
	if req.TemplateName != "" {
		t, err := s.client.Template.Query().Where(template.AppID(req.AppID), template.Name(req.TemplateName)).Only(ctx)
		if ent.IsNotFound(err) {
			return nil, &core.Error{Code: core.CodeNotFound, Field: "templateName", Message: "no template named " + strconv.Quote(req.TemplateName) + " in this app"}
		}
		if err != nil {
			return nil, err
		}
		tpl = &templateContent{Name: t.Name, Title: t.Title, Body: t.Body, Defaults: t.Defaults}
	}
	switch req.Kind {
	case enum.PushKindSimple:
		if req.Message == nil {
			return nil, core.Invalid("message", "is required")
		}
		p.message = *req.Message
	case enum.PushKindTemplate:
		if tpl == nil {
			return nil, core.Invalid("templateName", "is required")
		}
		m, err := renderTemplate("vars", *tpl, req.Vars)
		if err != nil {
			return nil, err
		}
		p.message = overlay(*m, req.Message)
	case enum.PushKindMultiple:
		if err := p.planItems(tpl); err != nil {
			return nil, err
		}
	case enum.PushKindBroadcast:
		switch {
		case tpl != nil && req.Message != nil:
			return nil, core.Invalid("message", "give templateName or message, not both")
		case tpl != nil:
			m, err := renderTemplate("vars", *tpl, req.Vars)
			if err != nil {
				return nil, err
			}
			p.message = *m
		case req.Message != nil:
			p.message = *req.Message
		default:
			return nil, core.Invalid("message", "give templateName or message")
		}
		if err := checkAudience(&p.req.Audience); err != nil {
			return nil, err
		}
		if err := s.checkGroups(ctx, req.AppID, p.req.Audience.Groups); err != nil {
			return nil, err
		}
	default:
		return nil, core.Invalid("kind", "unknown push kind %q", req.Kind)
	}
	if req.Kind == enum.PushKindSimple || req.Kind == enum.PushKindTemplate {
		if err := checkTarget("target", &p.req.Target, MaxTargets); err != nil {
			return nil, err
		}
		p.items = []planItem{{target: p.req.Target}}
	}
	if req.Kind != enum.PushKindMultiple {
		if err := checkMessage("message", &p.message); err != nil {
			return nil, err
		}
	}
	if req.Options.Recurrence != nil && req.Kind == enum.PushKindMultiple {
		return nil, core.Invalid("options.recurrence", "is for simple, template and broadcast pushes")
	}
	return p, nil
}

func (p *plan) planItems(tpl *templateContent) error {
	items := p.req.Items
	if len(items) == 0 {
		return core.Invalid("items", "give at least one item")
	}
	if len(items) > MaxItems {
		return core.Invalid("items", "at most %d items per push, got %d", MaxItems, len(items))
	}
	total := 0
	for i := range items {
		it := &items[i]
		field := "items[" + strconv.Itoa(i) + "]"
		if err := checkTarget(field+".target", &it.Target, MaxItems); err != nil {
			return err
		}
		if total += len(it.Target.DeviceIDs) + len(it.Target.UserIDs); total > MaxItems {
			return core.Invalid("items", "at most %d targets across items", MaxItems)
		}
		if len(it.MsgKey) > maxMsgKey {
			return core.Invalid(field+".msgKey", "at most %d bytes", maxMsgKey)
		}
		var m jsontype.Message
		switch {
		case tpl != nil:
			r, err := renderTemplate(field+".vars", *tpl, it.Vars)
			if err != nil {
				return err
			}
			m = overlay(*r, it.Message)
		case it.Message != nil:
			m = *it.Message
		default:
			return core.Invalid(field+".message", "give a message, or templateName for the push")
		}
		if err := checkMessage(field+".message", &m); err != nil {
			return err
		}
		p.items = append(p.items, planItem{target: it.Target, msgKey: it.MsgKey, message: &m})
	}
	if tpl != nil {
		p.message = jsontype.Message{Title: tpl.Title, Body: tpl.Body}
	}
	return nil
}

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

// queueFor gives each kind its priority.
func queueFor(k enum.PushKind) string {
	switch k {
	case enum.PushKindSimple, enum.PushKindTemplate:
		return QueueCritical
	case enum.PushKindMultiple:
		return QueueDefault
	}
	return QueueLow
}

// accepted is what accept wrote.
type accepted struct {
	job    *ent.PushJob
	outbox []*ent.Outbox
	// claimed went out on the self channel at accept time; unclaimed
	// says whether any delivery is still to be sent.
	claimed   []core.SelfMessage
	unclaimed bool
}

// accept writes the job, its deliveries and the outbox row of its
// dispatch, at once. A push the accepting process sends itself (inline)
// has no outbox row, and its deliveries to devices online on the self
// channel are claimed as they are written.
func (s *Service) accept(ctx context.Context, p *plan, inline bool) (*accepted, error) {
	withOutbox := !inline
	now := s.now()
	start := now
	if p.req.Options.ScheduleAt != nil {
		start = *p.req.Options.ScheduleAt
	}
	o := p.req.Options
	var job *ent.PushJob
	var outbox []*ent.Outbox
	out := &accepted{}
	err := s.withTx(ctx, func(tx *ent.Tx) error {
		create := tx.PushJob.Create().
			SetAppID(p.req.AppID).SetKind(p.req.Kind).
			SetMessage(p.message).SetTarget(p.req.Target).SetAudience(p.req.Audience).
			SetOptions(jsontype.Options{TTLSeconds: int(p.ttl.Seconds()), Channels: o.Channels, TaskName: o.TaskName}).
			SetTTLSeconds(int(p.ttl.Seconds())).SetTaskName(o.TaskName).
			SetNillableScheduleAt(o.ScheduleAt)
		if o.Recurrence == nil {
			create.SetExpiresAt(start.Add(p.ttl))
		}
		if o.MsgKey != "" {
			create.SetMsgKey(o.MsgKey)
		}
		if p.req.TemplateName != "" {
			create.SetTemplateName(p.req.TemplateName)
		}
		if o.Recurrence != nil {
			sched, loc, _ := ParseRecurrence(*o.Recurrence)
			next := nextOccurrence(sched, loc, *o.Recurrence, now)
			if next == nil {
				return core.Invalid("options.recurrence", "has no occurrence after now")
			}
			// A recurring push is a schedule: its occurrences are jobs of
			// their own, made when each is due.
			create.SetRecurrence(o.Recurrence).SetStatus(pushjob.StatusSCHEDULED).SetScheduleAt(*next)
		} else if o.ScheduleAt != nil {
			create.SetStatus(pushjob.StatusSCHEDULED)
		}
		var targets *resolved
		if o.Recurrence == nil && p.req.Kind != enum.PushKindBroadcast {
			// Resolved first, so that the job is written once, with its
			// counts, and its deliveries right after it.
			ref := jobRef{ID: nodeid.New(jobIDPrefix), AppID: p.req.AppID, ExpiresAt: start.Add(p.ttl)}
			var err error
			if targets, err = s.resolveTargets(ctx, tx, ref, p.items); err != nil {
				return err
			}
			if inline && channelAllowed(&ent.PushJob{Options: jsontype.Options{Channels: o.Channels}}, enum.ChannelSelf) {
				if err := s.claimOnline(ctx, tx, targets, p.message, ref.ExpiresAt); err != nil {
					return err
				}
				if len(targets.claimed) == len(targets.sendable) {
					// Nothing left to send: dispatched already.
					create.SetStatus(pushjob.StatusSENDING).SetDispatchedAt(now)
				}
			}
			create.SetID(ref.ID)
			targets.setCounts(create)
		}
		var err error
		job, err = create.Save(ctx)
		if err != nil {
			return err
		}
		if o.Recurrence != nil {
			return nil // the scheduler makes the occurrences
		}
		if targets != nil {
			if err := targets.write(ctx, tx); err != nil {
				return err
			}
			out.claimed = targets.claimed
			out.unclaimed = len(targets.claimed) < len(targets.sendable)
		}
		if !withOutbox {
			return nil
		}
		ob, err := pipeline.OutboxRow(tx, job.AppID, pipeline.NewTask(pipeline.Dispatch{Job: job.ID}, queueFor(job.Kind), "")).
			SetNillableProcessAt(o.ScheduleAt).SetRelayedAt(now).Save(ctx)
		outbox = append(outbox, ob)
		return err
	})
	if err != nil {
		return nil, err
	}
	out.job, out.outbox = job.Unwrap(), outbox
	return out, nil
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
	rows, err := tx.QueryContext(ctx, `UPDATE devices SET last_seq = last_seq + 1
WHERE id IN (SELECT id FROM devices WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE)
RETURNING id, last_seq`, idStrings(on))
	if err != nil {
		return fmt.Errorf("reserve seqs: %w", err)
	}
	seqs := map[nodeid.ID]int64{}
	for rows.Next() {
		var id string
		var seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			rows.Close()
			return err
		}
		seqs[nodeid.ID(id)] = seq
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
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
	devices := map[nodeid.ID]*ent.Device{}
	if len(devIDs) > 0 {
		ds, err := tx.Device.Query().Where(device.AppID(job.AppID), device.IDIn(core.Unique(devIDs)...)).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			devices[d.ID] = d
		}
	}
	users := map[string]nodeid.ID{}
	userDevices := map[nodeid.ID][]*ent.Device{}
	if len(userIDs) > 0 {
		userIDs = core.Unique(userIDs)
		for _, chunk := range core.Chunks(userIDs, 1000) {
			bulk := make([]*ent.AppUserCreate, len(chunk))
			for i, u := range chunk {
				bulk[i] = tx.AppUser.Create().SetAppID(job.AppID).SetExternalID(u)
			}
			// Pushing to a user that has no device yet is how a backend
			// reaches a user who will sign in within the TTL.
			if err := tx.AppUser.CreateBulk(bulk...).OnConflictColumns(appuser.FieldAppID, appuser.FieldExternalID).DoNothing().Exec(ctx); err != nil {
				return nil, err
			}
			us, err := tx.AppUser.Query().Where(appuser.AppID(job.AppID), appuser.ExternalIDIn(chunk...)).All(ctx)
			if err != nil {
				return nil, err
			}
			ids := make([]nodeid.ID, len(us))
			for i, u := range us {
				users[u.ExternalID] = u.ID
				ids[i] = u.ID
			}
			ds, err := tx.Device.Query().Where(device.AppID(job.AppID), device.UserIDIn(ids...)).All(ctx)
			if err != nil {
				return nil, err
			}
			for _, d := range ds {
				userDevices[*d.UserID] = append(userDevices[*d.UserID], d)
			}
		}
	}
	r := &resolved{}
	seen := map[nodeid.ID]bool{}
	add := func(d *ent.Device, it planItem) {
		if seen[d.ID] {
			return // a device named twice gets the message once (the first)
		}
		seen[d.ID] = true
		r.targeted++
		id := nodeid.New("dlv")
		c := tx.Delivery.Create().SetID(id).SetAppID(job.AppID).SetJobID(job.ID).SetDeviceID(d.ID).
			SetExpiresAt(job.ExpiresAt)
		if it.message != nil {
			c.SetMessage(it.message)
		}
		if it.msgKey != "" {
			c.SetMsgKey(it.msgKey)
		}
		if !d.PushEnabled {
			c.SetStatus(delivery.StatusFAILED).SetLastError("push is disabled on the device")
			r.disabled++
		} else {
			r.sendable = append(r.sendable, sendable{row: c, id: id, device: d.ID, message: it.message})
		}
		r.rows = append(r.rows, c)
	}
	for _, it := range items {
		for _, id := range it.target.DeviceIDs {
			d, ok := devices[nodeid.ID(id)]
			if !ok {
				r.unknown = append(r.unknown, id)
				continue
			}
			add(d, it)
		}
		for _, u := range it.target.UserIDs {
			uid := users[u]
			anchor := tx.Delivery.Create().SetAppID(job.AppID).SetJobID(job.ID).SetAppUserID(uid).
				SetExpiresAt(job.ExpiresAt)
			if it.message != nil {
				anchor.SetMessage(it.message)
			}
			if it.msgKey != "" {
				anchor.SetMsgKey(it.msgKey)
			}
			r.rows = append(r.rows, anchor)
			for _, d := range userDevices[uid] {
				add(d, it)
			}
		}
	}
	return r, nil
}
