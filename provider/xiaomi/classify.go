package xiaomi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Answer is what one /v3/message/regid answer means for its regids.
type Answer struct {
	// Result is the outcome of every regid of the request that is not in
	// BadRegIDs.
	Result core.Result
	// Code is Xiaomi's code (0: success), or -1 when the answer carried
	// none.
	Code int
	// MessageID is Xiaomi's data.id of an accepted message.
	MessageID string
	// BadRegIDs are the regids Xiaomi found invalid (data.bad_regids):
	// their tokens are dead even though the request succeeded.
	BadRegIDs []string
	bad       map[string]struct{}
}

// For returns the outcome for one regid of the request.
func (a Answer) For(regid string) core.Result {
	if _, ok := a.bad[regid]; ok {
		return core.Result{Outcome: core.OutcomeTokenDead, Reason: "Xiaomi: invalid regid (data.bad_regids)"}
	}
	return a.Result
}

// Outcomes of Xiaomi's codes (docs/channels.md); codes not listed fail the
// message.
var (
	retryCodes = codeSet(-1, 1, 10001, 10002, 10003, 10027, 10037, 20301, 20607, 22102, 26003, 26004, 65003, 65029)
	deadCodes  = codeSet(10029)
	// 27001 (channel_id mismatch) is a configuration error only when the
	// message carries no channel ID: Send turns it into a failure of that
	// message when it does.
	configCodes = codeSet(21301, 21302, 21303, 22000, 22006, 22007, 22022, 10031, 10036, 26006, 27001, 66108)
	// Quota codes: no more sends today; retry after midnight in Beijing.
	quotaCodes = codeSet(200001, 10034)
)

func codeSet(cs ...int) map[int]bool {
	m := make(map[int]bool, len(cs))
	for _, c := range cs {
		m[c] = true
	}
	return m
}

// answerBody is Xiaomi's JSON answer. Numbers are read leniently (a
// number or a numeric string).
type answerBody struct {
	Result      string          `json:"result"`
	Code        *flexInt        `json:"code"`
	Reason      string          `json:"reason"`
	Description string          `json:"description"`
	Data        json.RawMessage `json:"data"`
}

// Classify reads one answer of the send API (HTTP status, headers, body)
// into an Answer. It is pure: now only anchors delays.
func Classify(status int, h http.Header, body []byte, now time.Time) Answer {
	var b answerBody
	decErr := json.Unmarshal(bytes.TrimSpace(body), &b)
	if decErr != nil || (b.Code == nil && b.Result == "") {
		return Answer{Code: -1, Result: statusResult(status, h, now)}
	}
	code := 0
	if b.Code != nil {
		code = int(*b.Code)
	}
	a := Answer{Code: code}
	if code == 0 && b.Result != "error" && (status < 300 || status == 0) {
		a.Result = core.Result{Outcome: core.OutcomeSent}
		var data map[string]json.RawMessage
		_ = json.Unmarshal(b.Data, &data) // a success without data is still one
		a.MessageID = rawString(data["id"])
		for k, raw := range data {
			if strings.EqualFold(k, "bad_regids") {
				a.BadRegIDs = append(a.BadRegIDs, splitList(raw)...)
			}
		}
		if len(a.BadRegIDs) > 0 {
			a.bad = make(map[string]struct{}, len(a.BadRegIDs))
			for _, r := range a.BadRegIDs {
				a.bad[r] = struct{}{}
			}
		}
		return a
	}
	if code == 0 {
		// An error without a code: judge by the HTTP status.
		a.Code = -1
		a.Result = statusResult(status, h, now)
		return a
	}
	// The answer's reason and description are not quoted (see
	// channel.Code): the code and pushd's words for its class are.
	var r core.Result
	switch {
	case quotaCodes[code]:
		r = core.Result{Outcome: core.OutcomeRetry, Reason: reason(code, words(code, "daily quota used up"))}
		r.RetryAfter = max(channel.UntilBeijingMidnight(now), channel.RetryAfter(h, now))
	case retryCodes[code]:
		r = core.Result{Outcome: core.OutcomeRetry, Reason: reason(code, words(code, "not accepted now, retried"))}
		r.RetryAfter = channel.RetryAfter(h, now)
	case deadCodes[code]:
		r = core.Result{Outcome: core.OutcomeTokenDead, Reason: reason(code, words(code, "invalid regid"))}
	case configCodes[code]:
		r = core.Result{Outcome: core.OutcomeConfigError, Reason: reason(code, words(code, "the credentials or the app's settings were refused"))}
	default:
		r = core.Result{Outcome: core.OutcomeFailed, Reason: reason(code, words(code, "the message was refused"))}
	}
	a.Result = r
	return a
}

// statusResult judges an answer without a readable JSON body by its HTTP
// status.
func statusResult(status int, h http.Header, now time.Time) core.Result {
	r := core.Result{Reason: fmt.Sprintf("Xiaomi: HTTP %d %s", status, http.StatusText(status))}
	switch {
	case status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status < 300:
		// A 2xx without a readable answer may or may not have been sent;
		// the jobkey keeps a resend from showing twice.
		r.Outcome = core.OutcomeRetry
		r.RetryAfter = channel.RetryAfter(h, now)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		r.Outcome = core.OutcomeConfigError
	default:
		r.Outcome = core.OutcomeFailed
	}
	return r
}

func reason(code int, words string) string {
	if words == "" {
		return "Xiaomi: " + strconv.Itoa(code)
	}
	return "Xiaomi: " + strconv.Itoa(code) + " " + words
}

// rawString reads a JSON string or number as text.
func rawString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// splitList reads a comma-separated string (or a JSON array of strings)
// into its non-blank items.
func splitList(raw json.RawMessage) []string {
	var items []string
	if json.Unmarshal(raw, &items) != nil {
		items = strings.Split(rawString(raw), ",")
	}
	out := items[:0]
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// flexInt is a JSON integer that may come as a string.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		n = json.Number(strings.TrimSpace(s))
	}
	i, err := n.Int64()
	if err != nil {
		fl, ferr := n.Float64()
		if ferr != nil {
			return err
		}
		i = int64(fl)
	}
	*f = flexInt(i)
	return nil
}
