package signature

import (
	"crypto"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Signer signs requests for clients (the pushd CLI, a Go client package,
// tests). The zero values of Now and Nonce are the production choices.
type Signer struct {
	KeyID      string
	Algorithm  Algorithm
	Secret     string           // hmac-sha256
	PrivateKey crypto.Signer    // ed25519.PrivateKey or *rsa.PrivateKey
	Now        func() time.Time // nil = time.Now
	Nonce      func() string    // nil = 24 random base64url chars from crypto/rand
}

// Sign sets the four headers on r for the given body (the caller has already
// set r.Body to the same bytes). Path is r.URL.RequestURI(). Existing values
// are replaced, since the server rejects a repeated header.
func (s Signer) Sign(r *http.Request, body []byte) error {
	if r == nil || r.URL == nil {
		return errors.New("signature: Sign needs a request with a URL")
	}
	method := r.Method
	// net/http sends an empty method as GET, so that is what must be signed.
	if method == "" {
		method = http.MethodGet
	}
	h, err := s.Headers(method, r.URL.RequestURI(), body)
	if err != nil {
		return err
	}
	if r.Header == nil {
		r.Header = make(http.Header, len(h))
	}
	for k, v := range h {
		r.Header[k] = v
	}
	return nil
}

// Headers returns the four headers for method, pathWithQuery and body (for
// the CLI's print mode and for non-HTTP transports such as a WebSocket init
// payload). It checks its own output against the syntax rules so a
// misconfigured client fails here, with a useful error, rather than with the
// server's generic 401.
func (s Signer) Headers(method, pathWithQuery string, body []byte) (http.Header, error) {
	if err := checkToken("key ID", s.KeyID, 1, maxKeyIDLen); err != nil {
		return nil, err
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := now().Unix()
	rawTS := strconv.FormatInt(ts, 10)
	if _, err := parseTimestamp(rawTS); err != nil {
		return nil, fmt.Errorf("signature: clock gives %d, which is not a valid timestamp: %w", ts, err)
	}
	nonce := ""
	if s.Nonce != nil {
		nonce = s.Nonce()
	} else {
		nonce = randomNonce()
	}
	if err := checkToken("nonce", nonce, minNonceLen, maxNonceLen); err != nil {
		return nil, err
	}

	sts := StringToSign(method, pathWithQuery, rawTS, nonce, body)
	sig, err := s.sign(sts)
	if err != nil {
		return nil, err
	}
	h := make(http.Header, 4)
	h.Set(HeaderKey, s.KeyID)
	h.Set(HeaderTimestamp, rawTS)
	h.Set(HeaderNonce, nonce)
	h.Set(HeaderSignature, string(s.Algorithm)+"="+base64.RawURLEncoding.EncodeToString(sig))
	return h, nil
}

func (s Signer) sign(sts string) ([]byte, error) {
	switch s.Algorithm {
	case HMACSHA256:
		// The server rejects empty secrets, so signing with one is a bug.
		if s.Secret == "" {
			return nil, errors.New("signature: hmac-sha256 signer has an empty secret")
		}
		mac := hmac.New(sha256.New, []byte(s.Secret))
		mac.Write([]byte(sts))
		return mac.Sum(nil), nil
	case Ed25519:
		if s.PrivateKey == nil {
			return nil, errors.New("signature: ed25519 signer has no private key")
		}
		// Checking Public rather than the concrete type lets keys held in
		// an agent or HSM sign too.
		if _, ok := s.PrivateKey.Public().(ed25519.PublicKey); !ok {
			return nil, fmt.Errorf("signature: ed25519 signer holds a %T key", s.PrivateKey.Public())
		}
		// crypto.Hash(0) selects pure Ed25519 over the message itself.
		sig, err := s.PrivateKey.Sign(rand.Reader, []byte(sts), crypto.Hash(0))
		if err != nil {
			return nil, fmt.Errorf("signature: ed25519 signing: %w", err)
		}
		return sig, nil
	case RSASHA256:
		if s.PrivateKey == nil {
			return nil, errors.New("signature: rsa-sha256 signer has no private key")
		}
		pub, ok := s.PrivateKey.Public().(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("signature: rsa-sha256 signer holds a %T key", s.PrivateKey.Public())
		}
		if err := checkRSASize(pub); err != nil {
			return nil, err
		}
		digest := sha256.Sum256([]byte(sts))
		// A plain crypto.Hash (not *rsa.PSSOptions) selects PKCS#1 v1.5.
		sig, err := s.PrivateKey.Sign(rand.Reader, digest[:], crypto.SHA256)
		if err != nil {
			return nil, fmt.Errorf("signature: rsa-sha256 signing: %w", err)
		}
		return sig, nil
	}
	return nil, fmt.Errorf("signature: signer has unknown algorithm %s", quotePrefix(string(s.Algorithm)))
}

// randomNonce gives 144 bits, so collisions within one key's 10-minute
// replay window are not a practical concern.
func randomNonce() string {
	var b [18]byte
	// crypto/rand.Read never fails; on a broken system it crashes instead.
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
