// Package meizu sends through Meizu Push (Meizu phones on Flyme): form
// requests signed with an MD5 over the sorted parameters and the app
// secret (no token), a notification to up to 100 pushIds per call
// (pushByPushId), a pass-through message where the app may send them.
// Send groups the messages that share a body (same job, content and
// expiry to the second). Meizu classifies by noticeMsgType: private
// (service) messages go through, public ones are capped per device and
// day; a spent daily quota pauses the credential until midnight in
// Beijing.
package meizu

import (
	"cmp"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// DefaultURL is Meizu's host (HTTPS only since 2025-04).
const DefaultURL = "https://server-api-push.meizu.com"

// Meizu's send APIs.
const (
	NotifyPath      = "/garcia/api/server/push/varnished/pushByPushId"
	PassThroughPath = "/garcia/api/server/push/unvarnished/pushByPushId"
)

// maxAnswer bounds how much of an answer is read.
const maxAnswer = 1 << 20

// Check validates credentials as they are saved and returns their
// summary: the App ID (never the secret).
func Check(c Credentials) (map[string]any, error) {
	if c.AppID == "" || strings.Trim(c.AppID, "0123456789") != "" || len(c.AppID) > 18 {
		return nil, core.Invalid("meizu.appID", "must be the numeric App ID from the Meizu push console")
	}
	switch s := c.AppSecret; {
	case strings.TrimSpace(s) == "":
		return nil, core.Invalid("meizu.appSecret", "is required")
	case strings.ContainsAny(s, " \t\r\n") || len(s) > 128:
		return nil, core.Invalid("meizu.appSecret", "must be the App Secret as the Meizu console shows it (no spaces, at most 128 characters)")
	}
	return map[string]any{"appID": c.AppID}, nil
}

// Sender sends the messages of one Meizu app. It is safe for concurrent
// use.
type Sender struct {
	appID, secret string
	base          string
	o             channel.Options

	mu sync.Mutex
	// pausedUntil: Meizu said the app's daily push count is spent
	// (110019): no call until midnight in Beijing.
	pausedUntil time.Time
}

// New returns the sender of one stored credential. Its endpoint is "url".
func New(c Credentials, o channel.Options) (*Sender, error) {
	if _, err := Check(c); err != nil {
		return nil, err
	}
	o = o.Defaults()
	o.BaseURL = cmp.Or(o.BaseURL, o.Endpoints["url"])
	return &Sender{appID: c.AppID, secret: c.AppSecret, o: o, base: o.URL(DefaultURL)}, nil
}

// request is one push call: its form and the messages it carries.
type request struct {
	idx     []int
	pushIDs []string
	path    string
	form    url.Values
}

// Send sends msgs and returns one result per message, in order.
func (s *Sender) Send(ctx context.Context, msgs []core.Outgoing) []core.Result {
	res := channel.NotSent("Meizu", len(msgs))
	if wait := s.paused(); wait > 0 {
		for i := range res {
			res[i] = core.Result{Outcome: core.OutcomeRetry, RetryAfter: wait, Reason: words("Meizu", codeDailyQuota, topWords) + "; paused until midnight in Beijing"}
		}
		return res
	}
	reqs := s.plan(msgs, res)
	channel.EachRequest(ctx, s.o.Logger, "Meizu", len(reqs), s.o.Concurrency, func(i int) { s.do(ctx, reqs[i], res) })
	return res
}

// paused returns how long the daily-quota pause has left.
func (s *Sender) paused() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pausedUntil.Sub(s.o.Clock())
}

// plan builds the calls of msgs: those that share a body go together, up
// to MaxTargets a call; a message that cannot go to Meizu gets its result
// here.
func (s *Sender) plan(msgs []core.Outgoing, res []core.Result) []request {
	now := s.o.Clock()
	cb := Callback{URL: s.o.CallbackURL, Param: s.o.CallbackParam}
	var reqs []request
	for _, idx := range channel.ShareBody("Meizu", msgs, MaxTargets, res) {
		batch := channel.Pick(msgs, idx)
		body, passThrough, why := Build(batch, cb, now)
		if why != "" {
			for _, i := range idx {
				res[i] = core.Result{Outcome: core.OutcomeFailed, Reason: why}
			}
			continue
		}
		q := request{idx: idx, path: NotifyPath, pushIDs: make([]string, len(batch))}
		if passThrough {
			q.path = PassThroughPath
		}
		for j, m := range batch {
			q.pushIDs[j] = m.Token
		}
		q.form = url.Values{"appId": {s.appID}, "pushIds": {strings.Join(q.pushIDs, ",")}, "messageJson": {string(body)}}
		q.form.Set("sign", Sign(q.form, s.secret))
		reqs = append(reqs, q)
	}
	return reqs
}

// do sends one call, paced, and records its results.
func (s *Sender) do(ctx context.Context, q request, res []core.Result) {
	all := func(r core.Result) {
		for _, i := range q.idx {
			res[i] = r
		}
	}
	if err := s.o.Wait(ctx, len(q.idx)); err != nil {
		all(core.Result{Outcome: core.OutcomeRetry, Reason: "Meizu: not sent: " + err.Error()})
		return
	}
	a, err := s.post(ctx, q)
	if err != nil {
		all(core.Result{Outcome: core.OutcomeRetry, Reason: "Meizu: not sent: " + egress.Describe(err)})
		return
	}
	switch a.Code {
	case codeDailyQuota:
		now := s.o.Clock()
		s.mu.Lock()
		s.pausedUntil = now.Add(channel.UntilBeijingMidnight(now))
		s.mu.Unlock()
	case codeNoPassThru:
		s.o.Logger.WarnContext(ctx, "meizu: the app may not send pass-through messages")
	}
	if a.Each[0].Outcome == core.OutcomeConfigError {
		s.o.Logger.WarnContext(ctx, "meizu: configuration refused", "reason", a.Each[0].Reason)
	}
	for k, i := range q.idx {
		res[i] = a.Each[k]
	}
}

// post makes one call and classifies its answer. An error is a call
// without an answer (or with a cut one): whether Meizu took it is
// unknown, and a duplicate is better than a loss.
func (s *Sender) post(ctx context.Context, q request) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+q.path, strings.NewReader(q.form.Encode()))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := s.o.HTTPClient.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return Answer{}, err
	}
	return Classify(resp.StatusCode, resp.Header, body, q.pushIDs, s.o.Clock()), nil
}
