// Package oppo sends through OPPO Push (HeyTap; OPPO, OnePlus and realme
// phones): an auth_token bought with a SHA-256 signature of the app key,
// a timestamp and the master secret, kept for its 24 hours; messages in
// unicast_batch requests of up to 1,000, each with its own notification;
// delivery receipts posted back to call_back_url as JSON arrays.
package oppo

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// OPPO's hosts: mainland China, and the one for registration IDs of
// devices elsewhere.
const (
	DefaultURL = "https://api.push.oppomobile.com"
	IntlURL    = "https://api-intl.push.oppomobile.com"
)

// BatchPath is the unicast_batch API.
const BatchPath = "/server/v1/message/notification/unicast_batch"

// maxAnswer bounds the answer read from OPPO (1,000 results).
const maxAnswer = 1 << 20

// Check validates credentials as they are saved and returns their
// summary: the app key and the channel ID (never the secret).
func Check(c Credentials) (map[string]any, error) {
	for _, f := range []struct{ name, v string }{{"appKey", c.AppKey}, {"masterSecret", c.MasterSecret}} {
		switch {
		case strings.TrimSpace(f.v) == "":
			return nil, core.Invalid("oppo."+f.name, "is required")
		case strings.IndexFunc(f.v, unicode.IsSpace) >= 0:
			return nil, core.Invalid("oppo."+f.name, "must not contain whitespace")
		case len(f.v) > 128:
			return nil, core.Invalid("oppo."+f.name, "is longer than 128 characters")
		}
	}
	if len(c.ChannelID) > 64 || strings.IndexFunc(c.ChannelID, unicode.IsSpace) >= 0 {
		return nil, core.Invalid("oppo.channelID", "must be at most 64 characters without whitespace")
	}
	sum := map[string]any{"appKey": c.AppKey}
	if c.ChannelID != "" {
		sum["channelID"] = c.ChannelID
	}
	return sum, nil
}

// Sender sends the messages of one OPPO app. It is safe for concurrent
// use.
type Sender struct {
	appKey, secret, channelID string
	o                         channel.Options
	cb                        Callback
	hosts                     map[bool]*host
}

// host is one of OPPO's two services, with the auth_token it issued.
type host struct {
	base   string
	tokens *channel.TokenCache
}

// New returns the sender of one stored credential. Its endpoints are
// "url" (mainland China) and "intl-url".
func New(c Credentials, o channel.Options) (*Sender, error) {
	if _, err := Check(c); err != nil {
		return nil, err
	}
	o = o.Defaults()
	s := &Sender{
		appKey: c.AppKey, secret: c.MasterSecret, channelID: c.ChannelID, o: o,
		cb: Callback{URL: o.CallbackURL, Param: o.CallbackParam},
	}
	cn := cmpURL(o.Endpoints["url"], DefaultURL)
	intl := cmpURL(o.Endpoints["intl-url"], IntlURL)
	s.hosts = map[bool]*host{true: s.newHost(cn), false: s.newHost(intl)}
	return s, nil
}

func (s *Sender) newHost(base string) *host {
	h := &host{base: base}
	h.tokens = &channel.TokenCache{Clock: s.o.Clock, Fetch: func(ctx context.Context) (string, time.Duration, error) {
		return s.fetchToken(ctx, h.base)
	}}
	return h
}

func cmpURL(override, def string) string {
	if override == "" {
		return def
	}
	return strings.TrimRight(override, "/")
}

// InChina reports whether a registration ID is of a device served by the
// mainland host, as OPPO's SDK decides: a region prefix before "_" (in
// the second of three parts), where none means China.
func InChina(regid string) bool {
	parts := strings.Split(regid, "_")
	switch len(parts) {
	case 1:
		return true
	case 2:
		return parts[0] == "CN"
	case 3:
		return parts[1] == "CN"
	}
	return false
}

// batch is one unicast_batch request and the indexes of its messages.
type batch struct {
	host *host
	msgs []Message
	idx  []int
}

// Send sends msgs in requests of up to MaxBatch per host, o.Concurrency
// at once, and returns one result per message, in order.
func (s *Sender) Send(ctx context.Context, msgs []core.Outgoing) []core.Result {
	res := channel.NotSent("OPPO", len(msgs))
	defer func() {
		if r := recover(); r != nil {
			s.o.Logger.ErrorContext(ctx, "oppo: send panicked", "panic", r)
		}
	}()
	batches := s.plan(msgs, res)
	channel.EachRequest(ctx, s.o.Logger, "OPPO", len(batches), s.o.Concurrency, func(i int) { s.do(ctx, batches[i], res) })
	return res
}

// plan builds every message, settles those that cannot go to OPPO and
// cuts the others into batches per host.
func (s *Sender) plan(msgs []core.Outgoing, res []core.Result) []batch {
	now := s.o.Clock()
	open := map[bool]*batch{}
	var out []batch
	for i, m := range msgs {
		if m.Token == "" || strings.ContainsAny(m.Token, " \t\r\n;,") {
			res[i] = core.Result{Outcome: core.OutcomeTokenDead, Reason: "OPPO: malformed registration ID"}
			continue
		}
		msg, why := Build(m, s.channelID, s.cb, now)
		if why != "" {
			res[i] = core.Result{Outcome: core.OutcomeFailed, Reason: why}
			continue
		}
		cn := InChina(m.Token)
		b := open[cn]
		if b == nil {
			b = &batch{host: s.hosts[cn]}
			open[cn] = b
		}
		b.msgs, b.idx = append(b.msgs, msg), append(b.idx, i)
		if len(b.msgs) == MaxBatch {
			out = append(out, *b)
			delete(open, cn)
		}
	}
	for _, cn := range []bool{true, false} {
		if b := open[cn]; b != nil {
			out = append(out, *b)
		}
	}
	return out
}

// do sends one batch, once more with a new auth_token when OPPO says the
// one it had is no longer valid, and records its results.
func (s *Sender) do(ctx context.Context, b batch, res []core.Result) {
	setAll := func(r core.Result) {
		for _, i := range b.idx {
			res[i] = r
		}
	}
	if err := s.o.Wait(ctx, len(b.msgs)); err != nil {
		setAll(core.Result{Outcome: core.OutcomeRetry, Reason: "OPPO: not sent: " + err.Error()})
		return
	}
	body, err := json.Marshal(b.msgs)
	if err != nil {
		setAll(core.Result{Outcome: core.OutcomeFailed, Reason: "OPPO: the messages cannot be encoded: " + err.Error()})
		return
	}
	regids := make([]string, len(b.msgs))
	for i, m := range b.msgs {
		regids[i] = m.TargetValue
	}
	var a Answer
	for try := 0; try < 2; try++ {
		tok, err := b.host.tokens.Get(ctx)
		if err != nil {
			setAll(channel.TokenFailure("OPPO", err))
			return
		}
		a = s.post(ctx, b.host.base, tok, string(body), regids)
		if a.Code != codeTokenInvalid {
			break
		}
		b.host.tokens.Invalidate(tok)
	}
	if a.Code != codeOK {
		s.o.Logger.WarnContext(ctx, "oppo: send refused", "messages", len(b.msgs), "reason", a.Result.Reason)
		setAll(a.Result)
		return
	}
	for k, i := range b.idx {
		res[i] = a.Each[k]
	}
}

// post sends one unicast_batch request and classifies its answer.
func (s *Sender) post(ctx context.Context, base, tok, messages string, regids []string) Answer {
	form := url.Values{"auth_token": {tok}, "messages": {messages}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+BatchPath, strings.NewReader(form.Encode()))
	if err != nil {
		return Answer{Code: noCode, Result: core.Result{Outcome: core.OutcomeConfigError, Reason: "OPPO: bad endpoint: " + err.Error()}}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := s.o.HTTPClient.Do(req)
	if err != nil {
		return Answer{Code: noCode, Result: core.Result{Outcome: core.OutcomeRetry, Reason: "OPPO: " + egress.Describe(err)}}
	}
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	_ = resp.Body.Close()
	if err != nil {
		return Answer{Code: noCode, Result: core.Result{Outcome: core.OutcomeRetry, Reason: "OPPO: reading the answer: " + egress.Describe(err)}}
	}
	return Classify(resp.StatusCode, resp.Header, answer, regids, s.o.Clock())
}
