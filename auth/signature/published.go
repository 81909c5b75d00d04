package signature

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
)

// publishedKeys are the SHA-256 fingerprints (of the PKIX DER encoding) of
// public keys whose private halves are published: pushd's own test vectors
// (testdata/vectors.json, which a test keeps this list in step with) and
// RFC 8032's Ed25519 test vectors 1 to 3. Anyone can sign with them, so an
// API key made from one would sign for anybody.
var publishedKeys = map[string]string{
	"a050837d85070582ccf7394b0988847cc312cb88259b894899f6f239cf1791a5": "pushd's Ed25519 test vector",
	"3d297c604e60075ddec939f77e34e9d2a23078bed572369e409129acef5f7b06": "pushd's RSA test vector",
	"06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9": "RFC 8032 Ed25519 test 1",
	"deb2ded39dc26fce0e6085b6fc34bf6b5941913bbfe2ea614113cff9e004c170": "RFC 8032 Ed25519 test 2",
	"8d39ba50abe50f77b6bb8ae7b6927aff7ffbeba35ad2837c0e51e82bcbcc60d5": "RFC 8032 Ed25519 test 3",
}

// PublishedKey names where pub's private key was published, or returns ""
// for a key not known to be public.
func PublishedKey(pub crypto.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(der)
	return publishedKeys[hex.EncodeToString(sum[:])]
}
