package channel

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/pushd/pushd/push/core"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"2", 2 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"-1", 0},
		{"soon", 0},
		// Past what a Duration holds: the longest wait, not a wrapped one
		// (9223372037 s came out as minus 292 years, 18446744074 s as 0.3 s).
		{"9223372037", math.MaxInt64},
		{"18446744074", math.MaxInt64},
		{"99999999999999999999", math.MaxInt64},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("Retry-After", tc.header)
		}
		require.Equal(t, tc.want, RetryAfter(h, now), "%q", tc.header)
	}
}

func TestWaitTakesTokensBeyondTheBurst(t *testing.T) {
	t.Parallel()
	o := Options{Pace: rate.NewLimiter(rate.Inf, 10)}
	require.NoError(t, o.Wait(context.Background(), 25), "more than the burst, in bites")
	o = Options{Pace: rate.NewLimiter(rate.Every(time.Hour), 1)}
	require.NoError(t, o.Wait(context.Background(), 1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	require.Error(t, o.Wait(ctx, 1), "the next token is an hour away")
	require.NoError(t, Options{}.Wait(context.Background(), 1000), "no pace")
}

func TestEachBoundsConcurrency(t *testing.T) {
	t.Parallel()
	var running, peak, done atomic.Int64
	Each(100, 4, func(int) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		done.Add(1)
		running.Add(-1)
	})
	require.EqualValues(t, 100, done.Load())
	require.LessOrEqual(t, peak.Load(), int64(4))
}

func TestDefaultsAndURL(t *testing.T) {
	t.Parallel()
	o := Options{}.Defaults()
	require.NotNil(t, o.HTTPClient)
	require.Equal(t, DefaultConcurrency, o.Concurrency)
	require.Equal(t, "https://vendor.example", o.URL("https://vendor.example"))
	require.Equal(t, "https://fake:8443", Options{BaseURL: "https://fake:8443/"}.URL("https://vendor.example"))
}

func TestCodeKeepsCodesOnly(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"BadDeviceToken":                "BadDeviceToken",
		"UNREGISTERED":                  "UNREGISTERED",
		"invalid_grant":                 "invalid_grant",
		"80300007":                      "80300007",
		"":                              "",
		"token is invalid":              "",
		"<html>":                        "",
		"a\nb":                          "",
		"x-" + string(make([]byte, 80)): "",
	} {
		require.Equal(t, want, Code(in), "%q", in)
	}
}

// FuzzRetryAfter checks the Retry-After reader every vendor classifier
// uses: never a negative delay, a delay that grows with the number of
// seconds asked (no wrap-around), the exact delay for a representable
// number of seconds, and for an HTTP date its distance from now.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for _, s := range []string{"", "0", "2", " 120 ", "-1", "+5", "soon", "1e3", "9223372036", "9223372037", "18446744074",
		"9223372036854775807", "99999999999999999999", now.Add(90 * time.Second).Format(http.TimeFormat), "Fri, 31 Dec 9999 23:59:59 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d := RetryAfter(http.Header{"Retry-After": {v}}, now)
		require.GreaterOrEqual(t, d, time.Duration(0), "%q", v)
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64) // out of range: the nearest int64
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			if tm, err := http.ParseTime(strings.TrimSpace(v)); err == nil && tm.After(now) {
				require.Equal(t, tm.Sub(now), d, "%q", v)
			}
			return
		}
		switch {
		case n < 0:
			require.Zero(t, d, "%q", v)
		case n <= int64(math.MaxInt64/time.Second):
			require.Equal(t, time.Duration(n)*time.Second, d, "%q", v)
		default:
			require.GreaterOrEqual(t, d, time.Duration(math.MaxInt64/time.Second)*time.Second, "%q: more seconds, no shorter wait", v)
		}
	})
}

func TestUntilBeijingMidnight(t *testing.T) {
	t.Parallel()
	// 15:59:59 UTC is 23:59:59 in Beijing; 16:00 UTC is midnight there.
	require.Equal(t, time.Second, UntilBeijingMidnight(time.Date(2025, 1, 1, 15, 59, 59, 0, time.UTC)))
	require.Equal(t, 24*time.Hour, UntilBeijingMidnight(time.Date(2025, 1, 1, 16, 0, 0, 0, time.UTC)))
	require.Equal(t, 8*time.Hour, UntilBeijingMidnight(time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)))
}

func TestStatusResult(t *testing.T) {
	t.Parallel()
	now := time.Now()
	for status, want := range map[int]core.Outcome{
		500: core.OutcomeRetry, 503: core.OutcomeRetry, 429: core.OutcomeRetry,
		401: core.OutcomeConfigError, 403: core.OutcomeConfigError,
		200: core.OutcomeFailed, 400: core.OutcomeFailed, 404: core.OutcomeFailed,
	} {
		r := StatusResult("Vendor", status, http.Header{"Retry-After": {"7"}}, now)
		require.Equal(t, want, r.Outcome, "HTTP %d", status)
		require.Equal(t, fmt.Sprintf("Vendor: HTTP %d", status), r.Reason)
		if want == core.OutcomeRetry {
			require.Equal(t, 7*time.Second, r.RetryAfter)
		}
	}
	require.Equal(t, core.OutcomeRetry, TokenFailure("Vendor", errors.New("down")).Outcome)
	te := &TokenError{Result: core.Result{Outcome: core.OutcomeConfigError}}
	require.Equal(t, core.OutcomeConfigError, TokenFailure("Vendor", fmt.Errorf("wrapped: %w", te)).Outcome)
}
