// Package webhook posts signed receipts to the URLs apps register
// (push.WebhookPoster), refusing by default to connect to loopback,
// private and link-local addresses: the check runs on the address the
// connection is actually made to, after DNS, so a name cannot be pointed
// inside the network later (DNS rebinding).
package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/pushd/pushd/push"
)

// Timeout bounds one post, connection included.
const Timeout = 10 * time.Second

// maxAnswer is how much of an answer is read (and thrown away).
const maxAnswer = 64 << 10

// ErrPrivateAddress is returned for a connection to a refused address.
var ErrPrivateAddress = errors.New("webhook: refusing to connect to a private, loopback or link-local address (PUSHD_WEBHOOK_ALLOW_PRIVATE)")

// Poster posts receipts. It is safe for concurrent use.
type Poster struct {
	client *http.Client
}

// New returns a Poster; allowPrivate lets it reach private addresses.
func New(allowPrivate bool) *Poster {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || push.PrivateAddress(ip) {
				return ErrPrivateAddress
			}
			return nil
		}
	}
	t := &http.Transport{
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: 5 * time.Second,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
		// No proxy from the environment: it would be a way around the guard.
	}
	return &Poster{client: &http.Client{
		Transport: t,
		Timeout:   Timeout,
		// A redirect could lead anywhere; receivers answer where they are.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Post sends body to url with the given headers and returns the status.
func (p *Poster) Post(ctx context.Context, url string, header http.Header, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header = header.Clone()
	req.Header.Set("User-Agent", "pushd-webhook/1")
	resp, err := p.client.Do(req)
	if err != nil {
		if errors.Is(err, ErrPrivateAddress) {
			return 0, ErrPrivateAddress
		}
		return 0, fmt.Errorf("post: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	return resp.StatusCode, nil
}
