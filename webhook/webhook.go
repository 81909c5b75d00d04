// Package webhook posts signed receipts to the URLs apps register
// (hooks.Poster) through an egress client: by default it refuses to
// connect to special-purpose addresses (loopback, private, link-local and
// the rest of the IANA registries). The check runs on the address the
// connection is actually made to, after DNS, so a name cannot be pointed
// inside the network later (DNS rebinding). No proxy, no redirects.
package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/pushd/pushd/egress"
)

// Timeout bounds one post, connection included.
const Timeout = 10 * time.Second

// maxAnswer is how much of an answer is read (and thrown away).
const maxAnswer = 64 << 10

// ErrPrivateAddress is returned for a connection to a refused address.
var ErrPrivateAddress = errors.New("webhook: refusing to connect to a special-purpose (private, loopback, link-local, ...) address; PUSHD_EGRESS_ALLOW opens address blocks")

// Poster posts receipts. It is safe for concurrent use.
type Poster struct {
	client *http.Client
}

// New returns a Poster that connects only where p lets it.
func New(p egress.Policy) *Poster {
	return &Poster{client: p.Client(egress.ClientOptions{Timeout: Timeout, MaxIdleConnsPerHost: 4, MaxAnswer: maxAnswer})}
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
		var refused *egress.RefusedError
		if errors.As(err, &refused) {
			return 0, ErrPrivateAddress
		}
		return 0, &postError{err: err}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body) // capped by the client
	return resp.StatusCode, nil
}

// postError describes a failed post in pushd's words (egress.Describe):
// the receiver's URL is the app's, but what reads the error (the
// delivery's attempt log) must not quote what the far end sent.
type postError struct{ err error }

func (e *postError) Error() string { return "post: " + egress.Describe(e.err) }
func (e *postError) Unwrap() error { return e.err }
