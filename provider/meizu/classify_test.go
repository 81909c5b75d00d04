package meizu

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

func TestClassifyTopLevel(t *testing.T) {
	t.Parallel()
	midnight := channel.UntilBeijingMidnight(t0)
	for _, r := range []struct {
		code string
		want core.Result
	}{
		{"500", core.Result{Outcome: core.OutcomeRetry, Reason: "Meizu: 500 other error"}},
		{"1001", core.Result{Outcome: core.OutcomeRetry, Reason: "Meizu: 1001 system error"}},
		{"1003", core.Result{Outcome: core.OutcomeRetry, Reason: "Meizu: 1003 server busy"}},
		{"110051", core.Result{Outcome: core.OutcomeRetry, Reason: "Meizu: 110051 push count over the limit"}},
		{"110010", core.Result{Outcome: core.OutcomeRetry, RetryAfter: time.Second, Reason: "Meizu: 110010 sending too fast"}},
		{"110019", core.Result{Outcome: core.OutcomeRetry, RetryAfter: midnight, Reason: "Meizu: 110019 the app's daily push count is spent"}},
		{"1005", core.Result{Outcome: core.OutcomeFailed, Reason: "Meizu: 1005 parameter error"}},
		{"110004", core.Result{Outcome: core.OutcomeFailed, Reason: "Meizu: 110004 a parameter is empty"}},
		{"110032", core.Result{Outcome: core.OutcomeFailed, Reason: "Meizu: 110032 taskId invalid"}},
		{"110053", core.Result{Outcome: core.OutcomeFailed, Reason: "Meizu: 110053 pass-through messages are not allowed for the app"}},
		{"1006", core.Result{Outcome: core.OutcomeConfigError, Reason: "Meizu: 1006 signature error"}},
		{"110000", core.Result{Outcome: core.OutcomeConfigError, Reason: "Meizu: 110000 appId invalid"}},
		{"110001", core.Result{Outcome: core.OutcomeConfigError, Reason: "Meizu: 110001 appKey invalid"}},
		{"110009", core.Result{Outcome: core.OutcomeConfigError, Reason: "Meizu: 110009 the app is blacklisted"}},
		{"110031", core.Result{Outcome: core.OutcomeConfigError, Reason: "Meizu: 110031 packageName invalid"}},
		{"110033", core.Result{Outcome: core.OutcomeConfigError, Reason: "Meizu: 110033 appSecret invalid"}},
		{"123", core.Result{Outcome: core.OutcomeFailed, Reason: "Meizu: 123"}},
	} {
		a := Classify(200, nil, []byte(`{"code":"`+r.code+`","message":"x","value":""}`), []string{"a"}, t0)
		require.Equal(t, r.code, a.Code)
		require.Equal(t, []core.Result{r.want}, a.Each, r.code)
	}
}

func TestClassifyTargets(t *testing.T) {
	t.Parallel()
	ids := []string{"ok", "t201", "t501", "t513", "t519", "t520", "gone", "bad", "alias", "off", "cap"}
	body := `{"code":"200","message":"","value":{"201":["t201"],"501":["t501"],"513":["t513"],"519":["t519"],"520":["t520"],
		"110002":["gone"],"110003":["bad"],"110005":["alias"],"110010":["off"],"110011":["cap"]},"msgId":"m"}`
	a := Classify(200, nil, []byte(body), ids, t0)
	out := make([]core.Outcome, len(a.Each))
	for i, r := range a.Each {
		out[i] = r.Outcome
	}
	require.Equal(t, []core.Outcome{core.OutcomeSent, core.OutcomeFailed, core.OutcomeRetry, core.OutcomeRetry, core.OutcomeRetry,
		core.OutcomeRetry, core.OutcomeTokenDead, core.OutcomeTokenDead, core.OutcomeTokenDead, core.OutcomeFailed, core.OutcomeFailed}, out)
	require.Equal(t, time.Minute, a.Each[5].RetryAfter)
	require.Equal(t, "Meizu: 110011 the device's daily public messages are spent", a.Each[10].Reason)
	require.Equal(t, "Meizu: 110010 notifications switched off on the device", a.Each[9].Reason)

	a = Classify(200, nil, []byte(`{"code":200,"value":{}}`), ids[:1], t0)
	require.Equal(t, []core.Result{{Outcome: core.OutcomeSent}}, a.Each, "a numeric code is read too")
	a = Classify(502, nil, []byte(`Bad Gateway`), ids[:1], t0)
	require.Equal(t, []core.Result{{Outcome: core.OutcomeRetry, Reason: "Meizu: HTTP 502"}}, a.Each)
}

func TestParseReceipts(t *testing.T) {
	t.Parallel()
	verify := func(p string) (string, bool) { job, ok := map[string]string{"job_1.mac": "job_1"}[p]; return job, ok }
	body := `cb=` + `{"m1-1":{"param":"job_1.mac","type":1,"targets":["a","b"]},"m1-2":{"param":"job_1.mac","type":2,"targets":["a"]},"m2-1":{"param":"forged","type":1,"targets":["c"]}}` + `&access_token=x`
	rs, err := ParseReceipts([]byte(body), verify, t0)
	require.NoError(t, err)
	require.ElementsMatch(t, []core.VendorReceipt{
		{JobID: "job_1", Token: "a", Event: core.ReceiptArrived, At: t0}, {JobID: "job_1", Token: "b", Event: core.ReceiptArrived, At: t0},
		{JobID: "job_1", Token: "a", Event: core.ReceiptOpened, At: t0},
	}, rs)
	_, err = ParseReceipts([]byte(`cb={"m2-1":{"param":"forged","type":1,"targets":["c"]}}`), verify, t0)
	require.Error(t, err)
	_, err = ParseReceipts([]byte(`nothing`), verify, t0)
	require.Error(t, err)
}
