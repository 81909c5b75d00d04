package harmony

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

var t0 = time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)

func one(m jsontype.Message) []core.Outgoing {
	return []core.Outgoing{{DeliveryID: "dlv_1", JobID: "job_1", Token: "tok-1", Message: m, ExpiresAt: t0.Add(time.Hour)}}
}

// TestBuildMatchesTheDocs checks a built request against the request
// structure of Push Kit's v3 documentation.
func TestBuildMatchesTheDocs(t *testing.T) {
	t.Parallel()
	q, kind, why := Build(one(jsontype.Message{Title: "Alice", Body: "hi", Classification: "IM", Badge: new(int)}), t0)
	require.Empty(t, why)
	require.Equal(t, PushAlert, kind)
	b, err := json.Marshal(q)
	require.NoError(t, err)
	require.JSONEq(t, `{"payload":{"notification":{"category":"IM","title":"Alice","body":"hi","appMessageId":"job_1",
		"clickAction":{"actionType":0,"data":{"pushd":{"id":"dlv_1","job":"job_1"}}},"badge":{"setNum":0}}},
		"target":{"token":["tok-1"]},"pushOptions":{"ttl":3600,"biTag":"job_1"}}`, string(b))
}

func TestBuildRules(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		name string
		msg  jsontype.Message
		kind int
		why  string
		test func(t *testing.T, q Request)
	}{
		{name: "unclassified is MARKETING", msg: jsontype.Message{Title: "t", Body: "b"},
			test: func(t *testing.T, q Request) { require.Equal(t, "MARKETING", q.Payload.Notification.Category) }},
		{name: "ORDER is EXPRESS", msg: jsontype.Message{Title: "t", Classification: "ORDER"},
			test: func(t *testing.T, q Request) { require.Equal(t, "EXPRESS", q.Payload.Notification.Category) }},
		{name: "body stands in for title", msg: jsontype.Message{Body: "only"},
			test: func(t *testing.T, q Request) { require.Equal(t, "only", q.Payload.Notification.Title) }},
		{name: "uri opens a page", msg: jsontype.Message{Title: "t", URI: "myapp://chat/1"},
			test: func(t *testing.T, q Request) {
				require.Equal(t, 1, q.Payload.Notification.ClickAction.ActionType)
				require.Equal(t, "myapp://chat/1", q.Payload.Notification.ClickAction.URI)
			}},
		{name: "action opens a page", msg: jsontype.Message{Title: "t", Action: "ChatAbility"},
			test: func(t *testing.T, q Request) {
				require.Equal(t, "ChatAbility", q.Payload.Notification.ClickAction.Action)
			}},
		{name: "collapse key replaces", msg: jsontype.Message{Title: "t", CollapseKey: "score"},
			test: func(t *testing.T, q Request) {
				require.Equal(t, channel.NotifyID("score"), *q.Payload.Notification.NotifyID)
			}},
		{name: "silent is background data", msg: jsontype.Message{Silent: true, Payload: map[string]any{"k": "v"}}, kind: PushBackground,
			test: func(t *testing.T, q Request) {
				require.Nil(t, q.Payload.Notification)
				require.JSONEq(t, `{"k":"v","pushd":{"id":"dlv_1","job":"job_1"}}`, q.Payload.ExtraData)
			}},
		{name: "silent VOIP is a call", msg: jsontype.Message{Silent: true, Classification: "VOIP"}, kind: PushVoIP},
		{name: "PLAY_VOICE is an extension", msg: jsontype.Message{Title: "t", Classification: "PLAY_VOICE"}, kind: PushExtension},
		{name: "no text", msg: jsontype.Message{}, why: "HarmonyOS: a notification needs a title or a body"},
		{name: "http image", msg: jsontype.Message{Title: "t", ImageURL: "http://x/i.png"}, why: "HarmonyOS: imageURL must be an https URL"},
		{name: "relative uri", msg: jsontype.Message{Title: "t", URI: "/a"}, why: "HarmonyOS: uri is not an absolute URL"},
		{name: "too big", msg: jsontype.Message{Title: "t", Payload: map[string]any{"k": strings.Repeat("x", MaxBody)}},
			why: "HarmonyOS: the message is over 4096 bytes as JSON"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			q, kind, why := Build(one(r.msg), t0)
			require.Equal(t, r.why, why)
			if why == "" {
				require.Equal(t, r.kind, kind)
			}
			if r.test != nil {
				r.test(t, q)
			}
		})
	}
}

func TestBuildTTLAndGroups(t *testing.T) {
	t.Parallel()
	msgs := one(jsontype.Message{Title: "t"})
	msgs = append(msgs, core.Outgoing{DeliveryID: "dlv_2", JobID: "job_1", Token: "tok-2", Message: msgs[0].Message, ExpiresAt: msgs[0].ExpiresAt})
	q, _, why := Build(msgs, t0)
	require.Empty(t, why)
	require.Equal(t, []string{"tok-1", "tok-2"}, q.Target.Token)
	require.Equal(t, map[string]any{"pushd": map[string]string{"job": "job_1"}}, q.Payload.Notification.ClickAction.Data)
	for _, r := range []struct {
		left time.Duration
		want int
	}{{time.Hour + 500*time.Millisecond, 3600}, {-time.Minute, 1}, {30 * 24 * time.Hour, 1296000}} {
		m := one(jsontype.Message{Title: "t"})
		m[0].ExpiresAt = t0.Add(r.left)
		q, _, _ := Build(m, t0)
		require.Equal(t, r.want, q.PushOptions.TTL, "%v left", r.left)
	}
	_, _, why = Build(make([]core.Outgoing, MaxTokens+1), t0)
	require.Equal(t, "HarmonyOS: a request carries 1 to 1000 tokens", why)
	require.Equal(t, "job_01-x", appMessageID("job_01-x/é"))
}

// TestCategoryKeepsTheClasses: a marketing classification is never sent
// as a service category.
func TestCategoryKeepsTheClasses(t *testing.T) {
	t.Parallel()
	for _, c := range core.Classifications() {
		class, _ := core.ClassOf(c)
		if class == core.ClassMarketing {
			require.Equal(t, "MARKETING", Category(c), c)
		}
	}
}
