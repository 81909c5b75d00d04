package oppo

import (
	"encoding/json"
	"slices"
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
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	base := core.Outgoing{DeliveryID: "dlv_1", JobID: "job_1", Token: "CN_abc", ExpiresAt: now.Add(2 * time.Hour)}
	with := func(m jsontype.Message) core.Outgoing { o := base; o.Message = m; return o }
	for _, r := range []struct {
		name string
		in   core.Outgoing
		want func(*Notification)
		why  string
	}{
		{"title and body", with(jsontype.Message{Title: "Hi", Body: "New reply"}), func(n *Notification) {}, ""},
		{"body only stands in for the title", with(jsontype.Message{Body: "New reply"}), func(n *Notification) { n.Title = "New reply" }, ""},
		{"long title is cut", with(jsontype.Message{Title: strings.Repeat("标", 60), Body: "b"}), func(n *Notification) {
			n.Title = strings.Repeat("标", 49) + "…"
		}, ""},
		{"web URI", with(jsontype.Message{Title: "Hi", Body: "New reply", URI: "https://example.com/x"}), func(n *Notification) {
			n.ClickActionType, n.ClickActionURL = clickWebURL, "https://example.com/x"
		}, ""},
		{"intent URI", with(jsontype.Message{Title: "Hi", Body: "New reply", URI: "myapp://open/1"}), func(n *Notification) {
			n.ClickActionType, n.ClickActionURL = clickIntentURL, "myapp://open/1"
		}, ""},
		{"action", with(jsontype.Message{Title: "Hi", Body: "New reply", Action: "com.example.OPEN"}), func(n *Notification) {
			n.ClickActionType, n.ClickActionActivity = clickActivity, "com.example.OPEN"
		}, ""},
		{"service category", with(jsontype.Message{Title: "Hi", Body: "New reply", Classification: "VOIP"}), func(n *Notification) {
			n.Category, n.NotifyLevel = "IM", levelLockScreen
		}, ""},
		{"marketing category", with(jsontype.Message{Title: "Hi", Body: "New reply", Classification: "MARKETING"}), func(n *Notification) {
			n.Category, n.NotifyLevel = "MARKETING", levelBar
		}, ""},
		{"own channel", with(jsontype.Message{Title: "Hi", Body: "New reply", AndroidChannelID: "chat"}), func(n *Notification) { n.ChannelID = "chat" }, ""},
		{"collapse key", with(jsontype.Message{Title: "Hi", Body: "New reply", CollapseKey: "k"}), func(n *Notification) { n.NotifyID = channel.NotifyID("k") }, ""},
		{"silent", with(jsontype.Message{Silent: true}), nil, "no data-only"},
		{"empty", with(jsontype.Message{}), nil, "needs a title or a body"},
		{"classification without an OPPO category", with(jsontype.Message{Title: "Hi", Body: "Hi", Classification: "TRAVEL"}), func(n *Notification) {}, ""},
		{"an APNs category is not OPPO's", with(jsontype.Message{Title: "Hi", Body: "Hi", Category: "REPLY"}), func(n *Notification) {}, ""},
		{"relative URI", with(jsontype.Message{Title: "Hi", URI: "/x"}), nil, "absolute URL"},
		{"payload too large", with(jsontype.Message{Title: "Hi", Payload: map[string]any{"k": strings.Repeat("x", 4000)}}), nil, "over 4000"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			got, why := Build(r.in, "default", Callback{URL: "https://push.example.com/vendor/v1/oppo/c/receipts"}, now)
			if r.why != "" {
				require.Contains(t, why, r.why)
				return
			}
			require.Empty(t, why)
			want := Notification{
				AppMessageID: "dlv_1", Style: 1, Title: r.in.Message.Title, Content: r.in.Message.Body, OffLine: true,
				OffLineTTL: 7200, ChannelID: "default", ActionParameters: `{"pushd":{"id":"dlv_1","job":"job_1"}}`,
				CallBackURL: "https://push.example.com/vendor/v1/oppo/c/receipts", CallBackParameter: "job_1",
			}
			if want.Content == "" {
				want.Content = want.Title
			}
			r.want(&want)
			require.Equal(t, Message{TargetType: 2, TargetValue: "CN_abc", Notification: want}, got)
		})
	}
}

func TestBuildKeepsThePayloadAndTheTTLBounds(t *testing.T) {
	t.Parallel()
	now := time.Now()
	m := core.Outgoing{DeliveryID: "d", JobID: "j", Message: jsontype.Message{Title: "t", Payload: map[string]any{"order": 7}}, ExpiresAt: now.Add(30 * 24 * time.Hour)}
	got, why := Build(m, "", Callback{}, now)
	require.Empty(t, why)
	require.Equal(t, MaxOfflineTTL, got.Notification.OffLineTTL, "at most 10 days")
	var p map[string]any
	require.NoError(t, json.Unmarshal([]byte(got.Notification.ActionParameters), &p))
	require.EqualValues(t, 7, p["order"])
	m.ExpiresAt = now.Add(-time.Second)
	got, _ = Build(m, "", Callback{}, now)
	require.Equal(t, 1, got.Notification.OffLineTTL)
	require.Empty(t, got.Notification.CallBackURL, "no receipts asked")
}

func TestEveryCodeHasAnOutcome(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	want := map[int]core.Outcome{
		-2: core.OutcomeRetry, -1: core.OutcomeRetry, 0: core.OutcomeSent, 11: core.OutcomeRetry,
		12: core.OutcomeFailed, 13: core.OutcomeRetry, 14: core.OutcomeConfigError, 15: core.OutcomeConfigError,
		16: core.OutcomeConfigError, 17: core.OutcomeConfigError, 18: core.OutcomeConfigError, 19: core.OutcomeConfigError,
		20: core.OutcomeFailed, 21: core.OutcomeFailed, 22: core.OutcomeFailed, 23: core.OutcomeFailed,
		24: core.OutcomeFailed, 25: core.OutcomeFailed, 26: core.OutcomeConfigError, 27: core.OutcomeConfigError,
		28: core.OutcomeConfigError, 29: core.OutcomeConfigError, 30: core.OutcomeConfigError, 31: core.OutcomeFailed,
		32: core.OutcomeSent, 33: core.OutcomeRetry, 34: core.OutcomeFailed, 40: core.OutcomeFailed,
		41: core.OutcomeFailed, 51: core.OutcomeFailed, 55: core.OutcomeRetry, 59: core.OutcomeFailed,
		67: core.OutcomeFailed, 10000: core.OutcomeTokenDead, 12345: core.OutcomeFailed,
	}
	for code := range codeWords {
		_, ok := want[code]
		require.True(t, ok, "code %d has words but no expected outcome here", code)
	}
	for code, outcome := range want {
		r := codeResult(code, now)
		require.Equal(t, outcome, r.Outcome, "code %d", code)
		if outcome != core.OutcomeSent {
			require.Contains(t, r.Reason, "OPPO: ", "code %d", code)
		}
	}
	require.Equal(t, 8*time.Hour, codeResult(33, now).RetryAfter, "16:00 in Beijing: 8 hours to midnight")
}

func TestClassify(t *testing.T) {
	t.Parallel()
	now := time.Now()
	ids := []string{"a", "b", "c"}
	a := Classify(200, nil, []byte(`{"code":0,"data":[{"messageId":"m1","registrationId":"a"},{"registrationId":"b","errorCode":10000,"errorMessage":"Invalid Registration_id"},{"messageId":"m3","registrationId":"c"}]}`), ids, now)
	require.Equal(t, []core.Outcome{core.OutcomeSent, core.OutcomeTokenDead, core.OutcomeSent},
		[]core.Outcome{a.Each[0].Outcome, a.Each[1].Outcome, a.Each[2].Outcome})
	require.Equal(t, []string{"m1", "", "m3"}, a.MessageIDs)
	a = Classify(200, nil, []byte(`{"code":0,"data":[{"messageId":"m3","registrationId":"c"}]}`), ids, now)
	require.Equal(t, core.OutcomeRetry, a.Each[0].Outcome, "no element: retried")
	require.Equal(t, core.OutcomeSent, a.Each[2].Outcome, "matched by registrationId")
	a = Classify(502, nil, []byte(`<html>bad gateway</html>`), ids, now)
	require.Equal(t, noCode, a.Code)
	require.Equal(t, core.OutcomeRetry, a.Result.Outcome)
	a = Classify(200, nil, []byte(`{"code":41,"message":"Invalid Arguments"}`), ids, now)
	require.Equal(t, core.OutcomeFailed, a.Result.Outcome)
	require.NotContains(t, a.Result.Reason, "Invalid Arguments", "OPPO's own words are not quoted")
}

func TestParseReceipts(t *testing.T) {
	t.Parallel()
	verify := func(p string) (string, bool) { return strings.CutSuffix(p, ".ok") }
	now := time.Now()
	body := `[{"messageId":"m","registrationIds":"a,b","eventTime":"1690000000000","param":"job_1.ok","eventType":"push_arrive"},
	{"registrationIds":"c","param":"job_1.forged","eventType":"push_arrive"},
	{"registrationIds":"d","param":"job_1.ok","eventType":"regid_invalid"},
	{"registrationIds":"e","param":"job_1.ok","eventType":"user_daily_limit"},
	{"registrationIds":"f","param":"job_1.ok","eventType":"something_new"}]`
	got, err := ParseReceipts([]byte(body), verify, now)
	require.NoError(t, err)
	require.Len(t, got, 4)
	require.Equal(t, "a", got[0].Token)
	require.Equal(t, time.UnixMilli(1690000000000), got[0].At)
	require.Equal(t, core.ReceiptTokenDead, got[2].Event)
	require.Equal(t, core.ReceiptFailed, got[3].Event)
	require.Contains(t, got[3].Reason, "user_daily_limit")
	_, err = ParseReceipts([]byte(`{"not":"an array"}`), verify, now)
	require.Error(t, err)
	_, err = ParseReceipts([]byte(`[{"registrationIds":"c","param":"job_1.forged","eventType":"push_arrive"}]`), verify, now)
	require.Error(t, err, "nothing verifiable")
}

func FuzzParseReceipts(f *testing.F) {
	f.Add([]byte(`[{"registrationIds":"a","param":"j.ok","eventType":"push_arrive","eventTime":"1"}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseReceipts(b, func(p string) (string, bool) { return strings.CutSuffix(p, ".ok") }, time.Now())
		if err != nil {
			require.Empty(t, got)
		}
		for _, r := range got {
			require.NotEmpty(t, r.Token)
			require.NotEmpty(t, r.JobID)
		}
	})
}

func TestCategoriesAreClassifications(t *testing.T) {
	t.Parallel()
	oppo := append(slices.Clone(serviceCategories), "NEWS", "CONTENT", "MARKETING", "SOCIAL")
	for classification, category := range categories {
		class, ok := core.ClassOf(classification)
		require.True(t, ok, classification)
		require.Contains(t, oppo, category, classification)
		// A service classification never lands in a public category, nor
		// a marketing one in a private category.
		require.Equal(t, class == core.ClassService, slices.Contains(serviceCategories, category), classification)
	}
}
