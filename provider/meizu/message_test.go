package meizu

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
)

var t0 = time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)

func one(m jsontype.Message) []core.Outgoing {
	return []core.Outgoing{{DeliveryID: "dlv_1", JobID: "job_1", Token: "pid-1", Message: m, ExpiresAt: t0.Add(90 * time.Minute)}}
}

// TestSignMatchesTheRule builds the base string of Meizu's rule by hand:
// sorted names, raw values, no separators, the secret last.
func TestSignMatchesTheRule(t *testing.T) {
	t.Parallel()
	form := url.Values{"pushIds": {"RA50c,RB60d"}, "appId": {"10000"}, "messageJson": {`{"a":"b c"}`}, "sign": {"ignored"}}
	sum := md5.Sum([]byte(`appId=10000messageJson={"a":"b c"}pushIds=RA50c,RB60dsecret`))
	require.Equal(t, hex.EncodeToString(sum[:]), Sign(form, "secret"))
}

// TestBuildMatchesTheDocs checks a messageJson against the README's:
// noticeBarInfo, clickTypeInfo, pushTimeInfo, advanceInfo, extra.
func TestBuildMatchesTheDocs(t *testing.T) {
	t.Parallel()
	cb := Callback{URL: "https://pushd.example/r", Param: func(j string) string { return j + ".mac" }}
	body, pass, why := Build(one(jsontype.Message{Title: "New reply", Body: "Alice: hi", Classification: "IM", CollapseKey: "chat42"}), cb, t0)
	require.Empty(t, why)
	require.False(t, pass)
	require.JSONEq(t, `{"noticeBarInfo":{"noticeMsgType":1,"noticeBarType":0,"title":"New reply","content":"Alice: hi"},
		"clickTypeInfo":{"clickType":0,"parameters":{"pushd":"{\"id\":\"dlv_1\",\"job\":\"job_1\"}"}},
		"pushTimeInfo":{"offLine":true,"validTime":2},
		"advanceInfo":{"suspend":true,"clearNoticeBar":true,"notificationType":{"vibrate":true,"lights":true,"sound":true},"notifyKey":"chat42"},
		"extra":{"callback":"https://pushd.example/r","callback.param":"job_1.mac","callback.type":"3"}}`, string(body))
}

func TestBuildRules(t *testing.T) {
	t.Parallel()
	read := func(t *testing.T, b []byte) Message {
		var m Message
		require.NoError(t, json.Unmarshal(b, &m))
		return m
	}
	for _, r := range []struct {
		name string
		msg  jsontype.Message
		why  string
		test func(t *testing.T, m Message)
	}{
		{name: "marketing is public", msg: jsontype.Message{Title: "Sale", Classification: "MARKETING"},
			test: func(t *testing.T, m Message) { require.Equal(t, MsgPublic, m.NoticeBarInfo.NoticeMsgType) }},
		{name: "unclassified is public", msg: jsontype.Message{Title: "Hi"},
			test: func(t *testing.T, m Message) { require.Equal(t, MsgPublic, m.NoticeBarInfo.NoticeMsgType) }},
		{name: "long title cut", msg: jsontype.Message{Title: strings.Repeat("标", 40), Body: "b"},
			test: func(t *testing.T, m Message) {
				require.Equal(t, strings.Repeat("标", MaxTitle-1)+"…", m.NoticeBarInfo.Title)
			}},
		{name: "body stands in", msg: jsontype.Message{Body: "only"},
			test: func(t *testing.T, m Message) { require.Equal(t, "only", m.NoticeBarInfo.Title) }},
		{name: "uri", msg: jsontype.Message{Title: "t", URI: "https://example.com/x"},
			test: func(t *testing.T, m Message) {
				require.Equal(t, ClickTypeInfo{ClickType: clickURI, URL: "https://example.com/x", Parameters: m.ClickTypeInfo.Parameters}, m.ClickTypeInfo)
			}},
		{name: "action", msg: jsontype.Message{Title: "t", Action: "com.example.Chat"},
			test: func(t *testing.T, m Message) { require.Equal(t, "com.example.Chat", m.ClickTypeInfo.Activity) }},
		{name: "long collapse key hashed", msg: jsontype.Message{Title: "t", CollapseKey: "a key that is long"},
			test: func(t *testing.T, m Message) {
				require.LessOrEqual(t, len(m.AdvanceInfo.NotifyKey), 8)
				require.Equal(t, notifyKey("a key that is long"), m.AdvanceInfo.NotifyKey)
			}},
		{name: "payload", msg: jsontype.Message{Title: "t", Payload: map[string]any{"s": "v", "n": 2}},
			test: func(t *testing.T, m Message) {
				require.Equal(t, "v", m.ClickTypeInfo.Parameters["s"])
				require.Equal(t, "2", m.ClickTypeInfo.Parameters["n"])
			}},
		{name: "no receipts without a URL", msg: jsontype.Message{Title: "t"},
			test: func(t *testing.T, m Message) { require.Empty(t, m.Extra) }},
		{name: "no text", msg: jsontype.Message{}, why: "Meizu: a notification needs a title or a body"},
		{name: "relative uri", msg: jsontype.Message{Title: "t", URI: "/a"}, why: "Meizu: uri is not an absolute URL"},
		{name: "payload too big", msg: jsontype.Message{Title: "t", Payload: map[string]any{"k": strings.Repeat("x", MaxData)}},
			why: "Meizu: the payload is over 2000 bytes as JSON"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			body, _, why := Build(one(r.msg), Callback{}, t0)
			require.Equal(t, r.why, why)
			if r.test != nil {
				r.test(t, read(t, body))
			}
		})
	}
}

func TestBuildPassThroughAndValidity(t *testing.T) {
	t.Parallel()
	body, pass, why := Build(one(jsontype.Message{Silent: true, Payload: map[string]any{"k": "v"}}), Callback{}, t0)
	require.Empty(t, why)
	require.True(t, pass)
	var p PassThrough
	require.NoError(t, json.Unmarshal(body, &p))
	require.JSONEq(t, `{"k":"v","pushd":"{\"id\":\"dlv_1\",\"job\":\"job_1\"}"}`, p.Content)

	for _, r := range []struct {
		left time.Duration
		want int
	}{{90 * time.Minute, 2}, {time.Hour, 1}, {-time.Minute, 1}, {10 * 24 * time.Hour, 72}} {
		require.Equal(t, r.want, validHours(t0.Add(r.left), t0), "%v left", r.left)
	}
	_, _, why = Build(make([]core.Outgoing, MaxTargets+1), Callback{}, t0)
	require.Equal(t, "Meizu: a call carries 1 to 100 pushIds", why)
}

// TestMsgTypeKeepsTheClasses: only service classifications are private.
func TestMsgTypeKeepsTheClasses(t *testing.T) {
	t.Parallel()
	for _, c := range core.Classifications() {
		class, _ := core.ClassOf(c)
		want := MsgPublic
		if class == core.ClassService {
			want = MsgPrivate
		}
		require.Equal(t, want, MsgType(c), c)
	}
}
