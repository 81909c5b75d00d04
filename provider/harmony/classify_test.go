package harmony

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/push/core"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tokens := []string{"a", "b", "c"}
	sent := core.Result{Outcome: core.OutcomeSent}
	each := func(r core.Result) []core.Result { return []core.Result{r, r, r} }
	for _, r := range []struct {
		name   string
		status int
		body   string
		want   []core.Result
		reauth bool
	}{
		{name: "taken", status: 200, body: `{"code":"80000000","msg":"Success.","requestId":"r"}`, want: each(sent)},
		{name: "partial", status: 200,
			body: `{"code":"80100000","msg":"{\"illegalTokens\":{\"tokenFormatError\":[\"b\"],\"notSupportPlayVoice\":[\"c\"]},\"success\":1,\"failure\":2}"}`,
			want: []core.Result{sent, {Outcome: core.OutcomeTokenDead, Reason: "HarmonyOS: tokenFormatError"},
				{Outcome: core.OutcomeFailed, Reason: "HarmonyOS: notSupportPlayVoice"}}},
		{name: "all invalid", status: 200,
			body: `{"code":"80300007","msg":"{\"illegalTokens\":{\"noRight\":[\"a\",\"b\"],\"appinfoError\":[\"c\"]},\"failure\":3}"}`,
			want: []core.Result{{Outcome: core.OutcomeTokenDead, Reason: "HarmonyOS: noRight"}, {Outcome: core.OutcomeTokenDead, Reason: "HarmonyOS: noRight"},
				{Outcome: core.OutcomeRetry, Reason: "HarmonyOS: appinfoError (the app is not set up yet)"}}},
		{name: "unknown token reason", status: 200,
			body: `{"code":"80100000","msg":"{\"illegalTokens\":{\"<b>x</b>\":[\"a\"]}}"}`,
			want: []core.Result{{Outcome: core.OutcomeFailed, Reason: "HarmonyOS: token refused"}, sent, sent}},
		{name: "JWT expired", status: 401, body: `{"code":"80200005","msg":"Jwt token expired."}`, reauth: true,
			want: each(core.Result{Outcome: core.OutcomeRetry, Reason: "HarmonyOS: 80200005 JWT expired"})},
		{name: "authentication", status: 401, body: `{"code":"80200001","msg":"Authentication Error."}`, reauth: true,
			want: each(core.Result{Outcome: core.OutcomeConfigError, Reason: "HarmonyOS: 80200001 authentication error"})},
		{name: "no permission", status: 403, body: `{"code":"80300002"}`,
			want: each(core.Result{Outcome: core.OutcomeConfigError, Reason: "HarmonyOS: 80300002 no permission to send (Push Kit off, or not this project's tokens)"})},
		{name: "JWT too long", status: 400, body: `{"code":"80300036"}`,
			want: each(core.Result{Outcome: core.OutcomeConfigError, Reason: "HarmonyOS: 80300036 JWT lifetime over a day"})},
		{name: "penalty", status: 403, body: `{"code":"80300037"}`,
			want: each(core.Result{Outcome: core.OutcomeConfigError, Reason: "HarmonyOS: 80300037 sending disabled: the app is penalised"})},
		{name: "illegal payload", status: 400, body: `{"code":"80100003","msg":"Illegal payload, x"}`,
			want: each(core.Result{Outcome: core.OutcomeFailed, Reason: "HarmonyOS: 80100003 illegal payload"})},
		{name: "too long", status: 400, body: `{"code":"80300008"}`,
			want: each(core.Result{Outcome: core.OutcomeFailed, Reason: "HarmonyOS: 80300008 message too long"})},
		{name: "image", status: 400, body: `{"code":"80100022"}`,
			want: each(core.Result{Outcome: core.OutcomeFailed, Reason: "HarmonyOS: 80100022 image not verified"})},
		{name: "inner error", status: 500, body: `{"code":"81000001"}`,
			want: each(core.Result{Outcome: core.OutcomeRetry, Reason: "HarmonyOS: 81000001 internal error"})},
		{name: "test rate", status: 200, body: `{"code":"80300029"}`,
			want: each(core.Result{Outcome: core.OutcomeRetry, Reason: "HarmonyOS: 80300029 test messages over the rate limit"})},
		{name: "flow control", status: 503, body: `Service Unavailable`,
			want: each(core.Result{Outcome: core.OutcomeRetry, Reason: "HarmonyOS: HTTP 503"})},
		{name: "bare 401", status: 401, body: ``, reauth: true,
			want: each(core.Result{Outcome: core.OutcomeConfigError, Reason: "HarmonyOS: HTTP 401"})},
		{name: "unknown code", status: 400, body: `{"code":"89999999"}`,
			want: each(core.Result{Outcome: core.OutcomeFailed, Reason: "HarmonyOS: 89999999"})},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			a := Classify(r.status, nil, []byte(r.body), tokens, time.Now())
			require.Equal(t, r.want, a.Each)
			require.Equal(t, r.reauth, a.Reauth)
		})
	}
}

// TestClassifyNoRightEverywhere: every token of a request of five or more
// refused as noRight is the credentials' project, not dead tokens.
func TestClassifyNoRightEverywhere(t *testing.T) {
	t.Parallel()
	tokens := []string{"a", "b", "c", "d", "e"}
	a := Classify(http.StatusOK, nil, []byte(`{"code":"80300007","msg":"{\"illegalTokens\":{\"noRight\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}}"}`), tokens, time.Now())
	for _, r := range a.Each {
		require.Equal(t, core.OutcomeConfigError, r.Outcome)
	}
}
