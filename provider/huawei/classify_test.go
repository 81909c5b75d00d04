package huawei

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

func body(code, msg string) string {
	return fmt.Sprintf(`{"code":%q,"msg":%q,"requestId":"1572784228418364310109"}`, code, msg)
}

func TestClassify(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	retryAfter := http.Header{"Retry-After": {"7"}}
	for _, tc := range []struct {
		name    string
		status  int
		header  http.Header
		body    string
		outcome core.Outcome
		reason  string
		after   time.Duration
		reauth  bool
	}{
		{name: "success", status: 200, body: body("80000000", "Success"), outcome: core.OutcomeSent},
		{name: "numeric code", status: 200, body: `{"code":80000000,"msg":"Success"}`, outcome: core.OutcomeSent},
		{name: "partial success, unreadable msg", status: 200, body: body("80100000", "Some tokens are invalid"), outcome: core.OutcomeSent},
		{name: "all tokens invalid", status: 200, body: body("80300007", "All the tokens are invalid"), outcome: core.OutcomeTokenDead,
			reason: "Huawei: 80300007 all tokens invalid"},
		{name: "all tokens invalid, JSON msg", status: 400, body: body("80300007", `{"success":0,"failure":2,"illegal_tokens":["a","b"]}`),
			outcome: core.OutcomeTokenDead, reason: "Huawei: 80300007 all tokens invalid"},
		{name: "parameter error", status: 400, body: body("80100001", "ttl is malformed"), outcome: core.OutcomeFailed,
			reason: "Huawei: 80100001 parameter check error"},
		{name: "sys message", status: 400, body: body("80100002", "x"), outcome: core.OutcomeFailed,
			reason: "Huawei: 80100002 a sys message takes exactly one token"},
		{name: "illegal payload", status: 400, body: body("80100003", "Illegal payload, data must be a string"), outcome: core.OutcomeFailed,
			reason: "Huawei: 80100003 illegal payload"},
		{name: "illegal expire time", status: 400, body: body("80100004", ""), outcome: core.OutcomeFailed,
			reason: "Huawei: 80100004 illegal expire time"},
		{name: "illegal collapse_key", status: 400, body: body("80100013", "illegal collapse_key"), outcome: core.OutcomeFailed,
			reason: "Huawei: 80100013 illegal collapse_key"},
		{name: "sensitive content", status: 400, body: body("80100016", "The message contains sensitive information"), outcome: core.OutcomeFailed,
			reason: "Huawei: 80100016 message contains sensitive content"},
		{name: "invalid message body", status: 400, body: body("80100018", ""), outcome: core.OutcomeFailed,
			reason: "Huawei: 80100018 invalid message body"},
		{name: "body too big", status: 400, body: body("80300008", "The message body size exceeds the default value"), outcome: core.OutcomeFailed,
			reason: "Huawei: 80300008 message body too big"},
		{name: "token count", status: 400, body: body("80300010", ""), outcome: core.OutcomeFailed,
			reason: "Huawei: 80300010 token count out of range"},
		{name: "no permission", status: 403, body: body("80300002", "There is no permission to send message to these tmIDs"),
			outcome: core.OutcomeConfigError, reason: "Huawei: 80300002 no permission to send messages"},
		{name: "no high-priority permission", status: 400, body: body("80300011", ""), outcome: core.OutcomeConfigError,
			reason: "Huawei: 80300011 no permission to send high-priority messages"},
		{name: "auth error", status: 401, body: body("80200001", "Oauth authentication error"), outcome: core.OutcomeConfigError,
			reason: "Huawei: 80200001 OAuth authentication error", reauth: true},
		{name: "auth error on 200", status: 200, body: body("80200001", ""), outcome: core.OutcomeConfigError,
			reason: "Huawei: 80200001 OAuth authentication error", reauth: true},
		{name: "token expired", status: 401, body: body("80200003", "Oauth Token expired"), outcome: core.OutcomeRetry,
			reason: "Huawei: 80200003 OAuth access token expired", reauth: true},
		{name: "401 without body", status: 401, body: "", outcome: core.OutcomeConfigError,
			reason: "Huawei: HTTP 401 authentication failed", reauth: true},
		{name: "404", status: 404, body: "<html>not found</html>", outcome: core.OutcomeConfigError,
			reason: "Huawei: HTTP 404 service not found (check the App ID and the Push Kit URL)"},
		{name: "404 with a code", status: 404, body: body("80100001", "x"), outcome: core.OutcomeConfigError,
			reason: "Huawei: HTTP 404 service not found (check the App ID and the Push Kit URL)"},
		{name: "503 traffic control", status: 503, header: retryAfter, body: "", outcome: core.OutcomeRetry,
			reason: "Huawei: HTTP 503 traffic control", after: 7 * time.Second},
		{name: "503 no Retry-After", status: 503, body: `{"msg":"flow control"}`, outcome: core.OutcomeRetry,
			reason: "Huawei: HTTP 503 traffic control"},
		{name: "502", status: 502, body: "bad gateway", outcome: core.OutcomeRetry, reason: "Huawei: HTTP 502 bad gateway"},
		{name: "500", status: 500, body: "", outcome: core.OutcomeRetry, reason: "Huawei: HTTP 500 internal error"},
		{name: "500 with a code", status: 500, header: retryAfter, body: body("81000001", "System inner error"), outcome: core.OutcomeRetry,
			reason: "Huawei: 81000001 internal error", after: 7 * time.Second},
		{name: "internal error on 200", status: 200, body: body("81000001", ""), outcome: core.OutcomeRetry,
			reason: "Huawei: 81000001 internal error"},
		{name: "OAuth service failed", status: 200, header: retryAfter, body: body("80600003", ""), outcome: core.OutcomeRetry,
			reason: "Huawei: 80600003 request to the OAuth service failed", after: 7 * time.Second},
		{name: "topic messages in flight", status: 400, body: body("80100017", ""), outcome: core.OutcomeRetry,
			reason: "Huawei: 80100017 too many topic messages in flight"},
		{name: "429", status: 429, header: http.Header{"Retry-After": {"60"}}, body: "", outcome: core.OutcomeRetry,
			reason: "Huawei: HTTP 429 too many requests", after: time.Minute},
		{name: "unknown code", status: 400, body: body("80399999", "Something new"), outcome: core.OutcomeFailed,
			reason: "Huawei: 80399999 unknown code"},
		{name: "unknown code, no msg", status: 200, body: body("80399999", ""), outcome: core.OutcomeFailed,
			reason: "Huawei: 80399999 unknown code"},
		{name: "200 unreadable", status: 200, body: "OK", outcome: core.OutcomeFailed, reason: "Huawei: HTTP 200 unreadable answer"},
		{name: "400 unreadable", status: 400, body: "", outcome: core.OutcomeFailed, reason: "Huawei: HTTP 400 bad request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := Classify(tc.status, tc.header, []byte(tc.body), now)
			require.Equal(t, tc.outcome, v.Result.Outcome)
			require.Equal(t, tc.reason, v.Result.Reason)
			require.Equal(t, tc.after, v.Result.RetryAfter)
			require.Equal(t, tc.reauth, v.Reauth)
			require.Equal(t, tc.outcome, v.For("any").Outcome)
		})
	}
}

func TestClassifyPartial(t *testing.T) {
	t.Parallel()
	v := Classify(200, nil, []byte(body("80100000", `{"success":1,"failure":2,"illegal_tokens":["bad1","bad2"]}`)), time.Now())
	require.Equal(t, "80100000", v.Code)
	require.Equal(t, core.Result{Outcome: core.OutcomeSent}, v.For("good"))
	require.Equal(t, core.Result{Outcome: core.OutcomeTokenDead, Reason: "Huawei: 80100000 illegal token"}, v.For("bad1"))
	require.Equal(t, core.OutcomeTokenDead, v.For("bad2").Outcome)
}

// Huawei's msg is not quoted, whatever it holds.
func TestClassifyQuotesNoMsg(t *testing.T) {
	t.Parallel()
	for _, b := range []string{body("80100001", "[message.android.title] INTERNAL-DETAIL"), body("99999999", "INTERNAL-DETAIL")} {
		v := Classify(400, nil, []byte(b), time.Now())
		require.NotContains(t, v.Result.Reason, "INTERNAL-DETAIL")
		require.True(t, strings.HasPrefix(v.Result.Reason, "Huawei: "), v.Result.Reason)
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, body("80000000", "Success")},
		{200, body("80100000", `{"success":1,"failure":1,"illegal_tokens":["t"]}`)},
		{200, `{"code":"80100000","msg":{"illegal_tokens":["t"]}}`},
		{200, `{"code":80300007,"msg":null}`},
		{401, body("80200003", "")},
		{503, ""},
		{404, "x"},
		{400, `{"code":"8e7","msg":1}`},
		{200, `{"code":"-1"}`},
		{0, `[]`},
	} {
		f.Add(s.status, s.body, "7")
	}
	f.Fuzz(func(t *testing.T, status int, b, retryAfter string) {
		v := Classify(status, http.Header{"Retry-After": {retryAfter}}, []byte(b), time.Now())
		require.GreaterOrEqual(t, v.Result.Outcome, core.OutcomeSent)
		require.LessOrEqual(t, v.Result.Outcome, core.OutcomeConfigError)
		require.GreaterOrEqual(t, v.Result.RetryAfter, time.Duration(0))
		if v.Result.Outcome != core.OutcomeSent {
			require.NotEmpty(t, v.Result.Reason)
		}
		// The answer is read, never quoted (a code of digits is read).
		if len(b) >= 12 {
			require.NotContains(t, v.Result.Reason, b)
		}
		r := v.For("t")
		require.GreaterOrEqual(t, r.Outcome, core.OutcomeSent)
		require.LessOrEqual(t, r.Outcome, core.OutcomeConfigError)
	})
}
