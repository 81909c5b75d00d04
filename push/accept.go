package push

import (
	"context"
	"strconv"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/ent/template"
	"github.com/pushd/pushd/pipeline"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/intake"
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
	if !inline {
		s.outbox.Relay(sys, acc.outbox)
		return acc.job, nil
	}
	s.sendAccepted(ctx, sys, acc)
	return acc.job, nil
}

// sendAccepted sends an inline push after its commit: the claimed
// deliveries to the gateway at once, the rest in the background when an
// inline slot is free, or else through the queue.
func (s *Service) sendAccepted(ctx, sys context.Context, acc *accepted) {
	job := acc.job
	if len(acc.claimed) > 0 {
		if err := s.self.SendSelf(sys, acc.claimed); err != nil {
			// Claimed and numbered: redelivery or the device's resume.
			s.log.WarnContext(ctx, "self channel: hand-off failed", "messages", len(acc.claimed), "err", err)
		}
		s.mark(sys, job.ID)
	}
	if !acc.unclaimed {
		return
	}
	if !take(s.inlineSlots) {
		t := pipeline.NewTask(pipeline.Dispatch{Job: job.ID}, pipeline.QueueFor(job.Kind), "accepted")
		if err := s.queue.Enqueue(sys, []Task{t}); err != nil {
			s.log.WarnContext(ctx, "send: left to the reconciler", "job", job.ID, "err", err)
		}
		return
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
	ttl, err := intake.CheckOptions(&req.Options, s.now())
	if err != nil {
		return nil, err
	}
	p := &plan{req: req, ttl: ttl}
	var tpl *intake.TemplateContent
	if req.TemplateName != "" {
		t, err := s.client.Template.Query().Where(template.AppID(req.AppID), template.Name(req.TemplateName)).Only(ctx)
		if ent.IsNotFound(err) {
			return nil, &core.Error{Code: core.CodeNotFound, Field: "templateName", Message: "no template named " + strconv.Quote(req.TemplateName) + " in this app"}
		}
		if err != nil {
			return nil, err
		}
		tpl = &intake.TemplateContent{Name: t.Name, Title: t.Title, Body: t.Body, Defaults: t.Defaults}
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
		m, err := intake.RenderTemplate("vars", *tpl, req.Vars)
		if err != nil {
			return nil, err
		}
		p.message = intake.Overlay(*m, req.Message)
	case enum.PushKindMultiple:
		if err := p.planItems(tpl); err != nil {
			return nil, err
		}
	case enum.PushKindBroadcast:
		switch {
		case tpl != nil && req.Message != nil:
			return nil, core.Invalid("message", "give templateName or message, not both")
		case tpl != nil:
			m, err := intake.RenderTemplate("vars", *tpl, req.Vars)
			if err != nil {
				return nil, err
			}
			p.message = *m
		case req.Message != nil:
			p.message = *req.Message
		default:
			return nil, core.Invalid("message", "give templateName or message")
		}
		if err := intake.CheckAudience(&p.req.Audience); err != nil {
			return nil, err
		}
		if err := s.checkGroups(ctx, req.AppID, p.req.Audience.Groups); err != nil {
			return nil, err
		}
	default:
		return nil, core.Invalid("kind", "unknown push kind %q", req.Kind)
	}
	if req.Kind == enum.PushKindSimple || req.Kind == enum.PushKindTemplate {
		if err := intake.CheckTarget("target", &p.req.Target, MaxTargets); err != nil {
			return nil, err
		}
		p.items = []planItem{{target: p.req.Target}}
	}
	if req.Kind != enum.PushKindMultiple {
		if err := intake.CheckMessage("message", &p.message); err != nil {
			return nil, err
		}
	}
	if req.Options.Recurrence != nil && req.Kind == enum.PushKindMultiple {
		return nil, core.Invalid("options.recurrence", "is for simple, template and broadcast pushes")
	}
	return p, nil
}

func (p *plan) planItems(tpl *intake.TemplateContent) error {
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
		if err := intake.CheckTarget(field+".target", &it.Target, MaxItems); err != nil {
			return err
		}
		if total += len(it.Target.DeviceIDs) + len(it.Target.UserIDs); total > MaxItems {
			return core.Invalid("items", "at most %d targets across items", MaxItems)
		}
		if len(it.MsgKey) > intake.MaxMsgKey {
			return core.Invalid(field+".msgKey", "at most %d bytes", intake.MaxMsgKey)
		}
		var m jsontype.Message
		switch {
		case tpl != nil:
			r, err := intake.RenderTemplate(field+".vars", *tpl, it.Vars)
			if err != nil {
				return err
			}
			m = intake.Overlay(*r, it.Message)
		case it.Message != nil:
			m = *it.Message
		default:
			return core.Invalid(field+".message", "give a message, or templateName for the push")
		}
		if err := intake.CheckMessage(field+".message", &m); err != nil {
			return err
		}
		p.items = append(p.items, planItem{target: it.Target, msgKey: it.MsgKey, message: &m})
	}
	if tpl != nil {
		p.message = jsontype.Message{Title: tpl.Title, Body: tpl.Body}
	}
	return nil
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
		create, err := newJobCreate(tx, p, now, start)
		if err != nil {
			return err
		}
		var targets *resolved
		if o.Recurrence == nil && p.req.Kind != enum.PushKindBroadcast {
			if targets, err = s.resolveAtAccept(ctx, tx, p, create, inline, now, start); err != nil {
				return err
			}
		}
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
		ob, err := pipeline.OutboxRow(tx, job.AppID, pipeline.NewTask(pipeline.Dispatch{Job: job.ID}, pipeline.QueueFor(job.Kind), "")).
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

// newJobCreate builds the job's row: a recurring push is a schedule, whose
// occurrences are jobs of their own, made when each is due.
func newJobCreate(tx *ent.Tx, p *plan, now, start time.Time) (*ent.PushJobCreate, error) {
	o := p.req.Options
	create := tx.PushJob.Create().
		SetAppID(p.req.AppID).SetKind(p.req.Kind).
		SetMessage(p.message).SetTarget(p.req.Target).SetAudience(p.req.Audience).
		SetOptions(jsontype.Options{TTLSeconds: int(p.ttl.Seconds()), Channels: o.Channels, TaskName: o.TaskName, TestMessage: o.TestMessage}).
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
	switch {
	case o.Recurrence != nil:
		sched, loc, _ := intake.ParseRecurrence(*o.Recurrence)
		next := intake.NextOccurrence(sched, loc, *o.Recurrence, now)
		if next == nil {
			return nil, core.Invalid("options.recurrence", "has no occurrence after now")
		}
		create.SetRecurrence(o.Recurrence).SetStatus(pushjob.StatusSCHEDULED).SetScheduleAt(*next)
	case o.ScheduleAt != nil:
		create.SetStatus(pushjob.StatusSCHEDULED)
	}
	return create, nil
}

// resolveAtAccept resolves a push's targets before its job is written, so
// that the job is written once, with its counts, and its deliveries right
// after it; an inline push also claims the online devices' deliveries.
func (s *Service) resolveAtAccept(ctx context.Context, tx *ent.Tx, p *plan, create *ent.PushJobCreate, inline bool, now, start time.Time) (*resolved, error) {
	o := p.req.Options
	ref := jobRef{ID: nodeid.New(jobIDPrefix), AppID: p.req.AppID, ExpiresAt: start.Add(p.ttl)}
	targets, err := s.resolveTargets(ctx, tx, ref, p.items)
	if err != nil {
		return nil, err
	}
	if inline && core.ChannelAllowed(&ent.PushJob{Options: jsontype.Options{Channels: o.Channels}}, enum.ChannelSelf) {
		if err := s.claimOnline(ctx, tx, targets, p.message, ref.ExpiresAt); err != nil {
			return nil, err
		}
		if len(targets.claimed) == len(targets.sendable) {
			// Nothing left to send: dispatched already.
			create.SetStatus(pushjob.StatusSENDING).SetDispatchedAt(now)
		}
	}
	create.SetID(ref.ID)
	targets.setCounts(create)
	return targets, nil
}
