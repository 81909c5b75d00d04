package honor

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/provider/channel"
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
		header http.Header
		body   string
		want   []core.Result
		reauth bool
	}{
		{name: "taken", status: 200, body: `{"code":200,"message":"success","data":{"sendResult":true,"requestId":"r","failTokens":[],"expireTokens":[]}}`,
			want: each(sent)},
		{name: "taken, Huawei-style code", status: 200, body: `{"code":80000000,"message":"Success","data":{"sendResult":true}}`,
			want: each(sent)},
		{name: "taken, code as text", status: 200, body: `{"code":"80000000","message":"Success","data":{"sendResult":true}}`,
			want: each(sent)},
		{name: "expired and failing tokens", status: 200,
			body: `{"code":200,"message":"success","data":{"sendResult":true,"failTokens":["b"],"expireTokens":["c"]}}`,
			want: []core.Result{sent, {Outcome: core.OutcomeRetry, Reason: "Honor: the token is in failTokens"},
				{Outcome: core.OutcomeTokenDead, Reason: "Honor: the token is in expireTokens"}}},
		{name: "none taken, none named", status: 200, body: `{"code":200,"message":"success","data":{"sendResult":false}}`,
			want: each(core.Result{Outcome: core.OutcomeFailed, Reason: "Honor: 200 success"})},
		{name: "unknown code", status: 200, body: `{"code":80100003,"message":"Illegal payload"}`,
			want: each(core.Result{Outcome: core.OutcomeFailed, Reason: "Honor: 80100003 Illegal payload"})},
		{name: "bad request", status: 400, body: `{"code":400,"message":"timestamp header missing"}`,
			want: each(core.Result{Outcome: core.OutcomeFailed, Reason: "Honor: 400 timestamp header missing"})},
		{name: "token refused", status: 401, body: `{"code":401,"message":"expired"}`, reauth: true,
			want: each(core.Result{Outcome: core.OutcomeConfigError, Reason: "Honor: HTTP 401"})},
		{name: "forbidden", status: 403, body: `{"code":403}`,
			want: each(core.Result{Outcome: core.OutcomeConfigError, Reason: "Honor: HTTP 403"})},
		{name: "gateway error", status: 503, body: `Service Unavailable`,
			want: each(core.Result{Outcome: core.OutcomeRetry, Reason: "Honor: HTTP 503"})},
		{name: "too many", status: 429, header: http.Header{"Retry-After": {"7"}}, body: `{"code":429}`,
			want: each(core.Result{Outcome: core.OutcomeRetry, Reason: "Honor: HTTP 429", RetryAfter: 7 * time.Second})},
		{name: "not JSON", status: 200, body: `<html>`,
			want: each(core.Result{Outcome: core.OutcomeFailed, Reason: "Honor: HTTP 200"})},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			a := Classify(r.status, r.header, []byte(r.body), tokens, t0)
			require.Equal(t, r.want, a.Each)
			require.Equal(t, r.reauth, a.Reauth)
		})
	}
}

func TestTokenAnswer(t *testing.T) {
	t.Parallel()
	tok, life, err := tokenAnswer(200, nil, []byte(`{"access_token":"x","expires_in":3600,"token_type":"Bearer"}`), t0)
	require.NoError(t, err)
	require.Equal(t, "x", tok)
	require.Equal(t, time.Hour, life)
	_, life, err = tokenAnswer(200, nil, []byte(`{"access_token":"x"}`), t0)
	require.NoError(t, err)
	require.Equal(t, defaultLifetime, life)

	for _, r := range []struct {
		status int
		body   string
		want   core.Result
	}{
		{401, `{"error":"unauthorized_client","error_description":"Invalid client secret"}`,
			core.Result{Outcome: core.OutcomeConfigError, Reason: "Honor: auth refused: unauthorized_client Invalid client secret"}},
		{200, `{}`, core.Result{Outcome: core.OutcomeConfigError, Reason: "Honor: auth refused: OK"}},
		{502, `bad gateway`, core.Result{Outcome: core.OutcomeRetry, Reason: "Honor: auth: HTTP 502"}},
	} {
		_, _, err := tokenAnswer(r.status, nil, []byte(r.body), t0)
		var te *channel.TokenError
		require.ErrorAs(t, err, &te)
		require.Equal(t, r.want, te.Result, r.body)
	}
}
