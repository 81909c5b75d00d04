package vivo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Codes vivo answers with (docs/channels.md maps each).
const (
	codeOK = 0
	// codeAuthFailed is vivo's answer to a signature or token it does not
	// take; pushd renews its token once on it.
	codeAuthFailed   = 10000
	codeDailyQuota   = 10070
	codeTooFast      = 10072
	codeListQuota    = 10252
	codeInvalidRegID = 10302
)

// codeWords are pushd's words for vivo's codes.
var codeWords = map[int]string{
	10000: "authentication failed", 10045: "no permission for the API",
	10070: "the app's daily send volume is spent", 10072: "sending too fast",
	10094: "appId does not match the authToken", 10096: "invalid category",
	10097: "category does not match classification", 10200: "appId missing", 10201: "appKey missing",
	10252: "the app's daily list messages are spent", 10302: "invalid regId",
}

var configCodes = map[int]bool{10000: true, 10045: true, 10094: true, 10200: true, 10201: true}

// reason is "vivo: <code> <words>".
func reason(code int) string {
	if w, ok := codeWords[code]; ok {
		return fmt.Sprintf("vivo: %d %s", code, w)
	}
	return fmt.Sprintf("vivo: %d", code)
}

// codeResult is the outcome of a request-level code. It is pure: now only
// anchors the daily quotas' wait.
func codeResult(code int, now time.Time) core.Result {
	r := core.Result{Reason: reason(code)}
	switch {
	case code == codeOK:
		r = core.Result{Outcome: core.OutcomeSent}
	case code == codeInvalidRegID:
		r.Outcome = core.OutcomeTokenDead
	case code == codeDailyQuota || code == codeListQuota:
		// vivo's daily counts reset at midnight in Beijing.
		r.Outcome, r.RetryAfter = core.OutcomeRetry, channel.UntilBeijingMidnight(now)
	case code == codeTooFast:
		r.Outcome, r.RetryAfter = core.OutcomeRetry, time.Second
	case configCodes[code]:
		r.Outcome = core.OutcomeConfigError
	default:
		// The request itself is wrong (10096, 10097, codes vivo has not
		// published): sending it again fails again.
		r.Outcome = core.OutcomeFailed
	}
	return r
}

// invalidUser is one target vivo refused: status 1 unknown to the app, 2
// the app uninstalled or unsubscribed, 4 not a test device.
type invalidUser struct {
	UserID string `json:"userid"`
	Status int    `json:"status"`
}

func (u invalidUser) result() core.Result {
	switch u.Status {
	case 1, 2:
		return core.Result{Outcome: core.OutcomeTokenDead, Reason: fmt.Sprintf("vivo: invalid user (status %d)", u.Status)}
	case 4:
		return core.Result{Outcome: core.OutcomeFailed, Reason: "vivo: not a test device (status 4)"}
	}
	return core.Result{Outcome: core.OutcomeFailed, Reason: fmt.Sprintf("vivo: invalid user (status %d)", u.Status)}
}

// Answer is what one vivo answer means.
type Answer struct {
	// Code is vivo's result, or noCode when the answer carried none.
	Code int
	// Result is every target's outcome when the request failed as a whole.
	Result core.Result
	// TaskID is the taskId of a request vivo took.
	TaskID string
	// Each is, for a send vivo took, the outcome per target, in order.
	Each []core.Result
}

// noCode marks an answer without vivo's JSON.
const noCode = -1

// Classify reads one answer of /message/send, /message/saveListPayload or
// /message/pushToList for regids, the targets in the order sent (none for
// saveListPayload). It is pure: now only anchors delays.
func Classify(status int, h http.Header, body []byte, regids []string, now time.Time) Answer {
	var b struct {
		Result       *int          `json:"result"`
		TaskID       string        `json:"taskId"`
		InvalidUser  *invalidUser  `json:"invalidUser"`
		InvalidUsers []invalidUser `json:"invalidUsers"`
	}
	if json.Unmarshal(bytes.TrimSpace(body), &b) != nil || b.Result == nil {
		return Answer{Code: noCode, Result: channel.StatusResult("vivo", status, h, now)}
	}
	bad := map[string]core.Result{}
	for _, u := range append(b.InvalidUsers, ptrSlice(b.InvalidUser)...) {
		bad[u.UserID] = u.result()
	}
	a := Answer{Code: *b.Result, TaskID: b.TaskID}
	if a.Code != codeOK && !(a.Code == codeInvalidRegID && len(bad) > 0) {
		a.Result = codeResult(a.Code, now)
		return a
	}
	a.Each = make([]core.Result, len(regids))
	for i, regid := range regids {
		r, refused := bad[regid]
		switch {
		case refused:
			a.Each[i] = r
		case a.Code != codeOK:
			a.Each[i] = codeResult(a.Code, now)
		default:
			a.Each[i] = core.Result{Outcome: core.OutcomeSent}
		}
	}
	return a
}

func ptrSlice[T any](p *T) []T {
	if p == nil {
		return nil
	}
	return []T{*p}
}
