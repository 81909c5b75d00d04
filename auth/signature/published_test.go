package signature

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPublishedKeys(t *testing.T) {
	t.Parallel()
	// Every public key of the test vectors is known as published.
	for _, v := range loadVectors(t).Vectors {
		if v.Algorithm == HMACSHA256 {
			continue
		}
		pub, err := ParsePublicKey(v.Algorithm, v.PublicKeyPEM)
		require.NoError(t, err)
		require.NotEmpty(t, PublishedKey(pub), v.KeyID)
	}
	// RFC 8032's test 1, from its secret key.
	seed, err := hex.DecodeString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	require.NoError(t, err)
	require.Equal(t, "RFC 8032 Ed25519 test 1", PublishedKey(ed25519.NewKeyFromSeed(seed).Public()))

	fresh, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	require.Empty(t, PublishedKey(fresh))
	require.Empty(t, PublishedKey(nil))
}
