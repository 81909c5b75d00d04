// Package signature implements pushd-sig-v1, the request signature scheme
// clients use to authenticate API calls (see docs/signing.md).
//
// The scheme is a public contract: clients in other languages implement it
// from the documentation and the test vectors in testdata/vectors.json, so
// any change to what is signed or how it is encoded is a new scheme name,
// never an edit to this one.
//
// This package only checks syntax, freshness and signatures. Looking up keys
// and remembering nonces (each is accepted once per key within 10 minutes)
// belong to the caller, which must answer every failure with the same
// generic 401 so that a prober learns nothing from the difference.
package signature

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	HeaderKey       = "X-Pushd-Key"
	HeaderTimestamp = "X-Pushd-Timestamp"
	HeaderNonce     = "X-Pushd-Nonce"
	HeaderSignature = "X-Pushd-Signature"

	// Scheme is the first line of every string to sign, so a signature made
	// for this scheme can never be replayed as one for a later version.
	Scheme = "pushd-sig-v1"

	// MaxSkew bounds clock disagreement in both directions. It also bounds how
	// long the server must remember nonces: a replay older than the window
	// is already rejected as stale.
	MaxSkew = 300 * time.Second
)

// Algorithm names the signature algorithm, as it appears before the "=" in
// the signature header.
type Algorithm string

const (
	HMACSHA256 Algorithm = "hmac-sha256"
	Ed25519    Algorithm = "ed25519"
	RSASHA256  Algorithm = "rsa-sha256"
)

// Syntax limits of the contract. Bounding every field before decoding keeps
// the cost of rejecting junk independent of what an attacker sends.
const (
	maxKeyIDLen     = 64
	minNonceLen     = 16
	maxNonceLen     = 64
	maxTimestampLen = 12
	hmacSigLen      = sha256.Size
	ed25519SigLen   = 64
	minRSASigLen    = 2048 / 8
	maxRSASigLen    = 8192 / 8
)

var (
	// ErrBadSignature means the signature does not verify under the key.
	ErrBadSignature = errors.New("signature: bad signature")
	// ErrStale means the timestamp is outside MaxSkew of the server clock.
	ErrStale = errors.New("signature: timestamp outside the allowed window")
)

// Request is what a signature covers, parsed from headers.
type Request struct {
	KeyID     string
	Timestamp int64
	// RawTimestamp is kept because the timestamp is signed as sent; the
	// syntax rules make it canonical, but verifying over what was sent
	// stays correct even if those rules are ever relaxed.
	RawTimestamp string
	Nonce        string
	Algorithm    Algorithm
	Signature    []byte
}

// ParseHeaders extracts and syntax-checks the four headers. Each must appear
// exactly once: with a repeated header, a proxy and pushd could disagree on
// which value counts. Header names match case-insensitively, so maps built by
// hand (e.g. from a WebSocket init payload) cannot smuggle a second value in
// under a differently cased name.
//
// Errors are descriptive for logs and never echo more than a short quoted
// prefix of a value; callers show users one generic 401.
func ParseHeaders(h http.Header) (Request, error) {
	var vals [4]string
	var counts [4]int
	names := [4]string{HeaderKey, HeaderTimestamp, HeaderNonce, HeaderSignature}
	for k, vs := range h {
		for i, name := range names {
			if strings.EqualFold(k, name) {
				counts[i] += len(vs)
				if len(vs) > 0 {
					vals[i] = vs[0]
				}
			}
		}
	}
	for i, name := range names {
		switch {
		case counts[i] == 0:
			return Request{}, fmt.Errorf("signature: missing %s header", name)
		case counts[i] > 1:
			return Request{}, fmt.Errorf("signature: %s header given %d times, want exactly once", name, counts[i])
		}
	}
	keyID, rawTS, nonce, sigHeader := vals[0], vals[1], vals[2], vals[3]

	if err := checkToken(HeaderKey, keyID, 1, maxKeyIDLen); err != nil {
		return Request{}, err
	}
	ts, err := parseTimestamp(rawTS)
	if err != nil {
		return Request{}, err
	}
	if err := checkToken(HeaderNonce, nonce, minNonceLen, maxNonceLen); err != nil {
		return Request{}, err
	}
	alg, sig, err := parseSignature(sigHeader)
	if err != nil {
		return Request{}, err
	}
	return Request{
		KeyID:        keyID,
		Timestamp:    ts,
		RawTimestamp: rawTS,
		Nonce:        nonce,
		Algorithm:    alg,
		Signature:    sig,
	}, nil
}

// isTokenChar is the base64url alphabet, shared by key IDs and nonces so
// both survive URLs, JSON and logs unescaped.
func isTokenChar(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

func checkToken(name, v string, minLen, maxLen int) error {
	if len(v) < minLen || len(v) > maxLen {
		return fmt.Errorf("signature: %s is %d bytes, want %d..%d", name, len(v), minLen, maxLen)
	}
	for i := 0; i < len(v); i++ {
		if !isTokenChar(v[i]) {
			return fmt.Errorf("signature: %s has a byte outside [A-Za-z0-9_-] at offset %d", name, i)
		}
	}
	return nil
}

// parseTimestamp allows exactly one spelling per value, since the value is
// signed as sent and a lenient parser would let two spellings of one time
// carry different signatures past replay bookkeeping keyed on the text.
func parseTimestamp(v string) (int64, error) {
	if v == "" || len(v) > maxTimestampLen {
		return 0, fmt.Errorf("signature: %s is %d bytes, want 1..%d decimal digits", HeaderTimestamp, len(v), maxTimestampLen)
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, fmt.Errorf("signature: %s has a non-digit at offset %d", HeaderTimestamp, i)
		}
	}
	if len(v) > 1 && v[0] == '0' {
		return 0, fmt.Errorf("signature: %s has a leading zero", HeaderTimestamp)
	}
	// Twelve digits always fit in an int64; the error is unreachable but
	// cheap to keep honest.
	ts, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("signature: %s: %w", HeaderTimestamp, err)
	}
	return ts, nil
}

// sigLenRange is the decoded signature length each algorithm allows.
func sigLenRange(alg Algorithm) (minLen, maxLen int, ok bool) {
	switch alg {
	case HMACSHA256:
		return hmacSigLen, hmacSigLen, true
	case Ed25519:
		return ed25519SigLen, ed25519SigLen, true
	case RSASHA256:
		return minRSASigLen, maxRSASigLen, true
	}
	return 0, 0, false
}

func parseSignature(v string) (Algorithm, []byte, error) {
	name, enc, found := strings.Cut(v, "=")
	if !found {
		return "", nil, fmt.Errorf("signature: %s has no \"=\" between algorithm and value", HeaderSignature)
	}
	alg := Algorithm(name)
	minLen, maxLen, ok := sigLenRange(alg)
	if !ok {
		return "", nil, fmt.Errorf("signature: %s has unknown algorithm %s", HeaderSignature, quotePrefix(name))
	}
	// Padding would be a second accepted spelling of the same signature;
	// naming it helps the many clients that forget to strip it.
	if strings.IndexByte(enc, '=') >= 0 {
		return "", nil, fmt.Errorf("signature: %s value has base64 padding; it must be unpadded base64url", HeaderSignature)
	}
	// Check the length and alphabet before decoding: the decoder would
	// silently skip CR and LF, and junk should cost nothing to reject.
	if len(enc) < base64.RawURLEncoding.EncodedLen(minLen) || len(enc) > base64.RawURLEncoding.EncodedLen(maxLen) {
		return "", nil, fmt.Errorf("signature: %s value is %d base64url characters, want %d..%d for %s",
			HeaderSignature, len(enc), base64.RawURLEncoding.EncodedLen(minLen), base64.RawURLEncoding.EncodedLen(maxLen), alg)
	}
	for i := 0; i < len(enc); i++ {
		if !isTokenChar(enc[i]) {
			return "", nil, fmt.Errorf("signature: %s value has a byte outside unpadded base64url at offset %d", HeaderSignature, i)
		}
	}
	// Strict rejects non-zero trailing bits, the last way to spell one
	// signature two ways.
	sig, err := base64.RawURLEncoding.Strict().DecodeString(enc)
	if err != nil {
		return "", nil, fmt.Errorf("signature: %s value: %w", HeaderSignature, err)
	}
	if len(sig) < minLen || len(sig) > maxLen {
		return "", nil, fmt.Errorf("signature: %s value decodes to %d bytes, want %d..%d for %s", HeaderSignature, len(sig), minLen, maxLen, alg)
	}
	return alg, sig, nil
}

// quotePrefix keeps attacker-chosen text in logs short and escaped.
func quotePrefix(s string) string {
	const limit = 32
	if len(s) > limit {
		return strconv.Quote(s[:limit]) + "..."
	}
	return strconv.Quote(s)
}

// StringToSign builds the signed string. Servers should pass the request
// target exactly as received (r.RequestURI for an origin-form request),
// because a re-encoded path may differ from what the client signed.
//
// The method is upper-cased so a client and server that disagree only on
// the case of a method name still agree on the signature.
func StringToSign(method, pathWithQuery, rawTimestamp, nonce string, body []byte) string {
	sum := sha256.Sum256(body)
	method = strings.ToUpper(method)
	var b strings.Builder
	b.Grow(len(Scheme) + len(method) + len(pathWithQuery) + len(rawTimestamp) + len(nonce) + hex.EncodedLen(len(sum)) + 5)
	b.WriteString(Scheme)
	b.WriteByte('\n')
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(pathWithQuery)
	b.WriteByte('\n')
	b.WriteString(rawTimestamp)
	b.WriteByte('\n')
	b.WriteString(nonce)
	b.WriteByte('\n')
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], sum[:])
	b.Write(hexSum[:])
	return b.String()
}

// CheckTime reports ErrStale when ts is more than MaxSkew away from now in
// either direction. now is truncated to whole seconds because timestamps
// carry no fraction; exactly MaxSkew is still accepted.
func CheckTime(ts int64, now time.Time) error {
	n := now.Unix()
	// Unsigned differences cannot overflow, whatever int64 a caller passes.
	var diff uint64
	if ts >= n {
		diff = uint64(ts) - uint64(n)
	} else {
		diff = uint64(n) - uint64(ts)
	}
	if diff > uint64(MaxSkew/time.Second) {
		dir := "behind"
		if ts > n {
			dir = "ahead of"
		}
		return fmt.Errorf("%w: timestamp %d is %d s %s server time %d", ErrStale, ts, diff, dir, n)
	}
	return nil
}
