package fcm

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/provider/providertest"
	"github.com/pushd/pushd/push/core"
)

type bundle struct {
	fake   *providertest.FCMFake
	sender *Sender
	opts   channel.Options
}

// setup starts a fake FCM and a sender configured with its credentials,
// trusting its CA. Options may be adjusted by change.
func setup(t *testing.T, change ...func(*channel.Options)) bundle {
	t.Helper()
	fake, err := providertest.StartFCM(providertest.FCMOptions{ProjectID: "pushd-test"})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	o := channel.Options{BaseURL: fake.URL + "/v1", AuthURL: fake.TokenURL(), RootCAs: pool, Egress: providertest.Egress()}
	for _, c := range change {
		c(&o)
	}
	s, err := New(Credentials(fake.Credentials()), o)
	require.NoError(t, err)
	return bundle{fake: fake, sender: s, opts: o}
}

func outgoing(token string, p enum.Platform) core.Outgoing {
	return core.Outgoing{
		DeliveryID: nodeid.ID("dlv_1" + token), JobID: "job_1", Platform: p, Token: token,
		Message:   jsontype.Message{Title: "Hi", Body: "there", Payload: map[string]any{"n": 1}},
		ExpiresAt: time.Now().Add(time.Hour),
	}
}

func sendsTo(f *providertest.FCMFake, token string) []providertest.FCMSend {
	var out []providertest.FCMSend
	for _, s := range f.Sends.All() {
		if s.Token == token {
			out = append(out, s)
		}
	}
	return out
}

func TestCheck(t *testing.T) {
	t.Parallel()
	fake, err := providertest.StartFCM(providertest.FCMOptions{ProjectID: "proj-9"})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	good := Credentials(fake.Credentials())

	sum, err := Check(good)
	require.NoError(t, err)
	var sa map[string]any
	require.NoError(t, json.Unmarshal([]byte(good.ServiceAccountJSON), &sa))
	require.Equal(t, map[string]any{"projectID": "proj-9", "clientEmail": sa["client_email"], "privateKeyID": sa["private_key_id"]}, sum)
	for _, v := range sum {
		require.NotContains(t, v, "PRIVATE KEY")
	}

	with := func(k string, v any) Credentials {
		m := map[string]any{}
		require.NoError(t, json.Unmarshal([]byte(good.ServiceAccountJSON), &m))
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return Credentials{ServiceAccountJSON: string(b)}
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecDER, err := x509.MarshalPKCS8PrivateKey(ec)
	require.NoError(t, err)
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}))
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}))

	_, err = Check(with("private_key", pkcs1))
	require.NoError(t, err, "PKCS#1 RSA keys are read too")

	for name, tc := range map[string]struct {
		creds Credentials
		want  string
	}{
		"empty":        {Credentials{}, "is empty"},
		"not json":     {Credentials{ServiceAccountJSON: "{nope"}, "is not a JSON key file"},
		"wrong type":   {with("type", "authorized_user"), `has type "authorized_user": want a "service_account" key file`},
		"no project":   {with("project_id", nil), "has no project_id"},
		"no email":     {with("client_email", ""), "has no client_email"},
		"no key":       {with("private_key", nil), "has no private_key"},
		"no token uri": {with("token_uri", nil), "has no token_uri"},
		"bad uri":      {with("token_uri", "/token"), `has token_uri "/token": want Google's`},
		"other host":   {with("token_uri", "https://oauth2.example.com/token"), "want Google's https://oauth2.googleapis.com/token"},
		"loopback":     {with("token_uri", "http://127.0.0.1:9/steal"), "never one from a key file"},
		"key not pem":  {with("private_key", "MIIEvQIBADANBg"), "private_key that is not PEM"},
		"key is ec":    {with("private_key", ecPEM), "not an RSA private key"},
		"key garbage":  {with("private_key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "is not an RSA private key (PKCS#8 or PKCS#1)"},
	} {
		_, err := Check(tc.creds)
		pe, ok := core.AsError(err)
		require.True(t, ok, "%s: %v", name, err)
		require.Equal(t, core.CodeInvalidArgument, pe.Code, name)
		require.Equal(t, "fcm.serviceAccountJSON", pe.Field, name)
		require.Contains(t, pe.Message, tc.want, name)
		_, err = New(tc.creds, channel.Options{})
		require.Error(t, err, name)
	}
}

// A tenant's key file used to choose where pushd posts its JWT grant (and
// the answer's error_description came back as the channel's error): an
// SSRF around every address guard. The key file is refused now, and the
// target sees nothing, even when a sender is built with the key file's
// host allowed by the egress policy.
func TestKeyFileCannotChooseTheTokenEndpoint(t *testing.T) {
	t.Parallel()
	trap := providertest.StartTrap()
	t.Cleanup(trap.Close)
	b := setup(t)
	creds := Credentials(b.fake.CredentialsWithTokenURI(trap.URL + "/token"))

	_, err := Check(creds)
	pe, ok := core.AsError(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, core.CodeInvalidArgument, pe.Code)
	require.Equal(t, "fcm.serviceAccountJSON", pe.Field)
	require.Contains(t, pe.Message, "token_uri")
	_, err = New(creds, b.opts)
	require.Error(t, err)

	// A valid key file's sender asks the configured endpoint only.
	res := b.sender.Send(context.Background(), []core.Outgoing{outgoing("a1", enum.PlatformAndroid)})
	require.Equal(t, core.OutcomeSent, res[0].Outcome, res[0].Reason)
	require.Zero(t, trap.Hits(), "the key file's token_uri was never reached")
}

func TestSendHappyPath(t *testing.T) {
	t.Parallel()
	b := setup(t)
	msgs := []core.Outgoing{outgoing("a1", enum.PlatformAndroid), outgoing("i1", enum.PlatformIOS), outgoing("w1", enum.PlatformWeb)}
	res := b.sender.Send(context.Background(), msgs)
	require.Len(t, res, 3)
	for i, r := range res {
		require.Equal(t, core.OutcomeSent, r.Outcome, "%d: %+v", i, r)
	}
	require.Equal(t, 3, b.fake.Sends.Len())
	a := sendsTo(b.fake, "a1")
	require.Len(t, a, 1)
	require.Equal(t, "pushd-test", a[0].Project)
	m := a[0].Decoded()
	require.Equal(t, map[string]any{"n": "1", "pushd": `{"job":"job_1","id":"dlv_1a1"}`}, m["data"])
	require.Equal(t, "high", m["android"].(map[string]any)["priority"])
	require.Contains(t, sendsTo(b.fake, "i1")[0].Decoded(), "apns")
	require.Contains(t, sendsTo(b.fake, "w1")[0].Decoded(), "webpush")

	// The access token is cached.
	res = b.sender.Send(context.Background(), msgs[:1])
	require.Equal(t, core.OutcomeSent, res[0].Outcome)
	require.Equal(t, 1, b.fake.TokenRequests())
	require.Empty(t, b.sender.Send(context.Background(), nil))
}

// TestSendErrors injects every FCM error through the fake, all in one
// batch, and checks each message's outcome.
func TestSendErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	type row struct {
		token  string
		fault  providertest.FCMFault
		msg    *jsontype.Message
		want   core.Outcome
		after  time.Duration
		reason string
	}
	rows := []row{
		{token: "ok", want: core.OutcomeSent},
		{token: "unregistered", fault: providertest.FCMFault{ErrorCode: "UNREGISTERED"}, want: core.OutcomeTokenDead, reason: "FCM: UNREGISTERED (the app instance is no longer registered)"},
		{token: "bad-token", fault: providertest.FCMFault{ErrorCode: "INVALID_ARGUMENT"}, want: core.OutcomeTokenDead, reason: "FCM: INVALID_ARGUMENT (the registration token is not valid)"},
		{token: "reserved-key", msg: &jsontype.Message{Title: "x", Payload: map[string]any{"from": "me"}}, want: core.OutcomeFailed, reason: "FCM: INVALID_ARGUMENT (the message was refused as invalid)"},
		{token: "mismatch", fault: providertest.FCMFault{ErrorCode: "SENDER_ID_MISMATCH"}, want: core.OutcomeTokenDead, reason: "FCM: SENDER_ID_MISMATCH"},
		{token: "quota", fault: providertest.FCMFault{ErrorCode: "QUOTA_EXCEEDED", RetryAfter: "5"}, want: core.OutcomeRetry, after: time.Minute, reason: "FCM: QUOTA_EXCEEDED"},
		{token: "quota-long", fault: providertest.FCMFault{ErrorCode: "QUOTA_EXCEEDED", RetryAfter: "120"}, want: core.OutcomeRetry, after: 2 * time.Minute},
		{token: "bare-429", fault: providertest.FCMFault{Status: 429, RetryAfter: "30"}, want: core.OutcomeRetry, after: 30 * time.Second, reason: "FCM: RESOURCE_EXHAUSTED"},
		{token: "bare-429-no-ra", fault: providertest.FCMFault{Status: 429}, want: core.OutcomeRetry, after: time.Minute},
		// Above 2 minutes the SDK does not retry by itself.
		{token: "unavailable", fault: providertest.FCMFault{ErrorCode: "UNAVAILABLE", RetryAfter: "300"}, want: core.OutcomeRetry, after: 5 * time.Minute, reason: "FCM: UNAVAILABLE"},
		{token: "internal", fault: providertest.FCMFault{ErrorCode: "INTERNAL"}, want: core.OutcomeRetry, reason: "FCM: INTERNAL"},
		{token: "apns-auth", fault: providertest.FCMFault{ErrorCode: "THIRD_PARTY_AUTH_ERROR"}, want: core.OutcomeConfigError, reason: "FCM: THIRD_PARTY_AUTH_ERROR"},
		{token: "denied", fault: providertest.FCMFault{Status: 403}, want: core.OutcomeConfigError, reason: "FCM: PERMISSION_DENIED"},
		// Refused twice: once with the cached token, once with a new one.
		{token: "unauthenticated", fault: providertest.FCMFault{Status: 401}, want: core.OutcomeConfigError, reason: "FCM: UNAUTHENTICATED"},
		{token: "", want: core.OutcomeFailed, reason: "FCM: invalid message: the registration token is empty"},
	}
	var msgs []core.Outgoing
	for _, r := range rows {
		if r.fault != (providertest.FCMFault{}) {
			b.fake.SetFCMToken(r.token, r.fault)
		}
		o := outgoing(r.token, enum.PlatformAndroid)
		if r.msg != nil {
			o.Message = *r.msg
		}
		msgs = append(msgs, o)
	}
	res := b.sender.Send(context.Background(), msgs)
	require.Len(t, res, len(rows))
	for i, r := range rows {
		got := res[i]
		require.Equal(t, r.want, got.Outcome, "%s: %+v", r.token, got)
		require.Equal(t, r.after, got.RetryAfter, r.token)
		require.Contains(t, got.Reason, r.reason, r.token)
	}
	require.Len(t, sendsTo(b.fake, "unauthenticated"), 2, "resent once with a fresh token")
	require.Len(t, sendsTo(b.fake, "ok"), 1, "only the refused message is resent")
	require.Equal(t, 2, b.fake.TokenRequests())
}

func TestSendRenewsRevokedToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.Equal(t, core.OutcomeSent, b.sender.Send(context.Background(), []core.Outgoing{outgoing("t", enum.PlatformAndroid)})[0].Outcome)
	b.fake.RevokeAccessTokens()
	res := b.sender.Send(context.Background(), []core.Outgoing{outgoing("t", enum.PlatformAndroid), outgoing("u", enum.PlatformIOS)})
	require.Equal(t, core.OutcomeSent, res[0].Outcome, "%+v", res[0])
	require.Equal(t, core.OutcomeSent, res[1].Outcome, "%+v", res[1])
	require.Equal(t, 2, b.fake.TokenRequests())
}

// TestSend503RetryAfter: the SDK retries a 503 itself, no sooner than its
// Retry-After.
func TestSend503RetryAfter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fake.FailNext(1, providertest.FCMFault{ErrorCode: "UNAVAILABLE", RetryAfter: "1"})
	res := b.sender.Send(context.Background(), []core.Outgoing{outgoing("t", enum.PlatformAndroid)})
	require.Equal(t, core.OutcomeSent, res[0].Outcome, "%+v", res[0])
	sends := sendsTo(b.fake, "t")
	require.Len(t, sends, 2)
	require.Equal(t, 503, sends[0].Status)
	require.Equal(t, 200, sends[1].Status)
	require.GreaterOrEqual(t, sends[1].At.Sub(sends[0].At), time.Second)
}

func TestSendConnectionReset(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Fetch the access token first: resets hit the token endpoint too.
	require.Equal(t, core.OutcomeSent, b.sender.Send(context.Background(), []core.Outgoing{outgoing("warm", enum.PlatformAndroid)})[0].Outcome)

	// One reset: the SDK retries at once.
	b.fake.ResetNext(1)
	res := b.sender.Send(context.Background(), []core.Outgoing{outgoing("once", enum.PlatformAndroid)})
	require.Equal(t, core.OutcomeSent, res[0].Outcome, "%+v", res[0])
	require.Len(t, sendsTo(b.fake, "once"), 1)

	// Five resets outlast the SDK's retries (0+1+2+4 s): retry later.
	b.fake.ResetNext(5)
	res = b.sender.Send(context.Background(), []core.Outgoing{outgoing("always", enum.PlatformAndroid)})
	require.Equal(t, core.OutcomeRetry, res[0].Outcome, "%+v", res[0])
	require.Contains(t, res[0].Reason, "FCM: network error")
	require.Empty(t, sendsTo(b.fake, "always"))
}

func TestSendOAuthRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	s, err := New(Credentials(b.fake.CredentialsWithKey(other)), b.opts)
	require.NoError(t, err)
	res := s.Send(context.Background(), []core.Outgoing{outgoing("a", enum.PlatformAndroid), outgoing("b", enum.PlatformWeb)})
	for _, r := range res {
		require.Equal(t, core.OutcomeConfigError, r.Outcome, "%+v", r)
		require.Equal(t, "FCM: OAuth invalid_grant", r.Reason)
	}
	require.Equal(t, 1, b.fake.TokenRequests(), "one token request, not one per message and retry")
	require.Zero(t, b.fake.Sends.Len())

	// The token endpoint failing transiently is a retry.
	b.fake.FailTokenNext(1, providertest.FCMFault{Status: 503, ErrorCode: "backend_error", RetryAfter: "9"})
	res = b.sender.Send(context.Background(), []core.Outgoing{outgoing("a", enum.PlatformAndroid)})
	require.Equal(t, core.OutcomeRetry, res[0].Outcome, "%+v", res[0])
	require.Equal(t, 9*time.Second, res[0].RetryAfter)
	res = b.sender.Send(context.Background(), []core.Outgoing{outgoing("a", enum.PlatformAndroid)})
	require.Equal(t, core.OutcomeSent, res[0].Outcome, "%+v", res[0])
}

func TestSendPacing(t *testing.T) {
	t.Parallel()
	lim := rate.NewLimiter(rate.Every(time.Hour), 3)
	b := setup(t, func(o *channel.Options) { o.Pace = lim })
	res := b.sender.Send(context.Background(), []core.Outgoing{
		outgoing("p1", enum.PlatformAndroid), outgoing("p2", enum.PlatformAndroid), outgoing("p3", enum.PlatformAndroid),
	})
	for _, r := range res {
		require.Equal(t, core.OutcomeSent, r.Outcome)
	}
	require.Less(t, lim.Tokens(), 1.0, "one token per message was taken")

	// The bucket is empty: the next message would wait an hour, beyond
	// the context's deadline, so it is not sent.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res = b.sender.Send(ctx, []core.Outgoing{outgoing("p4", enum.PlatformAndroid)})
	require.Equal(t, core.OutcomeRetry, res[0].Outcome)
	require.Contains(t, res[0].Reason, "pacing")
	require.Equal(t, 3, b.fake.Sends.Len())
}

func TestSendCancelled(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := b.sender.Send(ctx, []core.Outgoing{outgoing("a", enum.PlatformAndroid), outgoing("b", enum.PlatformIOS)})
	for _, r := range res {
		require.Equal(t, core.OutcomeRetry, r.Outcome)
		require.Contains(t, r.Reason, "context canceled")
	}
	require.Zero(t, b.fake.Sends.Len())
	require.Zero(t, b.fake.TokenRequests())
}

func TestSendChunksAndConcurrency(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const workers, each = 3, 260 // 780 messages: two chunks per call for one of them
	big := make([]core.Outgoing, 520)
	for i := range big {
		big[i] = outgoing(fmt.Sprintf("big-%d", i), enum.PlatformAndroid)
	}
	var wg sync.WaitGroup
	results := make([][]core.Result, workers+1)
	for w := range workers {
		wg.Go(func() {
			msgs := make([]core.Outgoing, each/2)
			for i := range msgs {
				msgs[i] = outgoing(fmt.Sprintf("w%d-%d", w, i), enum.Platform([]string{"ANDROID", "IOS", "WEB"}[i%3]))
			}
			results[w] = b.sender.Send(context.Background(), msgs)
		})
	}
	wg.Go(func() { results[workers] = b.sender.Send(context.Background(), big) })
	wg.Wait()
	total := 0
	for _, rs := range results {
		for _, r := range rs {
			require.Equal(t, core.OutcomeSent, r.Outcome, "%+v", r)
			total++
		}
	}
	require.Equal(t, workers*each/2+len(big), total)
	require.Equal(t, total, b.fake.Sends.Len())
	require.Equal(t, 1, b.fake.TokenRequests())
	seen := map[string]bool{}
	for _, s := range b.fake.Sends.All() {
		require.False(t, seen[s.Token], "sent twice: %s", s.Token)
		seen[s.Token] = true
	}
}
