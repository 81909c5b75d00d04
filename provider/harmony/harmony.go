// Package harmony sends through HarmonyOS Push Kit's v3 API ("scenario-
// specific messages"), the one way to reach a HarmonyOS 5 (HarmonyOS
// NEXT) device whose app is not running: a JWT signed PS256 with the
// project's service account is the bearer token (no token exchange), the
// push-type header names the scenario, and one message goes to up to
// 1,000 tokens. Send groups the messages that share a request body (same
// job, content and expiry to the second). Huawei posts V2 receipts, read
// by provider/huawei's parser, which both versions share.
package harmony

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// DefaultURL is Push Kit's host.
const DefaultURL = "https://push-api.cloud.huawei.com"

// maxAnswer bounds how much of an answer is read.
const maxAnswer = 1 << 20

// Check validates credentials as they are saved and returns their
// summary: the project, key and account (never the key itself), and
// whether receipts are signed.
func Check(c Credentials) (map[string]any, error) {
	a, _, err := parseAccount(c.ServiceAccountJSON)
	if err != nil {
		return nil, err
	}
	if (c.ReceiptUserName == "") != (c.ReceiptKey == "") {
		field := "harmony.receiptKey"
		if c.ReceiptUserName == "" {
			field = "harmony.receiptUserName"
		}
		return nil, core.Invalid(field, "goes with the other: both sign the receipts, or leave both empty")
	}
	return map[string]any{"projectID": a.ProjectID, "keyID": a.KeyID, "subAccount": a.SubAccount, "receipts": c.ReceiptKey != ""}, nil
}

// Sender sends through one project's service account. It is safe for
// concurrent use.
type Sender struct {
	send string
	o    channel.Options
	jwt  *signer
}

// New returns the sender of one stored credential. Its endpoint is "url".
func New(c Credentials, o channel.Options) (*Sender, error) {
	a, key, err := parseAccount(c.ServiceAccountJSON)
	if err != nil {
		return nil, err
	}
	o = o.Defaults()
	o.BaseURL = cmp.Or(o.BaseURL, o.Endpoints["url"])
	return &Sender{
		send: o.URL(DefaultURL) + "/v3/" + url.PathEscape(a.ProjectID) + "/messages:send",
		o:    o, jwt: &signer{account: a, key: key, clock: o.Clock},
	}, nil
}

// request is one messages:send.
type request struct {
	idx      []int
	tokens   []string
	pushType int
	body     []byte
}

// Send sends msgs and returns one result per message, in order.
func (s *Sender) Send(ctx context.Context, msgs []core.Outgoing) []core.Result {
	res := channel.NotSent("HarmonyOS", len(msgs))
	reqs := s.plan(msgs, res)
	channel.EachRequest(ctx, s.o.Logger, "HarmonyOS", len(reqs), s.o.Concurrency, func(i int) { s.do(ctx, reqs[i], res) })
	return res
}

// plan builds the requests of msgs: those that share a request body
// go together, up to MaxTokens a request; a message that cannot go to
// Push Kit gets its result here.
func (s *Sender) plan(msgs []core.Outgoing, res []core.Result) []request {
	now := s.o.Clock()
	var reqs []request
	for _, group := range channel.ShareBody("HarmonyOS", msgs, MaxTokens, res) {
		// A test message goes to at most MaxTestTokens a request.
		for _, idx := range core.Chunks(group, maxTokens(msgs[group[0]])) {
			if q, ok := s.build(channel.Pick(msgs, idx), idx, now, res); ok {
				reqs = append(reqs, q)
			}
		}
	}
	return reqs
}

// build encodes one request, or settles its messages when Push Kit cannot
// take them.
func (s *Sender) build(batch []core.Outgoing, idx []int, now time.Time, res []core.Result) (request, bool) {
	q, kind, why := Build(batch, now)
	var body []byte
	if why == "" {
		var err error
		if body, err = json.Marshal(q); err != nil {
			why = "HarmonyOS: the message cannot be encoded: " + err.Error()
		}
	}
	if why != "" {
		for _, i := range idx {
			res[i] = core.Result{Outcome: core.OutcomeFailed, Reason: why}
		}
		return request{}, false
	}
	return request{idx: idx, tokens: q.Target.Token, pushType: kind, body: body}, true
}

// do sends one request, paced, with a new JWT once when Push Kit refuses
// the one it had, and records its results.
func (s *Sender) do(ctx context.Context, q request, res []core.Result) {
	all := func(r core.Result) {
		for _, i := range q.idx {
			res[i] = r
		}
	}
	if err := s.o.Wait(ctx, len(q.idx)); err != nil {
		all(core.Result{Outcome: core.OutcomeRetry, Reason: "HarmonyOS: not sent: " + err.Error()})
		return
	}
	var a Answer
	for try := 0; try < 2; try++ {
		tok, err := s.jwt.get()
		if err != nil {
			all(core.Result{Outcome: core.OutcomeConfigError, Reason: err.Error()})
			return
		}
		if a, err = s.post(ctx, tok, q); err != nil {
			all(core.Result{Outcome: core.OutcomeRetry, Reason: "HarmonyOS: not sent: " + egress.Describe(err)})
			return
		}
		if !a.Reauth {
			break
		}
		s.jwt.invalidate(tok)
	}
	if a.Each[0].Outcome == core.OutcomeConfigError {
		s.o.Logger.WarnContext(ctx, "harmony: configuration refused", "reason", a.Each[0].Reason)
	}
	for k, i := range q.idx {
		res[i] = a.Each[k]
	}
}

// post makes one request and classifies its answer. An error is a request
// without an answer (or with a cut one): whether Push Kit took it is
// unknown, and a duplicate is better than a loss.
func (s *Sender) post(ctx context.Context, tok string, q request) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.send, bytes.NewReader(q.body))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("push-type", strconv.Itoa(q.pushType))
	resp, err := s.o.HTTPClient.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return Answer{}, err
	}
	return Classify(resp.StatusCode, resp.Header, body, q.tokens, s.o.Clock()), nil
}
