// Package vivo sends through vivo Push (vivo and iQOO phones): an
// authToken bought with an MD5 signature of the app's ID, key and secret
// and a timestamp, kept for its 24 hours; one message per /message/send,
// or, for messages that share their content, the content saved once
// (/message/saveListPayload) and sent to up to 1,000 regIds at a time
// (/message/pushToList). vivo classifies messages: operational ones are
// held for its daytime window, and a spent daily quota pauses the
// credential until midnight in Beijing.
package vivo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// DefaultURL is vivo's one host.
const DefaultURL = "https://api-push.vivo.com.cn"

// vivo's send APIs.
const (
	SendPath = "/message/send"
	SavePath = "/message/saveListPayload"
	ListPath = "/message/pushToList"
)

// MaxList is the most regIds of one pushToList; a list has at least 2.
const MaxList = 1000

const (
	contentType = "application/json;charset=UTF-8"
	// maxAnswer bounds the answer read from vivo.
	maxAnswer = 1 << 20
)

// Check validates credentials as they are saved and returns their
// summary: the app ID and key (never the secret).
func Check(c Credentials) (map[string]any, error) {
	if c.AppID == "" || strings.Trim(c.AppID, "0123456789") != "" || len(c.AppID) > 18 {
		return nil, core.Invalid("vivo.appID", "must be vivo's numeric AppID")
	}
	for _, f := range []struct{ name, v string }{{"appKey", c.AppKey}, {"appSecret", c.AppSecret}} {
		switch {
		case strings.TrimSpace(f.v) == "":
			return nil, core.Invalid("vivo."+f.name, "is required")
		case strings.IndexFunc(f.v, unicode.IsSpace) >= 0:
			return nil, core.Invalid("vivo."+f.name, "must not contain whitespace")
		case len(f.v) > 128:
			return nil, core.Invalid("vivo."+f.name, "is longer than 128 characters")
		}
	}
	return map[string]any{"appID": c.AppID, "appKey": c.AppKey}, nil
}

// Sender sends the messages of one vivo app. It is safe for concurrent
// use.
type Sender struct {
	appID, appKey, secret string
	base                  string
	o                     channel.Options
	tokens                *channel.TokenCache

	mu sync.Mutex
	// pausedUntil: vivo said the day's send volume is spent (10070), and
	// asks senders not to call again that day; listsPausedUntil: the same
	// for list messages (10252), whose messages go one by one meanwhile.
	pausedUntil, listsPausedUntil time.Time
}

// New returns the sender of one stored credential. Its endpoint is "url".
func New(c Credentials, o channel.Options) (*Sender, error) {
	if _, err := Check(c); err != nil {
		return nil, err
	}
	o = o.Defaults()
	s := &Sender{appID: c.AppID, appKey: c.AppKey, secret: c.AppSecret, o: o, base: DefaultURL}
	if u := o.Endpoints["url"]; u != "" {
		s.base = strings.TrimRight(u, "/")
	}
	s.tokens = &channel.TokenCache{Clock: o.Clock, Fetch: s.fetchToken}
	return s, nil
}

// request is one call to vivo: a single send (one message) or a list
// send (the shared content and its messages' regIds). msgs are the
// messages of a list, for sending them one by one when vivo takes no more
// lists.
type request struct {
	single *Payload
	list   *Payload
	msgs   []core.Outgoing
	regids []string
	idx    []int
}

// Send sends msgs, o.Concurrency requests at once, and returns one result
// per message, in order.
func (s *Sender) Send(ctx context.Context, msgs []core.Outgoing) []core.Result {
	res := channel.NotSent("vivo", len(msgs))
	defer func() {
		if r := recover(); r != nil {
			s.o.Logger.ErrorContext(ctx, "vivo: send panicked", "panic", r)
		}
	}()
	if wait := s.paused(&s.pausedUntil); wait > 0 {
		for i := range res {
			res[i] = core.Result{Outcome: core.OutcomeRetry, RetryAfter: wait, Reason: "vivo: " + codeWords[codeDailyQuota] + "; paused until midnight in Beijing"}
		}
		return res
	}
	reqs := s.plan(msgs, res)
	channel.EachRequest(ctx, s.o.Logger, "vivo", len(reqs), s.o.Concurrency, func(i int) { s.do(ctx, reqs[i], res) })
	return res
}

// paused returns how long the pause in *until has left.
func (s *Sender) paused(until *time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return until.Sub(s.o.Clock())
}

// pause pauses *until to the next midnight in Beijing.
func (s *Sender) pause(until *time.Time) {
	now := s.o.Clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	*until = now.Add(channel.UntilBeijingMidnight(now))
}

// plan builds every message, settles those that cannot go to vivo now and
// groups the others: messages whose content is the same go as lists of up
// to MaxList, the rest one by one.
func (s *Sender) plan(msgs []core.Outgoing, res []core.Result) []request {
	now := s.o.Clock()
	lists := s.paused(&s.listsPausedUntil) <= 0
	night := UntilDaytime(now)
	groups := map[string]*request{}
	var order []string
	for i, m := range msgs {
		if m.Token == "" || strings.ContainsAny(m.Token, " \t\r\n;,") {
			res[i] = core.Result{Outcome: core.OutcomeTokenDead, Reason: "vivo: malformed regId"}
			continue
		}
		p, why := Build(m, s.appID, true, now)
		if why != "" {
			res[i] = core.Result{Outcome: core.OutcomeFailed, Reason: why}
			continue
		}
		if p.Operational() && night > 0 {
			res[i] = core.Result{Outcome: core.OutcomeRetry, RetryAfter: night,
				Reason: "vivo: operational messages are delivered from 07:00 to 23:00 Beijing time; held until then"}
			continue
		}
		key, _ := json.Marshal(p)
		g := groups[string(key)]
		if g == nil {
			g = &request{list: &p}
			groups[string(key)] = g
			order = append(order, string(key))
		}
		g.msgs, g.idx = append(g.msgs, m), append(g.idx, i)
	}
	var out []request
	for _, k := range order {
		g := groups[k]
		for start := 0; start < len(g.idx); start += MaxList {
			end := min(start+MaxList, len(g.idx))
			q := request{list: g.list, msgs: g.msgs[start:end], idx: g.idx[start:end]}
			if end-start >= 2 && lists {
				for _, m := range q.msgs {
					q.regids = append(q.regids, m.Token)
				}
				out = append(out, q)
				continue
			}
			out = append(out, s.oneByOne(q, res)...)
		}
	}
	return out
}

// oneByOne splits a list into single sends, settling a message whose
// single form is over vivo's limits.
func (s *Sender) oneByOne(q request, res []core.Result) []request {
	out := make([]request, 0, len(q.msgs))
	for k, m := range q.msgs {
		p, why := Single(*q.list, m)
		if why != "" {
			res[q.idx[k]] = core.Result{Outcome: core.OutcomeFailed, Reason: why}
			continue
		}
		out = append(out, request{single: &p, regids: []string{p.RegID}, idx: []int{q.idx[k]}})
	}
	return out
}

// do sends one request and records its results.
func (s *Sender) do(ctx context.Context, q request, res []core.Result) {
	if err := s.o.Wait(ctx, len(q.idx)); err != nil {
		for _, i := range q.idx {
			res[i] = core.Result{Outcome: core.OutcomeRetry, Reason: "vivo: not sent: " + err.Error()}
		}
		return
	}
	s.send(ctx, q, res)
}

// send makes one request, paced already, and records its results.
func (s *Sender) send(ctx context.Context, q request, res []core.Result) {
	var a Answer
	if q.single != nil {
		a = s.call(ctx, SendPath, q.single, q.regids)
	} else {
		a = s.sendList(ctx, q)
	}
	switch a.Code {
	case codeDailyQuota:
		s.pause(&s.pausedUntil)
	case codeListQuota:
		// Lists are spent for the day, single sends are not: this list's
		// messages go one by one now.
		s.pause(&s.listsPausedUntil)
		for _, one := range s.oneByOne(q, res) {
			s.send(ctx, one, res)
		}
		return
	}
	if a.Each == nil {
		s.o.Logger.WarnContext(ctx, "vivo: send refused", "messages", len(q.idx), "reason", a.Result.Reason)
		for _, i := range q.idx {
			res[i] = a.Result
		}
		return
	}
	for k, i := range q.idx {
		res[i] = a.Each[k]
	}
}

// sendList saves a list's content and sends it to the list's regIds. The
// requestIds, vivo's de-duplication keys, are derived from the messages,
// so a retry of the same list is the same request.
func (s *Sender) sendList(ctx context.Context, q request) Answer {
	body := *q.list
	body.RequestID = listRequestID("save", q.msgs)
	saved := s.call(ctx, SavePath, &body, nil)
	if saved.Code != codeOK {
		return saved
	}
	push := struct {
		AppID     json.Number `json:"appId"`
		RegIDs    []string    `json:"regIds"`
		TaskID    string      `json:"taskId"`
		RequestID string      `json:"requestId"`
	}{json.Number(s.appID), q.regids, saved.TaskID, listRequestID("push", q.msgs)}
	return s.call(ctx, ListPath, &push, q.regids)
}

// listRequestID is a requestId of at most 64 characters, the same for the
// same step, deliveries and regIds. It leaves the content out: the content
// of a retry differs (its TTL is what is left), and a retry must be the
// same request.
func listRequestID(step string, msgs []core.Outgoing) string {
	h := sha256.New()
	for _, m := range msgs {
		h.Write([]byte(m.DeliveryID))
		h.Write([]byte{0})
		h.Write([]byte(m.Token))
		h.Write([]byte{0})
	}
	return step + "-" + hex.EncodeToString(h.Sum(nil))[:48]
}

// call posts body to path with an authToken, once more with a new one when
// vivo refuses the token, and classifies the answer.
func (s *Sender) call(ctx context.Context, path string, body any, regids []string) Answer {
	raw, err := json.Marshal(body)
	if err != nil {
		return Answer{Code: noCode, Result: core.Result{Outcome: core.OutcomeFailed, Reason: "vivo: the message cannot be encoded: " + err.Error()}}
	}
	var a Answer
	for try := 0; try < 2; try++ {
		tok, err := s.tokens.Get(ctx)
		if err != nil {
			return Answer{Code: noCode, Result: channel.TokenFailure("vivo", err)}
		}
		a = s.post(ctx, path, tok, raw, regids)
		if a.Code != codeAuthFailed {
			break
		}
		s.tokens.Invalidate(tok)
	}
	return a
}

// post sends one request.
func (s *Sender) post(ctx context.Context, path, tok string, body []byte, regids []string) Answer {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+path, bytes.NewReader(body))
	if err != nil {
		return Answer{Code: noCode, Result: core.Result{Outcome: core.OutcomeConfigError, Reason: "vivo: bad endpoint: " + err.Error()}}
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("authToken", tok)
	resp, err := s.o.HTTPClient.Do(req)
	if err != nil {
		return Answer{Code: noCode, Result: core.Result{Outcome: core.OutcomeRetry, Reason: "vivo: " + egress.Describe(err)}}
	}
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	_ = resp.Body.Close()
	if err != nil {
		return Answer{Code: noCode, Result: core.Result{Outcome: core.OutcomeRetry, Reason: "vivo: reading the answer: " + egress.Describe(err)}}
	}
	return Classify(resp.StatusCode, resp.Header, answer, regids, s.o.Clock())
}
