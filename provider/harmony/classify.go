package harmony

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Push Kit's codes pushd acts on (docs/channels.md maps each).
const (
	codeOK             = "80000000"
	codePartial        = "80100000"
	codeAllInvalid     = "80300007"
	codeAuth           = "80200001"
	codeJWTExpired     = "80200005"
	codeInner          = "81000001"
	codeTestRateLimit  = "80300029"
	configMinBatchSize = 5
)

// codeWords are pushd's words for Push Kit's codes.
var codeWords = map[string]string{
	"80100001": "parameter error", "80100003": "illegal payload", "80100004": "illegal expire time",
	"80100022": "image not verified", "80200001": "authentication error", "80200005": "JWT expired",
	"80300002": "no permission to send (Push Kit off, or not this project's tokens)",
	"80300007": "all the tokens are invalid", "80300008": "message too long",
	"80300010": "too many or no tokens", "80300029": "test messages over the rate limit",
	"80300030": "too many tokens for a test message", "80300036": "JWT lifetime over a day",
	"80300037": "sending disabled: the app is penalised", "81000001": "internal error",
}

// configCodes refuse the credentials or the project, not the message.
var configCodes = map[string]bool{"80200001": true, "80300002": true, "80300036": true, "80300037": true}

// deadReasons name tokens that will never work again for this project.
var deadReasons = map[string]bool{"tokenFormatError": true, "tokenPlatformNotSupport": true, "noRight": true}

// Answer is what one messages:send answer means.
type Answer struct {
	// Code is Push Kit's code ("" when the answer carried none).
	Code string
	// Reauth: Push Kit refused the JWT; a new one may be sent.
	Reauth bool
	// Each is the outcome per token, in the order sent.
	Each []core.Result
}

// Classify reads one messages:send answer for tokens, in the order sent.
// It is pure: now only anchors a Retry-After.
func Classify(status int, h http.Header, body []byte, tokens []string, now time.Time) Answer {
	var b struct {
		Code string `json:"code"`
		Msg  string `json:"msg"`
	}
	a := Answer{Each: make([]core.Result, len(tokens))}
	all := func(r core.Result) Answer {
		for i := range a.Each {
			a.Each[i] = r
		}
		return a
	}
	if json.Unmarshal(bytes.TrimSpace(body), &b) != nil || b.Code == "" {
		a.Reauth = status == http.StatusUnauthorized
		return all(channel.StatusResult("HarmonyOS", status, h, now))
	}
	a.Code = b.Code
	r := core.Result{Reason: reason(b.Code)}
	switch {
	case b.Code == codeOK:
		return all(core.Result{Outcome: core.OutcomeSent})
	case b.Code == codePartial || b.Code == codeAllInvalid:
		return perToken(a, b.Msg, tokens)
	case b.Code == codeJWTExpired || b.Code == codeAuth:
		a.Reauth = true
		r.Outcome = core.OutcomeConfigError
		if b.Code == codeJWTExpired {
			r.Outcome = core.OutcomeRetry
		}
	case b.Code == codeInner || b.Code == codeTestRateLimit || status >= 500:
		r.Outcome, r.RetryAfter = core.OutcomeRetry, channel.RetryAfter(h, now)
	case configCodes[b.Code]:
		r.Outcome = core.OutcomeConfigError
	default:
		// The request is wrong (its payload, size, TTL or image): sending it
		// again fails again.
		r.Outcome = core.OutcomeFailed
	}
	return all(r)
}

// perToken reads the illegalTokens of a partial success or of "all the
// tokens are invalid": msg is JSON text {"illegalTokens": {"<reason>":
// [tokens]}, ...}. A token not named was taken. When every token of a
// request of some size is refused as noRight, the tokens are not dead:
// the credentials are another project's.
func perToken(a Answer, msg string, tokens []string) Answer {
	var m struct {
		IllegalTokens map[string][]string `json:"illegalTokens"`
	}
	_ = json.Unmarshal([]byte(msg), &m)
	bad := map[string]string{}
	for why, ts := range m.IllegalTokens {
		for _, t := range ts {
			bad[t] = why
		}
	}
	if len(tokens) >= configMinBatchSize && len(m.IllegalTokens["noRight"]) == len(tokens) {
		for i := range a.Each {
			a.Each[i] = core.Result{Outcome: core.OutcomeConfigError,
				Reason: "HarmonyOS: every token refused as noRight: the service account is another project's"}
		}
		return a
	}
	for i, t := range tokens {
		why, refused := bad[t]
		switch {
		case !refused && a.Code == codeAllInvalid:
			a.Each[i] = core.Result{Outcome: core.OutcomeFailed, Reason: reason(a.Code)}
		case !refused:
			a.Each[i] = core.Result{Outcome: core.OutcomeSent}
		case deadReasons[why]:
			a.Each[i] = core.Result{Outcome: core.OutcomeTokenDead, Reason: "HarmonyOS: " + why}
		case why == "appinfoError":
			a.Each[i] = core.Result{Outcome: core.OutcomeRetry, Reason: "HarmonyOS: appinfoError (the app is not set up yet)"}
		default:
			a.Each[i] = core.Result{Outcome: core.OutcomeFailed, Reason: "HarmonyOS: " + reasonWord(why)}
		}
	}
	return a
}

// reasonWord keeps a token reason only when it is one Push Kit documents:
// it is the vendor's text.
func reasonWord(why string) string {
	switch why {
	case "noPushTypeRight", "noRightToSendThisLiveNotificationEvent", "notSupportPlayVoice",
		"atomicUnableSendUnsubscribedMsg", "differentImgVerifyPolicy", "countryNotSupport",
		"disableSendHuaweiMsgBecauseOfPenalty":
		return why
	}
	return "token refused"
}

// reason is "HarmonyOS: <code> <words>".
func reason(code string) string {
	if w, ok := codeWords[code]; ok {
		return fmt.Sprintf("HarmonyOS: %s %s", code, w)
	}
	return "HarmonyOS: " + code
}
