package egress

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"syscall"
)

// Describe says in pushd's own words why a request through a client of
// this package failed, for errors that tenants read (a delivery's or a
// webhook's last error). It never returns the error's text: Go's HTTP
// client quotes what the remote end sent when it cannot parse it
// ("malformed HTTP response \"...\""), and the remote end may be one a
// tenant pointed pushd at. Operators who need the full error find it in
// pushd's log.
func Describe(err error) string {
	if words, ok := Explain(err); ok || err == nil {
		return words
	}
	return "network error"
}

// Explain is Describe for errors it recognises; ok is false for the rest
// (and for nil).
func Explain(err error) (words string, ok bool) {
	var (
		refused   *RefusedError
		dns       *net.DNSError
		netErr    net.Error
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		tlsHeader tls.RecordHeaderError
		tlsAlert  tls.AlertError
		verify    *tls.CertificateVerificationError
	)
	switch {
	case err == nil:
		return "", false
	case errors.As(err, &refused):
		return refused.Error(), true
	case errors.Is(err, ErrAnswerTooLarge):
		return "the answer was larger than the limit", true
	case errors.Is(err, context.Canceled):
		return "cancelled", true
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out", true
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return "no such host: " + dns.Name, true
		}
		return "cannot resolve " + dns.Name, true
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused", true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset", true
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "host unreachable", true
	case errors.As(err, &unknownCA), errors.As(err, &verify):
		return "TLS: the server's certificate is not trusted", true
	case errors.As(err, &hostname):
		return "TLS: the server's certificate is for another name", true
	case errors.As(err, &invalid):
		return "TLS: the server's certificate is invalid or expired", true
	case errors.As(err, &tlsHeader):
		return "TLS: the server did not answer with TLS", true
	case errors.As(err, &tlsAlert):
		return "TLS: the handshake failed", true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection closed before the answer", true
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timed out", true
	}
	return "", false
}
