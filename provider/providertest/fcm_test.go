package providertest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"golang.org/x/oauth2/jws"

	"github.com/pushd/pushd/provider/providertest"
)

type fcmTestBundle struct {
	fake   *providertest.FCMFake
	client *http.Client
	token  string
}

// fcmTestSetup starts a fake and fetches an access token from it the way
// the Go OAuth library does.
func fcmTestSetup(t *testing.T) fcmTestBundle {
	t.Helper()
	fake, err := providertest.StartFCM(providertest.FCMOptions{ProjectID: "proj-1"})
	require.NoError(t, err)
	t.Cleanup(fake.Close)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(fake.CAPEM()))
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)

	conf, err := google.JWTConfigFromJSON([]byte(fake.Credentials().ServiceAccountJSON), "https://www.googleapis.com/auth/firebase.messaging")
	require.NoError(t, err)
	require.Equal(t, "https://oauth2.googleapis.com/token", conf.TokenURL, "a real key file's token_uri")
	conf.TokenURL = fake.TokenURL() // as pushd does with PUSHD_FCM_AUTH_URL
	tok, err := conf.TokenSource(context.WithValue(context.Background(), oauth2.HTTPClient, hc)).Token()
	require.NoError(t, err)
	require.Equal(t, "Bearer", tok.TokenType)
	require.WithinDuration(t, time.Now().Add(3599*time.Second), tok.Expiry, time.Minute)
	return fcmTestBundle{fake: fake, client: hc, token: tok.AccessToken}
}

// send posts a messages:send request and returns the status and the body.
func (b fcmTestBundle) send(t *testing.T, project, token string, body any) (int, map[string]any, http.Header) {
	t.Helper()
	raw, ok := body.(string)
	if !ok {
		bs, err := json.Marshal(body)
		require.NoError(t, err)
		raw = string(bs)
	}
	req, err := http.NewRequest(http.MethodPost, b.fake.URL+"/v1/projects/"+project+"/messages:send", strings.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := b.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out, resp.Header
}

// fcmErr reads the Google error envelope: status, message, FcmError code.
func fcmErr(t *testing.T, body map[string]any) (string, string, string) {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	require.True(t, ok, "no error envelope in %v", body)
	status, _ := e["status"].(string)
	msg, _ := e["message"].(string)
	code := ""
	details, _ := e["details"].([]any)
	for _, d := range details {
		m := d.(map[string]any)
		if m["@type"] == "type.googleapis.com/google.firebase.fcm.v1.FcmError" {
			code, _ = m["errorCode"].(string)
		}
	}
	return status, msg, code
}

func TestFCMFakeSendOK(t *testing.T) {
	t.Parallel()
	b := fcmTestSetup(t)
	st, body, _ := b.send(t, "proj-1", b.token, map[string]any{"message": map[string]any{
		"token":   "tok-1",
		"data":    map[string]string{"k": "v"},
		"android": map[string]any{"ttl": "3600s", "priority": "high", "notification": map[string]any{"channel_id": "c", "notification_count": 3}},
	}})
	require.Equal(t, http.StatusOK, st)
	require.Regexp(t, `^projects/proj-1/messages/0:\d+%[0-9a-f]+$`, body["name"])

	// camelCase field names are accepted too; validate_only is recorded.
	st, body, _ = b.send(t, "proj-1", b.token, `{"validateOnly":true,"message":{"token":"tok-2","android":{"collapseKey":"x"}}}`)
	require.Equal(t, http.StatusOK, st, body)
	require.Equal(t, "projects/proj-1/messages/fake_message_id", body["name"])

	sends := b.fake.Sends.All()
	require.Len(t, sends, 2)
	require.Equal(t, "tok-1", sends[0].Token)
	require.Equal(t, "proj-1", sends[0].Project)
	require.Equal(t, http.StatusOK, sends[0].Status)
	require.Equal(t, map[string]any{"k": "v"}, sends[0].Decoded()["data"])
	require.False(t, sends[0].At.IsZero())
	require.True(t, sends[1].ValidateOnly)
	require.Equal(t, 1, b.fake.TokenRequests())
}

func TestFCMFakeAuth(t *testing.T) {
	t.Parallel()
	b := fcmTestSetup(t)
	msg := map[string]any{"message": map[string]any{"token": "t"}}

	st, body, _ := b.send(t, "proj-1", "", msg)
	require.Equal(t, http.StatusUnauthorized, st)
	status, text, code := fcmErr(t, body)
	require.Equal(t, "UNAUTHENTICATED", status)
	require.Contains(t, text, "missing required authentication credential")
	require.Empty(t, code)

	st, body, _ = b.send(t, "proj-1", "ya29.not-issued", msg)
	require.Equal(t, http.StatusUnauthorized, st)
	status, text, code = fcmErr(t, body)
	require.Equal(t, "UNAUTHENTICATED", status)
	require.Contains(t, text, "invalid authentication credentials")
	require.Empty(t, code)

	st, body, _ = b.send(t, "other-project", b.token, msg)
	require.Equal(t, http.StatusForbidden, st)
	status, text, code = fcmErr(t, body)
	require.Equal(t, "PERMISSION_DENIED", status)
	require.Contains(t, text, "cloudmessaging.messages.create")
	require.Empty(t, code)

	b.fake.RevokeAccessTokens()
	st, _, _ = b.send(t, "proj-1", b.token, msg)
	require.Equal(t, http.StatusUnauthorized, st)
	require.Zero(t, b.fake.Sends.Len(), "unauthenticated requests are not recorded")
}

func TestFCMFakeValidation(t *testing.T) {
	t.Parallel()
	b := fcmTestSetup(t)
	big := strings.Repeat("x", 4100)
	for name, tc := range map[string]struct {
		msg  string
		want string
	}{
		"no target":        {`{"message":{"data":{"a":"b"}}}`, "Recipient of the message is not set"},
		"two targets":      {`{"message":{"token":"t","topic":"news"}}`, "oneof field 'target' is already set"},
		"bad topic":        {`{"message":{"topic":"a b"}}`, "Invalid topic name"},
		"data not string":  {`{"message":{"token":"t","data":{"n":1}}}`, "message.data[n].value"},
		"reserved from":    {`{"message":{"token":"t","data":{"from":"x"}}}`, "Invalid data payload key: from"},
		"reserved google":  {`{"message":{"token":"t","data":{"google.x":"x"}}}`, "Invalid data payload key"},
		"reserved gcm":     {`{"message":{"token":"t","data":{"gcm.n":"x"}}}`, "Invalid data payload key"},
		"ttl format":       {`{"message":{"token":"t","android":{"ttl":"3600"}}}`, "message.android.ttl"},
		"ttl nanos":        {`{"message":{"token":"t","android":{"ttl":"1.0000000001s"}}}`, "message.android.ttl"},
		"ttl range":        {`{"message":{"token":"t","android":{"ttl":"2419201s"}}}`, "above the maximum"},
		"priority":         {`{"message":{"token":"t","android":{"priority":"urgent"}}}`, "message.android.priority"},
		"color":            {`{"message":{"token":"t","android":{"notification":{"color":"red"}}}}`, "#rrggbb"},
		"unknown field":    {`{"message":{"token":"t","bogus":1}}`, `Unknown name "bogus"`},
		"unknown android":  {`{"message":{"token":"t","android":{"ttl_seconds":1}}}`, `Unknown name "ttl_seconds"`},
		"too big":          {`{"message":{"token":"t","data":{"k":"` + big + `"}}}`, "Message is too big"},
		"not json":         {`{"message":`, "Invalid JSON payload"},
		"apns header type": {`{"message":{"token":"t","apns":{"headers":{"apns-priority":10}}}}`, "message.apns.headers"},
		"web link":         {`{"message":{"token":"t","webpush":{"fcm_options":{"link":"http://x"}}}}`, "HTTPS"},
	} {
		st, body, _ := b.send(t, "proj-1", b.token, tc.msg)
		require.Equal(t, http.StatusBadRequest, st, name)
		status, text, code := fcmErr(t, body)
		require.Equal(t, "INVALID_ARGUMENT", status, name)
		require.Equal(t, "INVALID_ARGUMENT", code, name)
		require.Contains(t, text, tc.want, name)
	}
	// A valid ttl with nanoseconds, as the SDK writes it.
	st, body, _ := b.send(t, "proj-1", b.token, `{"message":{"token":"t","android":{"ttl":"3.000000001s"}}}`)
	require.Equal(t, http.StatusOK, st, body)
}

func TestFCMFakeFaults(t *testing.T) {
	t.Parallel()
	b := fcmTestSetup(t)
	for _, tc := range []struct {
		fault  providertest.FCMFault
		status int
		gstat  string
	}{
		{providertest.FCMFault{ErrorCode: "UNREGISTERED"}, 404, "NOT_FOUND"},
		{providertest.FCMFault{ErrorCode: "INVALID_ARGUMENT"}, 400, "INVALID_ARGUMENT"},
		{providertest.FCMFault{ErrorCode: "SENDER_ID_MISMATCH"}, 403, "PERMISSION_DENIED"},
		{providertest.FCMFault{ErrorCode: "QUOTA_EXCEEDED", RetryAfter: "90"}, 429, "RESOURCE_EXHAUSTED"},
		{providertest.FCMFault{ErrorCode: "UNAVAILABLE", RetryAfter: "5"}, 503, "UNAVAILABLE"},
		{providertest.FCMFault{ErrorCode: "INTERNAL"}, 500, "INTERNAL"},
		{providertest.FCMFault{ErrorCode: "THIRD_PARTY_AUTH_ERROR"}, 401, "UNAUTHENTICATED"},
		{providertest.FCMFault{Status: 429, RetryAfter: "30"}, 429, "RESOURCE_EXHAUSTED"},
	} {
		tok := "tok-" + tc.fault.ErrorCode + tc.fault.RetryAfter
		b.fake.SetFCMToken(tok, tc.fault)
		st, body, h := b.send(t, "proj-1", b.token, map[string]any{"message": map[string]any{"token": tok}})
		require.Equal(t, tc.status, st, tok)
		status, _, code := fcmErr(t, body)
		require.Equal(t, tc.gstat, status, tok)
		require.Equal(t, tc.fault.ErrorCode, code, tok)
		require.Equal(t, tc.fault.RetryAfter, h.Get("Retry-After"), tok)
	}
	// Cleared, the token works again; another token was never affected.
	b.fake.SetFCMToken("tok-UNREGISTERED", providertest.FCMFault{})
	st, _, _ := b.send(t, "proj-1", b.token, map[string]any{"message": map[string]any{"token": "tok-UNREGISTERED"}})
	require.Equal(t, http.StatusOK, st)

	// FailNext: the next two requests fail whatever their token.
	b.fake.FailNext(2, providertest.FCMFault{ErrorCode: "UNAVAILABLE", RetryAfter: "1"})
	for i, want := range []int{503, 503, 200} {
		st, _, _ := b.send(t, "proj-1", b.token, map[string]any{"message": map[string]any{"token": "any"}})
		require.Equal(t, want, st, i)
	}
	sends := b.fake.Sends.All()
	require.Equal(t, 503, sends[len(sends)-2].Status)
	require.Equal(t, 200, sends[len(sends)-1].Status)
}

func TestFCMFakeTokenEndpoint(t *testing.T) {
	t.Parallel()
	b := fcmTestSetup(t)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, b.client)
	token := func(creds string) error {
		conf, err := google.JWTConfigFromJSON([]byte(creds), "https://www.googleapis.com/auth/firebase.messaging")
		require.NoError(t, err)
		conf.TokenURL = b.fake.TokenURL()
		_, err = conf.TokenSource(ctx).Token()
		return err
	}
	oauthErr := func(err error) (int, string, string) {
		var re *oauth2.RetrieveError
		require.True(t, errors.As(err, &re), "%v", err)
		var body struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		require.NoError(t, json.Unmarshal(re.Body, &body))
		return re.Response.StatusCode, body.Error, body.Description
	}

	other, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	st, code, desc := oauthErr(token(b.fake.CredentialsWithKey(other).ServiceAccountJSON))
	require.Equal(t, 400, st)
	require.Equal(t, "invalid_grant", code)
	require.Equal(t, "Invalid JWT Signature.", desc)

	b.fake.FailTokenNext(1, providertest.FCMFault{Message: "Invalid grant: account not found"})
	st, code, desc = oauthErr(token(b.fake.Credentials().ServiceAccountJSON))
	require.Equal(t, 400, st)
	require.Equal(t, "invalid_grant", code)
	require.Equal(t, "Invalid grant: account not found", desc)
	require.NoError(t, token(b.fake.Credentials().ServiceAccountJSON), "only the next one failed")

	b.fake.FailTokenNext(1, providertest.FCMFault{Status: 503, ErrorCode: "internal_failure", RetryAfter: "3"})
	st, code, _ = oauthErr(token(b.fake.Credentials().ServiceAccountJSON))
	require.Equal(t, 503, st)
	require.Equal(t, "internal_failure", code)

	// Hand-made assertions: wrong audience, too long-lived, wrong scope,
	// wrong grant type.
	key := fcmTestKey(t, b.fake)
	now := time.Now()
	post := func(grant, assertion string) (int, string, string) {
		resp, err := b.client.PostForm(b.fake.TokenURL(), url.Values{"grant_type": {grant}, "assertion": {assertion}})
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var body struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		require.NoError(t, json.NewDecoder(bytes.NewReader(raw)).Decode(&body))
		return resp.StatusCode, body.Error, body.Description
	}
	sign := func(cs jws.ClaimSet) string {
		s, err := jws.Encode(&jws.Header{Algorithm: "RS256", Typ: "JWT"}, &cs, key)
		require.NoError(t, err)
		return s
	}
	email := fcmTestEmail(t, b.fake)
	const bearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	scope := "https://www.googleapis.com/auth/firebase.messaging"
	ok := jws.ClaimSet{Iss: email, Scope: scope, Aud: b.fake.TokenURL(), Iat: now.Unix(), Exp: now.Add(time.Hour).Unix()}
	st, _, _ = post(bearer, sign(ok))
	require.Equal(t, 200, st)

	wrongAud := ok
	wrongAud.Aud = "https://oauth2.googleapis.com/token"
	st, code, desc = post(bearer, sign(wrongAud))
	require.Equal(t, 400, st)
	require.Equal(t, "invalid_grant", code)
	require.Contains(t, desc, "audience")

	long := ok
	long.Exp = now.Add(2 * time.Hour).Unix()
	_, code, desc = post(bearer, sign(long))
	require.Equal(t, "invalid_grant", code)
	require.Contains(t, desc, "short-lived token")

	stale := ok
	stale.Iat, stale.Exp = now.Add(-3*time.Hour).Unix(), now.Add(-2*time.Hour).Unix()
	_, code, _ = post(bearer, sign(stale))
	require.Equal(t, "invalid_grant", code)

	noScope := ok
	noScope.Scope = "https://www.googleapis.com/auth/userinfo.email"
	_, code, _ = post(bearer, sign(noScope))
	require.Equal(t, "invalid_scope", code)

	_, code, _ = post("client_credentials", sign(ok))
	require.Equal(t, "unsupported_grant_type", code)
	_, code, _ = post(bearer, "not.a.jwt")
	require.Equal(t, "invalid_grant", code)
}

func TestFCMFakeReset(t *testing.T) {
	t.Parallel()
	b := fcmTestSetup(t)
	b.fake.ResetNext(1)
	req, err := http.NewRequest(http.MethodPost, b.fake.URL+"/v1/projects/proj-1/messages:send", strings.NewReader(`{"message":{"token":"t"}}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+b.token)
	_, err = b.client.Do(req)
	require.Error(t, err)
	st, _, _ := b.send(t, "proj-1", b.token, map[string]any{"message": map[string]any{"token": "t"}})
	require.Equal(t, http.StatusOK, st)
}

// fcmTestKey reads the private key of the fake's credentials.
func fcmTestKey(t *testing.T, f *providertest.FCMFake) *rsa.PrivateKey {
	t.Helper()
	conf, err := google.JWTConfigFromJSON([]byte(f.Credentials().ServiceAccountJSON))
	require.NoError(t, err)
	block, _ := pem.Decode(conf.PrivateKey)
	require.NotNil(t, block)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	return k.(*rsa.PrivateKey)
}

func fcmTestEmail(t *testing.T, f *providertest.FCMFake) string {
	t.Helper()
	conf, err := google.JWTConfigFromJSON([]byte(f.Credentials().ServiceAccountJSON))
	require.NoError(t, err)
	return conf.Email
}
