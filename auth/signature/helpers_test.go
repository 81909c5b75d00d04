package signature

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// vectorTime is the vectors' timestamp (2026-01-01T00:00:00Z).
const vectorTime = 1767225600

type vectorFile struct {
	Warning string   `json:"warning"`
	Scheme  string   `json:"scheme"`
	Vectors []vector `json:"vectors"`
}

type vector struct {
	Algorithm       Algorithm `json:"algorithm"`
	KeyID           string    `json:"key_id"`
	Secret          string    `json:"secret"`
	Ed25519SeedHex  string    `json:"ed25519_seed_hex,omitempty"`
	PrivateKeyPEM   string    `json:"private_key_pem"`
	PublicKeyPEM    string    `json:"public_key_pem"`
	Method          string    `json:"method"`
	Path            string    `json:"path"`
	Timestamp       string    `json:"timestamp"`
	Nonce           string    `json:"nonce"`
	Body            string    `json:"body"`
	BodySHA256      string    `json:"body_sha256"`
	StringToSign    string    `json:"string_to_sign"`
	SignatureHeader string    `json:"signature_header"`
}

func loadVectors(tb testing.TB) vectorFile {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "vectors.json"))
	require.NoError(tb, err)
	var vf vectorFile
	require.NoError(tb, json.Unmarshal(raw, &vf))
	require.Len(tb, vf.Vectors, 3)
	return vf
}

func vectorFor(tb testing.TB, alg Algorithm) vector {
	tb.Helper()
	for _, v := range loadVectors(tb).Vectors {
		if v.Algorithm == alg {
			return v
		}
	}
	tb.Fatalf("no vector for %s", alg)
	return vector{}
}

func parsePrivateKey(tb testing.TB, pemText string) crypto.Signer {
	tb.Helper()
	block, rest := pem.Decode([]byte(pemText))
	require.NotNil(tb, block)
	require.Empty(tb, rest)
	require.Equal(tb, "PRIVATE KEY", block.Type)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(tb, err)
	s, ok := k.(crypto.Signer)
	require.True(tb, ok)
	return s
}

func fixedNow() time.Time { return time.Unix(vectorTime, 0) }

// testPair is a matching signer and verifier key, built from the test
// vectors so that no test pays for RSA key generation unless it must.
type testPair struct {
	signer Signer
	key    Key
}

func pairFor(tb testing.TB, alg Algorithm) testPair {
	tb.Helper()
	v := vectorFor(tb, alg)
	s := Signer{KeyID: v.KeyID, Algorithm: alg, Now: fixedNow}
	k := Key{Algorithm: alg}
	switch alg {
	case HMACSHA256:
		s.Secret = v.Secret
		k.Secret = []byte(v.Secret)
	default:
		s.PrivateKey = parsePrivateKey(tb, v.PrivateKeyPEM)
		pub, err := ParsePublicKey(alg, v.PublicKeyPEM)
		require.NoError(tb, err)
		k.PublicKey = pub
	}
	return testPair{signer: s, key: k}
}

// otherPair has the same algorithm as pairFor but unrelated key material.
func otherPair(tb testing.TB, alg Algorithm) testPair {
	tb.Helper()
	s := Signer{KeyID: "key_other", Algorithm: alg, Now: fixedNow}
	k := Key{Algorithm: alg}
	switch alg {
	case HMACSHA256:
		s.Secret = "another-secret-entirely-0123456789"
		k.Secret = []byte(s.Secret)
	case Ed25519:
		seed := make([]byte, ed25519.SeedSize)
		for i := range seed {
			seed[i] = byte(0xff - i)
		}
		priv := ed25519.NewKeyFromSeed(seed)
		s.PrivateKey = priv
		k.PublicKey = priv.Public()
	case RSASHA256:
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(tb, err)
		s.PrivateKey = priv
		k.PublicKey = &priv.PublicKey
	}
	return testPair{signer: s, key: k}
}

func algorithms() []Algorithm { return []Algorithm{HMACSHA256, Ed25519, RSASHA256} }
