// Package seal protects secrets at rest (vendor credentials, HMAC secrets,
// webhook secrets) with AES-256-GCM under a master key.
//
// Every sealed value is bound to the app, record kind and record ID it
// belongs to, so a ciphertext copied into another row or another app's data
// does not open: a database-level attacker who can move bytes around still
// cannot make one tenant's secret appear as another's.
package seal

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

const (
	// KeySize is the master key length; AES-256 needs exactly 32 bytes.
	KeySize = 32

	version   = 1
	keyIDSize = 4
	nonceSize = 12
	tagSize   = 16
	// headerSize precedes the GCM output; the header is authenticated via
	// the encoded AD, so it cannot be swapped without Open failing.
	headerSize = 1 + keyIDSize + nonceSize
	minSize    = headerSize + tagSize
)

// ErrOpen is deliberately the only failure Open reports: telling a caller
// whether the key, the AD or the bytes were wrong would help an attacker
// probing with forged or transplanted values, and no caller can act on the
// difference anyway.
var ErrOpen = errors.New("seal: cannot open sealed value")

// AD is the associated data: a ciphertext opens only with the same AD it was sealed with.
type AD struct {
	AppID    string // owning app
	Kind     string // record kind, e.g. "apikey.secret", "channel.credentials", "webhook.secret"
	RecordID string // the row's ID
}

type keyID [keyIDSize]byte

// Sealer is safe for concurrent use: it is never mutated after New, and
// cipher.AEAD from crypto/aes is stateless across calls.
type Sealer struct {
	currentID keyID
	current   cipher.AEAD
	// keys includes the current key, so Open needs a single lookup.
	keys map[keyID]cipher.AEAD
	// macKeys are derived from the current key first, then the previous
	// ones, for short-lived signed tokens (see MAC).
	macKeys [][]byte
}

// New takes the current 32-byte key and optional previous keys (still
// accepted by Open, for key rotation). The key bytes are not retained, so
// callers may wipe their copies afterwards.
func New(current []byte, previous ...[]byte) (*Sealer, error) {
	aead, id, err := newAEAD(current)
	if err != nil {
		return nil, fmt.Errorf("seal: current key: %w", err)
	}
	s := &Sealer{
		currentID: id,
		current:   aead,
		keys:      map[keyID]cipher.AEAD{id: aead},
		macKeys:   [][]byte{deriveMACKey(current)},
	}
	// Remember the raw keys only long enough to tell a harmless duplicate
	// (the same key listed twice during a rotation) from two different keys
	// whose IDs collide, which would make Open pick the wrong one.
	seen := map[keyID][]byte{id: current}
	for i, k := range previous {
		aead, id, err := newAEAD(k)
		if err != nil {
			return nil, fmt.Errorf("seal: previous key %d: %w", i, err)
		}
		if other, ok := seen[id]; ok {
			if bytes.Equal(other, k) {
				continue
			}
			return nil, fmt.Errorf("seal: previous key %d: key ID collides with another key; generate a new key", i)
		}
		seen[id] = k
		s.keys[id] = aead
		s.macKeys = append(s.macKeys, deriveMACKey(k))
	}
	return s, nil
}

// deriveMACKey gives MACs a key of their own, so no value is ever both
// encrypted and authenticated under the same key.
func deriveMACKey(master []byte) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("pushd/seal/mac-key/v1"))
	return m.Sum(nil)
}

// MAC authenticates msg for one purpose (e.g. "bind-token") under the
// current key. Different purposes never accept each other's MACs.
func (s *Sealer) MAC(purpose string, msg []byte) []byte {
	if s == nil || len(s.macKeys) == 0 {
		return nil
	}
	return macWith(s.macKeys[0], purpose, msg)
}

// VerifyMAC reports whether mac authenticates msg for purpose under the
// current or a previous key, in constant time per key.
func (s *Sealer) VerifyMAC(purpose string, msg, mac []byte) bool {
	if s == nil {
		return false
	}
	ok := false
	for _, k := range s.macKeys {
		if hmac.Equal(macWith(k, purpose, msg), mac) {
			ok = true
		}
	}
	return ok
}

func macWith(key []byte, purpose string, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(purpose)))
	m.Write(n[:])
	m.Write([]byte(purpose))
	m.Write(msg)
	return m.Sum(nil)
}

func newAEAD(key []byte) (cipher.AEAD, keyID, error) {
	var id keyID
	// Length is not secret, and naming it makes misconfiguration (e.g. a
	// still-encoded key) obvious.
	if len(key) != KeySize {
		return nil, id, fmt.Errorf("must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, id, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, id, err
	}
	// 32 bits of a hash of a 256-bit random key reveal nothing useful about
	// it, yet are plenty to tell a handful of rotation keys apart.
	sum := sha256.Sum256(key)
	copy(id[:], sum[:keyIDSize])
	return aead, id, nil
}

// Seal encrypts plaintext under the current key, bound to ad.
//
// Nonces are random, which keeps the format stateless; the usual bound of
// about 2^32 seals per key before nonce reuse becomes a concern is far above
// the number of secrets a deployment stores between rotations.
func (s *Sealer) Seal(plaintext []byte, ad AD) ([]byte, error) {
	if s == nil || s.current == nil {
		return nil, errors.New("seal: Sealer not initialised; use New")
	}
	out := make([]byte, headerSize, minSize+len(plaintext))
	out[0] = version
	copy(out[1:], s.currentID[:])
	if _, err := rand.Read(out[1+keyIDSize : headerSize]); err != nil {
		return nil, fmt.Errorf("seal: reading random nonce: %w", err)
	}
	nonce := out[1+keyIDSize : headerSize]
	return s.current.Seal(out, nonce, plaintext, encodeAD(version, s.currentID, ad)), nil
}

// Open decrypts a value produced by Seal under the current or a previous key.
// Wrong key, wrong AD, truncated or tampered data all yield ErrOpen.
func (s *Sealer) Open(sealed []byte, ad AD) ([]byte, error) {
	aead, id, ok := s.lookup(sealed)
	if !ok {
		return nil, ErrOpen
	}
	nonce := sealed[1+keyIDSize : headerSize]
	pt, err := aead.Open(nil, nonce, sealed[headerSize:], encodeAD(sealed[0], id, ad))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// NeedsReseal reports whether sealed was produced under a previous key, so a
// background job can re-seal it under the current one before that key is
// retired. It only inspects the header; values that are malformed or sealed
// under an unknown key report false because re-sealing them is impossible.
func (s *Sealer) NeedsReseal(sealed []byte) bool {
	_, id, ok := s.lookup(sealed)
	return ok && id != s.currentID
}

func (s *Sealer) lookup(sealed []byte) (cipher.AEAD, keyID, bool) {
	var id keyID
	if s == nil || len(sealed) < minSize || sealed[0] != version {
		return nil, id, false
	}
	copy(id[:], sealed[1:1+keyIDSize])
	aead, ok := s.keys[id]
	return aead, id, ok
}

// encodeAD length-prefixes every field so that no two distinct ADs encode to
// the same bytes (e.g. AppID "ab"+Kind "c" vs AppID "a"+Kind "bc"). The
// version and key ID are included so the header cannot be altered
// independently of the ciphertext, and the leading label keeps these bytes
// from being confused with AD built for any other purpose under the same key.
func encodeAD(v byte, id keyID, ad AD) []byte {
	const label = "pushd/seal"
	fields := [...]string{ad.AppID, ad.Kind, ad.RecordID}
	n := len(label) + 1 + keyIDSize
	for _, f := range fields {
		n += 8 + len(f)
	}
	b := make([]byte, 0, n)
	b = append(b, label...)
	b = append(b, v)
	b = append(b, id[:]...)
	for _, f := range fields {
		// 64-bit lengths so no field length can ever overflow the prefix.
		b = binary.BigEndian.AppendUint64(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// NewKey returns 32 random bytes from crypto/rand.
func NewKey() ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("seal: generating key: %w", err)
	}
	return k, nil
}

// errKeyFormat never includes the input: a near-miss key in an error message
// would end up in logs.
var errKeyFormat = errors.New("seal: key must be 32 bytes encoded as base64 (standard or URL alphabet, padding optional) or as 64 hex characters")

// ParseKey accepts 32 bytes as standard or URL base64 (with or without
// padding) or 64 hex characters. Surrounding whitespace is ignored because
// keys usually arrive via environment variables or files with a trailing
// newline.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	// The encoded lengths (64 hex vs 43/44 base64) never overlap, so the
	// order of attempts cannot change which decoding wins.
	if len(s) == 2*KeySize {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding,
	} {
		// Strict rejects non-zero trailing bits, so each key has exactly one
		// accepted spelling per alphabet.
		if k, err := enc.Strict().DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, errKeyFormat
}
