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
	"github.com/pushd/pushd/push/core"
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
var outcomes = map[string]core.Outcome{
	// The device token is dead.
	apns2.ReasonUnregistered:           core.OutcomeTokenDead,
	apns2.ReasonExpiredToken:           core.OutcomeTokenDead,
	apns2.ReasonBadDeviceToken:         core.OutcomeTokenDead,
	apns2.ReasonDeviceTokenNotForTopic: core.OutcomeTokenDead,

	// The channel's credentials or topic are wrong.
	apns2.ReasonTopicDisallowed:           core.OutcomeConfigError,
	apns2.ReasonBadTopic:                  core.OutcomeConfigError,
	apns2.ReasonMissingTopic:              core.OutcomeConfigError,
	apns2.ReasonInvalidProviderToken:      core.OutcomeConfigError,
	apns2.ReasonMissingProviderToken:      core.OutcomeConfigError,
	apns2.ReasonBadCertificate:            core.OutcomeConfigError,
	apns2.ReasonBadCertificateEnvironment: core.OutcomeConfigError,
	apns2.ReasonForbidden:                 core.OutcomeConfigError,
	reasonUnrelatedKeyIDInToken:           core.OutcomeConfigError,
	reasonBadEnvironmentKeyIDInToken:      core.OutcomeConfigError,

	// Transient: try again (ExpiredProviderToken after a new JWT).
	apns2.ReasonExpiredProviderToken:        core.OutcomeRetry,
	apns2.ReasonTooManyRequests:             core.OutcomeRetry,
	apns2.ReasonTooManyProviderTokenUpdates: core.OutcomeRetry,
	apns2.ReasonIdleTimeout:                 core.OutcomeRetry,
	apns2.ReasonInternalServerError:         core.OutcomeRetry,
	apns2.ReasonServiceUnavailable:          core.OutcomeRetry,
	apns2.ReasonShutdown:                    core.OutcomeRetry,

	// This message was refused as it is.
	apns2.ReasonPayloadTooLarge:    core.OutcomeFailed,
	apns2.ReasonPayloadEmpty:       core.OutcomeFailed,
	apns2.ReasonBadCollapseID:      core.OutcomeFailed,
	apns2.ReasonBadExpirationDate:  core.OutcomeFailed,
	apns2.ReasonBadPriority:        core.OutcomeFailed,
	apns2.ReasonInvalidPushType:    core.OutcomeFailed,
	apns2.ReasonBadMessageID:       core.OutcomeFailed,
	apns2.ReasonDuplicateHeaders:   core.OutcomeFailed,
	apns2.ReasonMissingDeviceToken: core.OutcomeFailed,
	apns2.ReasonBadPath:            core.OutcomeFailed,
	apns2.ReasonMethodNotAllowed:   core.OutcomeFailed,
}

// Classify turns what apns2's PushWithContext returned into a result:
// the response's status and reason when there is one, else the transport
// error. Reasons read "APNs: 410 Unregistered".
func Classify(res *apns2.Response, err error) core.Result {
	if err != nil {
		return classifyError(err)
	}
	if res == nil || res.StatusCode == 0 {
		return core.Result{Outcome: core.OutcomeRetry, Reason: "APNs: no response"}
	}
	if res.StatusCode == http.StatusOK {
		return core.Result{Outcome: core.OutcomeSent}
	}
	words := channel.Code(res.Reason)
	if words == "" {
		words = http.StatusText(res.StatusCode)
	}
	r := core.Result{Reason: fmt.Sprintf("APNs: %d %s", res.StatusCode, words)}
	outcome, known := outcomes[res.Reason]
	switch {
	case known:
		r.Outcome = outcome
	case res.StatusCode == http.StatusGone:
		// "The device token is no longer active for the topic."
		r.Outcome = core.OutcomeTokenDead
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500:
		r.Outcome = core.OutcomeRetry
	default:
		r.Outcome = core.OutcomeFailed
	}
	switch {
	case res.Reason == apns2.ReasonTooManyProviderTokenUpdates:
		r.RetryAfter = tokenUpdatesDelay
	case res.StatusCode == http.StatusTooManyRequests:
		r.RetryAfter = tooManyRequestsDelay
	}
	if r.Outcome == core.OutcomeTokenDead && res.StatusCode == http.StatusGone {
		r.TokenInvalidSince = res.Timestamp.Time
	}
	return r
}

// classifyError: a payload that cannot be encoded fails; anything else
// (connection refused or reset, GOAWAY, timeout, an unreadable answer,
// the caller giving up) is retried.
func classifyError(err error) core.Result {
	var (
		unsupportedValue *json.UnsupportedValueError
		unsupportedType  *json.UnsupportedTypeError
		marshaler        *json.MarshalerError
	)
	switch {
	case errors.As(err, &unsupportedValue), errors.As(err, &unsupportedType), errors.As(err, &marshaler):
		return core.Result{Outcome: core.OutcomeFailed, Reason: "APNs: payload cannot be encoded: " + err.Error()}
	case errors.Is(err, context.Canceled):
		return core.Result{Outcome: core.OutcomeRetry, Reason: "APNs: not sent: cancelled"}
	case errors.Is(err, context.DeadlineExceeded):
		return core.Result{Outcome: core.OutcomeRetry, Reason: "APNs: timeout"}
	default:
		// Described, never quoted: a transport error can carry what the
		// far end sent.
		return core.Result{Outcome: core.OutcomeRetry, Reason: "APNs: network error: " + egress.Describe(err)}
	}
}
