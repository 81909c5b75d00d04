package vivo

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

func TestBuild(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)
	with := func(m jsontype.Message) core.Outgoing {
		return core.Outgoing{DeliveryID: "dlv_1", JobID: "job_1", Token: "regid-1", Message: m, ExpiresAt: now.Add(2 * time.Hour)}
	}
	for _, r := range []struct {
		name string
		in   core.Outgoing
		want func(*Payload)
		why  string
	}{
		{"title and body", with(jsontype.Message{Title: "Hi", Body: "New reply"}), func(p *Payload) {}, ""},
		{"body stands in for the title", with(jsontype.Message{Body: "New reply"}), func(p *Payload) { p.Title = "New reply" }, ""},
		{"a CJK title is cut by weight", with(jsontype.Message{Title: strings.Repeat("标", 30), Body: "b"}), func(p *Payload) {
			p.Title = strings.Repeat("标", 19) + "…"
		}, ""},
		{"web URI", with(jsontype.Message{Title: "Hi", Body: "New reply", URI: "https://example.com/x"}), func(p *Payload) {
			p.SkipType, p.SkipContent = skipURL, "https://example.com/x"
		}, ""},
		{"intent URI", with(jsontype.Message{Title: "Hi", Body: "New reply", URI: "myapp://open/1"}), func(p *Payload) {
			p.SkipType, p.SkipContent = skipIntent, "myapp://open/1"
		}, ""},
		{"action", with(jsontype.Message{Title: "Hi", Body: "New reply", Action: "OPEN_CHAT"}), func(p *Payload) {
			p.SkipType, p.SkipContent = skipCustom, "OPEN_CHAT"
		}, ""},
		{"system category", with(jsontype.Message{Title: "Hi", Body: "New reply", Classification: "VOIP"}), func(p *Payload) {
			p.Category, p.Classification = "IM", classSystem
		}, ""},
		{"operational category", with(jsontype.Message{Title: "Hi", Body: "New reply", Classification: "NEWS"}), func(p *Payload) {
			p.Category = "CONTENT"
		}, ""},
		{"a service classification vivo has no category for stays operational", with(jsontype.Message{Title: "Hi", Body: "New reply", Classification: "TRAVEL"}), func(p *Payload) {}, ""},
		{"collapse key", with(jsontype.Message{Title: "Hi", Body: "New reply", CollapseKey: "k"}), func(p *Payload) { p.NotifyID = channel.NotifyID("k") }, ""},
		{"payload", with(jsontype.Message{Title: "Hi", Body: "New reply", Payload: map[string]any{"order": 7, "s": "x"}}), func(p *Payload) {
			p.ClientCustomMap["order"], p.ClientCustomMap["s"] = "7", "x"
		}, ""},
		{"silent", with(jsontype.Message{Silent: true, Payload: map[string]any{"k": 1}}), nil, "no data-only"},
		{"empty", with(jsontype.Message{}), nil, "needs a title or a body"},
		{"relative URI", with(jsontype.Message{Title: "Hi", URI: "/x"}), nil, "absolute URL"},
		{"payload too large", with(jsontype.Message{Title: "Hi", Payload: map[string]any{"k": strings.Repeat("x", 1024)}}), nil, "over 1024"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			got, why := Build(r.in, "10004", false, now)
			if r.why != "" {
				require.Contains(t, why, r.why)
				return
			}
			require.Empty(t, why)
			want := Payload{
				AppID: "10004", RegID: "regid-1", NotifyType: notifyRingAndVibrate, Title: r.in.Message.Title, Content: r.in.Message.Body,
				TimeToLive: 7200, SkipType: skipOpenApp, NetworkType: -1, Classification: classOperational,
				ClientCustomMap: map[string]string{"pushd": `{"id":"dlv_1","job":"job_1"}`}, RequestID: "dlv_1",
			}
			r.want(&want)
			require.Equal(t, want, got)
		})
	}
}

func TestBuildForAList(t *testing.T) {
	t.Parallel()
	now := time.Now()
	m := core.Outgoing{DeliveryID: "dlv_1", JobID: "job_1", Token: "regid-1", Message: jsontype.Message{Title: "t", Body: "b"}}
	p, why := Build(m, "1", true, now)
	require.Empty(t, why)
	require.Empty(t, p.RegID)
	require.Empty(t, p.RequestID)
	require.Equal(t, `{"job":"job_1"}`, p.ClientCustomMap["pushd"], "a list's content is shared: no delivery ID")
	require.Equal(t, MaxTTL, p.TimeToLive, "no TTL is vivo's longest")
	m.ExpiresAt = now.Add(time.Second)
	p, _ = Build(m, "1", true, now)
	require.Equal(t, MinTTL, p.TimeToLive)
}

func TestCategoriesAreClassifications(t *testing.T) {
	t.Parallel()
	for classification, category := range categories {
		class, ok := core.ClassOf(classification)
		require.True(t, ok, classification)
		require.Equal(t, class == core.ClassService, systemCategories[category], classification)
	}
}

func TestUntilDaytime(t *testing.T) {
	t.Parallel()
	beijing := time.FixedZone("CST", 8*60*60)
	for _, r := range []struct {
		at   time.Time
		want time.Duration
	}{
		{time.Date(2026, 12, 6, 6, 59, 0, 0, beijing), time.Minute},
		{time.Date(2026, 12, 6, 7, 0, 0, 0, beijing), 0},
		{time.Date(2026, 12, 6, 22, 59, 59, 0, beijing), 0},
		{time.Date(2026, 12, 6, 23, 0, 0, 0, beijing), 8 * time.Hour},
		{time.Date(2026, 12, 6, 0, 30, 0, 0, beijing), 6*time.Hour + 30*time.Minute},
	} {
		require.Equal(t, r.want, UntilDaytime(r.at.UTC()), r.at.String())
	}
}

func TestWeight(t *testing.T) {
	t.Parallel()
	require.Equal(t, 2, Weight("ab"))
	require.Equal(t, 4, Weight("标题"))
	require.Equal(t, "ab", cut("ab", 2))
	require.LessOrEqual(t, Weight(cut(strings.Repeat("标", 60), MaxTitleWeight)), MaxTitleWeight)
}
