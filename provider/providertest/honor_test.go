package providertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func honorStart(t *testing.T, o HonorOptions) *HonorFake {
	t.Helper()
	f, err := StartHonor(o)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	return f
}

// honorToken buys an access token at path.
func honorToken(t *testing.T, f *HonorFake, path, secret string) (int, map[string]any) {
	t.Helper()
	c := f.Credentials()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ClientID}, "client_secret": {secret}}
	resp, err := f.Client().PostForm(f.URL+path, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	var a map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&a))
	return resp.StatusCode, a
}

// honorSend posts body to sendMessage with tok and the timestamp at.
func honorSend(t *testing.T, f *HonorFake, tok string, at time.Time, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.URL+"/api/v1/"+f.Credentials().AppID+"/sendMessage", bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("timestamp", strconv.FormatInt(at.UnixMilli(), 10))
	resp, err := f.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var a map[string]any
	require.NoError(t, json.Unmarshal(raw, &a), "%s", raw)
	return resp.StatusCode, a
}

func TestHonorAuth(t *testing.T) {
	t.Parallel()
	f := honorStart(t, HonorOptions{TokenLifetime: 30 * time.Minute})
	for _, path := range []string{honorTokenPath, "/auth/token"} {
		status, a := honorToken(t, f, path, f.Credentials().ClientSecret)
		require.Equal(t, http.StatusOK, status)
		require.EqualValues(t, 1800, a["expires_in"])
		require.Equal(t, "Bearer", a["token_type"])
	}
	status, a := honorToken(t, f, honorTokenPath, "wrong")
	require.Equal(t, http.StatusUnauthorized, status)
	require.Equal(t, "unauthorized_client", a["error"])
}

const honorOK = `{"token":["t1"],"android":{"ttl":"60s","notification":{"title":"t","body":"b","importance":"NORMAL","clickAction":{"type":3}}}}`

func TestHonorSendChecks(t *testing.T) {
	t.Parallel()
	f := honorStart(t, HonorOptions{})
	_, a := honorToken(t, f, honorTokenPath, f.Credentials().ClientSecret)
	tok := a["access_token"].(string)
	now := time.Now()
	for _, r := range []struct {
		name, tok, body string
		at              time.Time
		status          int
		message         string
	}{
		{"ok", tok, honorOK, now, 200, "success"},
		{"data only", tok, `{"token":["t1"],"data":"{}","android":{}}`, now, 200, "success"},
		{"title in the top notification", tok, `{"token":["t1"],"notification":{"title":"t"},"android":{"notification":{"body":"b","clickAction":{"type":3}}}}`, now, 200, "success"},
		{"unknown token", "nope", honorOK, now, 401, "access token invalid or expired"},
		{"old timestamp", tok, honorOK, now.Add(-time.Hour), 400, "timestamp header missing or out of window"},
		{"no tokens", tok, `{"token":[],"android":{}}`, now, 400, "token must hold 1 to 1000 push tokens"},
		{"bad ttl", tok, strings.Replace(honorOK, `"60s"`, `"60"`, 1), now, 400, "android.ttl must be <seconds>s, at most 1296000s"},
		{"ttl over 15 days", tok, strings.Replace(honorOK, `"60s"`, `"1296001s"`, 1), now, 400, "android.ttl must be <seconds>s, at most 1296000s"},
		{"no click action", tok, strings.Replace(honorOK, `,"clickAction":{"type":3}`, ``, 1), now, 400, "android.notification.clickAction is required"},
		{"bad importance", tok, strings.Replace(honorOK, `NORMAL`, `HIGH`, 1), now, 400, "android.notification.importance must be LOW or NORMAL"},
		{"http page", tok, strings.Replace(honorOK, `{"type":3}`, `{"type":2,"url":"http://x"}`, 1), now, 400, "clickAction type 2 needs an https url"},
		{"no body", tok, strings.Replace(honorOK, `"body":"b",`, ``, 1), now, 400, "notification title and body are required"},
		{"nothing", tok, `{"token":["t1"],"android":{}}`, now, 400, "a message needs data or a notification"},
	} {
		t.Run(r.name, func(t *testing.T) {
			status, a := honorSend(t, f, r.tok, r.at, r.body)
			require.Equal(t, r.status, status)
			require.Equal(t, r.message, a["message"])
		})
	}
}

func TestHonorTokenLists(t *testing.T) {
	t.Parallel()
	f := honorStart(t, HonorOptions{SuccessCode: 80000000})
	_, a := honorToken(t, f, honorTokenPath, f.Credentials().ClientSecret)
	f.SetToken("gone", HonorTokenExpired)
	f.SetToken("busy", HonorTokenFailing)
	status, a := honorSend(t, f, a["access_token"].(string), time.Now(), strings.Replace(honorOK, `["t1"]`, `["t1","gone","busy"]`, 1))
	require.Equal(t, http.StatusOK, status)
	require.EqualValues(t, 80000000, a["code"])
	data := a["data"].(map[string]any)
	require.Equal(t, []any{"gone"}, data["expireTokens"])
	require.Equal(t, []any{"busy"}, data["failTokens"])
	require.Equal(t, []string{"t1"}, f.Sends.All()[0].Delivered)
}
