package egress

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// Policy says which special-purpose addresses a client may reach anyway.
// The zero Policy refuses them all.
type Policy struct {
	// Allow lists blocks the operator opened (PUSHD_EGRESS_ALLOW), for
	// example a private vendor gateway or a webhook receiver on the LAN.
	Allow []netip.Prefix
	// Hosts are names or addresses the operator configured as endpoints
	// (PUSHD_*_URL): configuration, not tenants, chose them, so a dial to
	// them is not checked. Tenants never supply an entry here.
	Hosts []string
	// Any lets every address through (PUSHD_WEBHOOK_ALLOW_PRIVATE for
	// webhooks): for development set-ups only.
	Any bool
}

// RefusedError is a dial to a special-purpose address.
type RefusedError struct {
	Addr  netip.Addr
	Range Range
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("refusing to connect to %s (%s, %s): outside the public internet; an operator can allow it with PUSHD_EGRESS_ALLOW",
		e.Addr, e.Range.Prefix, e.Range.Name)
}

// Check returns a *RefusedError if p does not let a through.
func (p Policy) Check(a netip.Addr) error {
	if p.Any {
		return nil
	}
	r, refused := SpecialPurpose(a)
	if !refused {
		return nil
	}
	for _, ok := range p.Allow {
		if ok.Contains(a.Unmap()) {
			return nil
		}
	}
	return &RefusedError{Addr: a.Unmap(), Range: r}
}

// configured reports whether the dial target host is one of p.Hosts.
func (p Policy) configured(host string) bool {
	for _, h := range p.Hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// Dial returns a DialContext that connects through d and checks the
// address actually dialled (after resolution) against p.
func (p Policy) Dial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	guarded := *d
	guarded.Control = func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return err
		}
		return p.Check(ap.Addr())
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, _, err := net.SplitHostPort(addr); err == nil && p.configured(host) {
			return d.DialContext(ctx, network, addr)
		}
		return guarded.DialContext(ctx, network, addr)
	}
}

// DefaultMaxAnswer is how much of an answer a client reads by default: far
// more than any vendor's JSON answer, far less than a hostile endless one.
const DefaultMaxAnswer = 1 << 20

// ErrAnswerTooLarge ends the read of an answer over the client's cap.
var ErrAnswerTooLarge = errors.New("answer larger than the limit")

// ClientOptions shape one client.
type ClientOptions struct {
	// Timeout bounds one request, answer included.
	Timeout time.Duration
	// RootCAs are trusted for TLS (nil: the system's).
	RootCAs *x509.CertPool
	// MaxIdleConnsPerHost keeps connections to busy hosts (vendors).
	MaxIdleConnsPerHost int
	// MaxAnswer caps every answer's body; 0 means DefaultMaxAnswer.
	MaxAnswer int64
}

// Client returns an HTTP client that dials only what p allows, uses no
// proxy, follows no redirect (the caller sees the 3xx) and reads at most
// o.MaxAnswer bytes of an answer.
func (p Policy) Client(o ClientOptions) *http.Client {
	if o.MaxAnswer <= 0 {
		o.MaxAnswer = DefaultMaxAnswer
	}
	t := &http.Transport{
		Proxy:               nil, // a proxy from the environment would be a way around the check
		DialContext:         p.Dial(&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}),
		TLSClientConfig:     &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: 10 * time.Second,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        100,
		MaxIdleConnsPerHost: max(o.MaxIdleConnsPerHost, 2),
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{
		Transport:     capped{next: t, limit: o.MaxAnswer},
		Timeout:       o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// capped wraps every answer's body in a reader that fails past limit.
type capped struct {
	next  http.RoundTripper
	limit int64
}

func (c capped) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: c.limit}
	return resp, nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// transport.
func (c capped) CloseIdleConnections() {
	if t, ok := c.next.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

type cappedBody struct {
	io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells an answer of exactly the limit from a longer one.
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n > 0 {
			return 0, ErrAnswerTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
