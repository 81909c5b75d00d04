// Package honor sends through Honor Push (Honor phones on MagicOS, apart
// from Huawei's Push Kit since Honor left Huawei): an OAuth access token
// bought with the app's client credentials, and sendMessage, which takes
// one message to up to 1,000 tokens. Send groups the messages that share
// a request body (same job, content and expiry to the second). Honor
// classifies messages by android.notification.importance: NORMAL
// (service and communication) goes through, LOW (marketing and news) is
// capped per device and day.
package honor

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Honor's endpoints: the hosts of its official server guide.
const (
	DefaultURL     = "https://push-api.cloud.hihonor.com"
	DefaultAuthURL = "https://iam.developer.hihonor.com/auth/realms/developer/protocol/openid-connect/token"
)

// maxAnswer bounds how much of an answer is read.
const maxAnswer = 1 << 20

// Check validates credentials as they are saved and returns their
// summary: the App ID and client ID (never the secret).
func Check(c Credentials) (map[string]any, error) {
	if c.AppID == "" || strings.Trim(c.AppID, "0123456789") != "" || len(c.AppID) > 20 {
		return nil, core.Invalid("honor.appID", "must be the numeric App ID from the Honor developer console")
	}
	for _, f := range []struct{ name, v string }{{"clientID", c.ClientID}, {"clientSecret", c.ClientSecret}} {
		switch {
		case strings.TrimSpace(f.v) == "":
			return nil, core.Invalid("honor."+f.name, "is required")
		case strings.IndexFunc(f.v, func(r rune) bool { return unicode.IsSpace(r) || r > '~' }) >= 0:
			return nil, core.Invalid("honor."+f.name, "must be printable ASCII without spaces, as the Honor console shows it")
		case len(f.v) > 256:
			return nil, core.Invalid("honor."+f.name, "is longer than 256 characters")
		}
	}
	return map[string]any{"appID": c.AppID, "clientID": c.ClientID}, nil
}

// Sender sends through one Honor app. It is safe for concurrent use.
type Sender struct {
	clientID, secret string
	send, authURL    string
	o                channel.Options
	tokens           *channel.TokenCache
}

// New returns the sender of one stored credential. Its endpoints are
// "url" and "auth-url".
func New(c Credentials, o channel.Options) (*Sender, error) {
	if _, err := Check(c); err != nil {
		return nil, err
	}
	o = o.Defaults()
	o.BaseURL, o.AuthURL = cmp.Or(o.BaseURL, o.Endpoints["url"]), cmp.Or(o.AuthURL, o.Endpoints["auth-url"])
	s := &Sender{clientID: c.ClientID, secret: c.ClientSecret, o: o, authURL: DefaultAuthURL,
		send: o.URL(DefaultURL) + "/api/v1/" + url.PathEscape(c.AppID) + "/sendMessage"}
	if o.AuthURL != "" {
		s.authURL = o.AuthURL
	}
	s.tokens = &channel.TokenCache{Clock: o.Clock, Fetch: s.fetchToken}
	return s, nil
}

// request is one sendMessage: its body and the messages it carries.
type request struct {
	idx    []int
	tokens []string
	body   []byte
}

// Send sends msgs and returns one result per message, in order.
func (s *Sender) Send(ctx context.Context, msgs []core.Outgoing) []core.Result {
	res := channel.NotSent("Honor", len(msgs))
	reqs := s.plan(msgs, res)
	channel.EachRequest(ctx, s.o.Logger, "Honor", len(reqs), s.o.Concurrency, func(i int) { s.do(ctx, reqs[i], res) })
	return res
}

// plan builds the requests of msgs: those that share a request body
// go together, up to MaxTokens a request; a message that cannot go to
// Honor gets its result here.
func (s *Sender) plan(msgs []core.Outgoing, res []core.Result) []request {
	now := s.o.Clock()
	var reqs []request
	for _, idx := range channel.ShareBody("Honor", msgs, MaxTokens, res) {
		if q, ok := s.build(channel.Pick(msgs, idx), idx, now, res); ok {
			reqs = append(reqs, q)
		}
	}
	return reqs
}

// build encodes one request, or settles its messages when Honor cannot
// take them.
func (s *Sender) build(msgs []core.Outgoing, idx []int, now time.Time, res []core.Result) (request, bool) {
	q, why := Build(msgs, now)
	var body []byte
	if why == "" {
		var err error
		if body, err = json.Marshal(q); err != nil {
			why = "Honor: the message cannot be encoded: " + err.Error()
		}
	}
	if why != "" {
		for _, i := range idx {
			res[i] = core.Result{Outcome: core.OutcomeFailed, Reason: why}
		}
		return request{}, false
	}
	return request{idx: idx, tokens: q.Token, body: body}, true
}

// do sends one request, paced, with a new access token once when Honor
// refuses the one it had, and records its results.
func (s *Sender) do(ctx context.Context, q request, res []core.Result) {
	all := func(r core.Result) {
		for _, i := range q.idx {
			res[i] = r
		}
	}
	if err := s.o.Wait(ctx, len(q.idx)); err != nil {
		all(core.Result{Outcome: core.OutcomeRetry, Reason: "Honor: not sent: " + err.Error()})
		return
	}
	var a Answer
	for try := 0; try < 2; try++ {
		tok, err := s.tokens.Get(ctx)
		if err != nil {
			all(channel.TokenFailure("Honor", err))
			return
		}
		if a, err = s.post(ctx, tok, q); err != nil {
			all(core.Result{Outcome: core.OutcomeRetry, Reason: "Honor: not sent: " + egress.Describe(err)})
			return
		}
		if !a.Reauth {
			break
		}
		s.tokens.Invalidate(tok)
	}
	if a.Reauth {
		s.o.Logger.WarnContext(ctx, "honor: a new access token was refused too")
	}
	for k, i := range q.idx {
		res[i] = a.Each[k]
	}
}

// post makes one request and classifies its answer. An error is a request
// without an answer (or with a cut one): whether Honor took it is
// unknown, and a duplicate is better than a loss.
func (s *Sender) post(ctx context.Context, tok string, q request) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.send, bytes.NewReader(q.body))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("timestamp", strconv.FormatInt(s.o.Clock().UnixMilli(), 10))
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
