package providertest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sideshow/apns2/token"
	"github.com/stretchr/testify/require"
)

const apnsTestToken = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"

// apnsTestSetup starts a fake and returns it with an HTTP/2 client that
// trusts it (and presents certs, if any).
func apnsTestSetup(t *testing.T, certs ...tls.Certificate) (*APNsFake, *http.Client) {
	t.Helper()
	f, err := StartAPNs(APNsOptions{})
	require.NoError(t, err)
	t.Cleanup(f.Close)
	tr := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: f.CertPool(), Certificates: certs},
		ForceAttemptHTTP2: true,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return f, &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// apnsTestRequest is a valid alert request; rows of the table tests
// change it.
type apnsTestRequest struct {
	method, path, auth string
	header             http.Header
	body               []byte
}

func apnsValidRequest(f *APNsFake) *apnsTestRequest {
	return &apnsTestRequest{
		method: http.MethodPost,
		path:   "/3/device/" + apnsTestToken,
		auth:   "bearer " + f.SignJWT(time.Now()),
		header: http.Header{
			"Apns-Push-Type": {"alert"},
			"Apns-Topic":     {f.Credentials().Topic},
			"Apns-Priority":  {"10"},
		},
		body: []byte(`{"aps":{"alert":{"title":"Hi","body":"there"}},"k":"v"}`),
	}
}

type apnsTestAnswer struct {
	status    int
	id        string
	uniqueID  string
	reason    string
	timestamp int64
	proto     int
}

func apnsDo(t *testing.T, c *http.Client, f *APNsFake, r *apnsTestRequest) apnsTestAnswer {
	t.Helper()
	req, err := http.NewRequest(r.method, f.URL+r.path, bytes.NewReader(r.body))
	require.NoError(t, err)
	for k, v := range r.header {
		req.Header[k] = v
	}
	if r.auth != "" {
		req.Header.Set("authorization", r.auth)
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := apnsTestAnswer{status: resp.StatusCode, id: resp.Header.Get("apns-id"), uniqueID: resp.Header.Get("apns-unique-id"), proto: resp.ProtoMajor}
	if resp.StatusCode == http.StatusOK {
		require.Empty(t, b)
		return a
	}
	var body struct {
		Reason    string `json:"reason"`
		Timestamp int64  `json:"timestamp"`
	}
	require.NoError(t, json.Unmarshal(b, &body), string(b))
	a.reason, a.timestamp = body.Reason, body.Timestamp
	return a
}

func TestAPNsFakeAcceptsValidRequest(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t)
	r := apnsValidRequest(f)
	r.header.Set("apns-id", "123e4567-e89b-12d3-a456-426655440000")
	r.header.Set("apns-collapse-id", "news")
	r.header.Set("apns-expiration", "0")
	a := apnsDo(t, c, f, r)
	require.Equal(t, http.StatusOK, a.status)
	require.Equal(t, 2, a.proto, "APNs speaks HTTP/2")
	require.Equal(t, "123e4567-e89b-12d3-a456-426655440000", a.id)
	require.True(t, apnsIsUUID(a.uniqueID), "the sandbox names its delivery log entry")

	log := f.Log.All()
	require.Len(t, log, 1)
	got := log[0]
	require.Equal(t, apnsTestToken, got.Token)
	require.Equal(t, "token", got.Auth)
	require.Equal(t, f.Credentials().KeyID, got.KeyID)
	require.Equal(t, "alert", got.PushType)
	require.Equal(t, "com.example.pushd", got.Topic)
	require.Equal(t, "10", got.Priority)
	require.Equal(t, "0", got.Expiration)
	require.Equal(t, "news", got.CollapseID)
	require.Equal(t, "v", got.Payload["k"])
	require.Equal(t, http.StatusOK, got.Status)
	require.False(t, got.At.IsZero())
}

func TestAPNsFakeGeneratesID(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t)
	a := apnsDo(t, c, f, apnsValidRequest(f))
	require.True(t, apnsIsUUID(a.id), a.id)
	r := apnsValidRequest(f)
	r.method = http.MethodGet
	a = apnsDo(t, c, f, r)
	require.Equal(t, http.StatusMethodNotAllowed, a.status)
	require.True(t, apnsIsUUID(a.id), "every answer carries apns-id")
}

func TestAPNsFakeCredentials(t *testing.T) {
	t.Parallel()
	f, err := StartAPNs(APNsOptions{Environment: APNsProduction, Topic: "org.example.app"})
	require.NoError(t, err)
	defer f.Close()
	c := f.Credentials()
	require.Equal(t, APNsProduction, c.Environment)
	require.Equal(t, "org.example.app", c.Topic)
	require.Regexp(t, `^[A-Z0-9]{10}$`, c.KeyID)
	require.Regexp(t, `^[A-Z0-9]{10}$`, c.TeamID)
	key, err := token.AuthKeyFromBytes([]byte(c.KeyP8))
	require.NoError(t, err)
	require.Equal(t, elliptic.P256(), key.Curve)
	require.Contains(t, string(f.CAPEM()), "BEGIN CERTIFICATE")
}

// A JWT made by sideshow/apns2 from the issued .p8 is accepted.
func TestAPNsFakeAcceptsApns2Token(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t)
	cr := f.Credentials()
	key, err := token.AuthKeyFromBytes([]byte(cr.KeyP8))
	require.NoError(t, err)
	tok := &token.Token{AuthKey: key, KeyID: cr.KeyID, TeamID: cr.TeamID}
	r := apnsValidRequest(f)
	r.auth = "bearer " + tok.GenerateIfExpired()
	require.Equal(t, http.StatusOK, apnsDo(t, c, f, r).status)
	// The cached verdict serves the same token again.
	require.Equal(t, http.StatusOK, apnsDo(t, c, f, r).status)
}

func TestAPNsFakeRejects(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t)
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	cr := f.Credentials()
	now := time.Now()
	rows := []struct {
		name   string
		change func(r *apnsTestRequest)
		status int
		reason string
	}{
		{"method", func(r *apnsTestRequest) { r.method = http.MethodPut }, 405, "MethodNotAllowed"},
		{"path", func(r *apnsTestRequest) { r.path = "/3/devices/" + apnsTestToken }, 404, "BadPath"},
		{"path with slash", func(r *apnsTestRequest) { r.path = "/3/device/ab/cd" }, 404, "BadPath"},
		{"no token", func(r *apnsTestRequest) { r.path = "/3/device/" }, 400, "MissingDeviceToken"},
		{"no auth", func(r *apnsTestRequest) { r.auth = "" }, 403, "MissingProviderToken"},
		{"not bearer", func(r *apnsTestRequest) { r.auth = "basic abc" }, 403, "InvalidProviderToken"},
		{"garbage jwt", func(r *apnsTestRequest) { r.auth = "bearer a.b.c" }, 403, "InvalidProviderToken"},
		{"other key", func(r *apnsTestRequest) { r.auth = "bearer " + apnsSignJWT(other, cr.KeyID, cr.TeamID, now) }, 403, "InvalidProviderToken"},
		{"unknown kid", func(r *apnsTestRequest) { r.auth = "bearer " + apnsSignJWT(f.key, "ZZZZZZZZZZ", cr.TeamID, now) }, 403, "InvalidProviderToken"},
		{"wrong team", func(r *apnsTestRequest) { r.auth = "bearer " + apnsSignJWT(f.key, cr.KeyID, "ZZZZZZZZZZ", now) }, 403, "InvalidProviderToken"},
		{"alg none", func(r *apnsTestRequest) {
			parts := strings.Split(f.SignJWT(now), ".")
			r.auth = "bearer eyJhbGciOiJub25lIiwia2lkIjoiWCJ9." + parts[1] + "."
		}, 403, "InvalidProviderToken"},
		{"tampered claims", func(r *apnsTestRequest) {
			a, b := strings.Split(f.SignJWT(now), "."), strings.Split(f.SignJWT(now.Add(-30*time.Minute)), ".")
			r.auth = "bearer " + a[0] + "." + b[1] + "." + a[2]
		}, 403, "InvalidProviderToken"},
		{"iat in the future", func(r *apnsTestRequest) { r.auth = "bearer " + f.SignJWT(now.Add(time.Hour)) }, 403, "InvalidProviderToken"},
		{"iat over an hour old", func(r *apnsTestRequest) { r.auth = "bearer " + f.SignJWT(now.Add(-61*time.Minute)) }, 403, "ExpiredProviderToken"},
		{"duplicate header", func(r *apnsTestRequest) { r.header["Apns-Priority"] = []string{"10", "10"} }, 400, "DuplicateHeaders"},
		{"push type", func(r *apnsTestRequest) { r.header.Set("apns-push-type", "banner") }, 400, "InvalidPushType"},
		{"no topic", func(r *apnsTestRequest) { r.header.Del("apns-topic") }, 400, "MissingTopic"},
		{"other app", func(r *apnsTestRequest) { r.header.Set("apns-topic", "org.other.app") }, 400, "TopicDisallowed"},
		{"voip suffix on alert", func(r *apnsTestRequest) { r.header.Set("apns-topic", cr.Topic+".voip") }, 400, "BadTopic"},
		{"voip without suffix", func(r *apnsTestRequest) { r.header.Set("apns-push-type", "voip") }, 400, "BadTopic"},
		{"priority", func(r *apnsTestRequest) { r.header.Set("apns-priority", "7") }, 400, "BadPriority"},
		{"background at 10", func(r *apnsTestRequest) {
			r.header.Set("apns-push-type", "background")
			r.body = []byte(`{"aps":{"content-available":1}}`)
		}, 400, "BadPriority"},
		{"background default priority", func(r *apnsTestRequest) {
			r.header.Set("apns-push-type", "background")
			r.header.Del("apns-priority")
			r.body = []byte(`{"aps":{"content-available":1}}`)
		}, 400, "BadPriority"},
		{"expiration", func(r *apnsTestRequest) { r.header.Set("apns-expiration", "tomorrow") }, 400, "BadExpirationDate"},
		{"apns-id", func(r *apnsTestRequest) { r.header.Set("apns-id", "not-a-uuid") }, 400, "BadMessageId"},
		{"apns-id upper case", func(r *apnsTestRequest) { r.header.Set("apns-id", "123E4567-E89B-12D3-A456-426655440000") }, 400, "BadMessageId"},
		{"collapse id", func(r *apnsTestRequest) { r.header.Set("apns-collapse-id", strings.Repeat("c", 65)) }, 400, "BadCollapseId"},
		{"empty body", func(r *apnsTestRequest) { r.body = nil }, 400, "PayloadEmpty"},
		{"too large", func(r *apnsTestRequest) {
			r.body = []byte(`{"aps":{},"x":"` + strings.Repeat("x", 4096) + `"}`)
		}, 413, "PayloadTooLarge"},
		{"not json", func(r *apnsTestRequest) { r.body = []byte(`{"aps":`) }, 400, "BadPayload"},
		{"no aps", func(r *apnsTestRequest) { r.body = []byte(`{"k":"v"}`) }, 400, "BadPayload"},
		{"token not hex", func(r *apnsTestRequest) { r.path = "/3/device/zz" + apnsTestToken }, 400, "BadDeviceToken"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			r := apnsValidRequest(f)
			row.change(r)
			a := apnsDo(t, c, f, r)
			require.Equal(t, row.status, a.status)
			require.Equal(t, row.reason, a.reason)
			require.NotEmpty(t, a.id)
		})
	}
	// Refused requests are recorded with their answer.
	log := f.Log.All()
	require.Len(t, log, len(rows))
	for _, r := range log {
		require.NotEqual(t, http.StatusOK, r.Status)
		require.NotEmpty(t, r.Reason)
	}
}

func TestAPNsFakeVoIPPayloadLimit(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t)
	r := apnsValidRequest(f)
	r.header.Set("apns-push-type", "voip")
	r.header.Set("apns-topic", f.Credentials().Topic+".voip")
	r.body = []byte(`{"aps":{},"x":"` + strings.Repeat("x", 4500) + `"}`)
	require.Equal(t, http.StatusOK, apnsDo(t, c, f, r).status)
}

func TestAPNsFakeTokenState(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t)
	since := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	f.SetAPNsToken(apnsTestToken, APNsFault{Status: 410, Reason: "Unregistered", Timestamp: since})
	a := apnsDo(t, c, f, apnsValidRequest(f))
	require.Equal(t, http.StatusGone, a.status)
	require.Equal(t, "Unregistered", a.reason)
	require.Equal(t, since.UnixMilli(), a.timestamp)

	// A 410 without a time reports now.
	f.SetAPNsToken(apnsTestToken, APNsFault{Status: 410, Reason: "ExpiredToken"})
	a = apnsDo(t, c, f, apnsValidRequest(f))
	require.Equal(t, "ExpiredToken", a.reason)
	require.WithinDuration(t, time.Now(), time.UnixMilli(a.timestamp), time.Minute)

	f.SetAPNsToken(apnsTestToken, APNsFault{Status: 400, Reason: "DeviceTokenNotForTopic"})
	a = apnsDo(t, c, f, apnsValidRequest(f))
	require.Equal(t, 400, a.status)
	require.Equal(t, "DeviceTokenNotForTopic", a.reason)
	require.Zero(t, a.timestamp)

	// The request itself is checked first.
	r := apnsValidRequest(f)
	r.auth = ""
	require.Equal(t, "MissingProviderToken", apnsDo(t, c, f, r).reason)

	f.SetAPNsToken(apnsTestToken, APNsFault{})
	require.Equal(t, http.StatusOK, apnsDo(t, c, f, apnsValidRequest(f)).status)
}

func TestAPNsFakeFailNext(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t)
	f.FailNext(2, APNsFault{Status: 503, Reason: "ServiceUnavailable"})
	for range 2 {
		a := apnsDo(t, c, f, apnsValidRequest(f))
		require.Equal(t, 503, a.status)
		require.Equal(t, "ServiceUnavailable", a.reason)
	}
	require.Equal(t, http.StatusOK, apnsDo(t, c, f, apnsValidRequest(f)).status)
}

func TestAPNsFakeReset(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t)
	f.ResetNext(1)
	r := apnsValidRequest(f)
	req, err := http.NewRequest(r.method, f.URL+r.path, bytes.NewReader(r.body))
	require.NoError(t, err)
	_, err = c.Do(req)
	require.Error(t, err)
	require.Equal(t, http.StatusOK, apnsDo(t, c, f, apnsValidRequest(f)).status)
}

// apnsTestCert makes a self-signed client certificate valid until notAfter.
func apnsTestCert(t *testing.T, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "Apple Push Services: com.example.pushd"},
		NotBefore:    notAfter.Add(-365 * 24 * time.Hour),
		NotAfter:     notAfter,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestAPNsFakeCertificateAuth(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t, apnsTestCert(t, time.Now().Add(24*time.Hour)))
	r := apnsValidRequest(f)
	r.auth = ""
	require.Equal(t, http.StatusOK, apnsDo(t, c, f, r).status)
	r.header.Del("apns-topic") // the certificate's topic is the default
	require.Equal(t, http.StatusOK, apnsDo(t, c, f, r).status)
	require.Equal(t, "certificate", f.Log.All()[0].Auth)

	f2, c2 := apnsTestSetup(t, apnsTestCert(t, time.Now().Add(-time.Hour)))
	r = apnsValidRequest(f2)
	r.auth = ""
	a := apnsDo(t, c2, f2, r)
	require.Equal(t, http.StatusForbidden, a.status)
	require.Equal(t, "BadCertificate", a.reason)
}

func TestAPNsFakeConcurrent(t *testing.T) {
	t.Parallel()
	f, c := apnsTestSetup(t)
	f.SetLatency(5 * time.Millisecond)
	bearer := "bearer " + f.SignJWT(time.Now())
	statuses := make([]int, 50)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			r := apnsValidRequest(f)
			req, err := http.NewRequest(r.method, f.URL+r.path, bytes.NewReader(r.body))
			if err != nil {
				return
			}
			req.Header = r.header
			req.Header.Set("authorization", bearer)
			resp, err := c.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for _, s := range statuses {
		require.Equal(t, http.StatusOK, s)
	}
	require.Equal(t, 50, f.Log.Len())
}
