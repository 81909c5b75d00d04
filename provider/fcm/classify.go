package fcm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"firebase.google.com/go/v4/errorutils"
	"firebase.google.com/go/v4/messaging"
	"golang.org/x/oauth2"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// quotaDelay is the least delay after QUOTA_EXCEEDED (and a bare 429):
// FCM asks for an initial backoff of at least a minute.
const quotaDelay = time.Minute

// maxReason bounds the vendor's words kept in a Reason.
const maxReason = 300

// failure is what Classify reads from an error.
type failure struct {
	// status is the HTTP status of FCM's answer; 0 when there was none.
	status int
	// platform is the Google API status ("UNAUTHENTICATED"), code the
	// FcmError errorCode ("UNREGISTERED"); both may be empty.
	platform, code string
	message        string
	retryAfter     time.Duration
}

// Classify turns the outcome of one send through the SDK into a Result.
// err is what messaging.Client.Send (or a SendEach response) returned, or
// the OAuth token source's error; nil means FCM accepted the message. now
// resolves an HTTP-date Retry-After.
func Classify(err error, now time.Time) core.Result {
	if err == nil {
		return core.Result{Outcome: core.OutcomeSent}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return retry("FCM: not sent: "+err.Error(), 0)
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return classifyOAuth(re, now)
	}
	if resp := errorutils.HTTPResponse(err); resp != nil {
		return classifyHTTP(failure{
			status:     resp.StatusCode,
			platform:   platformStatus(err),
			code:       fcmCode(err),
			message:    err.Error(),
			retryAfter: channel.RetryAfter(resp.Header, now),
		})
	}
	if platformStatus(err) != "" {
		// The SDK's transport error (it already retried it): no answer
		// from FCM, or no access token.
		return classifyTransport(err)
	}
	if strings.HasPrefix(err.Error(), "error while parsing response") {
		// FCM answered 2xx with a body the SDK could not read: the message
		// was accepted.
		return core.Result{Outcome: core.OutcomeSent, Reason: "FCM: accepted; the answer could not be read"}
	}
	if strings.HasPrefix(err.Error(), "oauth2: ") {
		// The token source failed without an answer (network, bad JSON).
		return retry("FCM: OAuth: "+transportWords(err), 0)
	}
	// The SDK refused the message before sending it (validation).
	return core.Result{Outcome: core.OutcomeFailed, Reason: "FCM: invalid message: " + clip(err.Error())}
}

// fcmCodes are the FcmError codes the SDK recognises, with its predicate.
var fcmCodes = []struct {
	code string
	is   func(error) bool
}{
	{"UNREGISTERED", messaging.IsUnregistered},
	{"SENDER_ID_MISMATCH", messaging.IsSenderIDMismatch},
	{"QUOTA_EXCEEDED", messaging.IsQuotaExceeded},
	{"UNAVAILABLE", messaging.IsUnavailable},
	{"INTERNAL", messaging.IsInternal},
	{"THIRD_PARTY_AUTH_ERROR", messaging.IsThirdPartyAuthError},
	{"INVALID_ARGUMENT", messaging.IsInvalidArgument},
}

func fcmCode(err error) string {
	for _, c := range fcmCodes {
		if c.is(err) {
			return c.code
		}
	}
	return ""
}

// platformStatuses are the Google API statuses the SDK recognises.
var platformStatuses = []struct {
	status string
	is     func(error) bool
}{
	{"INVALID_ARGUMENT", errorutils.IsInvalidArgument},
	{"FAILED_PRECONDITION", errorutils.IsFailedPrecondition},
	{"OUT_OF_RANGE", errorutils.IsOutOfRange},
	{"UNAUTHENTICATED", errorutils.IsUnauthenticated},
	{"PERMISSION_DENIED", errorutils.IsPermissionDenied},
	{"NOT_FOUND", errorutils.IsNotFound},
	{"CONFLICT", errorutils.IsConflict},
	{"ABORTED", errorutils.IsAborted},
	{"ALREADY_EXISTS", errorutils.IsAlreadyExists},
	{"RESOURCE_EXHAUSTED", errorutils.IsResourceExhausted},
	{"CANCELLED", errorutils.IsCancelled},
	{"DATA_LOSS", errorutils.IsDataLoss},
	{"UNKNOWN", errorutils.IsUnknown},
	{"INTERNAL", errorutils.IsInternal},
	{"UNAVAILABLE", errorutils.IsUnavailable},
	{"DEADLINE_EXCEEDED", errorutils.IsDeadlineExceeded},
}

// platformStatus is the Google API status of an SDK error, "" when err is
// not one of the SDK's errors (or has a status the SDK does not know).
func platformStatus(err error) string {
	for _, s := range platformStatuses {
		if s.is(err) {
			return s.status
		}
	}
	return ""
}

// classifyHTTP decides on an error answer from FCM.
func classifyHTTP(f failure) core.Result {
	name := f.code
	if name == "" {
		name = f.platform
	}
	if name == "" || name == "UNKNOWN" {
		name = strconv.Itoa(f.status)
	}
	// The answer's message is read (aboutToken) but not quoted: see
	// channel.Code.
	reason := "FCM: " + name
	if words := codeWords[f.code]; words != "" {
		reason += " (" + words + ")"
	} else if f.code == "INVALID_ARGUMENT" || f.status == http.StatusBadRequest {
		if aboutToken(f.message) {
			reason += " (the registration token is not valid)"
		} else {
			reason += " (the message was refused as invalid)"
		}
	}
	switch f.code {
	case "UNREGISTERED", "SENDER_ID_MISMATCH":
		return core.Result{Outcome: core.OutcomeTokenDead, Reason: reason}
	case "INVALID_ARGUMENT":
		if aboutToken(f.message) {
			return core.Result{Outcome: core.OutcomeTokenDead, Reason: reason}
		}
		return core.Result{Outcome: core.OutcomeFailed, Reason: reason}
	case "QUOTA_EXCEEDED":
		return retry(reason, max(f.retryAfter, quotaDelay))
	case "UNAVAILABLE", "INTERNAL":
		return retry(reason, f.retryAfter)
	case "THIRD_PARTY_AUTH_ERROR":
		return core.Result{Outcome: core.OutcomeConfigError, Reason: reason}
	}
	// No FcmError detail (or one the SDK does not know): go by status.
	switch {
	case f.status == http.StatusTooManyRequests:
		if f.retryAfter == 0 {
			f.retryAfter = quotaDelay
		}
		return retry(reason, f.retryAfter)
	case f.status == http.StatusUnauthorized, f.status == http.StatusForbidden, f.status == http.StatusNotFound:
		// A bad access token, a service account without permission, the
		// API disabled, or no such project: nothing on this credential
		// goes out.
		return core.Result{Outcome: core.OutcomeConfigError, Reason: reason}
	case f.status == http.StatusBadRequest:
		if aboutToken(f.message) {
			return core.Result{Outcome: core.OutcomeTokenDead, Reason: reason}
		}
		return core.Result{Outcome: core.OutcomeFailed, Reason: reason}
	case f.status == http.StatusRequestTimeout, f.status >= 500:
		return retry(reason, f.retryAfter)
	case f.status >= 200 && f.status < 300:
		return core.Result{Outcome: core.OutcomeSent}
	}
	return core.Result{Outcome: core.OutcomeFailed, Reason: reason}
}

// aboutToken tells an INVALID_ARGUMENT about the registration token ("The
// registration token is not a valid FCM registration token") from one
// about the payload.
func aboutToken(message string) bool {
	m := strings.ToLower(message)
	return strings.Contains(m, "registration token") || strings.Contains(m, "message.token")
}

// classifyOAuth decides on the token endpoint's refusal.
func classifyOAuth(re *oauth2.RetrieveError, now time.Time) core.Result {
	status := 0
	var ra time.Duration
	if re.Response != nil {
		status = re.Response.StatusCode
		ra = channel.RetryAfter(re.Response.Header, now)
	}
	// The endpoint's error code is quoted, its description is not (see
	// channel.Code).
	code := re.ErrorCode
	if code == "" {
		var body struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(re.Body, &body) == nil {
			code = body.Error
		}
	}
	reason := "FCM: OAuth"
	if code = channel.Code(code); code != "" {
		reason += " " + code
	} else if status != 0 {
		reason += " " + strconv.Itoa(status)
	}
	if status == http.StatusTooManyRequests || status >= 500 {
		return retry(reason, ra)
	}
	// invalid_grant (bad key, deleted account, clock), invalid_scope,
	// invalid_client: the credentials must be fixed.
	return core.Result{Outcome: core.OutcomeConfigError, Reason: reason}
}

// oauthRefusal matches the token source's error as it reaches the SDK's
// transport error (which keeps only its text): the RetrieveError of
// golang.org/x/oauth2/jwt ("oauth2: cannot fetch token: 400 Bad Request")
// or of the oauth2 package ("oauth2: \"invalid_grant\" ...").
var oauthRefusal = regexp.MustCompile(`oauth2: (?:cannot fetch token: (\d{3}) |"([a-z_]+)")`)

// classifyTransport decides on the SDK's transport error (the SDK has
// already retried it): a token endpoint refusal is a configuration error,
// anything else (reset, timeout, refused connection) a retry.
// The error's text is matched, never quoted: it can carry the token
// endpoint's answer or bytes the far end sent.
func classifyTransport(err error) core.Result {
	message := err.Error()
	if m := oauthRefusal.FindStringSubmatch(message); m != nil {
		st, _ := strconv.Atoi(m[1])
		switch {
		case m[2] != "":
			return core.Result{Outcome: core.OutcomeConfigError, Reason: "FCM: OAuth " + m[2]}
		case st >= 400 && st < 500 && st != http.StatusTooManyRequests:
			return core.Result{Outcome: core.OutcomeConfigError, Reason: "FCM: OAuth refused (HTTP " + m[1] + ")"}
		}
	}
	return retry("FCM: network error: "+transportWords(err), 0)
}

// transportWords describes a transport error the SDK flattened into text
// (it keeps no wrapped error to inspect).
func transportWords(err error) string {
	if words, ok := egress.Explain(err); ok {
		return words
	}
	m := strings.ToLower(err.Error())
	for _, w := range []struct{ in, words string }{
		{"refusing to connect", "refused by the egress policy (PUSHD_EGRESS_ALLOW)"},
		{"deadline exceeded", "timed out"},
		{"timeout", "timed out"},
		{"connection refused", "connection refused"},
		{"connection reset", "connection reset"},
		{"no such host", "no such host"},
		{"x509:", "TLS: the server's certificate is not trusted"},
		{"tls:", "TLS: the handshake failed"},
		{"eof", "the connection closed before the answer"},
	} {
		if strings.Contains(m, w.in) {
			return w.words
		}
	}
	return "the request did not complete"
}

// codeWords say what FCM's error codes mean, in pushd's words.
var codeWords = map[string]string{
	"UNREGISTERED":           "the app instance is no longer registered",
	"SENDER_ID_MISMATCH":     "the token belongs to another Firebase project",
	"QUOTA_EXCEEDED":         "over the sending quota",
	"UNAVAILABLE":            "FCM is unavailable",
	"INTERNAL":               "FCM internal error",
	"THIRD_PARTY_AUTH_ERROR": "the APNs or Web Push credential in Firebase was refused",
}

func retry(reason string, after time.Duration) core.Result {
	return core.Result{Outcome: core.OutcomeRetry, Reason: reason, RetryAfter: after}
}

// clip keeps a vendor message short enough for a delivery's error, on one
// line.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxReason {
		cut := maxReason
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
