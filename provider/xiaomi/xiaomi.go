// Package xiaomi sends through Xiaomi Push (MiPush): form posts to
// /v3/message/regid authenticated by the app secret, up to 1,000 regids per
// request, with delivery receipts posted back to a callback URL.
package xiaomi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// DefaultURL is MiPush's mainland China host.
const DefaultURL = "https://api.xmpush.xiaomi.com"

// SendPath is the regid send API.
const SendPath = "/v3/message/regid"

// maxAnswer bounds the answer read from Xiaomi.
const maxAnswer = 1 << 20

var packageName = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$`)

// Check validates credentials as they are saved and returns their
// summary: the package name (never the secret).
func Check(c Credentials) (map[string]any, error) {
	switch {
	case strings.TrimSpace(c.AppSecret) == "":
		return nil, core.Invalid("xiaomi.appSecret", "is required")
	case strings.IndexFunc(c.AppSecret, unicode.IsSpace) >= 0:
		return nil, core.Invalid("xiaomi.appSecret", "must not contain whitespace")
	case !packageName.MatchString(c.PackageName):
		return nil, core.Invalid("xiaomi.packageName", "is not an Android package name (like com.example.app)")
	}
	return map[string]any{"packageName": c.PackageName}, nil
}

// Sender sends the messages of one MiPush app. It is safe for concurrent
// use.
type Sender struct {
	pkg      string
	auth     string
	endpoint string
	o        channel.Options
	cb       Callback
}

// New returns the sender of one stored credential.
func New(c Credentials, o channel.Options) (*Sender, error) {
	if _, err := Check(c); err != nil {
		return nil, err
	}
	o = o.Defaults()
	return &Sender{
		pkg:      c.PackageName,
		auth:     "key=" + c.AppSecret,
		endpoint: o.URL(DefaultURL) + SendPath,
		o:        o,
		cb:       Callback{URL: o.CallbackURL, Param: o.CallbackParam},
	}, nil
}

// request is one planned send: a form and the messages it answers for.
type request struct {
	form   string
	regids []string
	// idx lists, per regid, the indexes of the messages it answers for.
	idx        map[string][]int
	hasChannel bool
}

// Send sends msgs: messages that share the job, the message and the
// expiry (to the second) go together, up to 1,000 regids a request, with
// the requests of one call in flight at once up to o.Concurrency. It
// returns one result per message, in order.
func (s *Sender) Send(ctx context.Context, msgs []core.Outgoing) (res []core.Result) {
	res = channel.NotSent("Xiaomi", len(msgs))
	defer func() {
		if r := recover(); r != nil {
			s.o.Logger.ErrorContext(ctx, "xiaomi: send panicked", "panic", r)
		}
	}()
	now := s.o.Clock()
	reqs := s.plan(msgs, res, now)
	channel.EachRequest(ctx, s.o.Logger, "Xiaomi", len(reqs), s.o.Concurrency, func(i int) { s.do(ctx, reqs[i], res) })
	return res
}

// plan groups msgs into requests, and settles the messages that cannot
// be sent at all.
func (s *Sender) plan(msgs []core.Outgoing, res []core.Result, now time.Time) []request {
	type group struct {
		msgs []core.Outgoing
		idx  []int
	}
	var order []string
	groups := map[string]*group{}
	for i, m := range msgs {
		if reason := unsendable(m); reason != "" {
			res[i] = core.Result{Outcome: core.OutcomeFailed, Reason: reason}
			continue
		}
		if m.Token == "" || strings.ContainsAny(m.Token, ", \t\r\n") {
			res[i] = core.Result{Outcome: core.OutcomeTokenDead, Reason: "Xiaomi: malformed regid"}
			continue
		}
		content, err := json.Marshal(m.Message)
		if err != nil {
			res[i] = core.Result{Outcome: core.OutcomeFailed, Reason: "Xiaomi: the message cannot be encoded: " + err.Error()}
			continue
		}
		key := fmt.Sprintf("%s\x00%d\x00%s", m.JobID, m.ExpiresAt.Unix(), content)
		g := groups[key]
		if g == nil {
			g = &group{}
			groups[key] = g
			order = append(order, key)
		}
		g.msgs = append(g.msgs, m)
		g.idx = append(g.idx, i)
	}
	var reqs []request
	for _, key := range order {
		g := groups[key]
		// Chunks of at most MaxRegIDs distinct regids.
		start := 0
		for start < len(g.msgs) {
			seen := map[string][]int{}
			var regids []string
			end := start
			for ; end < len(g.msgs); end++ {
				t := g.msgs[end].Token
				if _, ok := seen[t]; !ok {
					if len(regids) == MaxRegIDs {
						break
					}
					regids = append(regids, t)
				}
				seen[t] = append(seen[t], g.idx[end])
			}
			chunk := g.msgs[start:end]
			form := Form(chunk, s.pkg, s.cb, now)
			reqs = append(reqs, request{
				form: form.Encode(), regids: regids, idx: seen,
				hasChannel: form.Get("extra.channel_id") != "",
			})
			start = end
		}
	}
	return reqs
}

// unsendable says why a message cannot go to Xiaomi at all, or "".
func unsendable(m core.Outgoing) string {
	if !m.Message.Silent && strings.TrimSpace(m.Message.Title) == "" && strings.TrimSpace(m.Message.Body) == "" {
		return "Xiaomi: a notification needs a title or a body"
	}
	return ""
}

// do sends one request and records its results.
func (s *Sender) do(ctx context.Context, r request, res []core.Result) {
	set := func(regid string, out core.Result) {
		for _, i := range r.idx[regid] {
			res[i] = out
		}
	}
	setAll := func(out core.Result) {
		for _, t := range r.regids {
			set(t, out)
		}
	}
	if err := s.o.Wait(ctx, len(r.regids)); err != nil {
		setAll(core.Result{Outcome: core.OutcomeRetry, Reason: "Xiaomi: not sent: " + err.Error()})
		return
	}
	if err := ctx.Err(); err != nil {
		setAll(core.Result{Outcome: core.OutcomeRetry, Reason: "Xiaomi: not sent: " + err.Error()})
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, strings.NewReader(r.form))
	if err != nil {
		setAll(core.Result{Outcome: core.OutcomeConfigError, Reason: "Xiaomi: bad endpoint: " + err.Error()})
		return
	}
	req.Header.Set("Authorization", s.auth)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := s.o.HTTPClient.Do(req)
	if err != nil {
		setAll(core.Result{Outcome: core.OutcomeRetry, Reason: "Xiaomi: " + networkError(err)})
		return
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	_ = resp.Body.Close()
	if err != nil {
		setAll(core.Result{Outcome: core.OutcomeRetry, Reason: "Xiaomi: reading the answer: " + networkError(err)})
		return
	}
	a := Classify(resp.StatusCode, resp.Header, body, s.o.Clock())
	if a.Code == 27001 && r.hasChannel {
		// The message's own channel ID is wrong, not the channel config.
		a.Result.Outcome = core.OutcomeFailed
	}
	if a.Result.Outcome != core.OutcomeSent {
		s.o.Logger.WarnContext(ctx, "xiaomi: send refused", "regids", len(r.regids), "reason", a.Result.Reason)
	}
	for _, t := range r.regids {
		set(t, a.For(t))
	}
}

// networkError describes a transport error in pushd's words (never
// quoting what the far end sent).
func networkError(err error) string {
	return egress.Describe(err)
}
