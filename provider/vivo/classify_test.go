package vivo

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/push/core"
)

func TestCodeResult(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC) // 23:00 in Beijing
	for _, r := range []struct {
		code  int
		want  core.Outcome
		after time.Duration
	}{
		{0, core.OutcomeSent, 0},
		{10000, core.OutcomeConfigError, 0},
		{10045, core.OutcomeConfigError, 0},
		{10070, core.OutcomeRetry, time.Hour},
		{10072, core.OutcomeRetry, time.Second},
		{10094, core.OutcomeConfigError, 0},
		{10096, core.OutcomeFailed, 0},
		{10097, core.OutcomeFailed, 0},
		{10200, core.OutcomeConfigError, 0},
		{10201, core.OutcomeConfigError, 0},
		{10252, core.OutcomeRetry, time.Hour},
		{10302, core.OutcomeTokenDead, 0},
		{12345, core.OutcomeFailed, 0},
	} {
		got := codeResult(r.code, now)
		require.Equal(t, r.want, got.Outcome, "code %d", r.code)
		require.Equal(t, r.after, got.RetryAfter, "code %d", r.code)
		if r.code != 0 {
			require.Contains(t, got.Reason, "vivo: ", "code %d", r.code)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	now := time.Now()
	for _, r := range []struct {
		name   string
		status int
		body   string
		regids []string
		whole  core.Outcome
		each   []core.Outcome
	}{
		{"sent", 200, `{"result":0,"desc":"请求成功","taskId":"1"}`, []string{"a"}, 0, []core.Outcome{core.OutcomeSent}},
		{"single invalid regId", 200, `{"result":10302,"desc":"regId不合法","invalidUser":{"status":1,"userid":"a"}}`, []string{"a"}, 0, []core.Outcome{core.OutcomeTokenDead}},
		{"list with refusals", 200, `{"result":0,"taskId":"1","invalidUsers":[{"userid":"b","status":2},{"userid":"c","status":4}]}`, []string{"a", "b", "c"}, 0,
			[]core.Outcome{core.OutcomeSent, core.OutcomeTokenDead, core.OutcomeFailed}},
		{"quota", 200, `{"result":10070,"desc":"超过当日推送总量"}`, []string{"a"}, core.OutcomeRetry, nil},
		{"server error", 500, `Internet server error!`, []string{"a"}, core.OutcomeRetry, nil},
		{"forbidden", 403, ``, []string{"a"}, core.OutcomeConfigError, nil},
		{"not JSON", 200, `<html>`, []string{"a"}, core.OutcomeFailed, nil},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			a := Classify(r.status, http.Header{}, []byte(r.body), r.regids, now)
			if r.each == nil {
				require.Nil(t, a.Each)
				require.Equal(t, r.whole, a.Result.Outcome)
				return
			}
			got := make([]core.Outcome, len(a.Each))
			for i, e := range a.Each {
				got[i] = e.Outcome
			}
			require.Equal(t, r.each, got)
		})
	}
}

func FuzzClassify(f *testing.F) {
	f.Add(200, `{"result":0,"taskId":"1","invalidUsers":[{"userid":"b","status":2}]}`)
	f.Add(200, `{"result":10302,"invalidUser":{"userid":"a","status":1}}`)
	f.Add(500, `x`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		regids := []string{"a", "b"}
		a := Classify(status, http.Header{}, []byte(body), regids, time.Now())
		require.True(t, a.Each == nil || len(a.Each) == len(regids))
	})
}
