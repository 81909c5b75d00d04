package vivo

import (
	"context"
	"crypto/x509"
	"fmt"
	"strings"
	"sync/atomic"
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
		{"ok", Credentials{AppID: "10004", AppKey: "k1", AppSecret: "s1"}, ""},
		{"app ID not numeric", Credentials{AppID: "app", AppKey: "k1", AppSecret: "s1"}, "vivo.appID"},
		{"no app ID", Credentials{AppKey: "k1", AppSecret: "s1"}, "vivo.appID"},
		{"no key", Credentials{AppID: "1", AppSecret: "s1"}, "vivo.appKey"},
		{"blank secret", Credentials{AppID: "1", AppKey: "k1", AppSecret: " "}, "vivo.appSecret"},
		{"long key", Credentials{AppID: "1", AppKey: strings.Repeat("k", 129), AppSecret: "s"}, "vivo.appKey"},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			sum, err := Check(r.creds)
			if r.field == "" {
				require.NoError(t, err)
				require.Equal(t, r.creds.AppKey, sum["appKey"])
				require.NotContains(t, fmt.Sprint(sum), r.creds.AppSecret)
				return
			}
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, r.field, e.Field)
		})
	}
}

type env struct {
	fake *providertest.VivoFake
	s    *Sender
}

// noon is inside vivo's daytime window (12:00 in Beijing).
var noon = time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)

func setup(t *testing.T, fo providertest.VivoOptions, clock func() time.Time) env {
	t.Helper()
	fake, err := providertest.StartVivo(fo)
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	o := channel.Options{Endpoints: map[string]string{"url": fake.URL}, RootCAs: pool, Concurrency: 4, Egress: providertest.Egress(), Clock: clock}
	c := fake.Credentials()
	s, err := New(Credentials{AppID: c.AppID, AppKey: c.AppKey, AppSecret: c.AppSecret}, o)
	require.NoError(t, err)
	return env{fake: fake, s: s}
}

func outgoing(n int, m jsontype.Message) []core.Outgoing {
	out := make([]core.Outgoing, n)
	for i := range out {
		out[i] = core.Outgoing{
			DeliveryID: nodeid.ID(fmt.Sprintf("dlv_%04d", i)), DeviceID: nodeid.ID(fmt.Sprintf("dev_%04d", i)),
			JobID: "job_1", Token: fmt.Sprintf("regid-%04d", i), Message: m,
		}
	}
	return out
}

var service = jsontype.Message{Title: "New reply", Body: "Ann: hi", Classification: "IM"}

func TestSendOneAndList(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.VivoOptions{}, nil)
	res := e.s.Send(context.Background(), outgoing(1, service))
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 1}, providertest.Outcomes(res))
	sends := e.fake.Sends.All()
	require.Len(t, sends, 1)
	require.Equal(t, SendPath, sends[0].Path)
	require.Equal(t, "dlv_0000", sends[0].Payload.RequestID, "the delivery ID, vivo's de-duplication key")
	require.Equal(t, "IM", sends[0].Payload.Category)

	// 1,500 messages of one content: saved once per list, lists of 1,000
	// and 500.
	res = e.s.Send(context.Background(), outgoing(1500, service))
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 1500}, providertest.Outcomes(res))
	var saves, lists, delivered int
	for _, q := range e.fake.Sends.All()[1:] {
		switch q.Path {
		case SavePath:
			saves++
		case ListPath:
			lists++
			delivered += len(q.Delivered)
		}
	}
	require.Equal(t, 2, saves)
	require.Equal(t, 2, lists)
	require.Equal(t, 1500, delivered)
	require.EqualValues(t, 1, e.fake.Auths.Load(), "one authToken, cached")
}

func TestRetriedListIsTheSameRequest(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	now.Store(noon.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	e := setup(t, providertest.VivoOptions{Clock: clock}, clock)
	msgs := outgoing(3, service)
	for i := range msgs {
		msgs[i].ExpiresAt = noon.Add(time.Hour)
	}
	e.s.Send(context.Background(), msgs)
	// Retried a minute later: less TTL is left, and it is still the same
	// request.
	now.Store(noon.Add(time.Minute).UnixNano())
	e.s.Send(context.Background(), msgs)
	var delivered, dups int
	for _, q := range e.fake.Sends.All() {
		delivered += len(q.Delivered)
		if q.Duplicate {
			dups++
		}
	}
	require.Equal(t, 3, delivered, "vivo de-duplicates on requestId: nothing twice")
	require.Equal(t, 1, dups)
}

func TestInvalidUsers(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.VivoOptions{}, nil)
	msgs := outgoing(3, service)
	e.fake.SetRegID(msgs[1].Token, providertest.VivoRegUninstalled)
	res := e.s.Send(context.Background(), msgs)
	require.Equal(t, []core.Outcome{core.OutcomeSent, core.OutcomeTokenDead, core.OutcomeSent}, []core.Outcome{res[0].Outcome, res[1].Outcome, res[2].Outcome})
	e.fake.SetRegID(msgs[0].Token, providertest.VivoRegUnknown)
	res = e.s.Send(context.Background(), outgoing(1, jsontype.Message{Title: "other", Classification: "IM"}))
	require.Equal(t, core.OutcomeTokenDead, res[0].Outcome, "10302 with invalidUser")
}

func TestExpiredTokenIsRenewedOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.VivoOptions{}, nil)
	require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, service))[0].Outcome)
	e.fake.ExpireTokens()
	require.Equal(t, core.OutcomeSent, e.s.Send(context.Background(), outgoing(1, jsontype.Message{Title: "again", Classification: "IM"}))[0].Outcome)
	require.EqualValues(t, 2, e.fake.Auths.Load())
}

func TestWrongClockIsAConfigError(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.VivoOptions{}, func() time.Time { return time.Now().Add(-11 * time.Minute) })
	res := e.s.Send(context.Background(), outgoing(1, service))
	require.Equal(t, core.OutcomeConfigError, res[0].Outcome)
	require.Contains(t, res[0].Reason, "auth refused")
}

func TestOperationalMessagesWaitForDaytime(t *testing.T) {
	t.Parallel()
	night := time.Date(2026, 12, 6, 16, 0, 0, 0, time.UTC) // 00:00 in Beijing
	e := setup(t, providertest.VivoOptions{Clock: func() time.Time { return night }}, func() time.Time { return night })
	msgs := append(outgoing(1, jsontype.Message{Title: "Sale", Classification: "MARKETING"}), outgoing(1, service)...)
	msgs[1].Token, msgs[1].DeliveryID = "regid-x", "dlv_x"
	res := e.s.Send(context.Background(), msgs)
	require.Equal(t, core.OutcomeRetry, res[0].Outcome)
	require.Equal(t, 7*time.Hour, res[0].RetryAfter)
	require.Contains(t, res[0].Reason, "07:00 to 23:00")
	require.Equal(t, core.OutcomeSent, res[1].Outcome, "a system message goes at any hour")
}

func TestDailyQuotaPausesTheCredential(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.VivoOptions{DailyLimit: 2, Clock: func() time.Time { return noon }}, func() time.Time { return noon })
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 2}, providertest.Outcomes(e.s.Send(context.Background(), outgoing(2, service))))
	res := e.s.Send(context.Background(), outgoing(1, jsontype.Message{Title: "third", Classification: "IM"}))
	require.Equal(t, core.OutcomeRetry, res[0].Outcome)
	require.Equal(t, 12*time.Hour, res[0].RetryAfter, "until midnight in Beijing")
	calls := e.fake.Sends.Len()
	res = e.s.Send(context.Background(), outgoing(1, jsontype.Message{Title: "fourth", Classification: "IM"}))
	require.Equal(t, core.OutcomeRetry, res[0].Outcome)
	require.Contains(t, res[0].Reason, "paused")
	require.Equal(t, calls, e.fake.Sends.Len(), "vivo is not called again that day")
}

func TestListQuotaFallsBackToSingleSends(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.VivoOptions{}, nil)
	e.fake.FailNext(1, providertest.VivoFault{Result: codeListQuota})
	// The refused list's messages go one by one at once, and so do the
	// next lists' for the rest of the day.
	res := e.s.Send(context.Background(), outgoing(3, service))
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 3}, providertest.Outcomes(res))
	next := outgoing(3, service)
	for i := range next {
		next[i].DeliveryID += "_next"
	}
	res = e.s.Send(context.Background(), next)
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 3}, providertest.Outcomes(res))
	sends := e.fake.Sends.All()
	require.Len(t, sends, 7)
	require.Equal(t, SavePath, sends[0].Path)
	require.Equal(t, 10252, sends[0].Result)
	for _, q := range sends[1:] {
		require.Equal(t, SendPath, q.Path)
		require.Len(t, q.Delivered, 1)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		name  string
		fault providertest.VivoFault
		want  core.Outcome
	}{
		{"server error", providertest.VivoFault{Status: 500}, core.OutcomeRetry},
		{"too fast", providertest.VivoFault{Result: codeTooFast}, core.OutcomeRetry},
		{"app mismatch", providertest.VivoFault{Result: 10094}, core.OutcomeConfigError},
		{"bad category", providertest.VivoFault{Result: 10096}, core.OutcomeFailed},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, providertest.VivoOptions{}, nil)
			e.fake.FailNext(1, r.fault)
			require.Equal(t, r.want, e.s.Send(context.Background(), outgoing(1, service))[0].Outcome)
		})
	}
}
