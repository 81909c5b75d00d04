package oppo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Codes OPPO answers with (docs/channels.md maps each).
const (
	codeOK            = 0
	codeTokenInvalid  = 11
	codeDuplicate     = 32
	codeDailyQuota    = 33
	codeInvalidRegID  = 10000
	codeTimestampSkew = 19
)

// codeWords are pushd's words for OPPO's codes; the code decides the
// outcome through the sets below.
var codeWords = map[int]string{
	-2: "service flow control", -1: "service unavailable",
	11: "invalid auth_token", 12: "HTTP method not allowed", 13: "app call count over the limit",
	14: "invalid app_key", 15: "app_key missing", 16: "sign verification failed", 17: "sign missing",
	18: "timestamp missing", 19: "timestamp outside OPPO's 10-minute window (check this machine's clock)",
	20: "invalid method", 21: "method missing", 22: "version missing", 23: "invalid version",
	24: "version not supported", 25: "encoding error", 26: "IP blacklisted", 27: "access denied",
	28: "app disabled", 29: "auth_token missing", 30: "no API push permission for the app",
	31: "data does not exist", 32: "duplicate app_message_id (already sent)", 33: "daily message count exceeded",
	34: "daily picture upload count exceeded", 40: "required parameter missing", 41: "invalid parameter",
	51: "invalid picture", 55: "app call frequency limited", 59: "no permission for the secondary action",
	67:    "category or notify_level invalid, or the private channel not permitted",
	10000: "invalid registration ID",
}

var (
	retryCodes  = codeSet(-2, -1, 11, 13, 55)
	configCodes = codeSet(14, 15, 16, 17, 18, 19, 26, 27, 28, 29, 30)
)

func codeSet(cs ...int) map[int]bool {
	m := make(map[int]bool, len(cs))
	for _, c := range cs {
		m[c] = true
	}
	return m
}

// reason is "OPPO: <code> <words>".
func reason(code int) string {
	if w, ok := codeWords[code]; ok {
		return fmt.Sprintf("OPPO: %d %s", code, w)
	}
	return fmt.Sprintf("OPPO: %d", code)
}

// codeResult is the outcome of a request-level code. It is pure: now only
// anchors the daily quota's wait.
func codeResult(code int, now time.Time) core.Result {
	r := core.Result{Reason: reason(code)}
	switch {
	case code == codeOK, code == codeDuplicate:
		r = core.Result{Outcome: core.OutcomeSent}
	case code == codeInvalidRegID:
		r.Outcome = core.OutcomeTokenDead
	case code == codeDailyQuota:
		// OPPO's daily counts reset at midnight in Beijing.
		r.Outcome, r.RetryAfter = core.OutcomeRetry, channel.UntilBeijingMidnight(now)
	case code == 13:
		r.Outcome, r.RetryAfter = core.OutcomeRetry, time.Minute
	case retryCodes[code]:
		r.Outcome = core.OutcomeRetry
	case configCodes[code]:
		r.Outcome = core.OutcomeConfigError
	default:
		// The request itself is wrong (12, 20–25, 31, 40, 41, 51, 59, 67,
		// codes OPPO has not documented): sending it again fails again.
		r.Outcome = core.OutcomeFailed
	}
	return r
}

// Answer is what one unicast_batch answer means for its messages.
type Answer struct {
	// Code is OPPO's request code, or -3 when the answer carried none.
	Code int
	// Result is every message's outcome when the request failed as a
	// whole (Code not 0).
	Result core.Result
	// Each is, for a request OPPO took, the outcome per message, in the
	// order sent; MessageIDs the messageId of each accepted one.
	Each       []core.Result
	MessageIDs []string
}

// noCode marks an answer without OPPO's JSON (the SDK's pseudo code -3).
const noCode = -3

// batchElement is one element of unicast_batch's data.
type batchElement struct {
	MessageID      string `json:"messageId"`
	RegistrationID string `json:"registrationId"`
	ErrorCode      *int   `json:"errorCode"`
}

// Classify reads one unicast_batch answer for regids, the targets in the
// order sent. OPPO answers one data element per message; an element is
// matched by position, or by registrationId when the counts differ. It
// is pure: now only anchors delays.
func Classify(status int, h http.Header, body []byte, regids []string, now time.Time) Answer {
	var b struct {
		Code *int            `json:"code"`
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(bytes.TrimSpace(body), &b) != nil || b.Code == nil {
		return Answer{Code: noCode, Result: channel.StatusResult("OPPO", status, h, now)}
	}
	a := Answer{Code: *b.Code}
	if a.Code != codeOK {
		a.Result = codeResult(a.Code, now)
		return a
	}
	var elems []batchElement
	if json.Unmarshal(b.Data, &elems) != nil {
		a.Result = core.Result{Outcome: core.OutcomeRetry, Reason: "OPPO: answer without per-message results"}
		a.Code = noCode
		return a
	}
	a.Each = make([]core.Result, len(regids))
	a.MessageIDs = make([]string, len(regids))
	byRegID := map[string]batchElement{}
	for _, e := range elems {
		byRegID[e.RegistrationID] = e
	}
	for i, regid := range regids {
		e, ok := byRegID[regid]
		if len(elems) == len(regids) && (elems[i].RegistrationID == "" || elems[i].RegistrationID == regid) {
			e, ok = elems[i], true
		}
		switch {
		case !ok:
			a.Each[i] = core.Result{Outcome: core.OutcomeRetry, Reason: "OPPO: no result for the message"}
		case e.ErrorCode != nil && *e.ErrorCode != codeOK:
			a.Each[i] = codeResult(*e.ErrorCode, now)
		default:
			a.Each[i], a.MessageIDs[i] = core.Result{Outcome: core.OutcomeSent}, e.MessageID
		}
	}
	return a
}
