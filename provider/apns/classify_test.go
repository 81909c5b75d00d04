package apns

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/pushd/pushd/push/core"

	"github.com/sideshow/apns2"
	"github.com/stretchr/testify/require"
)

func TestClassifyResponses(t *testing.T) {
	t.Parallel()
	since := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	type want struct {
		outcome    core.Outcome
		reason     string
		retryAfter time.Duration // least delay
		since      time.Time
	}
	rows := []struct {
		status int
		reason string
		ts     time.Time
		want   want
	}{
		{200, "", time.Time{}, want{outcome: core.OutcomeSent}},
		// Dead tokens.
		{410, "Unregistered", since, want{core.OutcomeTokenDead, "APNs: 410 Unregistered", 0, since}},
		{410, "ExpiredToken", since, want{core.OutcomeTokenDead, "APNs: 410 ExpiredToken", 0, since}},
		{410, "ExpiredToken", time.Time{}, want{core.OutcomeTokenDead, "APNs: 410 ExpiredToken", 0, time.Time{}}},
		{400, "BadDeviceToken", time.Time{}, want{outcome: core.OutcomeTokenDead, reason: "APNs: 400 BadDeviceToken"}},
		{400, "DeviceTokenNotForTopic", time.Time{}, want{outcome: core.OutcomeTokenDead, reason: "APNs: 400 DeviceTokenNotForTopic"}},
		// Channel configuration.
		{400, "TopicDisallowed", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 400 TopicDisallowed"}},
		{400, "BadTopic", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 400 BadTopic"}},
		{400, "MissingTopic", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 400 MissingTopic"}},
		{403, "InvalidProviderToken", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 403 InvalidProviderToken"}},
		{403, "MissingProviderToken", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 403 MissingProviderToken"}},
		{403, "BadCertificate", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 403 BadCertificate"}},
		{403, "BadCertificateEnvironment", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 403 BadCertificateEnvironment"}},
		{403, "Forbidden", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 403 Forbidden"}},
		{403, "UnrelatedKeyIdInToken", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 403 UnrelatedKeyIdInToken"}},
		{403, "BadEnvironmentKeyIdInToken", time.Time{}, want{outcome: core.OutcomeConfigError, reason: "APNs: 403 BadEnvironmentKeyIdInToken"}},
		// Transient.
		{403, "ExpiredProviderToken", time.Time{}, want{outcome: core.OutcomeRetry, reason: "APNs: 403 ExpiredProviderToken"}},
		{429, "TooManyRequests", time.Time{}, want{core.OutcomeRetry, "APNs: 429 TooManyRequests", time.Second, time.Time{}}},
		{429, "TooManyProviderTokenUpdates", time.Time{}, want{core.OutcomeRetry, "APNs: 429 TooManyProviderTokenUpdates", time.Second, time.Time{}}},
		{400, "IdleTimeout", time.Time{}, want{outcome: core.OutcomeRetry, reason: "APNs: 400 IdleTimeout"}},
		{500, "InternalServerError", time.Time{}, want{outcome: core.OutcomeRetry, reason: "APNs: 500 InternalServerError"}},
		{503, "ServiceUnavailable", time.Time{}, want{outcome: core.OutcomeRetry, reason: "APNs: 503 ServiceUnavailable"}},
		{503, "Shutdown", time.Time{}, want{outcome: core.OutcomeRetry, reason: "APNs: 503 Shutdown"}},
		{502, "", time.Time{}, want{outcome: core.OutcomeRetry, reason: "APNs: 502 Bad Gateway"}},
		// This message.
		{413, "PayloadTooLarge", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 413 PayloadTooLarge"}},
		{400, "BadCollapseId", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 400 BadCollapseId"}},
		{400, "BadExpirationDate", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 400 BadExpirationDate"}},
		{400, "BadPriority", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 400 BadPriority"}},
		{400, "PayloadEmpty", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 400 PayloadEmpty"}},
		{400, "InvalidPushType", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 400 InvalidPushType"}},
		{400, "BadMessageId", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 400 BadMessageId"}},
		{400, "DuplicateHeaders", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 400 DuplicateHeaders"}},
		{400, "MissingDeviceToken", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 400 MissingDeviceToken"}},
		{404, "BadPath", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 404 BadPath"}},
		{405, "MethodNotAllowed", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 405 MethodNotAllowed"}},
		// Unknown.
		{400, "SomethingNew", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 400 SomethingNew"}},
		{403, "SomethingNew", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 403 SomethingNew"}},
		{410, "SomethingNew", since, want{core.OutcomeTokenDead, "APNs: 410 SomethingNew", 0, since}},
		{429, "SomethingNew", time.Time{}, want{core.OutcomeRetry, "APNs: 429 SomethingNew", time.Second, time.Time{}}},
		{418, "", time.Time{}, want{outcome: core.OutcomeFailed, reason: "APNs: 418 I'm a teapot"}},
	}
	for _, row := range rows {
		t.Run(fmt.Sprintf("%d %s", row.status, row.reason), func(t *testing.T) {
			t.Parallel()
			got := Classify(&apns2.Response{StatusCode: row.status, Reason: row.reason, Timestamp: apns2.Time{Time: row.ts}}, nil)
			require.Equal(t, row.want.outcome, got.Outcome)
			require.Equal(t, row.want.reason, got.Reason)
			require.Equal(t, row.want.since, got.TokenInvalidSince)
			if row.want.retryAfter > 0 {
				require.GreaterOrEqual(t, got.RetryAfter, row.want.retryAfter)
			} else {
				require.Zero(t, got.RetryAfter)
			}
		})
	}
}

func TestClassifyErrors(t *testing.T) {
	t.Parallel()
	reset := &url.Error{Op: "Post", URL: "https://api.push.apple.com/3/device/x",
		Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	rows := []struct {
		name    string
		err     error
		outcome core.Outcome
		prefix  string
	}{
		{"reset", reset, core.OutcomeRetry, "APNs: network error: "},
		{"refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, core.OutcomeRetry, "APNs: network error: "},
		{"eof", io.ErrUnexpectedEOF, core.OutcomeRetry, "APNs: network error: "},
		{"garbled answer", &json.SyntaxError{Offset: 1}, core.OutcomeRetry, "APNs: network error: "},
		{"quoting the far end", errors.New(`net/http: malformed HTTP response "SECRET"`), core.OutcomeRetry, "APNs: network error: network error"},
		{"canceled", &url.Error{Op: "Post", Err: context.Canceled}, core.OutcomeRetry, "APNs: not sent: "},
		{"timeout", fmt.Errorf("x: %w", context.DeadlineExceeded), core.OutcomeRetry, "APNs: timeout"},
		{"payload", &json.UnsupportedValueError{Str: "NaN"}, core.OutcomeFailed, "APNs: payload cannot be encoded: "},
		{"payload type", &json.UnsupportedTypeError{Type: reflect.TypeFor[chan int]()}, core.OutcomeFailed, "APNs: payload cannot be encoded: "},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			// apns2 returns an empty response with a decoding error.
			for _, res := range []*apns2.Response{nil, {}} {
				got := Classify(res, row.err)
				require.Equal(t, row.outcome, got.Outcome)
				require.Contains(t, got.Reason, row.prefix)
				require.NotContains(t, got.Reason, "SECRET")
			}
		})
	}
	require.Equal(t, core.OutcomeRetry, Classify(nil, nil).Outcome)
}

// The payload that cannot be encoded fails through apns2 as well.
func TestClassifyUnencodablePayload(t *testing.T) {
	t.Parallel()
	c := &apns2.Client{Host: "https://apns.invalid"}
	_, err := c.PushWithContext(context.Background(), &apns2.Notification{Payload: map[string]any{"x": math.Inf(1)}})
	require.Equal(t, core.OutcomeFailed, Classify(nil, err).Outcome)
}

// FuzzClassify feeds arbitrary answers through apns2's response decoding
// (as PushWithContext does) and the classifier: never a panic, always a
// valid outcome, a reason for every failure.
func FuzzClassify(f *testing.F) {
	f.Add(200, []byte(""))
	f.Add(410, []byte(`{"reason":"Unregistered","timestamp":1700000000000}`))
	f.Add(410, []byte(`{"reason":"Unregistered","timestamp":"soon"}`))
	f.Add(400, []byte(`{"reason":"BadDeviceToken"}`))
	f.Add(403, []byte(`{"reason":"ExpiredProviderToken"}`))
	f.Add(429, []byte(`{"reason":"TooManyRequests"}`))
	f.Add(503, []byte(`<html>bad gateway</html>`))
	f.Add(0, []byte(`{}`))
	f.Add(-1, []byte(`{"reason":12}`))
	f.Add(999, []byte(`{"reason":"`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		res := &apns2.Response{StatusCode: status}
		err := json.NewDecoder(bytes.NewReader(body)).Decode(res)
		if errors.Is(err, io.EOF) {
			err = nil
		}
		if err != nil {
			res = &apns2.Response{}
		}
		r := Classify(res, err)
		if r.Outcome < core.OutcomeSent || r.Outcome > core.OutcomeConfigError {
			t.Fatalf("outcome %d", r.Outcome)
		}
		if r.Outcome != core.OutcomeSent && r.Reason == "" {
			t.Fatalf("no reason for %d %q", status, body)
		}
		if r.RetryAfter < 0 {
			t.Fatalf("negative delay")
		}
	})
}

// A reason that is not one of APNs' codes is not quoted.
func TestClassifyQuotesCodesOnly(t *testing.T) {
	t.Parallel()
	got := Classify(&apns2.Response{StatusCode: 400, Reason: "<html>internal page</html>"}, nil)
	require.Equal(t, "APNs: 400 Bad Request", got.Reason)
	got = Classify(&apns2.Response{StatusCode: 400, Reason: apns2.ReasonBadDeviceToken}, nil)
	require.Equal(t, "APNs: 400 BadDeviceToken", got.Reason)
}
