// Package huawei sends pushes through Huawei Push Kit's v1 REST API (HMS
// Core: Android phones with HMS, and HarmonyOS 2–4 devices), with the
// app's OAuth 2.0 client credentials, and reads the V1 delivery receipts
// Huawei posts back.
//
// Out of scope: the v3 "scenario-specific messages" API of HarmonyOS NEXT
// (HarmonyOS 5 and later), which takes service-account JWTs instead of
// OAuth tokens, a different body and V2 receipts; v1 does not reach those
// devices (their tokens are refused as invalid). The v2 multi-sender
// endpoint, topics and conditions are not used either.
//
// Huawei sends one message to up to 1,000 tokens per request, so Send
// groups the messages that share a request body (same job, same content,
// same expiry to the second) and sends each group in requests of at most
// 1,000 tokens. pushd's job ID travels as android.bi_tag, which Huawei
// echoes in its receipts (ParseReceipts turns it back into the JobID).
package huawei

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Vendor endpoints.
const (
	DefaultURL     = "https://push-api.cloud.huawei.com"
	DefaultAuthURL = "https://oauth-login.cloud.huawei.com/oauth2/v3/token"
)

// MaxTokens is how many tokens one send request may carry.
const MaxTokens = 1000

// maxAnswer bounds how much of an answer is read.
const maxAnswer = 1 << 20

// Check validates Push Kit credentials as they are saved and returns their
// summary: the App ID and whether receipts are signed.
func Check(c Credentials) (map[string]any, error) {
	if c.AppID == "" {
		return nil, core.Invalid("huawei.appID", "is required: the numeric App ID (OAuth 2.0 client ID) from AppGallery Connect")
	}
	if !digits(c.AppID) || len(c.AppID) > 20 {
		return nil, core.Invalid("huawei.appID", "must be the numeric App ID (OAuth 2.0 client ID) from AppGallery Connect, digits only")
	}
	if c.ClientSecret == "" {
		return nil, core.Invalid("huawei.clientSecret", "is required: the app's OAuth 2.0 client secret from AppGallery Connect")
	}
	if len(c.ClientSecret) > 512 || !printable(c.ClientSecret) {
		return nil, core.Invalid("huawei.clientSecret", "must be the OAuth 2.0 client secret as AppGallery Connect shows it (printable ASCII, no spaces)")
	}
	if (c.ReceiptUserName == "") != (c.ReceiptKey == "") {
		if c.ReceiptKey == "" {
			return nil, core.Invalid("huawei.receiptKey", "is required with a receipt user name: both sign the receipts, or leave both empty")
		}
		return nil, core.Invalid("huawei.receiptUserName", "is required with a receipt key: both sign the receipts, or leave both empty")
	}
	return map[string]any{"appID": c.AppID, "receipts": c.ReceiptKey != ""}, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func printable(s string) bool {
	for _, r := range s {
		if r <= ' ' || r > '~' {
			return false
		}
	}
	return true
}

// Sender sends through one Push Kit app. It is safe for concurrent use.
type Sender struct {
	o    channel.Options
	send string // the messages:send URL
	auth *auth
}

// New returns the sender of one stored credential.
func New(c Credentials, o channel.Options) (*Sender, error) {
	if _, err := Check(c); err != nil {
		return nil, err
	}
	o = o.Defaults()
	authURL := o.AuthURL
	if authURL == "" {
		authURL = DefaultAuthURL
	}
	return &Sender{
		o:    o,
		send: o.URL(DefaultURL) + "/v1/" + url.PathEscape(c.AppID) + "/messages:send",
		auth: &auth{url: authURL, id: c.AppID, secret: c.ClientSecret, client: o.HTTPClient, clock: o.Clock},
	}, nil
}

// request is one send request: a body and the messages it carries.
type request struct {
	idx  []int
	body []byte
}

// Send sends msgs and returns one result per message, in order.
func (s *Sender) Send(ctx context.Context, msgs []core.Outgoing) []core.Result {
	res := make([]core.Result, len(msgs))
	reqs := s.plan(msgs, s.o.Clock(), res)
	channel.Each(len(reqs), s.o.Concurrency, func(i int) {
		s.do(ctx, reqs[i], msgs, res)
	})
	return res
}

// plan builds the requests of msgs: those that share a request body go
// together, up to MaxTokens a request. A message whose body cannot be
// built gets its result here.
func (s *Sender) plan(msgs []core.Outgoing, now time.Time, res []core.Result) []request {
	var reqs []request
	for _, idx := range channel.ShareBody("Huawei", msgs, MaxTokens, res) {
		body, err := Request(channel.Pick(msgs, idx), now)
		if err != nil {
			for _, i := range idx {
				res[i] = core.Result{Outcome: core.OutcomeFailed, Reason: "Huawei: the message cannot be encoded: " + err.Error()}
			}
			continue
		}
		reqs = append(reqs, request{idx: idx, body: body})
	}
	return reqs
}

// do sends one request and records the result of each of its messages.
func (s *Sender) do(ctx context.Context, r request, msgs []core.Outgoing, res []core.Result) {
	all := func(out core.Result) {
		for _, i := range r.idx {
			res[i] = out
		}
	}
	if err := s.o.Wait(ctx, len(r.idx)); err != nil {
		// The pace's own error (a deadline it cannot meet), not a remote's.
		all(core.Result{Outcome: core.OutcomeRetry, Reason: "Huawei: not sent: " + err.Error()})
		return
	}
	reauthed := false
	for {
		if err := ctx.Err(); err != nil {
			all(notSent(err))
			return
		}
		tok, err := s.auth.get(ctx)
		if err != nil {
			all(authResult(err))
			return
		}
		status, h, body, err := s.post(ctx, tok, r.body)
		if err != nil {
			all(notSent(err))
			return
		}
		v := Classify(status, h, body, s.o.Clock())
		if v.Reauth && !reauthed {
			// The access token was refused: fetch a new one (once for all
			// the requests that used it) and send again, once.
			reauthed = true
			s.o.Logger.DebugContext(ctx, "huawei: access token refused, refreshing", "code", v.Code)
			s.auth.invalidate(tok)
			continue
		}
		if v.Result.Outcome == core.OutcomeConfigError {
			s.o.Logger.WarnContext(ctx, "huawei: configuration refused", "reason", v.Result.Reason)
		}
		for _, i := range r.idx {
			res[i] = v.For(msgs[i].Token)
		}
		return
	}
}

func (s *Sender) post(ctx context.Context, tok string, body []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.send, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := s.o.HTTPClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		// The answer was cut: whether Huawei took the message is unknown,
		// and a duplicate is better than a loss.
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, b, nil
}

// notSent is the result of a request that did not get an answer.
func notSent(err error) core.Result {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return core.Result{Outcome: core.OutcomeRetry, Reason: "Huawei: not sent: " + egress.Describe(err)}
}

// authResult is the result of the requests that could not get a token.
func authResult(err error) core.Result {
	var ae *authError
	if errors.As(err, &ae) {
		return ae.result
	}
	return notSent(err)
}

// reason formats a Reason: "Huawei: <code> <words>".
func reason(code, words string) string {
	return fmt.Sprintf("Huawei: %s %s", code, words)
}
