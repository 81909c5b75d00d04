// Package intake checks what a push request asks for before anything is
// written: targets, options and schedules, messages and their vendor
// limits, broadcast filters, and templates with their placeholders and
// variables. It is pure: every rule is a function of its input (and the
// clock it is given), so the rules are table and fuzz tested here and
// every mode of push.Service.Push applies the same ones.
package intake

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/robfig/cron/v3"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/devices"
)

// Limits of the API (docs/api.md, Limits). Each is enforced with an INVALID_ARGUMENT naming the
// field and the number.
const (
	DefaultTTL = 3 * 24 * time.Hour
	MaxTTL     = 30 * 24 * time.Hour
	// MaxTargets bounds the devices or users of one simple or template push.
	MaxTargets = 1000
	// MaxItems bounds the items of one multiple push, and their targets.
	MaxItems = 10_000
	// MaxPayloadBytes bounds a rendered message, as JSON.
	MaxPayloadBytes = 4096
	// MaxMsgKey bounds an idempotency key (options.msgKey, an item's msgKey).
	MaxMsgKey   = 128
	maxTaskName = 200
	// MaxScheduleAhead bounds how far ahead a push may be scheduled.
	MaxScheduleAhead = 366 * 24 * time.Hour
	// scheduleSlack tolerates a scheduleAt slightly in the past (clock skew
	// between the backend and pushd): it means "now".
	scheduleSlack = time.Minute
)

// Message priorities.
const (
	PriorityHigh   = "HIGH"
	PriorityNormal = "NORMAL"
)

// Bind filters of an audience.
const (
	BoundAny     = "ANY"
	BoundBound   = "BOUND"
	BoundUnbound = "UNBOUND"
)

// Options are the options all four push modes share.
type Options struct {
	// TTLSeconds nil means DefaultTTL; 0 means "only if reachable now".
	TTLSeconds *int
	MsgKey     string
	ScheduleAt *time.Time
	Recurrence *jsontype.Recurrence
	TaskName   string
	Channels   []enum.Channel
	// TestMessage sends as the vendors' test message where they have one.
	TestMessage bool
}

// Item is one target of a multiple push, with its own variables or
// message.
type Item struct {
	Target  jsontype.Target
	MsgKey  string
	Vars    map[string]any
	Message *jsontype.Message
}

// Request is a push in any of the four modes. Which fields apply
// depends on Kind.
type Request struct {
	AppID nodeid.ID
	Kind  enum.PushKind
	// Target is for SIMPLE and TEMPLATE.
	Target jsontype.Target
	// Message is for SIMPLE, and BROADCAST without a template.
	Message *jsontype.Message
	// TemplateName and Vars are for TEMPLATE, MULTIPLE and BROADCAST.
	TemplateName string
	Vars         map[string]any
	Items        []Item
	Audience     jsontype.Audience
	Options      Options
}

// CheckTarget validates one target: exactly one of device IDs or user IDs.
func CheckTarget(field string, t *jsontype.Target, max int) error {
	switch {
	case len(t.DeviceIDs) > 0 && len(t.UserIDs) > 0:
		return core.Invalid(field, "give deviceIDs or userIDs, not both")
	case len(t.DeviceIDs) == 0 && len(t.UserIDs) == 0:
		return core.Invalid(field, "give deviceIDs or userIDs")
	}
	t.DeviceIDs, t.UserIDs = core.Unique(t.DeviceIDs), core.Unique(t.UserIDs)
	if n := len(t.DeviceIDs) + len(t.UserIDs); n > max {
		return core.Invalid(field, "at most %d targets per push, got %d", max, n)
	}
	for _, u := range t.UserIDs {
		if err := devices.CheckUserID(u); err != nil {
			return core.Invalid(field+".userIDs", "%q: user IDs are 1 to %d bytes of UTF-8", u, devices.MaxUserID)
		}
	}
	return nil
}

// CheckOptions validates options and returns the TTL to apply.
func CheckOptions(o *Options, now time.Time) (time.Duration, error) {
	ttl := DefaultTTL
	if o.TTLSeconds != nil {
		if *o.TTLSeconds < 0 || time.Duration(*o.TTLSeconds)*time.Second > MaxTTL {
			return 0, core.Invalid("options.ttlSeconds", "must be from 0 to %d (30 days), got %d", int(MaxTTL.Seconds()), *o.TTLSeconds)
		}
		ttl = time.Duration(*o.TTLSeconds) * time.Second
	}
	if len(o.MsgKey) > MaxMsgKey || !utf8.ValidString(o.MsgKey) {
		return 0, core.Invalid("options.msgKey", "must be valid UTF-8 of at most %d bytes", MaxMsgKey)
	}
	if len(o.TaskName) > maxTaskName || !utf8.ValidString(o.TaskName) {
		return 0, core.Invalid("options.taskName", "must be valid UTF-8 of at most %d bytes", maxTaskName)
	}
	for _, c := range o.Channels {
		if !c.Valid() {
			return 0, core.Invalid("options.channels", "unknown channel %q", c)
		}
	}
	o.Channels = core.Unique(o.Channels)
	if o.ScheduleAt != nil && o.Recurrence != nil {
		return 0, core.Invalid("options.scheduleAt", "give scheduleAt or recurrence, not both")
	}
	// Stored times are UTC, whatever offset the caller wrote them in.
	if o.ScheduleAt != nil {
		at := o.ScheduleAt.UTC()
		o.ScheduleAt = &at
	}
	if r := o.Recurrence; r != nil {
		rc := *r
		if rc.StartAt != nil {
			v := rc.StartAt.UTC()
			rc.StartAt = &v
		}
		if rc.EndAt != nil {
			v := rc.EndAt.UTC()
			rc.EndAt = &v
		}
		o.Recurrence = &rc
	}
	if at := o.ScheduleAt; at != nil {
		switch {
		case at.Before(now.Add(-scheduleSlack)):
			return 0, core.Invalid("options.scheduleAt", "is in the past (%s)", at.UTC().Format(time.RFC3339))
		case at.After(now.Add(MaxScheduleAhead)):
			return 0, core.Invalid("options.scheduleAt", "at most 366 days ahead")
		case !at.After(now):
			o.ScheduleAt = nil // due already: send now
		}
	}
	if r := o.Recurrence; r != nil {
		if _, _, err := ParseRecurrence(*r); err != nil {
			return 0, err
		}
	}
	return ttl, nil
}

// ParseRecurrence checks a recurrence and returns its schedule and zone.
func ParseRecurrence(r jsontype.Recurrence) (cron.Schedule, *time.Location, error) {
	if r.TimeZone == "" {
		return nil, nil, core.Invalid("options.recurrence.timeZone", "is required (an IANA name such as Asia/Shanghai or UTC)")
	}
	loc, err := time.LoadLocation(r.TimeZone)
	if err != nil || strings.HasPrefix(r.TimeZone, "Local") {
		return nil, nil, core.Invalid("options.recurrence.timeZone", "unknown time zone %q (use an IANA name such as Asia/Shanghai)", r.TimeZone)
	}
	// Five fields, as crontab: minute hour day-of-month month day-of-week.
	// Descriptors (@daily, @every) are refused: @every ignores the zone.
	if strings.HasPrefix(strings.TrimSpace(r.Cron), "@") || strings.Contains(r.Cron, "TZ=") {
		return nil, nil, core.Invalid("options.recurrence.cron", "use five cron fields (minute hour day month weekday), not a descriptor or TZ=")
	}
	sched, err := cron.ParseStandard(r.Cron)
	if err != nil {
		return nil, nil, core.Invalid("options.recurrence.cron", "%v", err)
	}
	if r.StartAt != nil && r.EndAt != nil && !r.EndAt.After(*r.StartAt) {
		return nil, nil, core.Invalid("options.recurrence.endAt", "must be after startAt")
	}
	return sched, loc, nil
}

// NextOccurrence is the first time after `after` that r fires, or nil
// when its end has passed.
func NextOccurrence(sched cron.Schedule, loc *time.Location, r jsontype.Recurrence, after time.Time) *time.Time {
	if r.StartAt != nil && after.Before(*r.StartAt) {
		after = r.StartAt.Add(-time.Second)
	}
	n := sched.Next(after.In(loc))
	if n.IsZero() || (r.EndAt != nil && n.After(*r.EndAt)) {
		return nil
	}
	n = n.UTC()
	return &n
}

// CheckMessage validates a message that is about to be sent.
func CheckMessage(field string, m *jsontype.Message) error {
	if m.Title == "" && m.Body == "" && len(m.Payload) == 0 {
		return core.Invalid(field, "a message needs a title, a body or a payload")
	}
	if m.Priority != "" && m.Priority != PriorityHigh && m.Priority != PriorityNormal {
		return core.Invalid(field+".priority", "must be HIGH or NORMAL")
	}
	if m.Badge != nil && *m.Badge < 0 {
		return core.Invalid(field+".badge", "must not be negative")
	}
	if _, ok := core.ClassOf(m.Classification); m.Classification != "" && !ok {
		return core.Invalid(field+".classification", "must be one of %s", strings.Join(core.Classifications(), ", "))
	}
	if m.Silent && len(m.Payload) == 0 {
		return core.Invalid(field+".payload", "a silent push carries a payload")
	}
	// Vendor limits that would otherwise fail at send time, on one vendor.
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"collapseKey", m.CollapseKey, MaxCollapseKeyBytes},
		{"category", m.Category, 64},
		{"androidChannelID", m.AndroidChannelID, 128},
		{"sound", m.Sound, 256},
		{"imageURL", m.ImageURL, 2048},
	} {
		if len(f.v) > f.max {
			return core.Invalid(field+"."+f.name, "at most %d bytes, got %d", f.max, len(f.v))
		}
	}
	if m.ImageURL != "" && !strings.HasPrefix(m.ImageURL, "https://") {
		return core.Invalid(field+".imageURL", "must be an https:// URL (vendors fetch it over TLS)")
	}
	b, err := json.Marshal(m)
	if err != nil {
		return core.Invalid(field+".payload", "cannot be encoded as JSON: %v", err)
	}
	if len(b) > MaxPayloadBytes {
		return core.Invalid(field, "is %d bytes as JSON; the limit is %d", len(b), MaxPayloadBytes)
	}
	return nil
}

// MaxCollapseKeyBytes is the longest collapse key: the strictest vendor's
// limit (docs/channels.md).
const MaxCollapseKeyBytes = 64

// CheckAudience validates a broadcast's filters.
func CheckAudience(a *jsontype.Audience) error {
	for _, p := range a.Platforms {
		if !p.Valid() {
			return core.Invalid("audience.platforms", "unknown platform %q", p)
		}
	}
	switch a.Bound {
	case "", BoundAny, BoundBound, BoundUnbound:
	default:
		return core.Invalid("audience.bound", "must be ANY, BOUND or UNBOUND")
	}
	if a.ActiveWithinSeconds < 0 {
		return core.Invalid("audience.activeWithinSeconds", "must not be negative")
	}
	for _, g := range a.Groups {
		if nodeid.ID(g).Prefix() != "grp" {
			return core.Invalid("audience.groups", "%q is not a group ID", g)
		}
	}
	if len(a.Tags) > 100 || len(a.AppVersions) > 100 || len(a.Groups) > 100 {
		return core.Invalid("audience", "at most 100 values per filter")
	}
	a.Platforms, a.Tags, a.AppVersions, a.Groups = core.Unique(a.Platforms), core.Unique(a.Tags), core.Unique(a.AppVersions), core.Unique(a.Groups)
	return nil
}

// stringVars converts template variables to strings: strings as they
// are, numbers and booleans in their JSON form; anything else is refused.
func stringVars(field string, vars map[string]any) (map[string]string, error) {
	out := make(map[string]string, len(vars))
	for k, v := range vars {
		switch v := v.(type) {
		case string:
			out[k] = v
		case bool:
			out[k] = strconv.FormatBool(v)
		case float64:
			out[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case int:
			out[k] = strconv.Itoa(v)
		case int64:
			out[k] = strconv.FormatInt(v, 10)
		case json.Number:
			out[k] = v.String()
		default:
			return nil, core.Invalid(field, "variable %q must be a string, number or boolean, got %s", k, jsonKind(v))
		}
	}
	return out, nil
}

// RenderTemplate fills a template's title and body. Missing variables
// (after defaults) are reported all at once.
func RenderTemplate(field string, t TemplateContent, vars map[string]any) (*jsontype.Message, error) {
	vs, err := stringVars(field, vars)
	if err != nil {
		return nil, err
	}
	for k, v := range t.Defaults {
		if _, ok := vs[k]; !ok {
			if s, ok := v.(string); ok {
				vs[k] = s
			}
		}
	}
	title, missTitle := render(t.Title, vs)
	body, missBody := render(t.Body, vs)
	missing := missTitle
	for _, m := range missBody {
		if !slices.Contains(missing, m) {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		return nil, core.Invalid(field, "template %q is missing variables: %s", t.Name, strings.Join(missing, ", "))
	}
	return &jsontype.Message{Title: title, Body: body}, nil
}

// TemplateContent is what rendering needs of a stored template.
type TemplateContent struct {
	Name, Title, Body string
	Defaults          map[string]any
}

// Overlay puts the non-empty fields of extra over base (a template's
// rendered title and body under the caller's payload, badge, and so on).
func Overlay(base jsontype.Message, extra *jsontype.Message) jsontype.Message {
	if extra == nil {
		return base
	}
	m := *extra
	if m.Title == "" {
		m.Title = base.Title
	}
	if m.Body == "" {
		m.Body = base.Body
	}
	return m
}
