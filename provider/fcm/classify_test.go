package fcm

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pushd/pushd/push/core"

	"firebase.google.com/go/v4/messaging"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"google.golang.org/api/option"
)

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// sdkClient is a messaging client whose requests all get answer: no
// network, the SDK's own error handling.
func sdkClient(t testing.TB, answer roundTrip) *messaging.Client {
	t.Helper()
	c, err := newMessagingClient(context.Background(), "proj",
		option.WithHTTPClient(&http.Client{Transport: answer}), option.WithEndpoint("https://fcm.invalid/v1"))
	require.NoError(t, err)
	return c
}

// canned answers with one HTTP response.
func canned(status int, retryAfter, body string) roundTrip {
	return func(r *http.Request) (*http.Response, error) {
		if err := r.Context().Err(); err != nil {
			return nil, err
		}
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		h := http.Header{"Content-Type": {"application/json"}}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{
			StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status),
			Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r,
			ProtoMajor: 1, ProtoMinor: 1,
		}, nil
	}
}

// sdkError is what the SDK returns for a send answered by answer.
func sdkError(t testing.TB, answer roundTrip) error {
	t.Helper()
	_, err := sdkClient(t, answer).Send(context.Background(), &messaging.Message{Token: "tok"})
	return err
}

func envelope(code int, status, message, fcmCode string) string {
	details := ""
	if fcmCode != "" {
		details = `,"details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"` + fcmCode + `"}]`
	}
	return `{"error":{"code":` + strconv.Itoa(code) + `,"message":"` + message + `","status":"` + status + `"` + details + `}}`
}

func TestClassify(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, ctxErr := sdkClient(t, canned(200, "", `{"name":"x"}`)).Send(cancelled, &messaging.Message{Token: "tok"})

	type row struct {
		name string
		// answer is FCM's answer, through the SDK; err is used when nil.
		answer roundTrip
		err    error
		want   core.Outcome
		after  time.Duration
		reason string // prefix
	}
	rows := []row{
		{name: "success", answer: canned(200, "", `{"name":"projects/proj/messages/0:1"}`), want: core.OutcomeSent},
		{name: "2xx with an unreadable body", answer: canned(200, "", `not json`), want: core.OutcomeSent, reason: "FCM: accepted"},
		{name: "UNREGISTERED", answer: canned(404, "", envelope(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")),
			want: core.OutcomeTokenDead, reason: "FCM: UNREGISTERED (the app instance is no longer registered)"},
		{name: "INVALID_ARGUMENT bad token", answer: canned(400, "", envelope(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT")),
			want: core.OutcomeTokenDead, reason: "FCM: INVALID_ARGUMENT (the registration token is not valid)"},
		{name: "INVALID_ARGUMENT payload", answer: canned(400, "", envelope(400, "INVALID_ARGUMENT", "Invalid data payload key: from", "INVALID_ARGUMENT")),
			want: core.OutcomeFailed, reason: "FCM: INVALID_ARGUMENT (the message was refused as invalid)"},
		{name: "INVALID_ARGUMENT without detail", answer: canned(400, "", envelope(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", "")),
			want: core.OutcomeFailed, reason: "FCM: INVALID_ARGUMENT"},
		{name: "400 not JSON", answer: canned(400, "", `<html>bad request</html>`), want: core.OutcomeFailed, reason: "FCM: INVALID_ARGUMENT"},
		{name: "SENDER_ID_MISMATCH", answer: canned(403, "", envelope(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH")),
			want: core.OutcomeTokenDead, reason: "FCM: SENDER_ID_MISMATCH"},
		{name: "QUOTA_EXCEEDED short Retry-After", answer: canned(429, "10", envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded", "QUOTA_EXCEEDED")),
			want: core.OutcomeRetry, after: time.Minute, reason: "FCM: QUOTA_EXCEEDED"},
		{name: "QUOTA_EXCEEDED long Retry-After", answer: canned(429, "300", envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded", "QUOTA_EXCEEDED")),
			want: core.OutcomeRetry, after: 5 * time.Minute, reason: "FCM: QUOTA_EXCEEDED"},
		{name: "QUOTA_EXCEEDED no Retry-After", answer: canned(429, "", envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded", "QUOTA_EXCEEDED")),
			want: core.OutcomeRetry, after: time.Minute},
		{name: "bare 429 with Retry-After", answer: canned(429, "30", envelope(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", "")),
			want: core.OutcomeRetry, after: 30 * time.Second, reason: "FCM: RESOURCE_EXHAUSTED"},
		{name: "bare 429 without Retry-After", answer: canned(429, "", `{}`), want: core.OutcomeRetry, after: time.Minute},
		// A Retry-After above 2 minutes stops the SDK's own retries.
		{name: "UNAVAILABLE with Retry-After", answer: canned(503, "300", envelope(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE")),
			want: core.OutcomeRetry, after: 5 * time.Minute, reason: "FCM: UNAVAILABLE (FCM is unavailable)"},
		{name: "INTERNAL", answer: canned(500, "", envelope(500, "INTERNAL", "Internal error encountered.", "INTERNAL")),
			want: core.OutcomeRetry, reason: "FCM: INTERNAL"},
		{name: "INTERNAL with Retry-After", answer: canned(500, "7", envelope(500, "INTERNAL", "Internal error encountered.", "INTERNAL")),
			want: core.OutcomeRetry, after: 7 * time.Second},
		{name: "UNSPECIFIED_ERROR", answer: canned(500, "", envelope(500, "INTERNAL", "Unknown error.", "UNSPECIFIED_ERROR")), want: core.OutcomeRetry},
		{name: "502 from a proxy", answer: canned(502, "", `<html>bad gateway</html>`), want: core.OutcomeRetry, reason: "FCM: 502"},
		{name: "THIRD_PARTY_AUTH_ERROR", answer: canned(401, "", envelope(401, "UNAUTHENTICATED", "Auth error from APNS or Web Push Service", "THIRD_PARTY_AUTH_ERROR")),
			want: core.OutcomeConfigError, reason: "FCM: THIRD_PARTY_AUTH_ERROR"},
		{name: "APNS_AUTH_ERROR", answer: canned(401, "", envelope(401, "UNAUTHENTICATED", "Auth error from APNS or Web Push Service", "APNS_AUTH_ERROR")),
			want: core.OutcomeConfigError, reason: "FCM: THIRD_PARTY_AUTH_ERROR"},
		{name: "401 without detail", answer: canned(401, "", envelope(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", "")),
			want: core.OutcomeConfigError, reason: "FCM: UNAUTHENTICATED"},
		{name: "403 PERMISSION_DENIED", answer: canned(403, "", envelope(403, "PERMISSION_DENIED", "Permission 'cloudmessaging.messages.create' denied", "")),
			want: core.OutcomeConfigError, reason: "FCM: PERMISSION_DENIED"},
		{name: "404 without detail", answer: canned(404, "", `Not Found`), want: core.OutcomeConfigError, reason: "FCM: NOT_FOUND"},
		{name: "OAuth invalid_grant", err: &oauth2.RetrieveError{
			Response: &http.Response{StatusCode: 400, Header: http.Header{}},
			Body:     []byte(`{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`),
		}, want: core.OutcomeConfigError, reason: "FCM: OAuth invalid_grant"},
		{name: "OAuth invalid_scope (parsed code)", err: &oauth2.RetrieveError{
			Response: &http.Response{StatusCode: 400}, ErrorCode: "invalid_scope",
		}, want: core.OutcomeConfigError, reason: "FCM: OAuth invalid_scope"},
		{name: "OAuth endpoint 503", err: &oauth2.RetrieveError{
			Response: &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"20"}}}, Body: []byte(`oops`),
		}, want: core.OutcomeRetry, after: 20 * time.Second, reason: "FCM: OAuth 503"},
		{name: "OAuth endpoint unreachable", err: errors.New(`oauth2: cannot fetch token: Post "https://oauth2.googleapis.com/token": dial tcp: connection refused`),
			want: core.OutcomeRetry, reason: "FCM: OAuth: connection refused"},
		{name: "context cancelled", err: ctxErr, want: core.OutcomeRetry, reason: "FCM: not sent: context canceled"},
		{name: "deadline", err: context.DeadlineExceeded, want: core.OutcomeRetry},
		{name: "SDK refuses the message", err: func() error {
			_, err := sdkClient(t, canned(200, "", `{}`)).Send(context.Background(), &messaging.Message{})
			return err
		}(), want: core.OutcomeFailed, reason: "FCM: invalid message: exactly one of token"},
		// The SDK retries these four times (0+1+2+4 s) before it gives up.
		{name: "network error", answer: func(*http.Request) (*http.Response, error) {
			return nil, errors.New("read tcp 10.0.0.1:443: connection reset by peer")
		}, want: core.OutcomeRetry, reason: "FCM: network error: connection reset"},
		{name: "OAuth refusal inside the SDK", answer: func(*http.Request) (*http.Response, error) {
			return nil, &oauth2.RetrieveError{Response: &http.Response{StatusCode: 400, Status: "400 Bad Request"}, Body: []byte(`{"error":"invalid_grant"}`)}
		}, want: core.OutcomeConfigError, reason: "FCM: OAuth refused (HTTP 400)"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			err := r.err
			if r.answer != nil {
				err = sdkError(t, r.answer)
			}
			got := Classify(err, now)
			require.Equal(t, r.want, got.Outcome, "%+v (error %v)", got, err)
			require.Equal(t, r.after, got.RetryAfter)
			require.True(t, strings.HasPrefix(got.Reason, r.reason), "reason %q, want prefix %q", got.Reason, r.reason)
			if got.Outcome != core.OutcomeSent {
				require.True(t, strings.HasPrefix(got.Reason, "FCM: "), got.Reason)
			}
			// FCM's and the network's own words are not quoted.
			for _, far := range []string{"Requested entity", "registration token is not a valid", "Invalid data payload",
				"Permission '", "Invalid JWT", "currently unavailable", "invalid authentication", "10.0.0.1", "oauth2.googleapis.com", "<html>"} {
				require.NotContains(t, got.Reason, far)
			}
		})
	}
}

func TestClassifyHTTPDateRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Now()
	err := sdkError(t, canned(503, now.Add(10*time.Minute).UTC().Format(http.TimeFormat), envelope(503, "UNAVAILABLE", "x", "UNAVAILABLE")))
	got := Classify(err, now)
	require.Equal(t, core.OutcomeRetry, got.Outcome)
	require.InDelta(t, 10*time.Minute, got.RetryAfter, float64(2*time.Second))
}

func TestClip(t *testing.T) {
	t.Parallel()
	s := clip(strings.Repeat("é", 400) + "\n tail")
	require.LessOrEqual(t, len(s), maxReason+len("…"))
	require.True(t, strings.HasSuffix(s, "…"))
	require.NotContains(t, s, "\uFFFD")
	require.Equal(t, "a b", clip(" a\n\tb "))
}

// FuzzClassify runs arbitrary FCM answers through the SDK's error
// handling and the classifier: it must never panic and always decide.
func FuzzClassify(f *testing.F) {
	f.Add(404, "", []byte(envelope(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")))
	f.Add(400, "", []byte(envelope(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT")))
	f.Add(429, "60", []byte(envelope(429, "RESOURCE_EXHAUSTED", "q", "QUOTA_EXCEEDED")))
	f.Add(503, "Wed, 21 Oct 2015 07:28:00 GMT", []byte(envelope(503, "UNAVAILABLE", "u", "UNAVAILABLE")))
	f.Add(401, "", []byte(`{"error":{"code":401,"status":"UNAUTHENTICATED","details":[{"@type":7}]}}`))
	f.Add(200, "", []byte(`{"name":"projects/p/messages/1"}`))
	f.Add(299, "-5", []byte(`[]`))
	f.Add(500, "1e9", []byte(`{"error":"x"}`))
	f.Add(418, "", []byte{0xff, 0xfe})
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		status = 200 + ((status%400)+400)%400 // 200..599
		if status == http.StatusServiceUnavailable {
			retryAfter = "3600" // beyond the SDK's 2-minute cap: no retry sleeps
		}
		retryAfter = strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return -1
			}
			return r
		}, retryAfter)
		got := Classify(sdkError(t, canned(status, retryAfter, string(body))), now)
		require.GreaterOrEqual(t, got.Outcome, core.OutcomeSent)
		require.LessOrEqual(t, got.Outcome, core.OutcomeConfigError)
		require.GreaterOrEqual(t, got.RetryAfter, time.Duration(0))
		if got.Outcome != core.OutcomeSent {
			require.True(t, strings.HasPrefix(got.Reason, "FCM: "), got.Reason)
		}
	})
}

// FuzzClassifyText covers the parsers of texts the SDK hands over: the
// token endpoint's error body and the transport error's message.
func FuzzClassifyText(f *testing.F) {
	f.Add(400, []byte(`{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`), `unknown error while making an http call: Post "x": oauth2: cannot fetch token: 400 Bad Request`)
	f.Add(503, []byte(`<html>`), `oauth2: "invalid_client" "x"`)
	f.Add(0, []byte(nil), `oauth2: cannot fetch token: 999 `)
	now := time.Now()
	f.Fuzz(func(t *testing.T, status int, body []byte, message string) {
		var resp *http.Response
		if status != 0 {
			resp = &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {message}}, Body: io.NopCloser(bytes.NewReader(body))}
		}
		for i, got := range []core.Result{
			classifyOAuth(&oauth2.RetrieveError{Response: resp, Body: body}, now),
			classifyTransport(errors.New(message)),
			Classify(errors.New(message), now),
		} {
			require.GreaterOrEqual(t, got.Outcome, core.OutcomeSent)
			require.LessOrEqual(t, got.Outcome, core.OutcomeConfigError)
			require.GreaterOrEqual(t, got.RetryAfter, time.Duration(0))
			require.True(t, got.Outcome == core.OutcomeSent || strings.HasPrefix(got.Reason, "FCM: "), got.Reason)
			// What the far end wrote is matched, never quoted (the last
			// case reads message as the SDK's own validation error).
			for _, far := range []string{string(body), message} {
				if i < 2 && len(far) >= 24 {
					require.NotContains(t, got.Reason, far)
				}
			}
		}
	})
}
