package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/apikey"
	"github.com/pushd/pushd/tenant"
)

// nonceTTL is how long a nonce stays used: longer than the ±300 s window on
// both sides plus a margin for whole-second rounding and clock differences
// between pushd nodes, so a captured request can never be replayed.
const nonceTTL = 2*signature.MaxSkew + 2*time.Minute

// HasSignature reports whether h carries any pushd-sig-v1 header: such a
// request is judged by its signature alone, never by a cookie.
func HasSignature(h http.Header) bool {
	for _, k := range []string{signature.HeaderKey, signature.HeaderTimestamp, signature.HeaderNonce, signature.HeaderSignature} {
		if _, ok := h[k]; ok {
			return true
		}
	}
	return false
}

// AuthenticateSigned checks a pushd-sig-v1 signature over method, the
// request URI and body, and returns the key's principal. Every failure is
// ErrUnauthenticated; the reason goes to the debug log only.
func (s *Service) AuthenticateSigned(ctx context.Context, h http.Header, method, requestURI string, body []byte) (tenant.Principal, error) {
	p, reason := s.authenticateSigned(ctx, h, method, requestURI, body)
	var down *unavailableError
	switch {
	case errors.As(reason, &down):
		s.log.WarnContext(ctx, "signed request not checked: a store is unavailable", "err", down.err)
		return tenant.Principal{}, ErrUnavailable
	case reason != nil:
		s.log.DebugContext(ctx, "signed request rejected", "reason", reason)
		return tenant.Principal{}, ErrUnauthenticated
	}
	return p, nil
}

// ErrUnavailable means a request could not be checked because a store
// (the database, the nonce store in Redis) did not answer: the caller
// should retry, not doubt its credentials.
var ErrUnavailable = errors.New("authentication is temporarily unavailable; retry")

// unavailableError marks a failure of a store, not of the credentials.
type unavailableError struct{ err error }

func (e *unavailableError) Error() string { return e.err.Error() }

func (s *Service) authenticateSigned(ctx context.Context, h http.Header, method, requestURI string, body []byte) (tenant.Principal, error) {
	req, err := signature.ParseHeaders(h)
	if err != nil {
		return tenant.Principal{}, err
	}
	if err := signature.CheckTime(req.Timestamp, s.now()); err != nil {
		return tenant.Principal{}, err
	}
	sys := tenant.AsSystem(ctx)
	key, err := s.client.APIKey.Query().Where(apikey.KeyID(req.KeyID)).Only(sys)
	if ent.IsNotFound(err) {
		return tenant.Principal{}, fmt.Errorf("key %q: %w", req.KeyID, err)
	}
	if err != nil {
		return tenant.Principal{}, &unavailableError{fmt.Errorf("key %q: %w", req.KeyID, err)}
	}
	if key.RevokedAt != nil {
		return tenant.Principal{}, fmt.Errorf("key %q is revoked", req.KeyID)
	}
	material, err := s.verificationKey(key)
	if err != nil {
		return tenant.Principal{}, fmt.Errorf("key %q material: %w", req.KeyID, err)
	}
	sts := signature.StringToSign(method, requestURI, req.RawTimestamp, req.Nonce, body)
	if err := signature.Verify(material, req, sts); err != nil {
		return tenant.Principal{}, err
	}
	// Claim the nonce only for a valid signature, so nobody can burn
	// another caller's nonces with forged requests.
	fresh, err := s.redis.SetNX(ctx, s.prefix+"nonce:"+req.KeyID+":"+req.Nonce, 1, nonceTTL).Result()
	if err != nil {
		return tenant.Principal{}, &unavailableError{fmt.Errorf("nonce store: %w", err)}
	}
	if !fresh {
		return tenant.Principal{}, fmt.Errorf("nonce %q reused", req.Nonce)
	}
	s.touchKey(ctx, key)
	return tenant.Principal{Kind: tenant.KindAPIKey, AppID: key.AppID, APIKeyID: key.ID, Label: key.Name}, nil
}
