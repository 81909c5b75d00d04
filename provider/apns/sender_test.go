package apns

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sideshow/apns2"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/provider/providertest"
	"github.com/pushd/pushd/push/core"
)

// setup starts an APNs fake and a sender configured with the credentials
// it issued.
func setup(t *testing.T, opts ...func(*channel.Options)) (*providertest.APNsFake, *Sender) {
	t.Helper()
	fake, err := providertest.StartAPNs(providertest.APNsOptions{})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	return fake, newSender(t, fake, fromFake(fake.Credentials()), opts...)
}

func newSender(t *testing.T, fake *providertest.APNsFake, c Credentials, opts ...func(*channel.Options)) *Sender {
	t.Helper()
	o := channel.Options{BaseURL: fake.URL, RootCAs: fake.CertPool(), Egress: providertest.Egress()}
	for _, f := range opts {
		f(&o)
	}
	s, err := New(c, o)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// devToken returns a distinct hex device token.
func devToken(i int) string { return fmt.Sprintf("%064x", 0xa0000+i) }

func msg(i int, m jsontype.Message) core.Outgoing {
	return core.Outgoing{
		DeliveryID: nodeid.ID(fmt.Sprintf("dlv_%026d", i)),
		JobID:      "job_01JTKQ3V8Z0000000000000004",
		Token:      devToken(i),
		Message:    m,
		ExpiresAt:  time.Now().Add(time.Hour),
	}
}

func hello(n int) []core.Outgoing {
	out := make([]core.Outgoing, n)
	for i := range out {
		out[i] = msg(i, jsontype.Message{Title: "Hello", Body: "world", Payload: map[string]any{"n": i}})
	}
	return out
}

func countOutcomes(rs []core.Result) map[core.Outcome]int {
	m := map[core.Outcome]int{}
	for _, r := range rs {
		m[r.Outcome]++
	}
	return m
}

func TestSendHappyPath(t *testing.T) {
	t.Parallel()
	fake, s := setup(t)
	msgs := hello(3)
	msgs[1].Message = jsontype.Message{Silent: true, Payload: map[string]any{"sync": true}}
	msgs[2].Message.CollapseKey = "c1"
	msgs[2].Message.Priority = "NORMAL"

	res := s.Send(t.Context(), msgs)
	require.Len(t, res, 3)
	for _, r := range res {
		require.Equal(t, core.Result{Outcome: core.OutcomeSent}, r)
	}
	log := fake.Log.All()
	require.Len(t, log, 3)
	byToken := map[string]providertest.APNsRequest{}
	for _, r := range log {
		byToken[r.Token] = r
	}
	for i, m := range msgs {
		r, ok := byToken[m.Token]
		require.True(t, ok)
		require.Equal(t, 200, r.Status)
		require.Equal(t, "token", r.Auth)
		require.Equal(t, "com.example.pushd", r.Topic)
		require.Equal(t, apnsID(m.DeliveryID), r.ID)
		require.Equal(t, fmt.Sprint(m.ExpiresAt.Unix()), r.Expiration)
		require.Equal(t, map[string]any{"job": string(m.JobID), "id": string(m.DeliveryID)}, r.Payload["pushd"])
		switch i {
		case 0:
			require.Equal(t, "alert", r.PushType)
			require.Equal(t, "10", r.Priority)
			require.Equal(t, float64(0), r.Payload["n"])
			require.Equal(t, map[string]any{"title": "Hello", "body": "world"}, r.Payload["aps"].(map[string]any)["alert"])
		case 1:
			require.Equal(t, "background", r.PushType)
			require.Equal(t, "5", r.Priority)
			require.Equal(t, map[string]any{"content-available": float64(1)}, r.Payload["aps"])
		case 2:
			require.Equal(t, "5", r.Priority)
			require.Equal(t, "c1", r.CollapseID)
		}
	}
}

// Every APNs error row, injected per device token, comes back as its
// outcome through the real HTTP/2 path.
func TestSendErrorRows(t *testing.T) {
	t.Parallel()
	fake, s := setup(t)
	since := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rows := []struct {
		fault   providertest.APNsFault
		outcome core.Outcome
		since   time.Time
		delay   time.Duration
	}{
		{providertest.APNsFault{Status: 410, Reason: "Unregistered", Timestamp: since}, core.OutcomeTokenDead, since, 0},
		{providertest.APNsFault{Status: 410, Reason: "ExpiredToken", Timestamp: since}, core.OutcomeTokenDead, since, 0},
		{providertest.APNsFault{Status: 400, Reason: "BadDeviceToken"}, core.OutcomeTokenDead, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "DeviceTokenNotForTopic"}, core.OutcomeTokenDead, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "TopicDisallowed"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "BadTopic"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "MissingTopic"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 403, Reason: "InvalidProviderToken"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 403, Reason: "MissingProviderToken"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 403, Reason: "BadCertificate"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 403, Reason: "BadCertificateEnvironment"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 403, Reason: "Forbidden"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 403, Reason: "UnrelatedKeyIdInToken"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 403, Reason: "BadEnvironmentKeyIdInToken"}, core.OutcomeConfigError, time.Time{}, 0},
		{providertest.APNsFault{Status: 403, Reason: "ExpiredProviderToken"}, core.OutcomeRetry, time.Time{}, 0},
		{providertest.APNsFault{Status: 429, Reason: "TooManyRequests"}, core.OutcomeRetry, time.Time{}, time.Second},
		{providertest.APNsFault{Status: 429, Reason: "TooManyProviderTokenUpdates"}, core.OutcomeRetry, time.Time{}, time.Second},
		{providertest.APNsFault{Status: 413, Reason: "PayloadTooLarge"}, core.OutcomeFailed, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "BadCollapseId"}, core.OutcomeFailed, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "BadExpirationDate"}, core.OutcomeFailed, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "BadPriority"}, core.OutcomeFailed, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "PayloadEmpty"}, core.OutcomeFailed, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "InvalidPushType"}, core.OutcomeFailed, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "BadMessageId"}, core.OutcomeFailed, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "DuplicateHeaders"}, core.OutcomeFailed, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "IdleTimeout"}, core.OutcomeRetry, time.Time{}, 0},
		{providertest.APNsFault{Status: 500, Reason: "InternalServerError"}, core.OutcomeRetry, time.Time{}, 0},
		{providertest.APNsFault{Status: 503, Reason: "ServiceUnavailable"}, core.OutcomeRetry, time.Time{}, 0},
		{providertest.APNsFault{Status: 503, Reason: "Shutdown"}, core.OutcomeRetry, time.Time{}, 0},
		{providertest.APNsFault{Status: 400, Reason: "NewReasonFromApple"}, core.OutcomeFailed, time.Time{}, 0},
	}
	msgs := hello(len(rows) + 1) // the last one has no fault
	for i, row := range rows {
		fake.SetAPNsToken(msgs[i].Token, row.fault)
	}
	res := s.Send(t.Context(), msgs)
	require.Len(t, res, len(msgs))
	for i, row := range rows {
		want := fmt.Sprintf("APNs: %d %s", row.fault.Status, row.fault.Reason)
		got := res[i]
		require.Equal(t, row.outcome, got.Outcome, want)
		require.Equal(t, want, got.Reason)
		require.True(t, row.since.Equal(got.TokenInvalidSince), "%s: %v", want, got.TokenInvalidSince)
		if row.delay > 0 {
			require.GreaterOrEqual(t, got.RetryAfter, row.delay, want)
		} else {
			require.Zero(t, got.RetryAfter, want)
		}
	}
	require.Equal(t, core.OutcomeSent, res[len(rows)].Outcome)
}

// Requests the fake itself refuses, as APNs would.
func TestSendRefusedByAPNs(t *testing.T) {
	t.Parallel()
	fake, s := setup(t)
	big := msg(0, jsontype.Message{Title: "big", Payload: map[string]any{"blob": strings.Repeat("x", 4096)}})
	collapse := msg(1, jsontype.Message{Title: "c", CollapseKey: strings.Repeat("k", 65)})
	res := s.Send(t.Context(), []core.Outgoing{big, collapse})
	require.Equal(t, core.Result{Outcome: core.OutcomeFailed, Reason: "APNs: 413 PayloadTooLarge"}, res[0])
	require.Equal(t, core.Result{Outcome: core.OutcomeFailed, Reason: "APNs: 400 BadCollapseId"}, res[1])

	// The wrong bundle ID, or a key APNs does not know: the channel is
	// misconfigured.
	c := fromFake(fake.Credentials())
	c.Topic = "org.other.app"
	res = newSender(t, fake, c).Send(t.Context(), hello(1))
	require.Equal(t, core.Result{Outcome: core.OutcomeConfigError, Reason: "APNs: 400 TopicDisallowed"}, res[0])

	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	c = fromFake(fake.Credentials())
	c.KeyP8 = p8(t, other)
	res = newSender(t, fake, c).Send(t.Context(), hello(1))
	require.Equal(t, core.Result{Outcome: core.OutcomeConfigError, Reason: "APNs: 403 InvalidProviderToken"}, res[0])
}

// A token that is not hex is dead without a request.
func TestSendMalformedDeviceToken(t *testing.T) {
	t.Parallel()
	fake, s := setup(t)
	m := msg(0, jsontype.Message{Title: "x"})
	for _, tok := range []string{"", "not-hex", "abc/def"} {
		m.Token = tok
		res := s.Send(t.Context(), []core.Outgoing{m})
		require.Equal(t, core.OutcomeTokenDead, res[0].Outcome, tok)
		require.Contains(t, res[0].Reason, "BadDeviceToken")
	}
	require.Zero(t, fake.Log.Len())
}

// An expired provider token is replaced by a new one, once, however many
// requests saw it refused.
func TestSendRenewsExpiredProviderToken(t *testing.T) {
	t.Parallel()
	fake, s := setup(t, func(o *channel.Options) { o.Concurrency = 8 })
	stale := fake.SignJWT(time.Now().Add(-2 * time.Hour))
	s.token.Lock()
	s.token.Bearer, s.token.IssuedAt = stale, time.Now().Unix() // apns2 believes it fresh
	s.token.Unlock()

	first := s.Send(t.Context(), hello(8))
	got := countOutcomes(first)
	require.Equal(t, 8, got[core.OutcomeRetry]+got[core.OutcomeSent], "%v", first)
	require.Positive(t, got[core.OutcomeRetry])
	for _, r := range first {
		if r.Outcome == core.OutcomeRetry {
			require.Equal(t, "APNs: 403 ExpiredProviderToken", r.Reason)
		}
	}
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 8}, countOutcomes(s.Send(t.Context(), hello(8))))

	jwts := map[string]bool{}
	for _, r := range fake.Log.All() {
		jwts[r.JWT] = true
	}
	require.Len(t, jwts, 2, "the stale token and one renewal")
	require.True(t, jwts[stale])
}

func TestSendTransientFaults(t *testing.T) {
	t.Parallel()
	fake, s := setup(t)
	fake.FailNext(1, providertest.APNsFault{Status: 503, Reason: "ServiceUnavailable"})
	require.Equal(t, core.Result{Outcome: core.OutcomeRetry, Reason: "APNs: 503 ServiceUnavailable"}, s.Send(t.Context(), hello(1))[0])
	fake.FailNext(1, providertest.APNsFault{Status: 429, Reason: "TooManyRequests"})
	r := s.Send(t.Context(), hello(1))[0]
	require.Equal(t, core.OutcomeRetry, r.Outcome)
	require.GreaterOrEqual(t, r.RetryAfter, time.Second)
	require.Equal(t, core.OutcomeSent, s.Send(t.Context(), hello(1))[0].Outcome)
}

func TestSendConnectionReset(t *testing.T) {
	t.Parallel()
	fake, s := setup(t)
	require.Equal(t, core.OutcomeSent, s.Send(t.Context(), hello(1))[0].Outcome) // a live connection
	fake.ResetNext(1)
	r := s.Send(t.Context(), hello(1))[0]
	require.Equal(t, core.OutcomeRetry, r.Outcome)
	require.Contains(t, r.Reason, "APNs: network error")
	require.Equal(t, core.OutcomeSent, s.Send(t.Context(), hello(1))[0].Outcome)
}

func TestSendUnreachable(t *testing.T) {
	t.Parallel()
	fake, s := setup(t)
	fake.Close()
	r := s.Send(t.Context(), hello(1))[0]
	require.Equal(t, core.OutcomeRetry, r.Outcome)
	require.Contains(t, r.Reason, "APNs: network error")
}

// The pace is taken before each message: a bucket of 3 with no refill
// lets 3 of 5 go, and the rest are retried when the caller's deadline
// cannot be met.
func TestSendPaced(t *testing.T) {
	t.Parallel()
	pace := rate.NewLimiter(rate.Every(time.Hour), 3)
	fake, s := setup(t, func(o *channel.Options) { o.Pace = pace })
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	res := s.Send(ctx, hello(5))
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 3, core.OutcomeRetry: 2}, countOutcomes(res))
	require.Equal(t, 3, fake.Log.Len())
	require.Less(t, pace.Tokens(), 1.0)
	for _, r := range res {
		if r.Outcome == core.OutcomeRetry {
			require.Contains(t, r.Reason, "APNs: not sent")
		}
	}
}

func TestSendCanceled(t *testing.T) {
	t.Parallel()
	fake, s := setup(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res := s.Send(ctx, hello(4))
	require.Len(t, res, 4)
	for _, r := range res {
		require.Equal(t, core.OutcomeRetry, r.Outcome)
		require.Equal(t, "APNs: not sent: cancelled", r.Reason)
	}
	require.Zero(t, fake.Log.Len())
	require.Empty(t, s.Send(t.Context(), nil))
}

// One sender serves many Send calls at once.
func TestSendConcurrentUse(t *testing.T) {
	t.Parallel()
	fake, s := setup(t, func(o *channel.Options) { o.Concurrency = 4 })
	fake.SetLatency(2 * time.Millisecond)
	results := make([][]core.Result, 4)
	var wg sync.WaitGroup
	for g := range results {
		wg.Go(func() { results[g] = s.Send(t.Context(), hello(25)) })
	}
	wg.Wait()
	for _, rs := range results {
		require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 25}, countOutcomes(rs))
	}
	require.Equal(t, 100, fake.Log.Len())
	jwts := map[string]bool{}
	for _, r := range fake.Log.All() {
		jwts[r.JWT] = true
	}
	require.Len(t, jwts, 1, "one cached provider token")
}

func TestSendCertificateAuth(t *testing.T) {
	t.Parallel()
	fake, err := providertest.StartAPNs(providertest.APNsOptions{})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	s := newSender(t, fake, certCreds(t, "cert-valid.p12", "secret"))
	require.Equal(t, core.OutcomeSent, s.Send(t.Context(), hello(1))[0].Outcome)
	log := fake.Log.All()
	require.Len(t, log, 1)
	require.Equal(t, "certificate", log[0].Auth)
	require.Empty(t, log[0].JWT)

	// An expired certificate is a config error, found without a request.
	s = newSender(t, fake, certCreds(t, "cert-expired.p12", ""))
	r := s.Send(t.Context(), hello(1))[0]
	require.Equal(t, core.Result{Outcome: core.OutcomeConfigError, Reason: "APNs: the client certificate expired on 2021-01-01"}, r)
	require.Equal(t, 1, fake.Log.Len())
}

func TestNewHost(t *testing.T) {
	t.Parallel()
	c := tokenCreds(t)
	s, err := New(c, channel.Options{})
	require.NoError(t, err)
	require.Equal(t, apns2.HostDevelopment, s.client.Host)
	c.Environment = Production
	s, err = New(c, channel.Options{})
	require.NoError(t, err)
	require.Equal(t, apns2.HostProduction, s.client.Host)
	s, err = New(c, channel.Options{BaseURL: "https://apns.example.com:2197/"})
	require.NoError(t, err)
	require.Equal(t, "https://apns.example.com:2197", s.client.Host)
}

func fromFake(c providertest.APNsCredentials) Credentials {
	return Credentials{Environment: c.Environment, Topic: c.Topic, KeyP8: c.KeyP8, KeyID: c.KeyID, TeamID: c.TeamID}
}
