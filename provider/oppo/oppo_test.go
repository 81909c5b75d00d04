package oppo

import (
	"context"
	"crypto/x509"
	"fmt"
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
		{"ok", Credentials{AppKey: "k1", MasterSecret: "s1"}, ""},
		{"ok with channel", Credentials{AppKey: "k1", MasterSecret: "s1", ChannelID: "news"}, ""},
		{"no key", Credentials{MasterSecret: "s1"}, "oppo.appKey"},
		{"blank secret", Credentials{AppKey: "k1", MasterSecret: " "}, "oppo.masterSecret"},
		{"secret with space", Credentials{AppKey: "k1", MasterSecret: "a b"}, "oppo.masterSecret"},
		{"long key", Credentials{AppKey: strings.Repeat("k", 129), MasterSecret: "s"}, "oppo.appKey"},
		{"channel with space", Credentials{AppKey: "k", MasterSecret: "s", ChannelID: "a b"}, "oppo.channelID"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			sum, err := Check(r.creds)
			if r.field == "" {
				require.NoError(t, err)
				require.Equal(t, r.creds.AppKey, sum["appKey"])
				require.NotContains(t, fmt.Sprint(sum), r.creds.MasterSecret)
				return
			}
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, r.field, e.Field)
		})
	}
}

type env struct {
	fake *providertest.OPPOFake
	s    *Sender
}

func setup(t *testing.T, fo providertest.OPPOOptions, opt func(*channel.Options)) env {
	t.Helper()
	fake, err := providertest.StartOPPO(fo)
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	o := channel.Options{Endpoints: map[string]string{"url": fake.URL, "intl-url": fake.URL}, RootCAs: pool, Concurrency: 4, Egress: providertest.Egress()}
	if opt != nil {
		opt(&o)
	}
	c := fake.Credentials()
	s, err := New(Credentials{AppKey: c.AppKey, MasterSecret: c.MasterSecret, ChannelID: "default"}, o)
	require.NoError(t, err)
	return env{fake: fake, s: s}
}

func outgoing(n int, title string) []core.Outgoing {
	out := make([]core.Outgoing, n)
	for i := range out {
		out[i] = core.Outgoing{
			DeliveryID: nodeid.ID(fmt.Sprintf("dlv_%04d", i)), DeviceID: nodeid.ID(fmt.Sprintf("dev_%04d", i)),
			JobID: "job_1", Token: fmt.Sprintf("CN_%032x", i), Message: jsontype.Message{Title: title, Body: "body"},
			ExpiresAt: time.Now().Add(time.Hour),
		}
	}
	return out
}

func TestSendThroughTheFake(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.OPPOOptions{}, nil)
	msgs := outgoing(2500, "hello")
	e.fake.SetRegID(msgs[7].Token, providertest.OPPORegInvalid)
	res := e.s.Send(context.Background(), msgs)
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 2499, core.OutcomeTokenDead: 1}, providertest.Outcomes(res))
	require.Equal(t, core.OutcomeTokenDead, res[7].Outcome)
	require.Contains(t, res[7].Reason, "10000")
	sends := e.fake.Sends.All()
	require.Len(t, sends, 3, "1,000 a request")
	require.EqualValues(t, 1, e.fake.Auths.Load(), "one auth_token for every request")
	got := map[string]int{}
	for _, s := range sends {
		require.Equal(t, 0, s.Code)
		for _, m := range s.Messages {
			got[m.TargetValue]++
			require.Equal(t, "default", m.Notification.ChannelID)
			require.NotEmpty(t, m.Notification.AppMessageID)
		}
	}
	require.Len(t, got, 2500, "every regid once")
}

func TestExpiredTokenIsRenewedOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.OPPOOptions{}, nil)
	require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, "a"))[0].Outcome)
	e.fake.ExpireTokens()
	require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, "b"))[0].Outcome)
	require.EqualValues(t, 2, e.fake.Auths.Load())
	codes := []int{}
	for _, s := range e.fake.Sends.All() {
		codes = append(codes, s.Code)
	}
	require.Equal(t, []int{0, 11, 0}, codes)
}

func TestWrongSecretIsAConfigError(t *testing.T) {
	t.Parallel()
	fake, err := providertest.StartOPPO(providertest.OPPOOptions{})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	s, err := New(Credentials{AppKey: fake.Credentials().AppKey, MasterSecret: "wrong"},
		channel.Options{Endpoints: map[string]string{"url": fake.URL}, RootCAs: pool, Egress: providertest.Egress()})
	require.NoError(t, err)
	res := s.Send(context.Background(), outgoing(3, "x"))
	require.Equal(t, map[core.Outcome]int{core.OutcomeConfigError: 3}, providertest.Outcomes(res))
	require.Contains(t, res[0].Reason, "16 sign verification failed")
	require.Zero(t, fake.Sends.Len(), "no send without a token")
}

func TestClockOutsideTheWindowIsAConfigError(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.OPPOOptions{Clock: func() time.Time { return time.Now().Add(-11 * time.Minute) }}, nil)
	res := e.s.Send(context.Background(), outgoing(1, "x"))
	require.Equal(t, core.OutcomeConfigError, res[0].Outcome)
	require.Contains(t, res[0].Reason, "19 timestamp outside")
}

func TestFaults(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		fault providertest.OPPOFault
		want  core.Outcome
	}{
		{providertest.OPPOFault{Code: -2}, core.OutcomeRetry},
		{providertest.OPPOFault{Code: 55}, core.OutcomeRetry},
		{providertest.OPPOFault{Code: 33}, core.OutcomeRetry},
		{providertest.OPPOFault{Status: 503}, core.OutcomeRetry},
		{providertest.OPPOFault{Code: 30}, core.OutcomeConfigError},
		{providertest.OPPOFault{Code: 41}, core.OutcomeFailed},
	} {
		t.Run(fmt.Sprint(r.fault), func(t *testing.T) {
			t.Parallel()
			e := setup(t, providertest.OPPOOptions{}, nil)
			e.fake.FailNext(1, r.fault)
			res := e.s.Send(context.Background(), outgoing(2, "x"))
			require.Equal(t, map[core.Outcome]int{r.want: 2}, providertest.Outcomes(res))
			if r.fault.Code == 33 {
				require.Positive(t, res[0].RetryAfter, "the daily quota waits for midnight in Beijing")
			}
		})
	}
}

func TestReceiptsComeBack(t *testing.T) {
	t.Parallel()
	posts := make(chan []byte, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, r.ContentLength)
		_, _ = r.Body.Read(b)
		posts <- b
	}))
	t.Cleanup(srv.Close)
	e := setup(t, providertest.OPPOOptions{DailyPublicLimit: 1}, func(o *channel.Options) {
		o.CallbackURL = srv.URL + "/vendor/v1/oppo/cfg/receipts"
		o.CallbackParam = func(job string) string { return job + ".tag" }
	})
	msgs := outgoing(3, "hi")
	e.fake.SetRegID(msgs[1].Token, providertest.OPPORegGone)
	msgs[2].Token = msgs[0].Token // the second message today: over the cap
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 3}, providertest.Outcomes(e.s.Send(context.Background(), msgs)))
	body := <-posts
	verify := func(p string) (string, bool) { j, ok := strings.CutSuffix(p, ".tag"); return j, ok }
	got, err := ParseReceipts(body, verify, time.Now())
	require.NoError(t, err)
	events := map[string][]core.ReceiptEvent{}
	for _, r := range got {
		require.Equal(t, nodeid.ID("job_1"), r.JobID)
		events[r.Token] = append(events[r.Token], r.Event)
	}
	require.Equal(t, map[string][]core.ReceiptEvent{
		msgs[0].Token: {core.ReceiptArrived, core.ReceiptFailed},
		msgs[1].Token: {core.ReceiptTokenDead},
	}, events)
}

func TestRegionPicksTheHost(t *testing.T) {
	t.Parallel()
	for id, cn := range map[string]bool{
		"0123456789abcdef0123456789abcdef":         true,
		"CN_0123456789abcdef0123456789abcdef":      true,
		"EU_0123456789abcdef0123456789abcdef":      false,
		"OPPO_CN_0123456789abcdef0123456789abcdef": true,
		"OPPO_SG_0123456789abcdef0123456789abcdef": false,
		"a_b_c_d": false,
	} {
		require.Equal(t, cn, InChina(id), id)
	}
}
