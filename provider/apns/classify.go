package apns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sideshow/apns2"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push"
)

// APNs reasons that sideshow/apns2 does not name (team- and
// environment-scoped keys, 2025).
const (
	reasonUnrelatedKeyIDInToken      = "UnrelatedKeyIdInToken"
	reasonBadEnvironmentKeyIDInToken = "BadEnvironmentKeyIdInToken"
)

// Delays asked of the queue. APNs sends no Retry-After.
const (
	// tooManyRequestsDelay: APNs throttles pushes to one device token.
	tooManyRequestsDelay = 10 * time.Second
	// tokenUpdatesDelay: the provider token changed too often; the
	// cached one is good, so wait a little and reuse it.
	tokenUpdatesDelay = time.Minute
)

// outcomes maps each APNs reason to what pushd does about it.
var outcomes = map[string]push.Outcome{
	// The device token is dead.
	apns2.ReasonUnregistered:           push.OutcomeTokenDead,
	apns2.ReasonExpiredToken:           push.OutcomeTokenDead,
	apns2.ReasonBadDeviceToken:         push.OutcomeTokenDead,
	apns2.ReasonDeviceTokenNotForTopic: push.OutcomeTokenDead,

	// The channel's credentials or topic are wrong.
	apns2.ReasonTopicDisallowed:           push.OutcomeConfigError,
	apns2.ReasonBadTopic:                  push.OutcomeConfigError,
	apns2.ReasonMissingTopic:              push.OutcomeConfigError,
	apns2.ReasonInvalidProviderToken:      push.OutcomeConfigError,
	apns2.ReasonMissingProviderToken:      push.OutcomeConfigError,
	apns2.ReasonBadCertificate:            push.OutcomeConfigError,
	apns2.ReasonBadCertificateEnvironment: push.OutcomeConfigError,
	apns2.ReasonForbidden:                 push.OutcomeConfigError,
	reasonUnrelatedKeyIDInToken:           push.OutcomeConfigError,
	reasonBadEnvironmentKeyIDInToken:      push.OutcomeConfigError,

	// Transient: try again (ExpiredProviderToken after a new JWT).
	apns2.ReasonExpiredProviderToken:        push.OutcomeRetry,
	apns2.ReasonTooManyRequests:             push.OutcomeRetry,
	apns2.ReasonTooManyProviderTokenUpdates: push.OutcomeRetry,
	apns2.ReasonIdleTimeout:                 push.OutcomeRetry,
	apns2.ReasonInternalServerError:         push.OutcomeRetry,
	apns2.ReasonServiceUnavailable:          push.OutcomeRetry,
	apns2.ReasonShutdown:                    push.OutcomeRetry,

	// This message was refused as it is.
	apns2.ReasonPayloadTooLarge:    push.OutcomeFailed,
	apns2.ReasonPayloadEmpty:       push.OutcomeFailed,
	apns2.ReasonBadCollapseID:      push.OutcomeFailed,
	apns2.ReasonBadExpirationDate:  push.OutcomeFailed,
	apns2.ReasonBadPriority:        push.OutcomeFailed,
	apns2.ReasonInvalidPushType:    push.OutcomeFailed,
	apns2.ReasonBadMessageID:       push.OutcomeFailed,
	apns2.ReasonDuplicateHeaders:   push.OutcomeFailed,
	apns2.ReasonMissingDeviceToken: push.OutcomeFailed,
	apns2.ReasonBadPath:            push.OutcomeFailed,
	apns2.ReasonMethodNotAllowed:   push.OutcomeFailed,
}

// Classify turns what apns2's PushWithContext returned into a result:
// the response's status and reason when there is one, else the transport
// error. Reasons read "APNs: 410 Unregistered".
func Classify(res *apns2.Response, err error) push.Result {
	if err != nil {
		return classifyError(err)
	}
	if res == nil || res.StatusCode == 0 {
		return push.Result{Outcome: push.OutcomeRetry, Reason: "APNs: no response"}
	}
	if res.StatusCode == http.StatusOK {
		return push.Result{Outcome: push.OutcomeSent}
	}
	words := channel.Code(res.Reason)
	if words == "" {
		words = http.StatusText(res.StatusCode)
	}
	r := push.Result{Reason: fmt.Sprintf("APNs: %d %s", res.StatusCode, words)}
	outcome, known := outcomes[res.Reason]
	switch {
	case known:
		r.Outcome = outcome
	case res.StatusCode == http.StatusGone:
		// "The device token is no longer active for the topic."
		r.Outcome = push.OutcomeTokenDead
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500:
		r.Outcome = push.OutcomeRetry
	default:
		r.Outcome = push.OutcomeFailed
	}
	switch {
	case res.Reason == apns2.ReasonTooManyProviderTokenUpdates:
		r.RetryAfter = tokenUpdatesDelay
	case res.StatusCode == http.StatusTooManyRequests:
		r.RetryAfter = tooManyRequestsDelay
	}
	if r.Outcome == push.OutcomeTokenDead && res.StatusCode == http.StatusGone {
		r.TokenInvalidSince = res.Timestamp.Time
	}
	return r
}

// classifyError: a payload that cannot be encoded fails; anything else
// (connection refused or reset, GOAWAY, timeout, an unreadable answer,
// the caller giving up) is retried.
func classifyError(err error) push.Result {
	var (
		unsupportedValue *json.UnsupportedValueError
		unsupportedType  *json.UnsupportedTypeError
		marshaler        *json.MarshalerError
	)
	switch {
	case errors.As(err, &unsupportedValue), errors.As(err, &unsupportedType), errors.As(err, &marshaler):
		return push.Result{Outcome: push.OutcomeFailed, Reason: "APNs: payload cannot be encoded: " + err.Error()}
	case errors.Is(err, context.Canceled):
		return push.Result{Outcome: push.OutcomeRetry, Reason: "APNs: not sent: cancelled"}
	case errors.Is(err, context.DeadlineExceeded):
		return push.Result{Outcome: push.OutcomeRetry, Reason: "APNs: timeout"}
	default:
		// Described, never quoted: a transport error can carry what the
		// far end sent.
		return push.Result{Outcome: push.OutcomeRetry, Reason: "APNs: network error: " + egress.Describe(err)}
	}
}
