package huawei_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/provider/huawei"
	"github.com/pushd/pushd/provider/providertest"
	"github.com/pushd/pushd/push/core"
)

// bundle is what a test against the fake needs.
type bundle struct {
	fake   *providertest.HuaweiFake
	sender *huawei.Sender
	opts   channel.Options
}

// setup starts a fake and a sender configured for it; edit, if given,
// changes the sender's options.
func setup(t *testing.T, fo providertest.HuaweiOptions, edit func(*channel.Options)) bundle {
	t.Helper()
	f, err := providertest.StartHuawei(fo)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(f.CAPEM()))
	o := channel.Options{BaseURL: f.URL, AuthURL: f.TokenURL(), RootCAs: pool, Egress: providertest.Egress()}
	if edit != nil {
		edit(&o)
	}
	s, err := huawei.New(huawei.Credentials(f.Credentials()), o)
	require.NoError(t, err)
	return bundle{fake: f, sender: s, opts: o}
}

var alert = jsontype.Message{Title: "Hello", Body: "World", Payload: map[string]any{"k": "v"}}

// msgs returns n messages of one job with tokens prefix0, prefix1, ...
func msgs(job nodeid.ID, prefix string, n int, m jsontype.Message) []core.Outgoing {
	out := make([]core.Outgoing, n)
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	for i := range out {
		out[i] = core.Outgoing{
			DeliveryID: nodeid.ID(fmt.Sprintf("dlv_%s%d", prefix, i)),
			DeviceID:   nodeid.ID(fmt.Sprintf("dev_%s%d", prefix, i)),
			JobID:      job,
			Kind:       enum.PushKindBroadcast,
			Platform:   enum.PlatformAndroid,
			Token:      fmt.Sprintf("%s%d", prefix, i),
			Message:    m,
			ExpiresAt:  exp,
		}
	}
	return out
}

func TestSend(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, nil)
	ms := msgs("job_1", "tok", 3, alert)
	rs := b.sender.Send(t.Context(), ms)
	require.Len(t, rs, 3)
	for _, r := range rs {
		require.Equal(t, core.Result{Outcome: core.OutcomeSent}, r)
	}
	reqs := b.fake.Requests.All()
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, "80000000", r.Code)
	require.Equal(t, []string{"tok0", "tok1", "tok2"}, r.Tokens)
	require.Equal(t, b.fake.Credentials().AppID, r.AppID)
	require.True(t, strings.HasPrefix(r.Authorization, "Bearer DAEDA"))
	require.NotContains(t, r.Authorization, `\/`, "the token is JSON-decoded")
	require.Equal(t, "job_1", r.Message.Android.BiTag)
	require.Equal(t, "Hello", r.Message.Android.Notification.Title)
	require.Regexp(t, `^3[56]\d\ds$`, r.Message.Android.TTL)
	require.Equal(t, map[string]any{"k": "v", "pushd": map[string]any{"job": "job_1"}}, r.Message.DataMap())
	require.Equal(t, 1, b.fake.TokenRequests())

	// The token is cached.
	rs = b.sender.Send(t.Context(), msgs("job_1", "again", 1, alert))
	require.Equal(t, core.OutcomeSent, rs[0].Outcome)
	require.Equal(t, 1, b.fake.TokenRequests())
	require.Equal(t, map[string]any{"job": "job_1", "id": "dlv_again0"}, b.fake.Requests.All()[1].Message.DataMap()["pushd"])
}

func TestSendBatches(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, nil)
	ms := msgs("job_big", "t", 2500, alert)
	rs := b.sender.Send(t.Context(), ms)
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 2500}, providertest.Outcomes(rs))
	reqs := b.fake.Requests.All()
	require.Len(t, reqs, 3, "1000 + 1000 + 500")
	sizes := map[int]int{}
	seen := map[string]bool{}
	for _, r := range reqs {
		sizes[len(r.Tokens)]++
		for _, tok := range r.Tokens {
			require.False(t, seen[tok])
			seen[tok] = true
		}
	}
	require.Equal(t, map[int]int{1000: 2, 500: 1}, sizes)
	require.Len(t, seen, 2500)
}

func TestSendGroups(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, nil)
	var ms []core.Outgoing
	ms = append(ms, msgs("job_a", "a", 2, alert)...)
	ms = append(ms, msgs("job_b", "b", 2, alert)...) // another job
	other := alert
	other.Title = "Other"
	ms = append(ms, msgs("job_a", "o", 2, other)...) // other content
	later := msgs("job_a", "l", 2, alert)
	for i := range later {
		later[i].ExpiresAt = later[i].ExpiresAt.Add(time.Minute) // another expiry
	}
	ms = append(ms, later...)
	same := msgs("job_a", "s", 1, alert)
	same[0].ExpiresAt = same[0].ExpiresAt.Add(300 * time.Millisecond) // same second
	ms = append(ms, same...)
	// Interleave: results must come back in order whatever the grouping.
	ms[1], ms[4] = ms[4], ms[1]
	rs := b.sender.Send(t.Context(), ms)
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 9}, providertest.Outcomes(rs))
	groups := map[string]bool{}
	for _, r := range b.fake.Requests.All() {
		groups[strings.Join(r.Tokens, ",")] = true
	}
	require.Equal(t, map[string]bool{"a0,a1,s0": true, "b0,b1": true, "o0,o1": true, "l0,l1": true}, groups)
}

func TestSendPartialSuccess(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, nil)
	b.fake.SetHuaweiToken("tok1", providertest.HuaweiTokenState{Illegal: true})
	b.fake.SetHuaweiToken("tok3", providertest.HuaweiTokenState{Illegal: true})
	rs := b.sender.Send(t.Context(), msgs("job_1", "tok", 4, alert))
	require.Equal(t, core.OutcomeSent, rs[0].Outcome)
	require.Equal(t, core.Result{Outcome: core.OutcomeTokenDead, Reason: "Huawei: 80100000 illegal token"}, rs[1])
	require.Equal(t, core.OutcomeSent, rs[2].Outcome)
	require.Equal(t, core.OutcomeTokenDead, rs[3].Outcome)

	rs = b.sender.Send(t.Context(), msgs("job_2", "tok", 2, alert)[1:])
	require.Equal(t, []core.Result{{Outcome: core.OutcomeTokenDead, Reason: "Huawei: 80300007 all tokens invalid"}}, rs)
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault   providertest.HuaweiFault
		outcome core.Outcome
		reason  string
		after   time.Duration
	}{
		{providertest.HuaweiFault{Status: 503, RetryAfter: "7"}, core.OutcomeRetry, "Huawei: HTTP 503 traffic control", 7 * time.Second},
		{providertest.HuaweiFault{Status: 503}, core.OutcomeRetry, "Huawei: HTTP 503 traffic control", 0},
		{providertest.HuaweiFault{Status: 502}, core.OutcomeRetry, "Huawei: HTTP 502 bad gateway", 0},
		{providertest.HuaweiFault{Status: 500}, core.OutcomeRetry, "Huawei: HTTP 500 internal error", 0},
		{providertest.HuaweiFault{Code: "81000001", RetryAfter: "3"}, core.OutcomeRetry, "Huawei: 81000001 internal error", 3 * time.Second},
		{providertest.HuaweiFault{Code: "80600003"}, core.OutcomeRetry, "Huawei: 80600003 request to the OAuth service failed", 0},
		{providertest.HuaweiFault{Code: "80100017"}, core.OutcomeRetry, "Huawei: 80100017 too many topic messages in flight", 0},
		{providertest.HuaweiFault{Code: "80300002"}, core.OutcomeConfigError, "Huawei: 80300002 no permission to send messages", 0},
		{providertest.HuaweiFault{Code: "80300011"}, core.OutcomeConfigError, "Huawei: 80300011 no permission to send high-priority messages", 0},
		{providertest.HuaweiFault{Code: "80100001", Msg: "ttl is malformed"}, core.OutcomeFailed, "Huawei: 80100001 parameter check error", 0},
		{providertest.HuaweiFault{Code: "80100003"}, core.OutcomeFailed, "Huawei: 80100003 illegal payload", 0},
		{providertest.HuaweiFault{Code: "80100004"}, core.OutcomeFailed, "Huawei: 80100004 illegal expire time", 0},
		{providertest.HuaweiFault{Code: "80100013"}, core.OutcomeFailed, "Huawei: 80100013 illegal collapse_key", 0},
		{providertest.HuaweiFault{Code: "80100016"}, core.OutcomeFailed, "Huawei: 80100016 message contains sensitive content", 0},
		{providertest.HuaweiFault{Code: "80100018"}, core.OutcomeFailed, "Huawei: 80100018 invalid message body", 0},
		{providertest.HuaweiFault{Code: "80300008"}, core.OutcomeFailed, "Huawei: 80300008 message body too big", 0},
		{providertest.HuaweiFault{Code: "80300010"}, core.OutcomeFailed, "Huawei: 80300010 token count out of range", 0},
		{providertest.HuaweiFault{Code: "80300007"}, core.OutcomeTokenDead, "Huawei: 80300007 all tokens invalid", 0},
		{providertest.HuaweiFault{Status: 404}, core.OutcomeConfigError, "Huawei: HTTP 404 service not found (check the App ID and the Push Kit URL)", 0},
		{providertest.HuaweiFault{Code: "80312345", Msg: "Something new"}, core.OutcomeFailed, "Huawei: 80312345 unknown code", 0},
	} {
		name := tc.fault.Code
		if name == "" {
			name = fmt.Sprint(tc.fault.Status)
		}
		t.Run(name+tc.fault.RetryAfter, func(t *testing.T) {
			t.Parallel()
			b := setup(t, providertest.HuaweiOptions{}, nil)
			b.fake.FailNext(1, tc.fault)
			rs := b.sender.Send(t.Context(), msgs("job_1", "tok", 2, alert))
			for _, r := range rs {
				require.Equal(t, core.Result{Outcome: tc.outcome, Reason: tc.reason, RetryAfter: tc.after}, r)
			}
			require.Equal(t, 1, b.fake.Requests.Len(), "not resent")
		})
	}
}

func TestSendReauth(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		faults   []providertest.HuaweiFault
		outcome  core.Outcome
		reason   string
		requests int
	}{
		{"expired once", []providertest.HuaweiFault{{Code: "80200003"}}, core.OutcomeSent, "", 2},
		{"expired twice", []providertest.HuaweiFault{{Code: "80200003"}, {Code: "80200003"}}, core.OutcomeRetry, "Huawei: 80200003 OAuth access token expired", 2},
		{"auth error once", []providertest.HuaweiFault{{Code: "80200001"}}, core.OutcomeSent, "", 2},
		{"auth error twice", []providertest.HuaweiFault{{Code: "80200001"}, {Code: "80200001"}}, core.OutcomeConfigError, "Huawei: 80200001 OAuth authentication error", 2},
		{"401 twice", []providertest.HuaweiFault{{Status: 401}, {Status: 401}}, core.OutcomeConfigError, "Huawei: HTTP 401 authentication failed", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, providertest.HuaweiOptions{}, nil)
			for _, f := range tc.faults {
				b.fake.FailNext(1, f)
			}
			rs := b.sender.Send(t.Context(), msgs("job_1", "tok", 2, alert))
			for _, r := range rs {
				require.Equal(t, tc.outcome, r.Outcome)
				require.Equal(t, tc.reason, r.Reason)
			}
			require.Equal(t, tc.requests, b.fake.Requests.Len())
			require.Equal(t, 2, b.fake.TokenRequests(), "a new token for the second try")
		})
	}
}

func TestSendExpiredToken(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, nil)
	require.Equal(t, core.OutcomeSent, b.sender.Send(t.Context(), msgs("job_1", "a", 1, alert))[0].Outcome)
	require.Equal(t, 1, b.fake.TokenRequests())
	b.fake.ExpireTokens()
	// Many requests fail with the same expired token at once: one refresh.
	ms := msgs("job_2", "b", 3500, alert)
	rs := b.sender.Send(t.Context(), ms)
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 3500}, providertest.Outcomes(rs))
	require.Equal(t, 2, b.fake.TokenRequests(), "the token endpoint was hit again, once")
	codes := map[string]int{}
	for _, r := range b.fake.Requests.All()[1:] {
		codes[r.Code]++
	}
	// Each of the four requests went out once with the fresh token; how
	// many of them had first gone out with the expired one depends on
	// whether the refresh came before they started.
	require.Equal(t, 4, codes["80000000"])
	require.GreaterOrEqual(t, codes["80200003"], 1)
	require.LessOrEqual(t, codes["80200003"], 4)
	require.Len(t, codes, 2)
}

func TestSendOAuthRefused(t *testing.T) {
	t.Parallel()
	f, err := providertest.StartHuawei(providertest.HuaweiOptions{})
	require.NoError(t, err)
	t.Cleanup(f.Close)
	c := huawei.Credentials(f.Credentials())
	c.ClientSecret = "not-the-secret"
	s, err := huawei.New(c, channel.Options{BaseURL: f.URL, AuthURL: f.TokenURL(), HTTPClient: f.Client()})
	require.NoError(t, err)
	rs := s.Send(t.Context(), msgs("job_1", "tok", 1500, alert))
	require.Equal(t, map[core.Outcome]int{core.OutcomeConfigError: 1500}, providertest.Outcomes(rs))
	require.Equal(t, "Huawei: OAuth refused the client credentials: 1101/20186", rs[0].Reason)
	require.Zero(t, f.Requests.Len())
	require.Equal(t, 1, f.TokenRequests(), "both batches had the one refusal")
	// The refusal answers for a while: a later send does not ask again.
	rs = s.Send(t.Context(), msgs("job_2", "tok", 1, alert))
	require.Equal(t, core.OutcomeConfigError, rs[0].Outcome)
	require.Equal(t, 1, f.TokenRequests())
}

func TestSendOAuthDown(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	b := setup(t, providertest.HuaweiOptions{}, func(o *channel.Options) { o.AuthURL = srv.URL })
	rs := b.sender.Send(t.Context(), msgs("job_1", "tok", 1, alert))
	require.Equal(t, core.Result{Outcome: core.OutcomeRetry, Reason: "Huawei: OAuth unavailable: HTTP 503", RetryAfter: 30 * time.Second}, rs[0])
}

func TestSendRenewsTokenBeforeExpiry(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	start := time.Now()
	now.Store(start.UnixNano())
	b := setup(t, providertest.HuaweiOptions{}, func(o *channel.Options) {
		o.Clock = func() time.Time { return time.Unix(0, now.Load()) }
	})
	send := func() {
		require.Equal(t, core.OutcomeSent, b.sender.Send(t.Context(), msgs("job_1", "tok", 1, alert))[0].Outcome)
	}
	send()
	now.Store(start.Add(54 * time.Minute).UnixNano())
	send()
	require.Equal(t, 1, b.fake.TokenRequests(), "still valid for more than 5 minutes")
	now.Store(start.Add(56 * time.Minute).UnixNano())
	send()
	require.Equal(t, 2, b.fake.TokenRequests(), "renewed 5 minutes before its hour ends")
}

func TestSendConnectionReset(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, nil)
	require.Equal(t, core.OutcomeSent, b.sender.Send(t.Context(), msgs("job_1", "a", 1, alert))[0].Outcome)
	b.fake.ResetNext(1)
	rs := b.sender.Send(t.Context(), msgs("job_1", "b", 2, alert))
	for _, r := range rs {
		require.Equal(t, core.OutcomeRetry, r.Outcome)
		require.Contains(t, r.Reason, "Huawei: not sent: ")
	}
	require.Equal(t, core.OutcomeSent, b.sender.Send(t.Context(), msgs("job_1", "c", 1, alert))[0].Outcome)
}

func TestSendCanceled(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	rs := b.sender.Send(ctx, msgs("job_1", "tok", 3, alert))
	for _, r := range rs {
		require.Equal(t, core.Result{Outcome: core.OutcomeRetry, Reason: "Huawei: not sent: cancelled"}, r)
	}
	require.Zero(t, b.fake.Requests.Len())
}

func TestSendPacing(t *testing.T) {
	t.Parallel()
	// A bucket of 1,200 that refills once an hour: the batch takes all
	// but 200 of it, one token per device token.
	lim := rate.NewLimiter(rate.Every(time.Hour), 1200)
	b := setup(t, providertest.HuaweiOptions{}, func(o *channel.Options) { o.Pace = lim })
	rs := b.sender.Send(t.Context(), msgs("job_1", "tok", 1000, alert))
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 1000}, providertest.Outcomes(rs))
	require.InDelta(t, 200, lim.Tokens(), 1)

	// The next 1,000 would wait past the deadline: not sent, retried.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	rs = b.sender.Send(ctx, msgs("job_2", "tok", 1000, alert))
	require.Equal(t, map[core.Outcome]int{core.OutcomeRetry: 1000}, providertest.Outcomes(rs))
	require.Contains(t, rs[0].Reason, "would exceed context deadline")
	require.Equal(t, 1, b.fake.Requests.Len())
}

func TestSendConcurrent(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, func(o *channel.Options) { o.Concurrency = 4 })
	b.fake.SetLatency(2 * time.Millisecond)
	b.fake.SetHuaweiToken("g3-tok7", providertest.HuaweiTokenState{Illegal: true})
	var wg sync.WaitGroup
	results := make([][]core.Result, 8)
	for g := range 8 {
		wg.Go(func() {
			results[g] = b.sender.Send(t.Context(), msgs(nodeid.ID(fmt.Sprintf("job_%d", g)), fmt.Sprintf("g%d-tok", g), 1500, alert))
		})
	}
	wg.Wait()
	dead := 0
	for _, rs := range results {
		require.Len(t, rs, 1500)
		dead += providertest.Outcomes(rs)[core.OutcomeTokenDead]
	}
	require.Equal(t, 1, dead)
	require.Equal(t, core.OutcomeTokenDead, results[3][7].Outcome)
	require.Equal(t, 1, b.fake.TokenRequests(), "one token fetch for all senders")
	require.Equal(t, 16, b.fake.Requests.Len())
}

func TestSendRefusedByFake(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, nil)
	big := alert
	big.Payload = map[string]any{"blob": strings.Repeat("x", 5000)}
	rs := b.sender.Send(t.Context(), msgs("job_1", "tok", 1, big))
	require.Equal(t, core.Result{Outcome: core.OutcomeFailed, Reason: "Huawei: 80300008 message body too big"}, rs[0])

	img := alert
	img.ImageURL = "http://insecure.example.com/a.png"
	rs = b.sender.Send(t.Context(), msgs("job_1", "tok", 1, img))
	require.Equal(t, core.OutcomeFailed, rs[0].Outcome)
	require.Equal(t, "Huawei: 80100001 parameter check error", rs[0].Reason)

	bad := alert
	bad.Payload = map[string]any{"f": make(chan int)}
	rs = b.sender.Send(t.Context(), msgs("job_1", "tok", 1, bad))
	require.Equal(t, core.OutcomeFailed, rs[0].Outcome)
	require.Contains(t, rs[0].Reason, "Huawei: the message cannot be encoded")
}

// TestSendEveryShape checks that every kind of message pushd builds is
// one the fake (and so Huawei's checks) accepts.
func TestSendEveryShape(t *testing.T) {
	t.Parallel()
	b := setup(t, providertest.HuaweiOptions{}, nil)
	three := 3
	for _, m := range []jsontype.Message{
		alert,
		{Silent: true, Payload: map[string]any{"sync": true}},
		{Title: "t", Body: "b", Badge: &three, Sound: "ping", Category: "IM", AndroidChannelID: "c"},
		{Title: "t", Body: "b", ImageURL: "https://example.com/i.png"},
		{Title: "t", Body: "b", URI: "https://example.com", Action: "OPEN_URI"},
		{Title: "t", Body: "b", URI: "myapp://x", Action: "OPEN_URI"},
		{Title: "t", Body: "b", CollapseKey: "k", Priority: "NORMAL"},
	} {
		rs := b.sender.Send(t.Context(), msgs("job_1", "tok", 2, m))
		require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 2}, providertest.Outcomes(rs), "%+v: %v", m, rs[0].Reason)
	}
	expired := msgs("job_1", "tok", 1, alert)
	expired[0].ExpiresAt = time.Now().Add(-time.Hour)
	require.Equal(t, core.OutcomeSent, b.sender.Send(t.Context(), expired)[0].Outcome)
}

// receiver is a receipt endpoint as pushd would serve it.
type receiver struct {
	creds huawei.Credentials
	mu    sync.Mutex
	got   []core.VendorReceipt
	errs  []error
}

func (h *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rs, err := huawei.ParseReceipts(r.Header, body, h.creds.ReceiptUserName, h.creds.ReceiptKey, time.Now())
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		h.errs = append(h.errs, err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	h.got = append(h.got, rs...)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(huawei.ReceiptResponse())
}

func TestReceipts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		fakeKey  string
		status   int
		receipts int
	}{
		{"good signature", "", http.StatusOK, 150},
		{"bad signature", providertest.HuaweiReceiptKey(), http.StatusUnauthorized, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			key := providertest.HuaweiReceiptKey()
			rcv := &receiver{}
			srv := httptest.NewServer(rcv)
			t.Cleanup(srv.Close)
			signKey := key
			if tc.fakeKey != "" {
				signKey = tc.fakeKey // Huawei signs with another key than pushd has
			}
			b := setup(t, providertest.HuaweiOptions{ReceiptURL: srv.URL, ReceiptUserName: "pushd", ReceiptKey: signKey}, nil)
			rcv.creds = huawei.Credentials(b.fake.Credentials())
			rcv.creds.ReceiptKey = key
			_, err := huawei.Check(rcv.creds)
			require.NoError(t, err)
			b.fake.SetHuaweiToken("tok7", providertest.HuaweiTokenState{ReceiptStatus: 5})
			b.fake.SetHuaweiToken("tok8", providertest.HuaweiTokenState{Illegal: true})

			rs := b.sender.Send(t.Context(), msgs("job_r", "tok", 151, alert))
			require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 150, core.OutcomeTokenDead: 1}, providertest.Outcomes(rs))
			posts, err := b.fake.WaitReceipts(t.Context(), 2)
			require.NoError(t, err)
			require.Len(t, posts, 2)
			for _, p := range posts {
				require.Equal(t, tc.status, p.Status)
			}
			rcv.mu.Lock()
			defer rcv.mu.Unlock()
			require.Len(t, rcv.got, tc.receipts)
			if tc.receipts == 0 {
				require.Len(t, rcv.errs, 2)
				pe, ok := core.AsError(rcv.errs[0])
				require.True(t, ok)
				require.Equal(t, core.CodeUnauthenticated, pe.Code)
				return
			}
			require.Empty(t, rcv.errs)
			byToken := map[string]core.VendorReceipt{}
			for _, r := range rcv.got {
				require.Equal(t, nodeid.ID("job_r"), r.JobID)
				byToken[r.Token] = r
			}
			require.Equal(t, core.ReceiptArrived, byToken["tok0"].Event)
			require.Equal(t, core.ReceiptTokenDead, byToken["tok7"].Event)
			require.Equal(t, "Huawei receipt 5: token not valid on the device", byToken["tok7"].Reason)
			require.NotContains(t, byToken, "tok8")
		})
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	ok := huawei.Credentials{AppID: "104523687", ClientSecret: "0f3c9a4e5b6d7e8f"}
	sum, err := huawei.Check(ok)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"appID": "104523687", "receipts": false}, sum)
	withReceipts := ok
	withReceipts.ReceiptUserName, withReceipts.ReceiptKey = "u", "k"
	sum, err = huawei.Check(withReceipts)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"appID": "104523687", "receipts": true}, sum)

	for _, tc := range []struct {
		edit  func(*huawei.Credentials)
		field string
	}{
		{func(c *huawei.Credentials) { c.AppID = "" }, "huawei.appID"},
		{func(c *huawei.Credentials) { c.AppID = "com.example.app" }, "huawei.appID"},
		{func(c *huawei.Credentials) { c.AppID = strings.Repeat("1", 21) }, "huawei.appID"},
		{func(c *huawei.Credentials) { c.ClientSecret = "" }, "huawei.clientSecret"},
		{func(c *huawei.Credentials) { c.ClientSecret = "has space" }, "huawei.clientSecret"},
		{func(c *huawei.Credentials) { c.ReceiptUserName = "u" }, "huawei.receiptKey"},
		{func(c *huawei.Credentials) { c.ReceiptKey = "k" }, "huawei.receiptUserName"},
	} {
		c := ok
		tc.edit(&c)
		sum, err := huawei.Check(c)
		require.Nil(t, sum)
		pe, isErr := core.AsError(err)
		require.True(t, isErr, tc.field)
		require.Equal(t, core.CodeInvalidArgument, pe.Code)
		require.Equal(t, tc.field, pe.Field)
		if c.ClientSecret != "" {
			require.NotContains(t, pe.Message, c.ClientSecret, "never echo the secret")
		}

		_, err = huawei.New(c, channel.Options{})
		require.Error(t, err)
	}
}
