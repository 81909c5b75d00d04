package signature

import (
	"bytes"
	"net/http"
	"testing"
)

// benchVerify measures what the server does per signed request once the key
// is looked up: parse, build the string to sign over a 1 KiB body, check the
// clock and verify.
func benchVerify(b *testing.B, alg Algorithm) {
	p := pairFor(b, alg)
	body := bytes.Repeat([]byte("x"), 1024)
	const path = "/graphql?op=Apps"
	h, err := p.signer.Headers(http.MethodPost, path, body)
	if err != nil {
		b.Fatal(err)
	}
	now := fixedNow()
	b.ReportAllocs()
	for b.Loop() {
		req, err := ParseHeaders(h)
		if err != nil {
			b.Fatal(err)
		}
		sts := StringToSign(http.MethodPost, path, req.RawTimestamp, req.Nonce, body)
		if err := CheckTime(req.Timestamp, now); err != nil {
			b.Fatal(err)
		}
		if err := Verify(p.key, req, sts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyHMAC(b *testing.B)    { benchVerify(b, HMACSHA256) }
func BenchmarkVerifyEd25519(b *testing.B) { benchVerify(b, Ed25519) }
func BenchmarkVerifyRSA2048(b *testing.B) { benchVerify(b, RSASHA256) }
