package signature

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, alg := range algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			t.Parallel()
			p := pairFor(t, alg)
			for _, body := range [][]byte{[]byte(`{"query":"{ apps { totalCount } }"}`), nil} {
				r, err := http.NewRequest(http.MethodPost, "https://api.example/graphql?x=1&y=%2F", bytes.NewReader(body))
				require.NoError(t, err)
				require.NoError(t, p.signer.Sign(r, body))

				req, err := ParseHeaders(r.Header)
				require.NoError(t, err)
				require.Equal(t, p.signer.KeyID, req.KeyID)
				require.Equal(t, alg, req.Algorithm)
				require.Equal(t, int64(vectorTime), req.Timestamp)
				require.Len(t, req.Nonce, 24)
				sts := StringToSign(r.Method, r.URL.RequestURI(), req.RawTimestamp, req.Nonce, body)
				require.NoError(t, CheckTime(req.Timestamp, fixedNow()))
				require.NoError(t, Verify(p.key, req, sts))
			}
		})
	}
}

// TestOverHTTP checks the server side as a real handler sees it: the
// request target as received, and a body read from the wire.
func TestOverHTTP(t *testing.T) {
	t.Parallel()
	p := pairFor(t, HMACSHA256)
	p.signer.Now = time.Now
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req, err := ParseHeaders(r.Header)
		if err == nil {
			err = CheckTime(req.Timestamp, time.Now())
		}
		if err == nil {
			err = Verify(p.key, req, StringToSign(r.Method, r.RequestURI, req.RawTimestamp, req.Nonce, body))
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)

	body := []byte(`{"query":"{ apps { totalCount } }"}`)
	r, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql?q=a%20b&x=%41", bytes.NewReader(body))
	require.NoError(t, err)
	require.NoError(t, p.signer.Sign(r, body))
	resp, err := srv.Client().Do(r)
	require.NoError(t, err)
	msg, _ := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusNoContent, resp.StatusCode, string(msg))
}

func TestStringToSign(t *testing.T) {
	t.Parallel()
	got := StringToSign("post", "/graphql?x=1", "1767225600", "n0nce-0123456789abcdef", nil)
	require.Equal(t, "pushd-sig-v1\nPOST\n/graphql?x=1\n1767225600\nn0nce-0123456789abcdef\n"+
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", got)
	require.Equal(t, got, StringToSign("POST", "/graphql?x=1", "1767225600", "n0nce-0123456789abcdef", []byte{}))
}

// goodHeaders is a syntactically valid header set; the HMAC value is not a
// real MAC because only syntax is under test.
func goodHeaders() http.Header {
	h := http.Header{}
	h.Set(HeaderKey, "key_01JD9Q")
	h.Set(HeaderTimestamp, "1767225600")
	h.Set(HeaderNonce, "n0nce-0123456789abcdef")
	h.Set(HeaderSignature, "hmac-sha256="+b64(32))
	return h
}

// b64 encodes n bytes that are not all zero, so a test cannot pass by
// accident on a zero-value slice.
func b64(n int) string {
	return base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xa5}, n))
}

func TestParseHeadersRejects(t *testing.T) {
	t.Parallel()
	set := func(name, v string) func(http.Header) { return func(h http.Header) { h.Set(name, v) } }
	type tc struct {
		name   string
		mutate func(http.Header)
		want   string
	}
	cases := []tc{
		{"lowercase duplicate", func(h http.Header) { h["x-pushd-nonce"] = []string{"n0nce-0123456789abcdef"} }, "X-Pushd-Nonce header given 2 times"},
		{"empty value list", func(h http.Header) { h[HeaderKey] = []string{} }, "missing X-Pushd-Key"},
		{"key ID empty", set(HeaderKey, ""), "X-Pushd-Key is 0 bytes"},
		{"key ID 65", set(HeaderKey, strings.Repeat("k", 65)), "X-Pushd-Key is 65 bytes"},
		{"key ID dot", set(HeaderKey, "key.1"), "X-Pushd-Key has a byte outside"},
		{"nonce plus", set(HeaderNonce, "n0nce+0123456789abcdef"), "X-Pushd-Nonce has a byte outside"},
		{"nonce slash", set(HeaderNonce, "n0nce/0123456789abcdef"), "X-Pushd-Nonce has a byte outside"},
		{"nonce space", set(HeaderNonce, "n0nce 0123456789abcdef"), "X-Pushd-Nonce has a byte outside"},
		{"nonce unicode", set(HeaderNonce, "n0nce-0123456789abcdé"), "X-Pushd-Nonce has a byte outside"},
		{"nonce 15", set(HeaderNonce, strings.Repeat("n", 15)), "X-Pushd-Nonce is 15 bytes"},
		{"nonce 65", set(HeaderNonce, strings.Repeat("n", 65)), "X-Pushd-Nonce is 65 bytes"},
		{"timestamp -1", set(HeaderTimestamp, "-1"), "non-digit"},
		{"timestamp +5", set(HeaderTimestamp, "+5"), "non-digit"},
		{"timestamp 012", set(HeaderTimestamp, "012"), "leading zero"},
		{"timestamp 1e9", set(HeaderTimestamp, "1e9"), "non-digit"},
		{"timestamp 13 digits", set(HeaderTimestamp, "1767225600000"), "is 13 bytes"},
		{"timestamp empty", set(HeaderTimestamp, ""), "is 0 bytes"},
		{"timestamp space", set(HeaderTimestamp, " 1767225600"), "non-digit"},
		{"timestamp fraction", set(HeaderTimestamp, "1767225600.5"), "non-digit"},
		{"unknown alg", set(HeaderSignature, "hmac-sha512="+b64(32)), "unknown algorithm \"hmac-sha512\""},
		{"alg case", set(HeaderSignature, "HMAC-SHA256="+b64(32)), "unknown algorithm"},
		{"empty alg", set(HeaderSignature, "="+b64(32)), "unknown algorithm \"\""},
		{"missing =", set(HeaderSignature, "hmac-sha256"+b64(32)), "no \"=\""},
		{"empty signature header", set(HeaderSignature, ""), "no \"=\""},
		{"empty signature", set(HeaderSignature, "hmac-sha256="), "0 base64url characters"},
		{"padding hmac", set(HeaderSignature, "hmac-sha256="+base64.URLEncoding.EncodeToString(make([]byte, 32))), "padding"},
		{"padding ed25519", set(HeaderSignature, "ed25519="+base64.URLEncoding.EncodeToString(make([]byte, 64))), "padding"},
		{"standard alphabet", set(HeaderSignature, "hmac-sha256=+/"+b64(32)[2:]), "outside unpadded base64url"},
		{"embedded newline", set(HeaderSignature, "hmac-sha256="+b64(32)[:20]+"\n"+b64(32)[21:]), "outside unpadded base64url"},
		{"non-canonical trailing bits", set(HeaderSignature, "hmac-sha256="+b64(32)[:42]+"B"), "illegal base64"},
		{"hmac 31 bytes", set(HeaderSignature, "hmac-sha256="+b64(31)), "base64url characters, want 43..43"},
		{"hmac 33 bytes", set(HeaderSignature, "hmac-sha256="+b64(33)), "base64url characters, want 43..43"},
		{"ed25519 32 bytes", set(HeaderSignature, "ed25519="+b64(32)), "want 86..86"},
		{"rsa 255 bytes", set(HeaderSignature, "rsa-sha256="+b64(255)), "want 342..1366"},
		{"rsa 1025 bytes", set(HeaderSignature, "rsa-sha256="+b64(1025)), "want 342..1366"},
		{"rsa impossible length", set(HeaderSignature, "rsa-sha256="+b64(300)+"A"), "illegal base64"},
	}
	for _, name := range []string{HeaderKey, HeaderTimestamp, HeaderNonce, HeaderSignature} {
		cases = append(cases,
			tc{"missing " + name, func(h http.Header) { h.Del(name) }, "missing " + name},
			tc{"duplicate " + name, func(h http.Header) { h.Add(name, h.Get(name)) }, name + " header given 2 times"},
		)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := goodHeaders()
			c.mutate(h)
			req, err := ParseHeaders(h)
			require.ErrorContains(t, err, c.want)
			require.Equal(t, Request{}, req)
			require.NotErrorIs(t, err, ErrBadSignature)
		})
	}
}

func TestParseHeadersAccepts(t *testing.T) {
	t.Parallel()
	set := func(name, v string) func(http.Header) { return func(h http.Header) { h.Set(name, v) } }
	cases := []struct {
		name   string
		mutate func(http.Header)
		check  func(*testing.T, Request)
	}{
		{"nonce 16", set(HeaderNonce, strings.Repeat("a", 16)), nil},
		{"nonce 64", set(HeaderNonce, strings.Repeat("Z", 32)+strings.Repeat("_-", 16)), nil},
		{"key ID 64", set(HeaderKey, strings.Repeat("k", 64)), nil},
		{"key ID 1", set(HeaderKey, "k"), nil},
		{"timestamp 0", set(HeaderTimestamp, "0"), func(t *testing.T, r Request) { require.Zero(t, r.Timestamp) }},
		{"timestamp 12 digits", set(HeaderTimestamp, "999999999999"), func(t *testing.T, r Request) {
			require.Equal(t, int64(999999999999), r.Timestamp)
		}},
		{"ed25519", set(HeaderSignature, "ed25519="+b64(64)), func(t *testing.T, r Request) { require.Len(t, r.Signature, 64) }},
		{"rsa 256", set(HeaderSignature, "rsa-sha256="+b64(256)), func(t *testing.T, r Request) { require.Len(t, r.Signature, 256) }},
		{"rsa 1024", set(HeaderSignature, "rsa-sha256="+b64(1024)), func(t *testing.T, r Request) { require.Len(t, r.Signature, 1024) }},
		{"lowercase names", func(h http.Header) {
			for k, v := range h {
				delete(h, k)
				h[strings.ToLower(k)] = v
			}
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := goodHeaders()
			c.mutate(h)
			req, err := ParseHeaders(h)
			require.NoError(t, err)
			if c.check != nil {
				c.check(t, req)
			}
		})
	}
}

func TestTamperedRequestsFail(t *testing.T) {
	t.Parallel()
	const method, path, nonce = http.MethodPost, "/graphql?x=1", "n0nce-0123456789abcdef"
	body := []byte(`{"query":"{ apps { totalCount } }"}`)
	flipped := bytes.Clone(body)
	flipped[3] ^= 0x01
	for _, alg := range algorithms() {
		t.Run(string(alg), func(t *testing.T) {
			t.Parallel()
			p := pairFor(t, alg)
			p.signer.Nonce = func() string { return nonce }
			h, err := p.signer.Headers(method, path, body)
			require.NoError(t, err)
			req, err := ParseHeaders(h)
			require.NoError(t, err)
			ts := req.RawTimestamp
			require.NoError(t, Verify(p.key, req, StringToSign(method, path, ts, nonce, body)))

			for name, sts := range map[string]string{
				"flipped body byte": StringToSign(method, path, ts, nonce, flipped),
				"no body":           StringToSign(method, path, ts, nonce, nil),
				"path":              StringToSign(method, "/graphql?x=2", ts, nonce, body),
				"query dropped":     StringToSign(method, "/graphql", ts, nonce, body),
				"method":            StringToSign(http.MethodGet, path, ts, nonce, body),
				"nonce":             StringToSign(method, path, ts, "n0nce-0123456789abcdeF", body),
				"timestamp":         StringToSign(method, path, "1767225601", nonce, body),
			} {
				require.ErrorIs(t, Verify(p.key, req, sts), ErrBadSignature, name)
			}
			sts := StringToSign(method, path, ts, nonce, body)
			require.ErrorIs(t, Verify(otherPair(t, alg).key, req, sts), ErrBadSignature, "different key")

			bad := req
			bad.Signature = bytes.Clone(req.Signature)
			bad.Signature[len(bad.Signature)-1] ^= 0x80
			require.ErrorIs(t, Verify(p.key, bad, sts), ErrBadSignature, "flipped signature bit")
			bad.Signature = req.Signature[:len(req.Signature)-1]
			require.ErrorIs(t, Verify(p.key, bad, sts), ErrBadSignature, "truncated signature")
		})
	}
}

func TestVerifyAlgorithmMustMatchKey(t *testing.T) {
	t.Parallel()
	ed := pairFor(t, Ed25519)
	h, err := ed.signer.Headers(http.MethodPost, "/graphql", nil)
	require.NoError(t, err)
	req, err := ParseHeaders(h)
	require.NoError(t, err)
	sts := StringToSign(http.MethodPost, "/graphql", req.RawTimestamp, req.Nonce, nil)
	require.NoError(t, Verify(ed.key, req, sts))

	// The same valid signature, relabelled, must not pass under a key
	// registered for another algorithm.
	hm := pairFor(t, HMACSHA256)
	require.ErrorIs(t, Verify(hm.key, req, sts), ErrBadSignature)
	req.Algorithm = HMACSHA256
	require.ErrorIs(t, Verify(ed.key, req, sts), ErrBadSignature)
}

func TestVerifyRejectsUnusableKeys(t *testing.T) {
	t.Parallel()
	sig := bytes.Repeat([]byte{1}, 64)
	cases := map[string]Key{
		"empty hmac secret":     {Algorithm: HMACSHA256},
		"ed25519 nil key":       {Algorithm: Ed25519},
		"ed25519 short key":     {Algorithm: Ed25519, PublicKey: ed25519.PublicKey{1, 2, 3}},
		"ed25519 untyped bytes": {Algorithm: Ed25519, PublicKey: make([]byte, ed25519.PublicKeySize)},
		"rsa nil key":           {Algorithm: RSASHA256},
		"rsa ed25519 key":       {Algorithm: RSASHA256, PublicKey: pairFor(t, Ed25519).key.PublicKey},
		"unknown key algorithm": {Algorithm: "hmac-md5", Secret: []byte("x")},
	}
	for name, key := range cases {
		req := Request{Algorithm: key.Algorithm, Signature: sig}
		err := Verify(key, req, "sts")
		require.Error(t, err, name)
		require.NotErrorIs(t, err, ErrBadSignature, name)
	}
}

func TestCheckTime(t *testing.T) {
	t.Parallel()
	now := time.Unix(vectorTime, 0)
	for _, d := range []int64{0, 1, -1, 299, -299, 300, -300} {
		require.NoError(t, CheckTime(vectorTime+d, now), d)
	}
	for _, d := range []int64{301, -301, 86400, -86400} {
		require.ErrorIs(t, CheckTime(vectorTime+d, now), ErrStale, d)
	}
	// Whole seconds: a fractional server clock does not shrink the window.
	frac := now.Add(999 * time.Millisecond)
	require.NoError(t, CheckTime(vectorTime+300, frac))
	require.NoError(t, CheckTime(vectorTime-300, frac))
	require.ErrorIs(t, CheckTime(vectorTime-301, frac), ErrStale)
	for _, ts := range []int64{math.MinInt64, math.MaxInt64, 0} {
		require.ErrorIs(t, CheckTime(ts, now), ErrStale, ts)
	}
}

func TestSignerRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	good := pairFor(t, HMACSHA256).signer
	cases := map[string]func(*Signer){
		"empty key ID":     func(s *Signer) { s.KeyID = "" },
		"key ID charset":   func(s *Signer) { s.KeyID = "key 1" },
		"short nonce":      func(s *Signer) { s.Nonce = func() string { return "short" } },
		"nonce charset":    func(s *Signer) { s.Nonce = func() string { return "n0nce+0123456789abcdef" } },
		"negative clock":   func(s *Signer) { s.Now = func() time.Time { return time.Unix(-1, 0) } },
		"far future clock": func(s *Signer) { s.Now = func() time.Time { return time.Unix(1e12, 0) } },
		"empty secret":     func(s *Signer) { s.Secret = "" },
		"unknown alg":      func(s *Signer) { s.Algorithm = "none" },
		"ed25519 no key":   func(s *Signer) { s.Algorithm = Ed25519 },
		"rsa no key":       func(s *Signer) { s.Algorithm = RSASHA256 },
		"rsa with ed25519": func(s *Signer) { s.Algorithm, s.PrivateKey = RSASHA256, pairFor(t, Ed25519).signer.PrivateKey },
		"ed25519 with rsa": func(s *Signer) { s.Algorithm, s.PrivateKey = Ed25519, pairFor(t, RSASHA256).signer.PrivateKey },
	}
	for name, mutate := range cases {
		s := good
		mutate(&s)
		_, err := s.Headers(http.MethodPost, "/graphql", nil)
		require.Error(t, err, name)
	}
	_, err := good.Headers(http.MethodPost, "/graphql", nil)
	require.NoError(t, err)
}

func TestSignReplacesExistingHeaders(t *testing.T) {
	t.Parallel()
	p := pairFor(t, HMACSHA256)
	r, err := http.NewRequest("", "https://api.example/graphql", nil)
	require.NoError(t, err)
	r.Header.Add(HeaderNonce, "stale-nonce-from-a-retry")
	r.Header.Add(HeaderNonce, "another-stale-nonce-value")
	require.NoError(t, p.signer.Sign(r, nil))
	req, err := ParseHeaders(r.Header)
	require.NoError(t, err)
	// An empty Method goes out as GET, so GET is what was signed.
	require.NoError(t, Verify(p.key, req, StringToSign(http.MethodGet, "/graphql", req.RawTimestamp, req.Nonce, nil)))

	require.Error(t, p.signer.Sign(&http.Request{}, nil))
}

func TestRandomNonces(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		n := randomNonce()
		require.Len(t, n, 24)
		require.NoError(t, checkToken("nonce", n, minNonceLen, maxNonceLen))
		require.False(t, seen[n])
		seen[n] = true
	}
}
