package honor

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

// TestBuildMatchesTheGuide checks a built request against the body of
// Honor's server guide: flat, token array, android.ttl as "<n>s", biTag,
// targetUserType 0, a notification with importance and clickAction.
func TestBuildMatchesTheGuide(t *testing.T) {
	t.Parallel()
	q, why := Build(one(jsontype.Message{Title: "New reply", Body: "Alice: hi", Classification: "IM"}), t0)
	require.Empty(t, why)
	b, err := json.Marshal(q)
	require.NoError(t, err)
	require.JSONEq(t, `{"token":["tok-1"],"data":"{\"pushd\":{\"id\":\"dlv_1\",\"job\":\"job_1\"}}",
		"android":{"ttl":"3600s","biTag":"job_1","targetUserType":0,
		"notification":{"title":"New reply","body":"Alice: hi","importance":"NORMAL","clickAction":{"type":3}}}}`, string(b))
}

func TestBuildRules(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		name string
		msg  jsontype.Message
		why  string
		test func(t *testing.T, q Request)
	}{
		{name: "marketing is LOW", msg: jsontype.Message{Title: "Sale", Classification: "MARKETING"},
			test: func(t *testing.T, q Request) { require.Equal(t, ImportanceLow, q.Android.Notification.Importance) }},
		{name: "unclassified is LOW", msg: jsontype.Message{Title: "Hi"},
			test: func(t *testing.T, q Request) { require.Equal(t, ImportanceLow, q.Android.Notification.Importance) }},
		{name: "title stands in for body", msg: jsontype.Message{Title: "Only"},
			test: func(t *testing.T, q Request) { require.Equal(t, "Only", q.Android.Notification.Body) }},
		{name: "long title cut", msg: jsontype.Message{Title: strings.Repeat("标", 50), Body: "b"},
			test: func(t *testing.T, q Request) {
				require.Equal(t, strings.Repeat("标", MaxTitle-1)+"…", q.Android.Notification.Title)
			}},
		{name: "https uri opens the page", msg: jsontype.Message{Title: "t", URI: "https://example.com/a"},
			test: func(t *testing.T, q Request) {
				require.Equal(t, ClickAction{Type: clickURL, URL: "https://example.com/a"}, q.Android.Notification.ClickAction)
			}},
		{name: "app uri is an intent", msg: jsontype.Message{Title: "t", URI: "myapp://chat/1"},
			test: func(t *testing.T, q Request) {
				require.Equal(t, ClickAction{Type: clickCustom, Intent: "myapp://chat/1"}, q.Android.Notification.ClickAction)
			}},
		{name: "action names an activity", msg: jsontype.Message{Title: "t", Action: "com.example.CHAT"},
			test: func(t *testing.T, q Request) {
				require.Equal(t, ClickAction{Type: clickCustom, Action: "com.example.CHAT"}, q.Android.Notification.ClickAction)
			}},
		{name: "collapse key replaces", msg: jsontype.Message{Title: "t", CollapseKey: "score"},
			test: func(t *testing.T, q Request) {
				require.Equal(t, "score", q.Android.Notification.Tag)
				require.Equal(t, channel.NotifyID("score"), q.Android.Notification.NotifyID)
				require.Positive(t, q.Android.Notification.NotifyID)
			}},
		{name: "silent is data only", msg: jsontype.Message{Silent: true, Payload: map[string]any{"k": "v"}},
			test: func(t *testing.T, q Request) {
				require.Nil(t, q.Android.Notification)
				require.JSONEq(t, `{"k":"v","pushd":{"id":"dlv_1","job":"job_1"}}`, q.Data)
			}},
		{name: "no text", msg: jsontype.Message{}, why: "Honor: a notification needs a title or a body"},
		{name: "http page", msg: jsontype.Message{Title: "t", URI: "http://example.com"}, why: "Honor: a web page must be https"},
		{name: "relative uri", msg: jsontype.Message{Title: "t", URI: "/a"}, why: "Honor: uri is not an absolute URL"},
		{name: "http image", msg: jsontype.Message{Title: "t", ImageURL: "http://x/i.png"}, why: "Honor: imageURL must be an https URL"},
		{name: "payload too big", msg: jsontype.Message{Title: "t", Payload: map[string]any{"k": strings.Repeat("x", MaxData)}},
			why: "Honor: the payload is over 4096 bytes as JSON (data)"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			q, why := Build(one(r.msg), t0)
			require.Equal(t, r.why, why)
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
	q, why := Build(msgs, t0)
	require.Empty(t, why)
	require.Equal(t, []string{"tok-1", "tok-2"}, q.Token)
	require.JSONEq(t, `{"pushd":{"job":"job_1"}}`, q.Data, "a shared request names the job, not one delivery")

	for _, r := range []struct {
		left time.Duration
		want string
	}{{time.Hour, "3600s"}, {-time.Minute, "1s"}, {30 * 24 * time.Hour, "1296000s"}} {
		m := one(jsontype.Message{Title: "t"})
		m[0].ExpiresAt = t0.Add(r.left)
		q, _ := Build(m, t0)
		require.Equal(t, r.want, q.Android.TTL, "%v left", r.left)
	}
	_, why = Build(make([]core.Outgoing, MaxTokens+1), t0)
	require.Equal(t, "Honor: a request carries 1 to 1000 tokens", why)
}

// TestBuildTestMessage: a test message is targetUserType 1.
func TestBuildTestMessage(t *testing.T) {
	t.Parallel()
	msgs := one(jsontype.Message{Title: "t"})
	q, _ := Build(msgs, t0)
	require.Equal(t, 0, q.Android.TargetUserType)
	msgs[0].Test = true
	q, _ = Build(msgs, t0)
	require.Equal(t, 1, q.Android.TargetUserType)
}

// TestImportanceKeepsTheClasses: every service classification is NORMAL,
// every other LOW.
func TestImportanceKeepsTheClasses(t *testing.T) {
	t.Parallel()
	for _, c := range core.Classifications() {
		class, _ := core.ClassOf(c)
		want := ImportanceLow
		if class == core.ClassService {
			want = ImportanceNormal
		}
		require.Equal(t, want, Importance(c), c)
	}
}
