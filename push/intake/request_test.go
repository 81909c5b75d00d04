package intake

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
)

func ptr[T any](v T) *T { return &v }

func TestCheckOptions(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		in      Options
		ttl     time.Duration
		field   string // "" = valid
		nowSend bool   // a scheduleAt that means "now"
	}{
		{name: "defaults", ttl: DefaultTTL},
		{name: "ttl 0", in: Options{TTLSeconds: ptr(0)}, ttl: 0},
		{name: "ttl max", in: Options{TTLSeconds: ptr(2592000)}, ttl: MaxTTL},
		{name: "ttl over", in: Options{TTLSeconds: ptr(2592001)}, field: "options.ttlSeconds"},
		{name: "ttl negative", in: Options{TTLSeconds: ptr(-1)}, field: "options.ttlSeconds"},
		{name: "msgKey 128", in: Options{MsgKey: strings.Repeat("k", 128)}, ttl: DefaultTTL},
		{name: "msgKey 129", in: Options{MsgKey: strings.Repeat("k", 129)}, field: "options.msgKey"},
		{name: "msgKey not UTF-8", in: Options{MsgKey: "\xff"}, field: "options.msgKey"},
		{name: "unknown channel", in: Options{Channels: []enum.Channel{"PIGEON"}}, field: "options.channels"},
		{name: "schedule in an hour", in: Options{ScheduleAt: ptr(now.Add(time.Hour))}, ttl: DefaultTTL},
		{name: "schedule a little late means now", in: Options{ScheduleAt: ptr(now.Add(-10 * time.Second))}, ttl: DefaultTTL, nowSend: true},
		{name: "schedule in the past", in: Options{ScheduleAt: ptr(now.Add(-2 * time.Minute))}, field: "options.scheduleAt"},
		{name: "schedule too far", in: Options{ScheduleAt: ptr(now.Add(400 * 24 * time.Hour))}, field: "options.scheduleAt"},
		{name: "schedule and recurrence", in: Options{ScheduleAt: ptr(now.Add(time.Hour)), Recurrence: &jsontype.Recurrence{Cron: "0 9 * * *", TimeZone: "UTC"}}, field: "options.scheduleAt"},
		{name: "recurrence", in: Options{Recurrence: &jsontype.Recurrence{Cron: "0 9 * * 1-5", TimeZone: "Asia/Shanghai"}}, ttl: DefaultTTL},
		{name: "recurrence without zone", in: Options{Recurrence: &jsontype.Recurrence{Cron: "0 9 * * *"}}, field: "options.recurrence.timeZone"},
		{name: "recurrence with Local", in: Options{Recurrence: &jsontype.Recurrence{Cron: "0 9 * * *", TimeZone: "Local"}}, field: "options.recurrence.timeZone"},
		{name: "recurrence descriptor", in: Options{Recurrence: &jsontype.Recurrence{Cron: "@every 1m", TimeZone: "UTC"}}, field: "options.recurrence.cron"},
		{name: "recurrence six fields", in: Options{Recurrence: &jsontype.Recurrence{Cron: "0 0 9 * * *", TimeZone: "UTC"}}, field: "options.recurrence.cron"},
		{name: "recurrence ends before it starts", in: Options{Recurrence: &jsontype.Recurrence{Cron: "0 9 * * *", TimeZone: "UTC", StartAt: ptr(now.Add(time.Hour)), EndAt: ptr(now)}}, field: "options.recurrence.endAt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := tc.in
			ttl, err := CheckOptions(&o, now)
			if tc.field != "" {
				e, ok := core.AsError(err)
				require.True(t, ok, "%v", err)
				require.Equal(t, core.CodeInvalidArgument, e.Code)
				require.Equal(t, tc.field, e.Field)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.ttl, ttl)
			if tc.nowSend {
				require.Nil(t, o.ScheduleAt)
			}
		})
	}
}

func TestCheckTarget(t *testing.T) {
	t.Parallel()
	many := make([]string, MaxTargets+1)
	for i := range many {
		many[i] = "u" + strconv.Itoa(i)
	}
	for _, tc := range []struct {
		name string
		in   jsontype.Target
		ok   bool
	}{
		{"devices", jsontype.Target{DeviceIDs: []string{"dev_1", "dev_1", "dev_2"}}, true},
		{"users", jsontype.Target{UserIDs: []string{"a"}}, true},
		{"both", jsontype.Target{DeviceIDs: []string{"dev_1"}, UserIDs: []string{"a"}}, false},
		{"neither", jsontype.Target{}, false},
		{"too many", jsontype.Target{UserIDs: many}, false},
		{"1,000 after removing repeats", jsontype.Target{UserIDs: append(many[:MaxTargets:MaxTargets], "u0")}, true},
		{"blank user", jsontype.Target{UserIDs: []string{" "}}, false},
		{"long user", jsontype.Target{UserIDs: []string{strings.Repeat("u", 129)}}, false},
	} {
		err := CheckTarget("target", &tc.in, MaxTargets)
		require.Equal(t, tc.ok, err == nil, "%s: %v", tc.name, err)
	}
}

func TestCheckMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		in    jsontype.Message
		field string
	}{
		{"title", jsontype.Message{Title: "t"}, ""},
		{"payload only", jsontype.Message{Payload: map[string]any{"k": 1}}, ""},
		{"empty", jsontype.Message{}, "message"},
		{"priority", jsontype.Message{Title: "t", Priority: "URGENT"}, "message.priority"},
		{"badge", jsontype.Message{Title: "t", Badge: ptr(-1)}, "message.badge"},
		{"classification", jsontype.Message{Title: "t", Classification: "IM"}, ""},
		{"unknown classification", jsontype.Message{Title: "t", Classification: "GOSSIP"}, "message.classification"},
		{"silent without payload", jsontype.Message{Title: "t", Silent: true}, "message.payload"},
		{"4,096 bytes", jsontype.Message{Body: strings.Repeat("x", MaxPayloadBytes-len(`{"body":""}`))}, ""},
		{"4,097 bytes", jsontype.Message{Body: strings.Repeat("x", MaxPayloadBytes-len(`{"body":""}`)+1)}, "message"},
	} {
		err := CheckMessage("message", &tc.in)
		if tc.field == "" {
			require.NoError(t, err, tc.name)
			continue
		}
		e, ok := core.AsError(err)
		require.True(t, ok, "%s: %v", tc.name, err)
		require.Equal(t, tc.field, e.Field, tc.name)
	}
}

func TestRenderTemplate(t *testing.T) {
	t.Parallel()
	tpl := TemplateContent{Name: "t", Title: "Order {{id}}", Body: "{{greeting}}, {{name}}", Defaults: map[string]any{"greeting": "Hello"}}
	m, err := RenderTemplate("vars", tpl, map[string]any{"id": float64(42), "name": "Ann"})
	require.NoError(t, err)
	require.Equal(t, "Order 42", m.Title)
	require.Equal(t, "Hello, Ann", m.Body)

	_, err = RenderTemplate("vars", tpl, nil)
	require.ErrorContains(t, err, "missing variables: id, name")
	_, err = RenderTemplate("vars", tpl, map[string]any{"id": map[string]any{}, "name": "x"})
	require.ErrorContains(t, err, `variable "id" must be a string, number or boolean`)
}

func TestNextOccurrence(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return v
	}
	for _, tc := range []struct {
		name  string
		r     jsontype.Recurrence
		after string
		want  string // "" = none
	}{
		{"9am in Shanghai is 1am UTC", jsontype.Recurrence{Cron: "0 9 * * *", TimeZone: "Asia/Shanghai"}, "2026-11-27T00:00:00Z", "2026-11-27T01:00:00Z"},
		{"after today's, tomorrow's", jsontype.Recurrence{Cron: "0 9 * * *", TimeZone: "Asia/Shanghai"}, "2026-11-27T01:00:00Z", "2026-11-28T01:00:00Z"},
		{"weekdays skip the weekend", jsontype.Recurrence{Cron: "30 8 * * 1-5", TimeZone: "UTC"}, "2026-11-27T09:00:00Z", "2026-11-30T08:30:00Z"},
		{"not before startAt", jsontype.Recurrence{Cron: "0 * * * *", TimeZone: "UTC", StartAt: ptr(at("2026-12-01T10:00:00Z"))}, "2026-11-27T00:00:00Z", "2026-12-01T10:00:00Z"},
		{"none after endAt", jsontype.Recurrence{Cron: "0 9 * * *", TimeZone: "UTC", EndAt: ptr(at("2026-11-27T08:00:00Z"))}, "2026-11-27T00:00:00Z", ""},
		{"New York across the DST change", jsontype.Recurrence{Cron: "0 9 * * *", TimeZone: "America/New_York"}, "2027-03-14T00:00:00Z", "2027-03-14T13:00:00Z"},
	} {
		sched, loc, err := ParseRecurrence(tc.r)
		require.NoError(t, err, tc.name)
		got := NextOccurrence(sched, loc, tc.r, at(tc.after))
		if tc.want == "" {
			require.Nil(t, got, tc.name)
			continue
		}
		require.NotNil(t, got, tc.name)
		require.Equal(t, at(tc.want), *got, tc.name)
	}
}
