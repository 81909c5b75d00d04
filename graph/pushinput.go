package graph

import (
	"encoding/json"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/graph/model"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/credentials"
)

// Conversions between the GraphQL push inputs and the domain's request.

func pushTarget(t *model.PushTarget) jsontype.Target {
	if t == nil {
		return jsontype.Target{}
	}
	out := jsontype.Target{UserIDs: t.UserIDs}
	for _, d := range t.DeviceIDs {
		out.DeviceIDs = append(out.DeviceIDs, string(d))
	}
	return out
}

func pushMessage(m *model.PushMessageInput) *jsontype.Message {
	if m == nil {
		return nil
	}
	out := &jsontype.Message{
		Title: deref(m.Title), Body: deref(m.Body), Payload: m.Payload, URI: deref(m.URI),
		Silent: deref(m.Silent), Badge: m.Badge, Sound: deref(m.Sound), ImageURL: deref(m.ImageURL),
		CollapseKey: deref(m.CollapseKey), AndroidChannelID: deref(m.AndroidChannelID), Category: deref(m.Category),
	}
	if m.Action != nil {
		out.Action = string(*m.Action)
	}
	if m.Priority != nil {
		out.Priority = string(*m.Priority)
	}
	if m.Classification != nil {
		out.Classification = string(*m.Classification)
	}
	return out
}

func pushOptions(o *model.PushOptionsInput) push.PushOptions {
	if o == nil {
		return push.PushOptions{}
	}
	out := push.PushOptions{
		TTLSeconds: o.TTLSeconds, MsgKey: deref(o.MsgKey), ScheduleAt: o.ScheduleAt,
		TaskName: deref(o.TaskName), Channels: o.Channels, TestMessage: deref(o.TestMessage),
	}
	if r := o.Recurrence; r != nil {
		out.Recurrence = &jsontype.Recurrence{Cron: r.Cron, TimeZone: r.TimeZone, StartAt: r.StartAt, EndAt: r.EndAt}
	}
	return out
}

func pushAudience(a *model.AudienceInput) jsontype.Audience {
	if a == nil {
		return jsontype.Audience{}
	}
	out := jsontype.Audience{
		Platforms: a.Platforms, AppVersions: a.AppVersions, Tags: a.Tags,
		ActiveWithinSeconds: deref(a.ActiveWithinSeconds),
	}
	for _, g := range a.Groups {
		out.Groups = append(out.Groups, string(g))
	}
	if a.Bound != nil {
		out.Bound = string(*a.Bound)
	}
	return out
}

func pushItems(items []*model.PushMultipleItemInput) []push.PushItem {
	out := make([]push.PushItem, 0, len(items))
	for _, it := range items {
		if it == nil {
			continue
		}
		out = append(out, push.PushItem{Target: pushTarget(it.Target), MsgKey: deref(it.MsgKey), Vars: it.Vars, Message: pushMessage(it.Message)})
	}
	return out
}

func messageOf(m jsontype.Message) *model.PushMessage {
	out := &model.PushMessage{
		Title: nonEmpty(m.Title), Body: nonEmpty(m.Body), Payload: m.Payload, URI: nonEmpty(m.URI),
		Silent: m.Silent, Badge: m.Badge, Sound: nonEmpty(m.Sound), ImageURL: nonEmpty(m.ImageURL),
		CollapseKey: nonEmpty(m.CollapseKey), AndroidChannelID: nonEmpty(m.AndroidChannelID), Category: nonEmpty(m.Category),
	}
	if m.Action != "" {
		a := model.PushAction(m.Action)
		out.Action = &a
	}
	if m.Priority != "" {
		p := model.PushPriority(m.Priority)
		out.Priority = &p
	}
	if m.Classification != "" {
		c := model.MessageClassification(m.Classification)
		out.Classification = &c
	}
	return out
}

// targetOf is what a simple or template push named; other kinds have none.
func targetOf(j *ent.PushJob) *model.PushJobTarget {
	if j.Kind != enum.PushKindSimple && j.Kind != enum.PushKindTemplate {
		return nil
	}
	out := &model.PushJobTarget{DeviceIDs: []nodeid.ID{}, UserIDs: []string{}}
	for _, d := range j.Target.DeviceIDs {
		out.DeviceIDs = append(out.DeviceIDs, nodeid.ID(d))
	}
	out.UserIDs = append(out.UserIDs, j.Target.UserIDs...)
	return out
}

// audienceOf is a broadcast's filters; lists are empty, not null, for a
// filter not given.
func audienceOf(j *ent.PushJob) *model.Audience {
	if j.Kind != enum.PushKindBroadcast {
		return nil
	}
	a := j.Audience
	out := &model.Audience{
		Platforms: append([]enum.Platform{}, a.Platforms...), AppVersions: append([]string{}, a.AppVersions...),
		Tags: append([]string{}, a.Tags...), Groups: []nodeid.ID{}, Bound: model.BindFilterAny,
	}
	for _, g := range a.Groups {
		out.Groups = append(out.Groups, nodeid.ID(g))
	}
	if a.Bound != "" {
		out.Bound = model.BindFilter(a.Bound)
	}
	if a.ActiveWithinSeconds > 0 {
		out.ActiveWithinSeconds = &a.ActiveWithinSeconds
	}
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// channelConfigSettings are setChannelConfig's members that are not a
// vendor's credentials.
var channelConfigSettings = []string{"appID", "maxPerSecond", "marketingPerDevice"}

// channelConfigInput converts setChannelConfig's input. Its members other
// than channelConfigSettings are the vendors' credentials, each named by
// its vendor's key; the one given passes on as JSON, for the vendor to
// read and check. None or several leave the channel empty, which the
// registry refuses naming the members it knows.
func channelConfigInput(in model.SetChannelConfigInput) (credentials.Input, error) {
	out := credentials.Input{AppID: in.AppID, MaxPerSecond: deref(in.MaxPerSecond), MarketingPerDevice: deref(in.MarketingPerDevice)}
	raw, err := json.Marshal(in)
	if err != nil {
		return out, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return out, err
	}
	for _, k := range channelConfigSettings {
		delete(members, k)
	}
	for key, v := range members {
		if string(v) == "null" {
			delete(members, key)
		}
	}
	if len(members) == 1 {
		for key, v := range members {
			out.Credentials = core.Credentials{Channel: core.ChannelOfKey(key), JSON: v}
		}
	}
	return out, nil
}
