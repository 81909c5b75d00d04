package harmony

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/provider/providertest"
	"github.com/pushd/pushd/push/core"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	fake, err := providertest.StartHarmony(providertest.HarmonyOptions{})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	good := fake.ServiceAccountJSON()
	edit := func(k, v string) string {
		var m map[string]string
		require.NoError(t, json.Unmarshal([]byte(good), &m))
		m[k] = v
		b, _ := json.Marshal(m)
		return string(b)
	}
	for _, r := range []struct {
		name  string
		creds Credentials
		field string
	}{
		{"ok", Credentials{ServiceAccountJSON: good}, ""},
		{"ok with receipts", Credentials{ServiceAccountJSON: good, ReceiptUserName: "u", ReceiptKey: "k"}, ""},
		{"not JSON", Credentials{ServiceAccountJSON: "{"}, "harmony.serviceAccountJSON"},
		{"no project", Credentials{ServiceAccountJSON: edit("project_id", "")}, "harmony.serviceAccountJSON"},
		{"project not numeric", Credentials{ServiceAccountJSON: edit("project_id", "p1")}, "harmony.serviceAccountJSON"},
		{"no account", Credentials{ServiceAccountJSON: edit("sub_account", "")}, "harmony.serviceAccountJSON"},
		{"key not PEM", Credentials{ServiceAccountJSON: edit("private_key", "x")}, "harmony.serviceAccountJSON"},
		{"key only", Credentials{ServiceAccountJSON: good, ReceiptKey: "k"}, "harmony.receiptUserName"},
		{"user only", Credentials{ServiceAccountJSON: good, ReceiptUserName: "u"}, "harmony.receiptKey"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			sum, err := Check(r.creds)
			if r.field == "" {
				require.NoError(t, err)
				require.Equal(t, r.creds.ReceiptKey != "", sum["receipts"])
				require.NotContains(t, fmt.Sprint(sum), "PRIVATE KEY")
				return
			}
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, r.field, e.Field)
		})
	}
}

type env struct {
	fake *providertest.HarmonyFake
	s    *Sender
}

func setup(t *testing.T, fo providertest.HarmonyOptions, clock func() time.Time) env {
	t.Helper()
	fake, err := providertest.StartHarmony(fo)
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	o := channel.Options{Endpoints: map[string]string{"url": fake.URL}, RootCAs: pool, Concurrency: 4, Egress: providertest.Egress(), Clock: clock}
	raw, _ := json.Marshal(Credentials{ServiceAccountJSON: fake.ServiceAccountJSON()})
	s, err := Vendor{}.NewSender(raw, o)
	require.NoError(t, err)
	return env{fake: fake, s: s.(*Sender)}
}

func outgoing(n int, m jsontype.Message) []core.Outgoing {
	return providertest.Messages(n, "token", m)
}

var service = jsontype.Message{Title: "New reply", Body: "Ann: hi", Classification: "IM"}

func TestSendBatches(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HarmonyOptions{}, nil)
	res := e.s.Send(context.Background(), outgoing(1500, service))
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 1500}, providertest.Outcomes(res))
	sends := e.fake.Sends.All()
	require.Len(t, sends, 2)
	require.Equal(t, 1500, len(sends[0].Delivered)+len(sends[1].Delivered))
	require.Equal(t, "IM", sends[0].Request.Payload.Notification.Category)
	require.Equal(t, PushAlert, sends[0].PushType)
}

func TestSendPushTypes(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HarmonyOptions{}, nil)
	for _, r := range []struct {
		msg  jsontype.Message
		kind int
	}{
		{jsontype.Message{Silent: true, Payload: map[string]any{"sync": true}}, PushBackground},
		{jsontype.Message{Silent: true, Classification: "VOIP"}, PushVoIP},
		{jsontype.Message{Title: "Order", Body: "arrived", Classification: "PLAY_VOICE"}, PushExtension},
	} {
		res := e.s.Send(context.Background(), outgoing(1, r.msg))
		require.Equal(t, core.OutcomeSent, res[0].Outcome, res[0].Reason)
		sends := e.fake.Sends.All()
		require.Equal(t, r.kind, sends[len(sends)-1].PushType)
	}
}

// TestSendTestMessages: test messages carry testMessage and go to at most
// 10 tokens a request, as Push Kit requires.
func TestSendTestMessages(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HarmonyOptions{}, nil)
	msgs := outgoing(25, service)
	for i := range msgs {
		msgs[i].Test = true
	}
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 25}, providertest.Outcomes(e.s.Send(context.Background(), msgs)))
	sends := e.fake.Sends.All()
	require.Len(t, sends, 3)
	for _, s := range sends {
		require.True(t, s.Request.PushOptions.TestMessage)
		require.LessOrEqual(t, len(s.Request.Target.Token), MaxTestTokens)
	}
}

func TestSendTokenReasons(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HarmonyOptions{}, nil)
	msgs := outgoing(3, service)
	e.fake.SetToken(msgs[1].Token, "tokenFormatError")
	e.fake.SetToken(msgs[2].Token, "noPushTypeRight")
	res := e.s.Send(context.Background(), msgs)
	require.Equal(t, []core.Outcome{core.OutcomeSent, core.OutcomeTokenDead, core.OutcomeFailed},
		[]core.Outcome{res[0].Outcome, res[1].Outcome, res[2].Outcome})
}

// TestSendAgainIsNotShownTwice: appMessageId is the job ID, so a resend
// of a job's message to a device that has it is not shown again.
func TestSendAgainIsNotShownTwice(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HarmonyOptions{}, nil)
	for range 2 {
		require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, service))[0].Outcome)
	}
	sends := e.fake.Sends.All()
	require.Len(t, sends[0].Delivered, 1)
	require.Len(t, sends[1].Deduplicated, 1)
}

// TestSendWithAClockAhead: pushd's clock an hour behind the fake's makes
// JWTs that are expired on arrival; Push Kit answers 80200005, a new JWT
// is no better, and the messages are retried later.
func TestSendWithAClockBehind(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HarmonyOptions{Clock: func() time.Time { return time.Now().Add(2 * time.Hour) }}, nil)
	res := e.s.Send(context.Background(), outgoing(1, service))
	require.Equal(t, core.Result{Outcome: core.OutcomeRetry, Reason: "HarmonyOS: 80200005 JWT expired"}, res[0])
	require.Len(t, e.fake.Sends.All(), 2, "one new JWT, once")
}

func TestSendReusesTheJWT(t *testing.T) {
	t.Parallel()
	now := time.Now()
	clock := func() time.Time { return now }
	e := setup(t, providertest.HarmonyOptions{}, clock)
	first, err := e.s.jwt.get()
	require.NoError(t, err)
	now = now.Add(49 * time.Minute)
	again, _ := e.s.jwt.get()
	require.Equal(t, first, again)
	now = now.Add(2 * time.Minute)
	renewed, _ := e.s.jwt.get()
	require.NotEqual(t, first, renewed)
	claims := jwt.MapClaims{}
	_, _, err = jwt.NewParser().ParseUnverified(renewed, claims)
	require.NoError(t, err)
	require.Equal(t, e.fake.Account(), claims["iss"])
}

func TestSendFaults(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HarmonyOptions{}, nil)
	e.fake.FailNext(1, providertest.HarmonyFault{Status: 503})
	require.Equal(t, map[core.Outcome]int{core.OutcomeRetry: 2}, providertest.Outcomes(e.s.Send(context.Background(), outgoing(2, service))))
	e.fake.FailNext(1, providertest.HarmonyFault{Status: 403, Code: "80300002"})
	require.Equal(t, map[core.Outcome]int{core.OutcomeConfigError: 2}, providertest.Outcomes(e.s.Send(context.Background(), outgoing(2, service))))
	e.fake.ResetNext(1)
	res := e.s.Send(context.Background(), outgoing(2, service))
	require.Contains(t, res[0].Reason, "HarmonyOS: not sent")
}

func TestSendSettlesWhatPushKitCannotTake(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HarmonyOptions{}, nil)
	msgs := append(outgoing(1, jsontype.Message{}), outgoing(1, service)...)
	msgs[1].Token = "bad token"
	res := e.s.Send(context.Background(), msgs)
	require.Equal(t, core.OutcomeFailed, res[0].Outcome)
	require.Equal(t, core.OutcomeTokenDead, res[1].Outcome)
	require.Empty(t, e.fake.Sends.All())
	require.False(t, strings.Contains(res[0].Reason, "{"))
}

// TestReceipts: the fake posts signed V2 receipts of a send (0 delivered,
// 256 over the marketing cap); ParseReceipts verifies and reads them, and
// refuses them unsigned or when the channel has no receipt key.
func TestReceipts(t *testing.T) {
	t.Parallel()
	got := make(chan channel.ReceiptCallback, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- channel.ReceiptCallback{Header: r.Header.Clone(), Body: body}
	}))
	t.Cleanup(srv.Close)
	key := providertest.HuaweiReceiptKey()
	e := setup(t, providertest.HarmonyOptions{DailyMarketingLimit: 1, ReceiptURL: srv.URL, ReceiptUserName: "pushd", ReceiptKey: key}, nil)
	sale := jsontype.Message{Title: "Sale", Classification: "MARKETING"}
	msgs := outgoing(1, sale)
	for i := range 2 {
		msgs[0].JobID = nodeid.ID(fmt.Sprintf("job_%d", i)) // another job: not de-duplicated
		require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), msgs)[0].Outcome)
	}
	stored, _ := json.Marshal(Credentials{ServiceAccountJSON: e.fake.ServiceAccountJSON(), ReceiptUserName: "pushd", ReceiptKey: key})
	var events []core.ReceiptEvent
	for range 2 {
		cb := <-got
		cb.Stored, cb.Now = stored, time.Now()
		receipts, reply, err := Vendor{}.ParseReceipts(cb)
		require.NoError(t, err)
		require.JSONEq(t, `{"code":"0","message":"success","errno":0,"errmsg":"success"}`, string(reply))
		require.Len(t, receipts, 1)
		require.Equal(t, msgs[0].Token, receipts[0].Token)
		events = append(events, receipts[0].Event)

		cb.Header.Del("X-HUAWEI-CALLBACK-ID")
		_, _, err = Vendor{}.ParseReceipts(cb)
		require.Error(t, err, "an unsigned receipt is refused")
	}
	require.ElementsMatch(t, []core.ReceiptEvent{core.ReceiptArrived, core.ReceiptFailed}, events)

	off, _ := json.Marshal(Credentials{ServiceAccountJSON: e.fake.ServiceAccountJSON()})
	_, _, err := Vendor{}.ParseReceipts(channel.ReceiptCallback{Stored: off, Body: []byte(`{}`)})
	require.ErrorIs(t, err, channel.ErrReceiptsOff)
}
