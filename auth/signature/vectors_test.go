package signature

import (
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestVectors pins the contract: other implementations are checked against
// these files, so any change here breaks every client that passed before.
func TestVectors(t *testing.T) {
	t.Parallel()
	vf := loadVectors(t)
	require.Equal(t, Scheme, vf.Scheme)
	require.Contains(t, vf.Warning, "TEST-ONLY")

	seen := map[Algorithm]bool{}
	for _, v := range vf.Vectors {
		require.False(t, seen[v.Algorithm], "duplicate vector for %s", v.Algorithm)
		seen[v.Algorithm] = true
		t.Run(string(v.Algorithm), func(t *testing.T) {
			t.Parallel()

			// The fixed inputs the contract documents.
			require.Equal(t, "POST", v.Method)
			require.Equal(t, "/graphql", v.Path)
			require.Equal(t, strconv.Itoa(vectorTime), v.Timestamp)
			require.Equal(t, "n0nce-0123456789abcdef", v.Nonce)
			require.Equal(t, `{"query":"{ apps { totalCount } }"}`, v.Body)

			sum := sha256.Sum256([]byte(v.Body))
			require.Equal(t, v.BodySHA256, hex.EncodeToString(sum[:]))
			sts := StringToSign(v.Method, v.Path, v.Timestamp, v.Nonce, []byte(v.Body))
			require.Equal(t, v.StringToSign, sts)
			require.Equal(t, strings.Join([]string{Scheme, v.Method, v.Path, v.Timestamp, v.Nonce, v.BodySHA256}, "\n"), sts)

			s := Signer{KeyID: v.KeyID, Algorithm: v.Algorithm, Now: fixedNow, Nonce: func() string { return v.Nonce }}
			key := Key{Algorithm: v.Algorithm}
			switch v.Algorithm {
			case HMACSHA256:
				require.Equal(t, "pushd-test-secret-0123456789abcdef", v.Secret)
				require.Empty(t, v.PrivateKeyPEM)
				require.Empty(t, v.PublicKeyPEM)
				s.Secret = v.Secret
				key.Secret = []byte(v.Secret)
			case Ed25519:
				seed := make([]byte, ed25519.SeedSize)
				for i := range seed {
					seed[i] = byte(i)
				}
				require.Equal(t, hex.EncodeToString(seed), v.Ed25519SeedHex)
				priv, ok := parsePrivateKey(t, v.PrivateKeyPEM).(ed25519.PrivateKey)
				require.True(t, ok)
				require.Equal(t, seed, priv.Seed())
				s.PrivateKey = priv
				pub, err := ParsePublicKey(Ed25519, v.PublicKeyPEM)
				require.NoError(t, err)
				require.True(t, priv.Public().(ed25519.PublicKey).Equal(pub), "public PEM does not match the seed")
				key.PublicKey = pub
			case RSASHA256:
				require.Empty(t, v.Secret)
				priv := parsePrivateKey(t, v.PrivateKeyPEM)
				s.PrivateKey = priv
				pub, err := ParsePublicKey(RSASHA256, v.PublicKeyPEM)
				require.NoError(t, err)
				require.True(t, pub.(*rsa.PublicKey).Equal(priv.Public()), "public PEM does not match the private key")
				key.PublicKey = pub
			default:
				t.Fatalf("unexpected algorithm %q", v.Algorithm)
			}

			// Every algorithm is deterministic for fixed inputs (Ed25519 by
			// design, RSA PKCS#1 v1.5 by construction), so the header is fixed.
			h, err := s.Headers(v.Method, v.Path, []byte(v.Body))
			require.NoError(t, err)
			require.Equal(t, v.SignatureHeader, h.Get(HeaderSignature))
			require.Equal(t, v.KeyID, h.Get(HeaderKey))
			require.Equal(t, v.Timestamp, h.Get(HeaderTimestamp))
			require.Equal(t, v.Nonce, h.Get(HeaderNonce))

			// And the server side accepts the published value.
			published := http.Header{}
			published.Set(HeaderKey, v.KeyID)
			published.Set(HeaderTimestamp, v.Timestamp)
			published.Set(HeaderNonce, v.Nonce)
			published.Set(HeaderSignature, v.SignatureHeader)
			req, err := ParseHeaders(published)
			require.NoError(t, err)
			require.NoError(t, CheckTime(req.Timestamp, time.Unix(vectorTime, 0)))
			require.NoError(t, Verify(key, req, v.StringToSign))
		})
	}
}

// TestDocsCarryVectors keeps docs/signing.md from drifting from the vectors
// that implementers in other languages copy from it.
func TestDocsCarryVectors(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "signing.md"))
	require.NoError(t, err)
	for _, v := range loadVectors(t).Vectors {
		require.Contains(t, string(doc), v.SignatureHeader, "docs/signing.md lacks the %s signature", v.Algorithm)
		require.Contains(t, string(doc), v.BodySHA256)
		if v.PublicKeyPEM != "" {
			require.Contains(t, string(doc), strings.TrimSpace(v.PublicKeyPEM), "docs/signing.md lacks the %s public key", v.Algorithm)
		}
	}
}
