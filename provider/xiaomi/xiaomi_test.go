package xiaomi

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/provider/providertest"
	"github.com/pushd/pushd/push/core"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	rows := []struct {
		name  string
		creds Credentials
		field string
	}{
		{"ok", Credentials{AppSecret: "CXHodE6CbA+PKG1lEMgzvQ==", PackageName: "com.example.app"}, ""},
		{"ok underscores", Credentials{AppSecret: "CXHodE6CbA+PKG1lEMgzvQ==", PackageName: "com.example_co.my_app2"}, ""},
		{"no secret", Credentials{PackageName: "com.example.app"}, "xiaomi.appSecret"},
		{"blank secret", Credentials{AppSecret: "  ", PackageName: "com.example.app"}, "xiaomi.appSecret"},
		{"secret with space", Credentials{AppSecret: "abc def", PackageName: "com.example.app"}, "xiaomi.appSecret"},
		{"secret with newline", Credentials{AppSecret: "abc\n", PackageName: "com.example.app"}, "xiaomi.appSecret"},
		{"no package", Credentials{AppSecret: "CXHodE6CbA+PKG1lEMgzvQ=="}, "xiaomi.packageName"},
		{"one segment", Credentials{AppSecret: "CXHodE6CbA+PKG1lEMgzvQ==", PackageName: "example"}, "xiaomi.packageName"},
		{"digit segment", Credentials{AppSecret: "CXHodE6CbA+PKG1lEMgzvQ==", PackageName: "com.1example.app"}, "xiaomi.packageName"},
		{"dash", Credentials{AppSecret: "CXHodE6CbA+PKG1lEMgzvQ==", PackageName: "com.my-app.x"}, "xiaomi.packageName"},
		{"trailing dot", Credentials{AppSecret: "CXHodE6CbA+PKG1lEMgzvQ==", PackageName: "com.example."}, "xiaomi.packageName"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			sum, err := Check(r.creds)
			if r.field == "" {
				require.NoError(t, err)
				require.Equal(t, map[string]any{"packageName": r.creds.PackageName}, sum)
				_, err = New(r.creds, channel.Options{})
				require.NoError(t, err)
				return
			}
			e, ok := core.AsError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, core.CodeInvalidArgument, e.Code)
			require.Equal(t, r.field, e.Field)
			if secret := strings.TrimSpace(r.creds.AppSecret); secret != "" {
				require.NotContains(t, e.Error(), secret) // the secret never shows
			}
			_, err = New(r.creds, channel.Options{})
			require.Error(t, err)
		})
	}
}

// env is a sender pointed at a fresh fake.
type env struct {
	fake *providertest.XiaomiFake
	s    *Sender
}

func setup(t *testing.T, fo providertest.XiaomiOptions, opt func(*channel.Options)) env {
	t.Helper()
	fake, err := providertest.StartXiaomi(fo)
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	o := channel.Options{BaseURL: fake.URL, RootCAs: pool, Concurrency: 4, Egress: providertest.Egress()}
	if opt != nil {
		opt(&o)
	}
	s, err := New(Credentials(fake.Credentials()), o)
	require.NoError(t, err)
	return env{fake: fake, s: s}
}

// batch returns n messages of one job to regids prefix-00000, ...
func batch(n int, job, prefix string) []core.Outgoing {
	out := make([]core.Outgoing, n)
	exp := time.Now().Add(time.Hour)
	for i := range out {
		out[i] = core.Outgoing{
			DeliveryID: nodeid.New("del"), DeviceID: nodeid.New("dev"), JobID: nodeid.ID(job),
			Token:     fmt.Sprintf("%s-%05d", prefix, i),
			Message:   jsontype.Message{Title: "Hello", Body: "World", Payload: map[string]any{"k": "v"}},
			ExpiresAt: exp,
		}
	}
	return out
}

func TestSendBatchesOfAThousand(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.XiaomiOptions{}, nil)
	msgs := batch(2500, "job_batch", "r")
	res := e.s.Send(t.Context(), msgs)
	require.Len(t, res, 2500)
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 2500}, providertest.Outcomes(res))

	sends := e.fake.Sends.All()
	require.Len(t, sends, 3)
	sizes := map[int]int{}
	seen := map[string]bool{}
	for _, s := range sends {
		require.Equal(t, "/v3/message/regid", s.Path)
		require.Equal(t, 0, s.Code)
		sizes[len(s.RegIDs)]++
		for _, r := range s.RegIDs {
			seen[r] = true
		}
		require.Equal(t, "com.example.pushd", s.Form.Get("restricted_package_name"))
		require.Equal(t, `{"k":"v","pushd":{"job":"job_batch"}}`, s.Form.Get("payload"))
		require.Equal(t, "Hello", s.Form.Get("title"))
		require.Equal(t, JobKey("job_batch"), s.Form.Get("extra.jobkey"))
		require.Empty(t, s.Form.Get("extra.callback"))
	}
	require.Equal(t, map[int]int{1000: 2, 500: 1}, sizes)
	require.Len(t, seen, 2500)
}

func TestSendGroupsAndOrder(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.XiaomiOptions{}, nil)
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	mk := func(job, token string, m jsontype.Message, exp time.Time) core.Outgoing {
		return core.Outgoing{DeliveryID: nodeid.New("del"), JobID: nodeid.ID(job), Token: token, Message: m, ExpiresAt: exp}
	}
	a := jsontype.Message{Title: "A", Body: "a"}
	b := jsontype.Message{Title: "B", Body: "b"}
	msgs := []core.Outgoing{
		mk("job_1", "r1", a, exp),
		mk("job_2", "r2", a, exp),
		mk("job_1", "r3", a, exp.Add(300*time.Millisecond)), // same second: same request
		mk("job_1", "r4", b, exp),
		mk("job_1", "r5", a, exp.Add(time.Minute)),
		mk("job_1", "r6", jsontype.Message{Silent: true, Payload: map[string]any{"x": 1}}, exp),
		mk("job_1", "r7", jsontype.Message{}, exp),                                        // nothing to show
		mk("job_1", "bad,regid", a, exp),                                                  // malformed
		mk("job_1", "r9", jsontype.Message{Payload: map[string]any{"f": func() {}}}, exp), // cannot encode
		mk("job_1", "r1", a, exp),                                                         // the same regid twice in a group: sent once
	}
	res := e.s.Send(t.Context(), msgs)
	require.Len(t, res, len(msgs))
	for i, want := range []core.Outcome{
		core.OutcomeSent, core.OutcomeSent, core.OutcomeSent, core.OutcomeSent, core.OutcomeSent, core.OutcomeSent,
		core.OutcomeFailed, core.OutcomeTokenDead, core.OutcomeFailed, core.OutcomeSent,
	} {
		require.Equal(t, want, res[i].Outcome, "message %d: %s", i, res[i].Reason)
	}
	require.Equal(t, "Xiaomi: a notification needs a title or a body", res[6].Reason)
	require.Equal(t, "Xiaomi: malformed regid", res[7].Reason)

	byRegIDs := map[string]providertest.XiaomiSend{}
	for _, s := range e.fake.Sends.All() {
		byRegIDs[strings.Join(s.RegIDs, ",")] = s
	}
	require.Len(t, byRegIDs, 5)
	require.Contains(t, byRegIDs, "r1,r3")
	require.Contains(t, byRegIDs, "r2")
	require.Contains(t, byRegIDs, "r4")
	require.Contains(t, byRegIDs, "r5")
	require.Contains(t, byRegIDs, "r6")
	// One delivery in a request: its ID travels too.
	require.Equal(t, fmt.Sprintf(`{"pushd":{"id":%q,"job":"job_2"}}`, msgs[1].DeliveryID), byRegIDs["r2"].Form.Get("payload"))
	require.Equal(t, `{"pushd":{"job":"job_1"}}`, byRegIDs["r1,r3"].Form.Get("payload"))
	require.Equal(t, "1", byRegIDs["r6"].Form.Get("pass_through"))
	require.Empty(t, byRegIDs["r6"].Form.Get("title"))
	require.Equal(t, "B", byRegIDs["r4"].Form.Get("title"))
}

func TestSendBadRegIDs(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.XiaomiOptions{}, nil)
	msgs := batch(1500, "job_dead", "r")
	dead := map[string]bool{"r-00003": true, "r-00999": true, "r-01400": true}
	for r := range dead {
		e.fake.SetXiaomiRegID(r, providertest.XiaomiRegDead)
	}
	res := e.s.Send(t.Context(), msgs)
	for i, m := range msgs {
		if dead[m.Token] {
			require.Equal(t, core.Result{Outcome: core.OutcomeTokenDead, Reason: "Xiaomi: invalid regid (data.bad_regids)"}, res[i])
		} else {
			require.Equal(t, core.OutcomeSent, res[i].Outcome, m.Token)
		}
	}
}

func TestSendFaults(t *testing.T) {
	t.Parallel()
	rows := []struct {
		name    string
		fault   providertest.XiaomiFault
		outcome core.Outcome
		reason  string
		after   time.Duration // at least
	}{
		{"quota", providertest.XiaomiFault{Code: 200001}, core.OutcomeRetry, "Xiaomi: 200001 daily quota used up", time.Second},
		{"too frequent", providertest.XiaomiFault{Code: 10027}, core.OutcomeRetry, "Xiaomi: 10027 API called too frequently", 0},
		{"busy", providertest.XiaomiFault{Code: 10002}, core.OutcomeRetry, "Xiaomi: 10002 service busy", 0},
		{"internal", providertest.XiaomiFault{Code: 1}, core.OutcomeRetry, "Xiaomi: 1 internal error", 0},
		{"unknown", providertest.XiaomiFault{Code: -1}, core.OutcomeRetry, "Xiaomi: -1 unknown error", 0},
		{"send failed", providertest.XiaomiFault{Code: 20301}, core.OutcomeRetry, "Xiaomi: 20301 sending the message failed", 0},
		{"remote", providertest.XiaomiFault{Code: 65029}, core.OutcomeRetry, "Xiaomi: 65029 remote service exception", 0},
		{"expired request", providertest.XiaomiFault{Code: 10037}, core.OutcomeRetry, "Xiaomi: 10037 request expired", 0},
		{"broadcast too often", providertest.XiaomiFault{Code: 26004}, core.OutcomeRetry, "Xiaomi: 26004 broadcasts sent too frequently", 0},
		{"503 with Retry-After", providertest.XiaomiFault{Status: 503, RetryAfter: 42 * time.Second}, core.OutcomeRetry, "Xiaomi: HTTP 503 Service Unavailable", 42 * time.Second},
		{"502", providertest.XiaomiFault{Status: 502}, core.OutcomeRetry, "Xiaomi: HTTP 502 Bad Gateway", 0},
		{"500 with code", providertest.XiaomiFault{Status: 500, Code: 10001}, core.OutcomeRetry, "Xiaomi: 10001 system error", 0},
		{"illegal device", providertest.XiaomiFault{Code: 10029}, core.OutcomeTokenDead, "Xiaomi: 10029 illegal device", 0},
		{"bad secret", providertest.XiaomiFault{Code: 21301}, core.OutcomeConfigError, "Xiaomi: 21301 invalid AppSecret", 0},
		{"token auth", providertest.XiaomiFault{Code: 21302}, core.OutcomeConfigError, "Xiaomi: 21302 token authentication failed", 0},
		{"restricted", providertest.XiaomiFault{Code: 21303}, core.OutcomeConfigError, "Xiaomi: 21303 restricted request", 0},
		{"illegal app", providertest.XiaomiFault{Code: 22000}, core.OutcomeConfigError, "Xiaomi: 22000 illegal application", 0},
		{"illegal app id", providertest.XiaomiFault{Code: 22006}, core.OutcomeConfigError, "Xiaomi: 22006 illegal app ID", 0},
		{"illegal app key", providertest.XiaomiFault{Code: 22007}, core.OutcomeConfigError, "Xiaomi: 22007 illegal app key", 0},
		{"package", providertest.XiaomiFault{Code: 22022}, core.OutcomeConfigError, "Xiaomi: 22022 invalid package name", 0},
		{"blacklisted", providertest.XiaomiFault{Code: 10031}, core.OutcomeConfigError, "Xiaomi: 10031 the app is blacklisted", 0},
		{"forbidden", providertest.XiaomiFault{Code: 10036}, core.OutcomeConfigError, "Xiaomi: 10036 app operation forbidden", 0},
		{"review", providertest.XiaomiFault{Code: 26006}, core.OutcomeConfigError, "Xiaomi: 26006 sending requires review", 0},
		{"channel mismatch without channel id", providertest.XiaomiFault{Code: 27001}, core.OutcomeConfigError, "Xiaomi: 27001 channel information mismatch", 0},
		{"parameter", providertest.XiaomiFault{Code: 10008}, core.OutcomeFailed, "Xiaomi: 10008 parameter error", 0},
		{"illegal request", providertest.XiaomiFault{Code: 10012}, core.OutcomeFailed, "Xiaomi: 10012 illegal request", 0},
		{"missing", providertest.XiaomiFault{Code: 10016}, core.OutcomeFailed, "Xiaomi: 10016 a required parameter is missing", 0},
		{"illegal value", providertest.XiaomiFault{Code: 10017}, core.OutcomeFailed, "Xiaomi: 10017 illegal parameter value", 0},
		{"no target", providertest.XiaomiFault{Code: 21305}, core.OutcomeFailed, "Xiaomi: 21305 no target (regid, topic, alias, ...)", 0},
		{"too long", providertest.XiaomiFault{Code: 65009}, core.OutcomeFailed, "Xiaomi: 65009 message content too long", 0},
		{"not provided", providertest.XiaomiFault{Code: 65011}, core.OutcomeFailed, "Xiaomi: 65011 a parameter was not provided", 0},
		{"pairs", providertest.XiaomiFault{Code: 65014}, core.OutcomeFailed, "Xiaomi: 65014 too many key/value pairs", 0},
		{"pair length", providertest.XiaomiFault{Code: 65015}, core.OutcomeFailed, "Xiaomi: 65015 key/value pairs too long in total", 0},
		{"callback param", providertest.XiaomiFault{Code: 65036}, core.OutcomeFailed, "Xiaomi: 65036 callback parameter too long", 0},
		{"callback url length", providertest.XiaomiFault{Code: 65037}, core.OutcomeFailed, "Xiaomi: 65037 callback URL too long", 0},
		{"callback url", providertest.XiaomiFault{Code: 65038}, core.OutcomeFailed, "Xiaomi: 65038 illegal callback URL", 0},
		{"custom words", providertest.XiaomiFault{Code: 12345, Reason: "Something new."}, core.OutcomeFailed, "Xiaomi: 12345 the message was refused", 0},
	}
	e := setup(t, providertest.XiaomiOptions{}, nil)
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			// One fake, one request at a time: FailNext hits this row's send.
			e.fake.FailNext(1, r.fault)
			res := e.s.Send(t.Context(), batch(3, "job_fault", "r"))
			for _, got := range res {
				require.Equal(t, r.outcome, got.Outcome, got.Reason)
				require.Equal(t, r.reason, got.Reason)
				require.GreaterOrEqual(t, got.RetryAfter, r.after)
			}
			// The next send goes through.
			require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 2}, providertest.Outcomes(e.s.Send(t.Context(), batch(2, "job_fault", "ok"))))
		})
	}
}

func TestSendRefusedByTheFake(t *testing.T) {
	t.Parallel()
	t.Run("wrong secret", func(t *testing.T) {
		t.Parallel()
		e := setup(t, providertest.XiaomiOptions{}, nil)
		creds := Credentials(e.fake.Credentials())
		creds.AppSecret = "wrong"
		s, err := New(creds, e.s.o)
		require.NoError(t, err)
		for _, r := range s.Send(t.Context(), batch(2, "job_x", "r")) {
			require.Equal(t, core.Result{Outcome: core.OutcomeConfigError, Reason: "Xiaomi: 21301 invalid AppSecret"}, r)
		}
	})
	t.Run("wrong package", func(t *testing.T) {
		t.Parallel()
		e := setup(t, providertest.XiaomiOptions{}, nil)
		creds := Credentials(e.fake.Credentials())
		creds.PackageName = "com.example.other"
		s, err := New(creds, e.s.o)
		require.NoError(t, err)
		for _, r := range s.Send(t.Context(), batch(2, "job_x", "r")) {
			require.Equal(t, core.OutcomeConfigError, r.Outcome)
			require.Contains(t, r.Reason, "Xiaomi: 22022 invalid package name")
		}
	})
	t.Run("unknown channel id", func(t *testing.T) {
		t.Parallel()
		e := setup(t, providertest.XiaomiOptions{ChannelIDs: []string{"im"}}, nil)
		msgs := batch(2, "job_x", "r")
		msgs[1].Message.AndroidChannelID = "marketing"
		res := e.s.Send(t.Context(), msgs)
		require.Equal(t, core.OutcomeSent, res[0].Outcome)
		// The message's own channel ID is at fault: only it fails.
		require.Equal(t, core.OutcomeFailed, res[1].Outcome)
		require.Contains(t, res[1].Reason, "Xiaomi: 27001 channel information mismatch")
	})
	t.Run("callback param too long", func(t *testing.T) {
		t.Parallel()
		e := setup(t, providertest.XiaomiOptions{}, func(o *channel.Options) {
			o.CallbackURL = "https://pushd.example.com/cb"
			o.CallbackParam = func(job string) string { return strings.Repeat("p", 65) }
		})
		for _, r := range e.s.Send(t.Context(), batch(2, "job_x", "r")) {
			require.Equal(t, core.OutcomeFailed, r.Outcome)
			require.Contains(t, r.Reason, "Xiaomi: 65036 callback parameter too long")
		}
	})
}

func TestSendConnectionReset(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.XiaomiOptions{}, nil)
	e.fake.ResetNext(1)
	res := e.s.Send(t.Context(), batch(3, "job_reset", "r"))
	for _, r := range res {
		require.Equal(t, core.OutcomeRetry, r.Outcome)
		require.True(t, strings.HasPrefix(r.Reason, "Xiaomi: "), r.Reason)
		require.NotContains(t, r.Reason, e.fake.URL)
	}
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 3}, providertest.Outcomes(e.s.Send(t.Context(), batch(3, "job_reset", "r"))))
}

func TestSendPacing(t *testing.T) {
	t.Parallel()
	t.Run("takes one token per regid", func(t *testing.T) {
		t.Parallel()
		now := time.Now()
		lim := rate.NewLimiter(rate.Every(time.Hour), 3000)
		lim.AllowN(now, 0) // anchor the bucket: full at now
		e := setup(t, providertest.XiaomiOptions{}, func(o *channel.Options) { o.Pace = lim })
		res := e.s.Send(t.Context(), batch(2500, "job_pace", "r"))
		require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 2500}, providertest.Outcomes(res))
		// 2,500 of the 3,000 tokens are gone (plus at most one refilled).
		require.InDelta(t, 500, lim.TokensAt(now), 1)
	})
	t.Run("what the pace cannot allow is retried", func(t *testing.T) {
		t.Parallel()
		lim := rate.NewLimiter(rate.Every(time.Hour), 1000)
		e := setup(t, providertest.XiaomiOptions{}, func(o *channel.Options) { o.Pace = lim; o.Concurrency = 1 })
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		res := e.s.Send(ctx, batch(2500, "job_pace", "r"))
		// The burst lets 1,000 go; the rest would wait hours past the deadline.
		require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 1000, core.OutcomeRetry: 1500}, providertest.Outcomes(res))
		require.Equal(t, 1, e.fake.Sends.Len())
	})
}

func TestSendCanceled(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.XiaomiOptions{}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res := e.s.Send(ctx, batch(1200, "job_cancel", "r"))
	require.Equal(t, map[core.Outcome]int{core.OutcomeRetry: 1200}, providertest.Outcomes(res))
	require.Zero(t, e.fake.Sends.Len())
}

func TestSendConcurrentUse(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.XiaomiOptions{}, nil)
	e.fake.SetLatency(5 * time.Millisecond)
	var wg sync.WaitGroup
	results := make([][]core.Result, 8)
	for g := range results {
		wg.Go(func() {
			results[g] = e.s.Send(context.Background(), batch(1100, fmt.Sprintf("job_c%d", g), fmt.Sprintf("g%d", g)))
		})
	}
	wg.Wait()
	for _, res := range results {
		require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 1100}, providertest.Outcomes(res))
	}
	require.Equal(t, 16, e.fake.Sends.Len())
}

func TestReceiptsFromTheFake(t *testing.T) {
	t.Parallel()
	got := make(chan []core.VendorReceipt, 16)
	errs := make(chan error, 16)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			errs <- err
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rs, err := ParseReceipts(r.PostForm, testVerify, time.Now())
		if err != nil {
			errs <- err
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got <- rs
	}))
	t.Cleanup(cb.Close)
	e := setup(t, providertest.XiaomiOptions{}, func(o *channel.Options) {
		o.CallbackURL = cb.URL + "/vendor/v1/xiaomi/cfg_1/receipts"
		o.CallbackParam = func(job string) string { return job + ".sig" }
	})
	e.fake.SetXiaomiRegID("r-00001", providertest.XiaomiRegDead)
	msgs := batch(3, "job_receipts", "r")
	res := e.s.Send(t.Context(), msgs)
	require.Equal(t, []core.Outcome{core.OutcomeSent, core.OutcomeTokenDead, core.OutcomeSent},
		[]core.Outcome{res[0].Outcome, res[1].Outcome, res[2].Outcome})
	form := e.fake.Sends.All()[0].Form
	require.Equal(t, "job_receipts.sig", form.Get("extra.callback.param"))
	require.Equal(t, "19", form.Get("extra.callback.type"))

	byEvent := map[core.ReceiptEvent][]string{}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for len(byEvent[core.ReceiptArrived])+len(byEvent[core.ReceiptTokenDead]) < 3 {
		select {
		case rs := <-got:
			for _, r := range rs {
				require.Equal(t, nodeid.ID("job_receipts"), r.JobID)
				require.WithinDuration(t, time.Now(), r.At, time.Minute)
				byEvent[r.Event] = append(byEvent[r.Event], r.Token)
			}
		case err := <-errs:
			require.NoError(t, err)
		case <-ctx.Done():
			require.Fail(t, "no receipts", "got %v", byEvent)
		}
	}
	require.ElementsMatch(t, []string{"r-00000", "r-00002"}, byEvent[core.ReceiptArrived])
	require.Equal(t, []string{"r-00001"}, byEvent[core.ReceiptTokenDead])
	posts, err := e.fake.WaitReceipts(ctx, 2)
	require.NoError(t, err)
	for _, p := range posts {
		require.Equal(t, http.StatusOK, p.Status)
		require.Empty(t, p.Err)
	}
}

// Many requests of one Send go out side by side through a slow vendor:
// every message comes back sent, 1,000 regids per request.
func TestSendManyRequestsConcurrently(t *testing.T) {
	t.Parallel()
	e := setup(t, providertest.XiaomiOptions{}, func(o *channel.Options) { o.Concurrency = 32 })
	e.fake.SetLatency(20 * time.Millisecond)
	msgs := batch(20_000, "job_load", "r")
	for i := range msgs {
		msgs[i].Token = fmt.Sprintf("r-%06d", i)
	}
	res := e.s.Send(t.Context(), msgs)
	require.Equal(t, map[core.Outcome]int{core.OutcomeSent: 20_000}, providertest.Outcomes(res))
	require.Equal(t, 20, e.fake.Sends.Len())
}
