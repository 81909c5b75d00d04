package signature

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

const (
	minRSABits = 2048
	// maxRSABits caps the cost of one verification, which an unauthenticated
	// caller can trigger at will once a key is registered.
	maxRSABits = 8192
	// maxPEMLen is far above an 8192-bit RSA public key (about 1.5 KiB) and
	// stops a registration form from being used to feed the parser megabytes.
	maxPEMLen = 16 << 10
)

// Key is verifier key material.
type Key struct {
	Algorithm Algorithm
	Secret    []byte           // hmac-sha256
	PublicKey crypto.PublicKey // ed25519.PublicKey or *rsa.PublicKey
}

// Verify checks req.Signature over sts with key; the algorithm in the request
// must equal the key's, so a client cannot pick a weaker check than the one
// its key was registered for. Every mismatch is ErrBadSignature (possibly
// wrapped, for logs). A key that could never verify anything, such as an empty
// secret or an undersized RSA key, is reported as a different error because it
// is a server-side misconfiguration rather than a bad request.
func Verify(key Key, req Request, sts string) error {
	if req.Algorithm != key.Algorithm {
		return fmt.Errorf("%w: request uses %s but the key is %s", ErrBadSignature, quotePrefix(string(req.Algorithm)), quotePrefix(string(key.Algorithm)))
	}
	switch key.Algorithm {
	case HMACSHA256:
		// An empty secret is known to everyone, so it must never verify.
		if len(key.Secret) == 0 {
			return errors.New("signature: hmac-sha256 key has an empty secret")
		}
		mac := hmac.New(sha256.New, key.Secret)
		mac.Write([]byte(sts))
		if !hmac.Equal(mac.Sum(nil), req.Signature) {
			return ErrBadSignature
		}
		return nil
	case Ed25519:
		pub, ok := key.PublicKey.(ed25519.PublicKey)
		// ed25519.Verify panics on a wrong-sized key.
		if !ok || len(pub) != ed25519.PublicKeySize {
			return fmt.Errorf("signature: ed25519 key holds %T, want a %d-byte ed25519.PublicKey", key.PublicKey, ed25519.PublicKeySize)
		}
		if !ed25519.Verify(pub, []byte(sts), req.Signature) {
			return ErrBadSignature
		}
		return nil
	case RSASHA256:
		pub, ok := key.PublicKey.(*rsa.PublicKey)
		if !ok || pub == nil || pub.N == nil {
			return fmt.Errorf("signature: rsa-sha256 key holds %T, want *rsa.PublicKey", key.PublicKey)
		}
		if err := checkRSASize(pub); err != nil {
			return err
		}
		digest := sha256.Sum256([]byte(sts))
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], req.Signature) != nil {
			return ErrBadSignature
		}
		return nil
	}
	return fmt.Errorf("signature: key has unknown algorithm %s", quotePrefix(string(key.Algorithm)))
}

func checkRSASize(pub *rsa.PublicKey) error {
	if bits := pub.N.BitLen(); bits < minRSABits || bits > maxRSABits {
		return fmt.Errorf("signature: RSA key is %d bits, want %d..%d", bits, minRSABits, maxRSABits)
	}
	return nil
}

// ParsePublicKey parses a PEM "PUBLIC KEY" (PKIX) block, or an "RSA PUBLIC
// KEY" (PKCS#1) block for rsa-sha256, and checks that it suits alg. It is
// meant for key registration, so it is strict: exactly one PEM block with
// nothing but whitespace around it, and errors say what is wrong so the user
// can fix their input.
func ParsePublicKey(alg Algorithm, pemText string) (crypto.PublicKey, error) {
	switch alg {
	case Ed25519, RSASHA256:
	case HMACSHA256:
		return nil, errors.New("signature: hmac-sha256 uses a shared secret, not a public key")
	default:
		return nil, fmt.Errorf("signature: unknown algorithm %s", quotePrefix(string(alg)))
	}
	if len(pemText) > maxPEMLen {
		return nil, fmt.Errorf("signature: public key PEM is %d bytes, at most %d allowed", len(pemText), maxPEMLen)
	}
	trimmed := bytes.TrimSpace([]byte(pemText))
	// pem.Decode skips any text before the block; a paste with stray text
	// is more likely a mistake than something to guess around.
	if !bytes.HasPrefix(trimmed, []byte("-----BEGIN ")) {
		return nil, errors.New("signature: public key is not PEM: want text starting with -----BEGIN PUBLIC KEY-----")
	}
	block, rest := pem.Decode(trimmed)
	if block == nil {
		return nil, errors.New("signature: public key PEM block is malformed (check the BEGIN/END lines and the base64 between them)")
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, errors.New("signature: public key PEM has data after the first block; paste exactly one public key")
	}
	if len(block.Headers) != 0 {
		return nil, fmt.Errorf("signature: public key PEM block has headers (%d), which public keys never need", len(block.Headers))
	}

	var pub crypto.PublicKey
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		pub, err = x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("signature: parsing PKIX public key: %w", err)
		}
	case "RSA PUBLIC KEY":
		if alg != RSASHA256 {
			return nil, fmt.Errorf("signature: an RSA PUBLIC KEY block cannot be used for %s", alg)
		}
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("signature: parsing PKCS#1 RSA public key: %w", err)
		}
	case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
		// Say it plainly: the user just exposed a private key and should
		// replace it, not merely re-paste.
		return nil, fmt.Errorf("signature: got a %s block; send only the public key, and treat this private key as compromised", block.Type)
	default:
		return nil, fmt.Errorf("signature: PEM block type is %s, want PUBLIC KEY", quotePrefix(block.Type))
	}

	switch k := pub.(type) {
	case ed25519.PublicKey:
		if alg != Ed25519 {
			return nil, fmt.Errorf("signature: key is ed25519 but algorithm is %s", alg)
		}
		return k, nil
	case *rsa.PublicKey:
		if alg != RSASHA256 {
			return nil, fmt.Errorf("signature: key is RSA but algorithm is %s", alg)
		}
		if err := checkRSASize(k); err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, fmt.Errorf("signature: key type %s is not supported; use ed25519 or RSA", strings.TrimPrefix(fmt.Sprintf("%T", pub), "*"))
}
