package honor

import (
	"context"
	"crypto/x509"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
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
		{"ok", Credentials{AppID: "104433", ClientID: "c1", ClientSecret: "s1"}, ""},
		{"app ID not numeric", Credentials{AppID: "app", ClientID: "c1", ClientSecret: "s1"}, "honor.appID"},
		{"no app ID", Credentials{ClientID: "c1", ClientSecret: "s1"}, "honor.appID"},
		{"no client", Credentials{AppID: "1", ClientSecret: "s1"}, "honor.clientID"},
		{"blank secret", Credentials{AppID: "1", ClientID: "c1", ClientSecret: " "}, "honor.clientSecret"},
		{"secret with a space", Credentials{AppID: "1", ClientID: "c1", ClientSecret: "a b"}, "honor.clientSecret"},
		{"long client", Credentials{AppID: "1", ClientID: strings.Repeat("c", 257), ClientSecret: "s"}, "honor.clientID"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			sum, err := Check(r.creds)
			if r.field == "" {
				require.NoError(t, err)
				require.Equal(t, map[string]any{"appID": r.creds.AppID, "clientID": r.creds.ClientID}, sum)
				return
			}
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, r.field, e.Field)
		})
	}
}

type env struct {
	fake *providertest.HonorFake
	s    *Sender
}

func setup(t *testing.T, fo providertest.HonorOptions, clock func() time.Time) env {
	t.Helper()
	fake, err := providertest.StartHonor(fo)
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	o := channel.Options{Endpoints: map[string]string{"url": fake.URL, "auth-url": fake.TokenURL()},
		RootCAs: pool, Concurrency: 4, Egress: providertest.Egress(), Clock: clock}
	c := fake.Credentials()
	s, err := Vendor{}.NewSender([]byte(fmt.Sprintf(`{"appID":%q,"clientID":%q,"clientSecret":%q}`, c.AppID, c.ClientID, c.ClientSecret)), o)
	require.NoError(t, err)
	return env{fake: fake, s: s.(*Sender)}
}

func outgoing(n int, m jsontype.Message) []core.Outgoing {
	return providertest.Messages(n, "token", m)
}

var service = jsontype.Message{Title: "New reply", Body: "Ann: hi", Classification: "IM"}

func TestSendBatches(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HonorOptions{}, nil)
	res := e.s.Send(context.Background(), outgoing(1500, service))
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 1500}, providertest.Outcomes(res))
	sends := e.fake.Sends.All()
	require.Len(t, sends, 2, "1,500 messages of one content are two requests")
	require.Equal(t, MaxTokens, max(len(sends[0].Request.Token), len(sends[1].Request.Token)))
	require.Equal(t, 1500, len(sends[0].Delivered)+len(sends[1].Delivered))
	require.Equal(t, "NORMAL", sends[0].Request.Android.Notification.Importance)
	require.Equal(t, "job_1", sends[0].Request.Android.BiTag)
	require.EqualValues(t, 1, e.fake.Auths.Load(), "the access token is kept")
}

func TestSendTokenStates(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HonorOptions{SuccessCode: 80000000}, nil)
	msgs := outgoing(3, service)
	e.fake.SetToken(msgs[1].Token, providertest.HonorTokenExpired)
	e.fake.SetToken(msgs[2].Token, providertest.HonorTokenFailing)
	res := e.s.Send(context.Background(), msgs)
	require.Equal(t, []core.Outcome{core.OutcomeSent, core.OutcomeTokenDead, core.OutcomeRetry},
		[]core.Outcome{res[0].Outcome, res[1].Outcome, res[2].Outcome})
}

func TestSendRenewsAnExpiredToken(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HonorOptions{}, nil)
	require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, service))[0].Outcome)
	e.fake.ExpireTokens()
	res := e.s.Send(context.Background(), outgoing(1, service))
	require.Equal(t, core.OutcomeSent, res[0].Outcome, res[0].Reason)
	require.EqualValues(t, 2, e.fake.Auths.Load())
}

func TestSendWithAWrongSecret(t *testing.T) {
	t.Parallel()
	fake, err := providertest.StartHonor(providertest.HonorOptions{})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	c := fake.Credentials()
	s, err := New(Credentials{AppID: c.AppID, ClientID: c.ClientID, ClientSecret: "wrong"}, channel.Options{
		Endpoints: map[string]string{"url": fake.URL}, AuthURL: fake.TokenURL(), RootCAs: pool, Egress: providertest.Egress()})
	require.NoError(t, err)
	for range 2 {
		res := s.Send(context.Background(), outgoing(2, service))
		require.Equal(t, core.Result{Outcome: core.OutcomeConfigError, Reason: "Honor: auth refused: unauthorized_client Invalid client secret"}, res[0])
	}
	require.Empty(t, fake.Sends.All())
}

func TestSendFaults(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HonorOptions{}, nil)
	e.fake.FailNext(1, providertest.HonorFault{Status: 503})
	res := e.s.Send(context.Background(), outgoing(2, service))
	require.Equal(t, map[core.Outcome]int{core.OutcomeRetry: 2}, providertest.Outcomes(res))

	e.fake.ResetNext(1)
	res = e.s.Send(context.Background(), outgoing(2, service))
	require.Equal(t, map[core.Outcome]int{core.OutcomeRetry: 2}, providertest.Outcomes(res))
	require.Contains(t, res[0].Reason, "Honor: not sent")

	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 2}, providertest.Outcomes(e.s.Send(context.Background(), outgoing(2, service))))
}

// TestSendWithTheFakesClockOff: Honor checks the timestamp header against
// its clock; a request outside its window is refused, and the messages fail
// with Honor's words.
func TestSendWithTheFakesClockOff(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HonorOptions{Clock: func() time.Time { return time.Now().Add(time.Hour) }}, nil)
	res := e.s.Send(context.Background(), outgoing(1, service))
	require.Equal(t, core.Result{Outcome: core.OutcomeFailed, Reason: "Honor: 400 timestamp header missing or out of window"}, res[0])
}

// TestMarketingCap: the fake shows two LOW messages per device and day
// and takes the third without showing it, as Honor does.
func TestMarketingCap(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HonorOptions{}, nil)
	sale := jsontype.Message{Title: "Sale", Classification: "MARKETING"}
	for range 3 {
		require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, sale))[0].Outcome)
	}
	sends := e.fake.Sends.All()
	require.Len(t, sends[2].Limited, 1)
	require.Empty(t, sends[2].Delivered)
	require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, service))[0].Outcome)
	require.Len(t, e.fake.Sends.All()[3].Delivered, 1, "service messages are not capped")
}

func TestSendSettlesWhatHonorCannotTake(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.HonorOptions{}, nil)
	msgs := append(outgoing(1, jsontype.Message{}), outgoing(1, service)...)
	msgs[1].Token = "bad token"
	res := e.s.Send(context.Background(), msgs)
	require.Equal(t, core.OutcomeFailed, res[0].Outcome)
	require.Equal(t, core.OutcomeTokenDead, res[1].Outcome)
	require.Empty(t, e.fake.Sends.All())
}
