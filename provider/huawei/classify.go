package huawei

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

// Verdict is what Huawei's answer to one send request means for the
// tokens it carried.
type Verdict struct {
	// Code and Msg are the answer's business code and message, when it
	// had them.
	Code, Msg string
	// Result is the outcome of every token not in Dead.
	Result core.Result
	// Dead are the tokens a partial success named invalid.
	Dead map[string]bool
	// Reauth asks to fetch a new access token and send the request again,
	// once; Result applies if the second answer is the same.
	Reauth bool
}

// For returns the result of one token of the request.
func (v Verdict) For(token string) core.Result {
	if v.Dead[token] {
		return core.Result{Outcome: core.OutcomeTokenDead, Reason: reason(codePartial, "illegal token")}
	}
	return v.Result
}

// Business codes.
const (
	codeSuccess     = "80000000"
	codePartial     = "80100000"
	codeAuth        = "80200001"
	codeAuthExpired = "80200003"
	codeAllInvalid  = "80300007"
)

// codeRule is what a business code means and what to do about it.
type codeRule struct {
	words   string
	outcome core.Outcome
	reauth  bool
}

var codes = map[string]codeRule{
	codeSuccess:     {words: "success", outcome: core.OutcomeSent},
	codePartial:     {words: "some tokens are invalid", outcome: core.OutcomeSent},
	"80100001":      {words: "parameter check error", outcome: core.OutcomeFailed},
	"80100002":      {words: "a sys message takes exactly one token", outcome: core.OutcomeFailed},
	"80100003":      {words: "illegal payload", outcome: core.OutcomeFailed},
	"80100004":      {words: "illegal expire time", outcome: core.OutcomeFailed},
	"80100013":      {words: "illegal collapse_key", outcome: core.OutcomeFailed},
	"80100016":      {words: "message contains sensitive content", outcome: core.OutcomeFailed},
	"80100017":      {words: "too many topic messages in flight", outcome: core.OutcomeRetry},
	"80100018":      {words: "invalid message body", outcome: core.OutcomeFailed},
	codeAuth:        {words: "OAuth authentication error", outcome: core.OutcomeConfigError, reauth: true},
	codeAuthExpired: {words: "OAuth access token expired", outcome: core.OutcomeRetry, reauth: true},
	"80300002":      {words: "no permission to send messages", outcome: core.OutcomeConfigError},
	codeAllInvalid:  {words: "all tokens invalid", outcome: core.OutcomeTokenDead},
	"80300008":      {words: "message body too big", outcome: core.OutcomeFailed},
	"80300010":      {words: "token count out of range", outcome: core.OutcomeFailed},
	"80300011":      {words: "no permission to send high-priority messages", outcome: core.OutcomeConfigError},
	"80600003":      {words: "request to the OAuth service failed", outcome: core.OutcomeRetry},
	"81000001":      {words: "internal error", outcome: core.OutcomeRetry},
}

// answer is the body of a send answer.
type answer struct {
	Code json.RawMessage `json:"code"`
	Msg  json.RawMessage `json:"msg"`
}

// partial is the msg of a partial success.
type partial struct {
	IllegalTokens []string `json:"illegal_tokens"`
}

// Classify reads Huawei's answer to a send request: its HTTP status,
// headers and body (whose business code is read on every status). now
// reads a Retry-After date.
func Classify(status int, h http.Header, body []byte, now time.Time) Verdict {
	var v Verdict
	var a answer
	if json.Unmarshal(body, &a) == nil {
		v.Code, v.Msg = text(a.Code), text(a.Msg)
	}
	if !digits(v.Code) {
		v.Code = ""
	}
	retry := func(words string) Verdict {
		v.Result = core.Result{Outcome: core.OutcomeRetry, Reason: words, RetryAfter: channel.RetryAfter(h, now)}
		return v
	}
	switch {
	case status >= 500 || status == http.StatusTooManyRequests:
		if v.Code != "" {
			return retry(reason(v.Code, wordsOf(v.Code)))
		}
		return retry(reason(fmt.Sprintf("HTTP %d", status), statusWords(status)))
	case status == http.StatusNotFound:
		v.Result = core.Result{Outcome: core.OutcomeConfigError, Reason: reason("HTTP 404", "service not found (check the App ID and the Push Kit URL)")}
		return v
	case v.Code != "":
		return v.byCode(h, now)
	case status == http.StatusUnauthorized:
		v.Reauth = true
		v.Result = core.Result{Outcome: core.OutcomeConfigError, Reason: reason("HTTP 401", "authentication failed")}
		return v
	case status == http.StatusOK:
		v.Result = core.Result{Outcome: core.OutcomeFailed, Reason: reason("HTTP 200", "unreadable answer")}
		return v
	default:
		v.Result = core.Result{Outcome: core.OutcomeFailed, Reason: reason(fmt.Sprintf("HTTP %d", status), statusWords(status))}
		return v
	}
}

// byCode classifies an answer by its business code.
func (v Verdict) byCode(h http.Header, now time.Time) Verdict {
	rule, ok := codes[v.Code]
	if !ok {
		v.Result = core.Result{Outcome: core.OutcomeFailed, Reason: reason(v.Code, wordsOf(v.Code))}
		return v
	}
	v.Reauth = rule.reauth
	v.Result = core.Result{Outcome: rule.outcome, Reason: reason(v.Code, wordsOf(v.Code))}
	switch rule.outcome {
	case core.OutcomeSent:
		v.Result.Reason = ""
	case core.OutcomeRetry:
		v.Result.RetryAfter = channel.RetryAfter(h, now)
	}
	if v.Code == codePartial {
		var p partial
		if json.Unmarshal([]byte(v.Msg), &p) == nil && len(p.IllegalTokens) > 0 {
			v.Dead = make(map[string]bool, len(p.IllegalTokens))
			for _, t := range p.IllegalTokens {
				v.Dead[t] = true
			}
		}
	}
	return v
}

// wordsOf says what a code means in pushd's words. The answer's msg is
// not quoted (see channel.Code): the code is what Huawei documents.
func wordsOf(code string) string {
	if rule, ok := codes[code]; ok {
		return rule.words
	}
	return "unknown code"
}

func statusWords(status int) string {
	switch status {
	case http.StatusServiceUnavailable:
		return "traffic control"
	case http.StatusBadGateway:
		return "bad gateway"
	case http.StatusInternalServerError:
		return "internal error"
	}
	if t := http.StatusText(status); t != "" {
		return strings.ToLower(t)
	}
	return "unexpected status"
}

// text reads a JSON string or number (Huawei's code is a string of
// digits; some answers carry it as a number).
func text(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return string(raw)
}
