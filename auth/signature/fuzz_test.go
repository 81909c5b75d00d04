package signature

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseHeaders checks that no header values panic the parser and that
// whatever it accepts satisfies the contract's syntax, re-checked here with
// independent regular expressions rather than the parser's own helpers.
func FuzzParseHeaders(f *testing.F) {
	good := goodHeaders()
	f.Add(good.Get(HeaderKey), good.Get(HeaderTimestamp), good.Get(HeaderNonce), good.Get(HeaderSignature), uint8(0))
	f.Add("k", "0", strings.Repeat("a", 16), "ed25519="+b64(64), uint8(0))
	f.Add(strings.Repeat("k", 64), "999999999999", strings.Repeat("_", 64), "rsa-sha256="+b64(256), uint8(0))
	f.Add("key", "-1", "nonce", "hmac-sha256=", uint8(1))
	f.Add("key", "012", "n0nce-0123456789abcdé", "ed25519="+base64.URLEncoding.EncodeToString(make([]byte, 64)), uint8(2))
	f.Add("", "", "", "", uint8(15))
	f.Add("k", "1", strings.Repeat("a", 16), "hmac-sha256="+b64(32)[:42]+"B", uint8(4))

	token := regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	timestamp := regexp.MustCompile(`^(0|[1-9][0-9]{0,11})$`)
	names := [4]string{HeaderKey, HeaderTimestamp, HeaderNonce, HeaderSignature}

	f.Fuzz(func(t *testing.T, keyID, ts, nonce, sig string, dup uint8) {
		vals := [4]string{keyID, ts, nonce, sig}
		h := http.Header{}
		for i, name := range names {
			h.Set(name, vals[i])
			// The low bits repeat headers, alternating name case, so the
			// once-only rule is fuzzed too.
			if dup&(1<<i) != 0 {
				if dup&(1<<(i+4)) != 0 {
					h[strings.ToLower(name)] = []string{vals[i]}
				} else {
					h.Add(name, vals[i])
				}
			}
		}
		req, err := ParseHeaders(h)
		if err != nil {
			if req.KeyID != "" || req.Signature != nil {
				t.Fatalf("error %v returned with a non-zero Request %+v", err, req)
			}
			return
		}
		if dup&0x0f != 0 {
			t.Fatalf("accepted repeated headers (dup=%#x)", dup)
		}
		if req.KeyID != keyID || req.RawTimestamp != ts || req.Nonce != nonce {
			t.Fatalf("fields changed in parsing: %+v", req)
		}
		if len(req.KeyID) < 1 || len(req.KeyID) > 64 || !token.MatchString(req.KeyID) {
			t.Fatalf("accepted key ID %q", req.KeyID)
		}
		if len(req.Nonce) < 16 || len(req.Nonce) > 64 || !token.MatchString(req.Nonce) {
			t.Fatalf("accepted nonce %q", req.Nonce)
		}
		if !timestamp.MatchString(req.RawTimestamp) || strconv.FormatInt(req.Timestamp, 10) != req.RawTimestamp {
			t.Fatalf("accepted timestamp %q as %d", req.RawTimestamp, req.Timestamp)
		}
		var minLen, maxLen int
		switch req.Algorithm {
		case HMACSHA256:
			minLen, maxLen = 32, 32
		case Ed25519:
			minLen, maxLen = 64, 64
		case RSASHA256:
			minLen, maxLen = 256, 1024
		default:
			t.Fatalf("accepted algorithm %q", req.Algorithm)
		}
		if len(req.Signature) < minLen || len(req.Signature) > maxLen {
			t.Fatalf("accepted %d-byte %s signature", len(req.Signature), req.Algorithm)
		}
		// Canonical encoding: the header must be the one spelling of this
		// signature, or replay bookkeeping keyed on text could be bypassed.
		if want := string(req.Algorithm) + "=" + base64.RawURLEncoding.EncodeToString(req.Signature); want != sig {
			t.Fatalf("accepted non-canonical signature header %q (canonical %q)", sig, want)
		}
	})
}

// FuzzVerify checks that arbitrary signatures and strings never panic
// Verify and never pass for a fixed HMAC key unless they are the real MAC;
// the public-key paths only have to survive, since a fuzzer cannot forge.
func FuzzVerify(f *testing.F) {
	secret := []byte("pushd-test-secret-0123456789abcdef")
	realMAC := func(sts string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(sts))
		return m.Sum(nil)
	}
	sts := StringToSign("POST", "/graphql", "1767225600", "n0nce-0123456789abcdef", nil)
	f.Add(realMAC(sts), sts, uint8(0))
	f.Add(realMAC(sts)[:31], sts, uint8(0))
	f.Add([]byte{}, "", uint8(0))
	f.Add(bytes.Repeat([]byte{0xff}, 64), sts, uint8(1))
	f.Add(bytes.Repeat([]byte{0x01}, 256), sts, uint8(2))
	f.Add([]byte(nil), "x", uint8(3))

	hmacKey := Key{Algorithm: HMACSHA256, Secret: secret}
	edKey := pairFor(f, Ed25519).key
	rsaKey := pairFor(f, RSASHA256).key

	f.Fuzz(func(t *testing.T, sig []byte, sts string, which uint8) {
		want := realMAC(sts)
		err := Verify(hmacKey, Request{Algorithm: HMACSHA256, Signature: sig}, sts)
		if (err == nil) != bytes.Equal(sig, want) {
			t.Fatalf("hmac: Verify = %v for sig %x, real MAC %x", err, sig, want)
		}
		// Mislabelled requests must fail whatever the bytes.
		if err := Verify(hmacKey, Request{Algorithm: Algorithm([]string{"ed25519", "rsa-sha256", "", "HMAC-SHA256"}[which%4]), Signature: want}, sts); err == nil {
			t.Fatal("hmac key accepted a request labelled with another algorithm")
		}
		switch which % 3 {
		case 1:
			if Verify(edKey, Request{Algorithm: Ed25519, Signature: sig}, sts) == nil {
				t.Fatalf("ed25519 verified fuzzed signature %x over %q", sig, sts)
			}
		case 2:
			if Verify(rsaKey, Request{Algorithm: RSASHA256, Signature: sig}, sts) == nil {
				t.Fatalf("rsa verified fuzzed signature %x over %q", sig, sts)
			}
		}
	})
}
