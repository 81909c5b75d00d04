package xiaomi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

// errorBody is Xiaomi's error answer for a code.
func errorBody(code int, reason string) string {
	return fmt.Sprintf(`{"result":"error","reason":%q,"trace_id":"Xcm0001","code":%d,"description":"失败"}`, reason, code)
}

func TestClassifyCodes(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC) // 17:30 in Beijing
	untilMidnight := 6*time.Hour + 30*time.Minute
	rows := []struct {
		code    int
		outcome core.Outcome
		after   time.Duration
	}{
		{-1, core.OutcomeRetry, 0},
		{1, core.OutcomeRetry, 0},
		{10001, core.OutcomeRetry, 0},
		{10002, core.OutcomeRetry, 0},
		{10003, core.OutcomeRetry, 0},
		{10027, core.OutcomeRetry, 0},
		{10037, core.OutcomeRetry, 0},
		{20301, core.OutcomeRetry, 0},
		{20607, core.OutcomeRetry, 0},
		{22102, core.OutcomeRetry, 0},
		{26003, core.OutcomeRetry, 0},
		{26004, core.OutcomeRetry, 0},
		{65003, core.OutcomeRetry, 0},
		{65029, core.OutcomeRetry, 0},
		{200001, core.OutcomeRetry, untilMidnight},
		{10034, core.OutcomeRetry, untilMidnight},
		{10029, core.OutcomeTokenDead, 0},
		{21301, core.OutcomeConfigError, 0},
		{21302, core.OutcomeConfigError, 0},
		{21303, core.OutcomeConfigError, 0},
		{22000, core.OutcomeConfigError, 0},
		{22006, core.OutcomeConfigError, 0},
		{22007, core.OutcomeConfigError, 0},
		{22022, core.OutcomeConfigError, 0},
		{10031, core.OutcomeConfigError, 0},
		{10036, core.OutcomeConfigError, 0},
		{27001, core.OutcomeConfigError, 0},
		{26006, core.OutcomeConfigError, 0},
		{66108, core.OutcomeConfigError, 0},
		{10008, core.OutcomeFailed, 0},
		{10012, core.OutcomeFailed, 0},
		{10016, core.OutcomeFailed, 0},
		{10017, core.OutcomeFailed, 0},
		{21305, core.OutcomeFailed, 0},
		{65009, core.OutcomeFailed, 0},
		{65011, core.OutcomeFailed, 0},
		{65014, core.OutcomeFailed, 0},
		{65015, core.OutcomeFailed, 0},
		{65036, core.OutcomeFailed, 0},
		{65037, core.OutcomeFailed, 0},
		{65038, core.OutcomeFailed, 0},
		{99999, core.OutcomeFailed, 0},
	}
	for _, r := range rows {
		t.Run(fmt.Sprint(r.code), func(t *testing.T) {
			t.Parallel()
			a := Classify(http.StatusOK, http.Header{}, []byte(errorBody(r.code, "Some words.")), now)
			require.Equal(t, r.code, a.Code)
			require.Equal(t, r.outcome, a.Result.Outcome)
			require.Equal(t, r.after, a.Result.RetryAfter)
			require.True(t, strings.HasPrefix(a.Result.Reason, fmt.Sprintf("Xiaomi: %d ", r.code)), a.Result.Reason)
			require.NotContains(t, a.Result.Reason, "Some words.")
			require.Equal(t, a.Result, a.For("any"))
		})
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	retryIn := func(s string) http.Header { return http.Header{"Retry-After": {s}} }
	rows := []struct {
		name    string
		status  int
		header  http.Header
		body    string
		outcome core.Outcome
		after   time.Duration
		reason  string
	}{
		{"ok", 200, nil, `{"result":"ok","trace_id":"Xdm1","code":0,"data":{"id":"scm1"},"description":"成功","info":"Received push messages for 1 REGID"}`, core.OutcomeSent, 0, ""},
		{"ok without data", 200, nil, `{"result":"ok","code":0}`, core.OutcomeSent, 0, ""},
		{"ok with odd data", 200, nil, `{"result":"ok","code":"0","data":"x"}`, core.OutcomeSent, 0, ""},
		{"bad secret", 200, nil, `{"result":"error","reason":"Invalid application secret.","trace_id":"Xcm1","code":21301,"description":"认证失败"}`, core.OutcomeConfigError, 0, "Xiaomi: 21301 invalid AppSecret"},
		{"code as string", 200, nil, `{"result":"error","code":"10027","reason":"busy"}`, core.OutcomeRetry, 0, "Xiaomi: 10027 API called too frequently"},
		{"description only", 200, nil, `{"result":"error","code":10017,"description":"参数值非法"}`, core.OutcomeFailed, 0, "Xiaomi: 10017 illegal parameter value"},
		{"no words", 200, nil, `{"result":"error","code":10017}`, core.OutcomeFailed, 0, "Xiaomi: 10017 illegal parameter value"},
		{"retry code with Retry-After", 200, retryIn("30"), errorBody(10002, "busy"), core.OutcomeRetry, 30 * time.Second, "Xiaomi: 10002 service busy"},
		{"error code on 4xx", 400, nil, errorBody(10017, "bad"), core.OutcomeFailed, 0, "Xiaomi: 10017 illegal parameter value"},
		{"error without code", 200, nil, `{"result":"error","reason":"oops"}`, core.OutcomeRetry, 0, "Xiaomi: HTTP 200 OK"},
		{"503 plain", 503, retryIn("120"), `Service Unavailable`, core.OutcomeRetry, 2 * time.Minute, "Xiaomi: HTTP 503 Service Unavailable"},
		{"502 empty", 502, nil, ``, core.OutcomeRetry, 0, "Xiaomi: HTTP 502 Bad Gateway"},
		{"500 with JSON code", 500, nil, errorBody(1, "internal"), core.OutcomeRetry, 0, "Xiaomi: 1 internal error"},
		{"429 plain", 429, retryIn("5"), `slow down`, core.OutcomeRetry, 5 * time.Second, "Xiaomi: HTTP 429 Too Many Requests"},
		{"401 plain", 401, nil, `unauthorized`, core.OutcomeConfigError, 0, "Xiaomi: HTTP 401 Unauthorized"},
		{"404 plain", 404, nil, `not found`, core.OutcomeFailed, 0, "Xiaomi: HTTP 404 Not Found"},
		{"200 garbage", 200, nil, `<html>`, core.OutcomeRetry, 0, "Xiaomi: HTTP 200 OK"},
		{"quota", 200, nil, errorBody(200001, "exceed quota, quota: 100, have acked: 100"), core.OutcomeRetry, 6*time.Hour + 30*time.Minute, "Xiaomi: 200001 daily quota used up"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			a := Classify(r.status, r.header, []byte(r.body), now)
			require.Equal(t, r.outcome, a.Result.Outcome)
			require.Equal(t, r.after, a.Result.RetryAfter)
			require.Equal(t, r.reason, a.Result.Reason)
		})
	}
}

func TestClassifyBadRegIDs(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"result":"ok","code":0,"data":{"id":"scm1","bad_regids":"r2, r3"}}`,
		`{"result":"ok","code":0,"data":{"id":"scm1","bad_regIds":"r2,r3,"}}`,
		`{"result":"ok","code":0,"data":{"id":"scm1","BAD_REGIDS":["r2","r3"]}}`,
	} {
		a := Classify(200, nil, []byte(body), time.Now())
		require.Equal(t, "scm1", a.MessageID)
		require.Equal(t, []string{"r2", "r3"}, a.BadRegIDs)
		require.Equal(t, core.OutcomeSent, a.For("r1").Outcome)
		require.Equal(t, core.Result{Outcome: core.OutcomeTokenDead, Reason: "Xiaomi: invalid regid (data.bad_regids)"}, a.For("r2"))
		require.Equal(t, core.OutcomeTokenDead, a.For("r3").Outcome)
	}
}

func FuzzClassify(f *testing.F) {
	f.Add(200, `{"result":"ok","code":0,"data":{"id":"scm1","bad_regids":"a,b"}}`)
	f.Add(200, errorBody(21301, "Invalid application secret."))
	f.Add(200, errorBody(200001, "exceed quota"))
	f.Add(503, `Service Unavailable`)
	f.Add(200, `{"code":"1e400","data":[1,2]}`)
	f.Add(200, `{"code":9223372036854775807,"result":"error"}`)
	f.Add(0, ``)
	f.Add(200, `{"result":"ok","data":{"bad_regids":{"x":1}}}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		a := Classify(status, http.Header{"Retry-After": {"7"}}, []byte(body), time.Unix(1700000000, 0))
		require.GreaterOrEqual(t, a.Result.Outcome, core.OutcomeSent)
		require.LessOrEqual(t, a.Result.Outcome, core.OutcomeConfigError)
		require.GreaterOrEqual(t, a.Result.RetryAfter, time.Duration(0))
		if a.Result.Outcome != core.OutcomeSent {
			require.NotEmpty(t, a.Result.Reason)
		}
		for _, r := range a.BadRegIDs {
			require.Equal(t, core.OutcomeTokenDead, a.For(r).Outcome)
		}
	})
}
