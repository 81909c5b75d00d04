package meizu

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/provider/providertest"
	"github.com/pushd/pushd/push/core"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		name  string
		creds Credentials
		field string
	}{
		{"ok", Credentials{AppID: "110000", AppSecret: "s1"}, ""},
		{"app ID not numeric", Credentials{AppID: "app", AppSecret: "s1"}, "meizu.appID"},
		{"no secret", Credentials{AppID: "1"}, "meizu.appSecret"},
		{"secret with a space", Credentials{AppID: "1", AppSecret: "a b"}, "meizu.appSecret"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			sum, err := Check(r.creds)
			if r.field == "" {
				require.NoError(t, err)
				require.Equal(t, map[string]any{"appID": r.creds.AppID}, sum)
				return
			}
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, r.field, e.Field)
		})
	}
}

type env struct {
	fake *providertest.MeizuFake
	s    *Sender
}

func setup(t *testing.T, fo providertest.MeizuOptions, o channel.Options) env {
	t.Helper()
	fake, err := providertest.StartMeizu(fo)
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	o.Endpoints, o.RootCAs, o.Concurrency, o.Egress = map[string]string{"url": fake.URL}, pool, 4, providertest.Egress()
	c := fake.Credentials()
	s, err := Vendor{}.NewSender([]byte(fmt.Sprintf(`{"appID":%q,"appSecret":%q}`, c.AppID, c.AppSecret)), o)
	require.NoError(t, err)
	return env{fake: fake, s: s.(*Sender)}
}

func outgoing(n int, m jsontype.Message) []core.Outgoing {
	return providertest.Messages(n, "pid", m)
}

var service = jsontype.Message{Title: "New reply", Body: "Ann: hi", Classification: "IM"}

func TestSendBatches(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.MeizuOptions{}, channel.Options{})
	res := e.s.Send(context.Background(), outgoing(250, service))
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 250}, providertest.Outcomes(res))
	sends := e.fake.Sends.All()
	require.Len(t, sends, 3, "100 pushIds a call")
	require.Equal(t, 1, sends[0].Message.NoticeBarInfo.NoticeMsgType)
}

func TestSendTargets(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.MeizuOptions{}, channel.Options{})
	msgs := outgoing(3, service)
	e.fake.SetPushID(msgs[1].Token, providertest.MeizuPushIDNotRegistered)
	e.fake.SetPushID(msgs[2].Token, providertest.MeizuPushIDSwitchedOff)
	res := e.s.Send(context.Background(), msgs)
	require.Equal(t, []core.Outcome{core.OutcomeSent, core.OutcomeTokenDead, core.OutcomeFailed},
		[]core.Outcome{res[0].Outcome, res[1].Outcome, res[2].Outcome})
}

// TestSendDailyCaps: the fourth public message to a device in a day
// fails with Meizu's reason; a spent app quota pauses the credential.
func TestSendDailyCaps(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.MeizuOptions{DailyLimit: 5}, channel.Options{})
	sale := jsontype.Message{Title: "Sale", Classification: "MARKETING"}
	for range 3 {
		require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, sale))[0].Outcome)
	}
	held := e.s.Send(context.Background(), outgoing(1, sale))[0]
	require.Equal(t, core.Result{Outcome: core.OutcomeFailed, Reason: "Meizu: 110011 the device's daily public messages are spent"}, held)

	res := e.s.Send(context.Background(), outgoing(3, service))
	require.Contains(t, res[0].Reason, "110019")
	calls := len(e.fake.Sends.All())
	again := e.s.Send(context.Background(), outgoing(1, service))[0]
	require.Contains(t, again.Reason, "paused until midnight in Beijing")
	require.Len(t, e.fake.Sends.All(), calls, "no call while paused")
}

func TestSendPassThrough(t *testing.T) {
	t.Parallel()
	silent := jsontype.Message{Silent: true, Payload: map[string]any{"sync": "1"}}
	e := setup(t, providertest.MeizuOptions{}, channel.Options{})
	res := e.s.Send(context.Background(), outgoing(1, silent))
	require.Equal(t, core.Result{Outcome: core.OutcomeFailed, Reason: "Meizu: 110053 pass-through messages are not allowed for the app"}, res[0])
	e = setup(t, providertest.MeizuOptions{PassThrough: true}, channel.Options{})
	require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, silent))[0].Outcome)
	require.Contains(t, e.fake.Sends.All()[0].PassThrough.Content, "job_1")
}

func TestSendFaults(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.MeizuOptions{}, channel.Options{})
	e.fake.FailNext(1, providertest.MeizuFault{Status: 502})
	require.Equal(t, map[core.Outcome]int{core.OutcomeRetry: 2}, providertest.Outcomes(e.s.Send(context.Background(), outgoing(2, service))))
	e.fake.FailNext(1, providertest.MeizuFault{Code: "1003"})
	require.Equal(t, map[core.Outcome]int{core.OutcomeRetry: 2}, providertest.Outcomes(e.s.Send(context.Background(), outgoing(2, service))))
	e.fake.ResetNext(1)
	require.Contains(t, e.s.Send(context.Background(), outgoing(1, service))[0].Reason, "Meizu: not sent")
}

func TestSendWithAWrongSecret(t *testing.T) {
	t.Parallel()
	fake, err := providertest.StartMeizu(providertest.MeizuOptions{})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	s, err := New(Credentials{AppID: fake.Credentials().AppID, AppSecret: "wrong"}, channel.Options{Endpoints: map[string]string{"url": fake.URL}, RootCAs: pool, Egress: providertest.Egress()})
	require.NoError(t, err)
	require.Equal(t, core.Result{Outcome: core.OutcomeConfigError, Reason: "Meizu: 1006 signature error"}, s.Send(context.Background(), outgoing(1, service))[0])
}

// TestReceipts: a message carries the callback and a verifiable tag; the
// fake posts the delivered receipt as Meizu does, and ParseReceipts reads
// it back.
func TestReceipts(t *testing.T) {
	t.Parallel()
	got := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- b
	}))
	t.Cleanup(srv.Close)
	e := setup(t, providertest.MeizuOptions{}, channel.Options{CallbackURL: srv.URL, CallbackParam: func(job string) string { return job + ".mac" }})
	require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(2, service))[0].Outcome)
	body := <-got
	require.True(t, strings.Contains(string(body), "access_token="))
	rs, _, err := Vendor{}.ParseReceipts(channel.ReceiptCallback{Body: body, Now: time.Now(), CheckTag: func(tag string) (string, bool) {
		return strings.TrimSuffix(tag, ".mac"), strings.HasSuffix(tag, ".mac")
	}})
	require.NoError(t, err)
	require.Len(t, rs, 2)
	require.Equal(t, core.ReceiptArrived, rs[0].Event)
	require.Equal(t, nodeid.ID("job_1"), rs[0].JobID)
}
