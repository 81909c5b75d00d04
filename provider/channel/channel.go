// Package channel holds what every vendor adapter shares: where the vendor
// is (so tests, demos and private gateways can point pushd elsewhere), the
// HTTP client that trusts the configured CA, pacing per credential, and
// reading Retry-After.
package channel

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/push/core"
)

// Options configure one sender (one stored credential).
type Options struct {
	// Endpoints are the operator's overrides of the vendor's URLs, by
	// Endpoint.Name; the vendor's NewSender picks BaseURL and AuthURL
	// from them.
	Endpoints map[string]string
	// BaseURL is the vendor API's base URL, without a trailing slash
	// (e.g. https://api.push.apple.com); empty means the vendor's own.
	BaseURL string
	// AuthURL is the vendor's OAuth token endpoint, where it has one that
	// is not in the credentials (Huawei); empty means the vendor's own.
	AuthURL string
	// RootCAs are the CAs trusted for the vendor's TLS certificate
	// (system roots plus PUSHD_PROVIDER_CA_FILE); nil means the system's.
	// Adapters that build their own transport (APNs over HTTP/2) use it.
	RootCAs *x509.CertPool
	// Egress is what the vendor's connections may reach (egress.Policy):
	// the registry lets through the hosts of configured endpoints.
	Egress egress.Policy
	// HTTPClient carries every request to the vendor. Nil: an egress
	// client with DefaultTimeout that trusts RootCAs.
	HTTPClient *http.Client
	// Pace, if set, is waited on before each message (or each token of a
	// batched request) goes out: the credential's token bucket.
	Pace *rate.Limiter
	// Concurrency bounds the requests in flight for one Send call
	// (vendors without batching: APNs, FCM). Zero means DefaultConcurrency.
	Concurrency int
	// CallbackURL is where the vendor should post delivery receipts for
	// this credential (Xiaomi takes it per message); empty means none.
	CallbackURL string
	// CallbackParam returns the opaque, verifiable tag a receipt carries
	// back for a job (Xiaomi callback.param, at most 64 bytes).
	CallbackParam func(job string) string
	Logger        *slog.Logger
	// Clock defaults to time.Now.
	Clock func() time.Time
}

// DefaultConcurrency is how many requests one Send call keeps in flight.
const DefaultConcurrency = 32

// DefaultTimeout bounds one request to a vendor.
const DefaultTimeout = 30 * time.Second

// Defaults returns o with its zero fields filled in.
func (o Options) Defaults() Options {
	if o.HTTPClient == nil {
		o.HTTPClient = o.Egress.Client(egress.ClientOptions{
			Timeout: DefaultTimeout, RootCAs: o.RootCAs, MaxIdleConnsPerHost: 64,
		})
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o
}

// URL returns o.BaseURL, or def when it is empty, without a trailing slash.
func (o Options) URL(def string) string {
	if o.BaseURL == "" {
		return def
	}
	return strings.TrimRight(o.BaseURL, "/")
}

// Wait takes n tokens of the pace, if there is one. It returns ctx's
// error when ctx ends first.
func (o Options) Wait(ctx context.Context, n int) error {
	if o.Pace == nil || n <= 0 {
		return nil
	}
	// WaitN refuses n above the burst: take it in burst-sized bites.
	for n > 0 {
		k := min(n, max(o.Pace.Burst(), 1))
		if err := o.Pace.WaitN(ctx, k); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// RetryAfter reads a Retry-After header (delay in seconds, or an HTTP
// date), as a delay from now; zero when absent or unreadable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case s < 0:
			return 0
		case s > int64(math.MaxInt64/time.Second):
			return math.MaxInt64 // more seconds than a Duration holds: the longest wait, as for a far date
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Each runs fn(i) for i in [0, n) with at most limit running at once, and
// returns when all are done.
func Each(n, limit int, fn func(i int)) {
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	sem := make(chan struct{}, limit)
	done := make(chan struct{}, n)
	for i := range n {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; done <- struct{}{} }()
			fn(i)
		}()
	}
	for range n {
		<-done
	}
}

// StatusResult is the outcome of an answer that carries none of the
// vendor's JSON, judged by its HTTP status: 5xx and 429 are retried
// (after Retry-After), 401 and 403 are the credentials', anything else
// fails the message. vendor names the vendor in the reason.
func StatusResult(vendor string, status int, h http.Header, now time.Time) core.Result {
	r := core.Result{Reason: fmt.Sprintf("%s: HTTP %d", vendor, status)}
	switch {
	case status >= 500 || status == http.StatusTooManyRequests:
		r.Outcome, r.RetryAfter = core.OutcomeRetry, RetryAfter(h, now)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		r.Outcome = core.OutcomeConfigError
	default:
		r.Outcome = core.OutcomeFailed
	}
	return r
}

// TokenFailure is the result of every message of a request whose access
// token could not be had: the TokenCache's verdict, or a retry.
func TokenFailure(vendor string, err error) core.Result {
	var te *TokenError
	if errors.As(err, &te) {
		return te.Result
	}
	return core.Result{Outcome: core.OutcomeRetry, Reason: vendor + ": not sent: " + err.Error()}
}
