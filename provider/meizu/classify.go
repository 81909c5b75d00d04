package meizu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Codes Meizu answers with (docs/channels.md maps each). Top-level codes
// and per-target codes are different tables: 110010 is "too fast" at the
// top and "notifications switched off" for a target.
const (
	codeOK          = "200"
	codeDailyQuota  = "110019"
	codeTooFast     = "110010"
	codeNoPassThru  = "110053"
	targetCollapsed = "520"
)

// topWords are pushd's words for Meizu's top-level codes.
var topWords = map[string]string{
	"500": "other error", "1001": "system error", "1003": "server busy", "1005": "parameter error",
	"1006": "signature error", "110000": "appId invalid", "110001": "appKey invalid",
	"110004": "a parameter is empty", "110009": "the app is blacklisted", "110010": "sending too fast",
	"110019": "the app's daily push count is spent", "110031": "packageName invalid",
	"110032": "taskId invalid", "110033": "appSecret invalid", "110051": "push count over the limit",
	"110053": "pass-through messages are not allowed for the app",
}

// targetWords are pushd's words for the per-target codes.
var targetWords = map[string]string{
	"201": "no permission for this target", "501": "database error", "513": "push failed",
	"519": "overload", "520": "more than 5 messages to the device within a minute",
	"110002": "pushId not registered", "110003": "pushId illegal", "110005": "alias invalid",
	"110010": "notifications switched off on the device", "110011": "the device's daily public messages are spent",
}

var configCodes = map[string]bool{"1006": true, "110000": true, "110001": true, "110009": true, "110031": true, "110033": true}

// Answer is what one push call's answer means.
type Answer struct {
	// Code is Meizu's top-level code ("" when the answer carried none).
	Code string
	// Each is the outcome per pushId, in the order sent.
	Each []core.Result
}

// Classify reads one pushByPushId answer for pushIDs, in the order sent.
// It is pure: now only anchors delays.
func Classify(status int, h http.Header, body []byte, pushIDs []string, now time.Time) Answer {
	var b struct {
		Code  json.RawMessage `json:"code"`
		Value json.RawMessage `json:"value"`
	}
	a := Answer{Each: make([]core.Result, len(pushIDs))}
	all := func(r core.Result) Answer {
		for i := range a.Each {
			a.Each[i] = r
		}
		return a
	}
	if json.Unmarshal(bytes.TrimSpace(body), &b) != nil || len(b.Code) == 0 {
		return all(channel.StatusResult("Meizu", status, h, now))
	}
	a.Code = string(bytes.Trim(b.Code, `"`))
	if a.Code != codeOK {
		return all(topResult(a.Code, now))
	}
	var failed map[string][]string
	_ = json.Unmarshal(b.Value, &failed) // "" or {} when every target took it
	bad := map[string]string{}
	for code, ids := range failed {
		for _, id := range ids {
			bad[id] = code
		}
	}
	for i, id := range pushIDs {
		if code, ok := bad[id]; ok {
			a.Each[i] = targetResult(code, now)
		}
	}
	return a
}

// topResult is the outcome of every target of a call refused as a whole.
func topResult(code string, now time.Time) core.Result {
	r := core.Result{Reason: words("Meizu", code, topWords)}
	switch code {
	case "500", "1001", "1003", "110051":
		r.Outcome = core.OutcomeRetry
	case codeTooFast:
		r.Outcome, r.RetryAfter = core.OutcomeRetry, time.Second
	case codeDailyQuota:
		r.Outcome, r.RetryAfter = core.OutcomeRetry, channel.UntilBeijingMidnight(now)
	default:
		r.Outcome = core.OutcomeFailed
		if configCodes[code] {
			r.Outcome = core.OutcomeConfigError
		}
	}
	return r
}

// targetResult is the outcome of one target Meizu named in value.
func targetResult(code string, now time.Time) core.Result {
	r := core.Result{Reason: words("Meizu", code, targetWords)}
	switch code {
	case "501", "513", "519":
		r.Outcome = core.OutcomeRetry
	case targetCollapsed:
		r.Outcome, r.RetryAfter = core.OutcomeRetry, time.Minute
	case "110002", "110003", "110005":
		r.Outcome = core.OutcomeTokenDead
	default:
		// 201, 110010 (switched off), 110011 (the device's public messages
		// for the day are spent, as OPPO's and HarmonyOS's receipts say
		// theirs are) and codes Meizu has not published: this message
		// fails; the token stays. A hold until the next day would keep the
		// other deliveries of the send task waiting with it.
		r.Outcome = core.OutcomeFailed
	}
	return r
}

// words is "<vendor>: <code> <words>".
func words(vendor, code string, table map[string]string) string {
	if w, ok := table[code]; ok {
		return fmt.Sprintf("%s: %s %s", vendor, code, w)
	}
	return fmt.Sprintf("%s: %s", vendor, code)
}
