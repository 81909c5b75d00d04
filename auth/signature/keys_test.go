package signature

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func pemBlock(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func pkixPEM(t *testing.T, pub any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	return pemBlock("PUBLIC KEY", der)
}

func TestParsePublicKeyAccepts(t *testing.T) {
	t.Parallel()
	edPEM := vectorFor(t, Ed25519).PublicKeyPEM
	pub, err := ParsePublicKey(Ed25519, edPEM)
	require.NoError(t, err)
	require.IsType(t, ed25519.PublicKey{}, pub)
	_, err = ParsePublicKey(Ed25519, "\n  "+edPEM+"\n\n")
	require.NoError(t, err, "surrounding whitespace is harmless")

	rsaPEM := vectorFor(t, RSASHA256).PublicKeyPEM
	pub, err = ParsePublicKey(RSASHA256, rsaPEM)
	require.NoError(t, err)
	rpub, ok := pub.(*rsa.PublicKey)
	require.True(t, ok)
	require.Equal(t, 2048, rpub.N.BitLen())

	pub, err = ParsePublicKey(RSASHA256, pemBlock("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(rpub)))
	require.NoError(t, err)
	require.True(t, rpub.Equal(pub))
}

func TestParsePublicKeyRejects(t *testing.T) {
	t.Parallel()
	edPEM := vectorFor(t, Ed25519).PublicKeyPEM
	rsaPEM := vectorFor(t, RSASHA256).PublicKeyPEM
	rpub, err := ParsePublicKey(RSASHA256, rsaPEM)
	require.NoError(t, err)

	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	// Generating a real 8200-bit key would take seconds; the parser checks
	// the modulus size before anything else, so a fake modulus suffices.
	hugeN := new(big.Int).Lsh(big.NewInt(1), 8199)
	hugeN.Add(hugeN, big.NewInt(1))
	huge := &rsa.PublicKey{N: hugeN, E: 65537}

	cases := []struct {
		name string
		alg  Algorithm
		pem  string
		want string
	}{
		{"rsa 1024", RSASHA256, pkixPEM(t, &small.PublicKey), "1024 bits"},
		{"rsa 1024 PKCS#1", RSASHA256, pemBlock("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&small.PublicKey)), "1024 bits"},
		{"rsa 8200", RSASHA256, pkixPEM(t, huge), "8200 bits"},
		{"ed25519 as rsa", RSASHA256, edPEM, "key is ed25519 but algorithm is rsa-sha256"},
		{"rsa as ed25519", Ed25519, rsaPEM, "key is RSA but algorithm is ed25519"},
		{"PKCS#1 as ed25519", Ed25519, pemBlock("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(rpub.(*rsa.PublicKey))), "cannot be used for ed25519"},
		{"hmac", HMACSHA256, edPEM, "shared secret"},
		{"unknown alg", "ecdsa", edPEM, "unknown algorithm"},
		{"garbage", Ed25519, "not a key at all", "not PEM"},
		{"empty", Ed25519, "", "not PEM"},
		{"truncated PEM", Ed25519, edPEM[:len(edPEM)/2], "malformed"},
		{"bad base64", Ed25519, strings.Replace(edPEM, "MCow", "M!ow", 1), "malformed"},
		{"bad DER", Ed25519, pemBlock("PUBLIC KEY", []byte("garbage")), "parsing PKIX"},
		{"bad PKCS#1", RSASHA256, pemBlock("RSA PUBLIC KEY", []byte("garbage")), "parsing PKCS#1"},
		{"leading text", Ed25519, "my key:\n" + edPEM, "not PEM"},
		{"two blocks", Ed25519, edPEM + edPEM, "data after the first block"},
		{"trailing text", Ed25519, edPEM + "thanks", "data after the first block"},
		{"certificate", Ed25519, pemBlock("CERTIFICATE", []byte{1}), "want PUBLIC KEY"},
		{"private key", Ed25519, vectorFor(t, Ed25519).PrivateKeyPEM, "treat this private key as compromised"},
		{"headers", Ed25519, strings.Replace(edPEM, "-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n", 1), "headers"},
		{"over 16 KiB", Ed25519, edPEM + strings.Repeat(" ", 16<<10), "at most 16384"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pub, err := ParsePublicKey(c.alg, c.pem)
			require.ErrorContains(t, err, c.want)
			require.Nil(t, pub)
		})
	}
}

// TestVerifyRejectsSmallRSAKey covers keys that bypassed ParsePublicKey,
// e.g. loaded from an old database row.
func TestVerifyRejectsSmallRSAKey(t *testing.T) {
	t.Parallel()
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	err = Verify(Key{Algorithm: RSASHA256, PublicKey: &small.PublicKey}, Request{Algorithm: RSASHA256, Signature: make([]byte, 128)}, "sts")
	require.ErrorContains(t, err, "1024 bits")
	require.NotErrorIs(t, err, ErrBadSignature)

	s := Signer{KeyID: "k", Algorithm: RSASHA256, PrivateKey: small, Nonce: func() string { return "n0nce-0123456789abcdef" }}
	_, err = s.Headers("POST", "/graphql", nil)
	require.ErrorContains(t, err, "1024 bits")
}
