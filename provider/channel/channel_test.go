package channel

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
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
