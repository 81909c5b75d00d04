package honor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// successCodes are the codes of a request Honor took. Honor publishes no
// code table: 200 is what its API answers, 80000000 what Huawei's (which
// Honor's is modelled on) answers and what maintained clients accept.
var successCodes = map[string]bool{"200": true, "80000000": true}

// Answer is what one sendMessage answer means.
type Answer struct {
	// Reauth: Honor refused the access token; a new one may be taken.
	Reauth bool
	// Each is the outcome per token, in the order sent.
	Each []core.Result
}

// answerBody is Honor's answer. code is a JSON number; a string is taken
// too.
type answerBody struct {
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
	Data    *struct {
		SendResult   bool     `json:"sendResult"`
		RequestID    string   `json:"requestId"`
		FailTokens   []string `json:"failTokens"`
		ExpireTokens []string `json:"expireTokens"`
	} `json:"data"`
}

// Classify reads one sendMessage answer for tokens, in the order sent. It
// is pure: now only anchors a Retry-After.
//
// Honor's error codes are unpublished, so the verdict rests on what is:
// HTTP 401 is the token's (renewed once, then the credentials'), 403 the
// credentials', 5xx and 429 a retry; a taken request names the tokens
// Honor no longer knows (expireTokens: dead) and those it could not send
// to (failTokens: retried). Any other code fails the request's messages
// with Honor's words: sending them again would fail again, and flagging
// the credentials for a code that may be the message's would stop every
// push of the app.
func Classify(status int, h http.Header, body []byte, tokens []string, now time.Time) Answer {
	all := func(r core.Result) Answer {
		a := Answer{Each: make([]core.Result, len(tokens))}
		for i := range a.Each {
			a.Each[i] = r
		}
		return a
	}
	var b answerBody
	if json.Unmarshal(bytes.TrimSpace(body), &b) != nil || len(b.Code) == 0 || status >= 500 || status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusTooManyRequests {
		a := all(channel.StatusResult("Honor", status, h, now))
		a.Reauth = status == http.StatusUnauthorized
		return a
	}
	code := strings.Trim(string(b.Code), `"`)
	if !successCodes[code] || b.Data == nil || !b.Data.SendResult && len(b.Data.FailTokens)+len(b.Data.ExpireTokens) == 0 {
		return all(core.Result{Outcome: core.OutcomeFailed, Reason: fmt.Sprintf("Honor: %s %s", code, strings.TrimSpace(b.Message))})
	}
	verdict := map[string]core.Result{}
	for _, t := range b.Data.FailTokens {
		verdict[t] = core.Result{Outcome: core.OutcomeRetry, Reason: "Honor: the token is in failTokens"}
	}
	for _, t := range b.Data.ExpireTokens {
		verdict[t] = core.Result{Outcome: core.OutcomeTokenDead, Reason: "Honor: the token is in expireTokens"}
	}
	a := Answer{Each: make([]core.Result, len(tokens))}
	for i, t := range tokens {
		if r, ok := verdict[t]; ok {
			a.Each[i] = r
		}
	}
	return a
}
