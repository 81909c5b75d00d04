package providertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

func harmonyStart(t *testing.T, o HarmonyOptions) *HarmonyFake {
	t.Helper()
	f, err := StartHarmony(o)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	return f
}

// harmonyClaims are a valid JWT's claims at now.
func harmonyClaims(f *HarmonyFake, now time.Time) jwt.MapClaims {
	return jwt.MapClaims{"iss": f.Account(), "aud": harmonyAudience, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// harmonySend posts body with tok and push-type to project's
// messages:send and returns the status and answer.
func harmonySend(t *testing.T, f *HarmonyFake, project, tok, pushType, body string) (int, map[string]string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.URL+"/v3/"+project+"/messages:send", bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("push-type", pushType)
	resp, err := f.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var a map[string]string
	require.NoError(t, json.Unmarshal(raw, &a), "%s", raw)
	return resp.StatusCode, a
}

const harmonyOK = `{"payload":{"notification":{"category":"IM","title":"t","body":"b","clickAction":{"actionType":0}}},"target":{"token":["t1"]},"pushOptions":{"ttl":60}}`

func TestHarmonyJWTChecks(t *testing.T) {
	t.Parallel()
	f := harmonyStart(t, HarmonyOptions{})
	now := time.Now()
	with := func(k string, v any) jwt.MapClaims {
		c := harmonyClaims(f, now)
		c[k] = v
		return c
	}
	project := f.o.ProjectID
	for _, r := range []struct {
		name, tok, project string
		status             int
		code               string
	}{
		{"ok", f.SignJWT(jwt.SigningMethodPS256, harmonyClaims(f, now)), project, 200, "80000000"},
		{"RS256", f.SignJWT(jwt.SigningMethodRS256, harmonyClaims(f, now)), project, 401, "80200001"},
		{"another issuer", f.SignJWT(jwt.SigningMethodPS256, with("iss", "someone")), project, 401, "80200001"},
		{"another audience", f.SignJWT(jwt.SigningMethodPS256, with("aud", "https://example.com")), project, 401, "80200001"},
		{"another project", f.SignJWT(jwt.SigningMethodPS256, harmonyClaims(f, now)), "999", 401, "80200001"},
		{"expired", f.SignJWT(jwt.SigningMethodPS256, with("exp", now.Add(-time.Second).Unix())), project, 401, "80200005"},
		{"over a day", f.SignJWT(jwt.SigningMethodPS256, with("exp", now.Add(25*time.Hour).Unix())), project, 400, "80300036"},
		{"not a JWT", "x.y.z", project, 401, "80200001"},
	} {
		t.Run(r.name, func(t *testing.T) {
			status, a := harmonySend(t, f, r.project, r.tok, "0", harmonyOK)
			require.Equal(t, r.status, status)
			require.Equal(t, r.code, a["code"])
		})
	}
}

func TestHarmonyBodyChecks(t *testing.T) {
	t.Parallel()
	f := harmonyStart(t, HarmonyOptions{})
	tok := f.SignJWT(jwt.SigningMethodPS256, harmonyClaims(f, time.Now()))
	swap := func(a, b string) string { return strings.Replace(harmonyOK, a, b, 1) }
	for _, r := range []struct {
		name, pushType, body, code string
	}{
		{"ok", "0", harmonyOK, "80000000"},
		{"bad push-type", "3", harmonyOK, "80100003"},
		{"background", "6", `{"payload":{"extraData":"{}"},"target":{"token":["t1"]}}`, "80000000"},
		{"background without data", "6", `{"payload":{},"target":{"token":["t1"]}}`, "80100003"},
		{"no category", "0", swap(`"category":"IM",`, ``), "80100003"},
		{"unknown category", "0", swap(`"IM"`, `"NEWS"`), "80100003"},
		{"PLAY_VOICE as an alert", "0", swap(`"IM"`, `"PLAY_VOICE"`), "80100003"},
		{"PLAY_VOICE as an extension", "2", swap(`"IM"`, `"PLAY_VOICE"`), "80000000"},
		{"no click action", "0", swap(`,"clickAction":{"actionType":0}`, ``), "80100003"},
		{"page without target", "0", swap(`"actionType":0`, `"actionType":1`), "80100003"},
		{"badge out of range", "0", swap(`"body":"b",`, `"body":"b","badge":{"addNum":100},`), "80100003"},
		{"no tokens", "0", swap(`["t1"]`, `[]`), "80300010"},
		{"ttl over 15 days", "0", swap(`"ttl":60`, `"ttl":1296001`), "80100004"},
		{"too long", "0", swap(`"body":"b"`, `"body":"`+strings.Repeat("b", 4096)+`"`), "80300008"},
		{"test message", "0", swap(`"ttl":60`, `"ttl":60,"testMessage":true`), "80000000"},
	} {
		t.Run(r.name, func(t *testing.T) {
			_, a := harmonySend(t, f, f.o.ProjectID, tok, r.pushType, r.body)
			require.Equal(t, r.code, a["code"], a["msg"])
		})
	}
}

func TestHarmonyIllegalTokensAndCaps(t *testing.T) {
	t.Parallel()
	f := harmonyStart(t, HarmonyOptions{})
	tok := f.SignJWT(jwt.SigningMethodPS256, harmonyClaims(f, time.Now()))
	f.SetToken("gone", "tokenFormatError")
	_, a := harmonySend(t, f, f.o.ProjectID, tok, "0", strings.Replace(harmonyOK, `["t1"]`, `["t1","gone"]`, 1))
	require.Equal(t, "80100000", a["code"])
	require.JSONEq(t, `{"illegalTokens":{"tokenFormatError":["gone"]},"success":1,"failure":1}`, a["msg"])
	_, a = harmonySend(t, f, f.o.ProjectID, tok, "0", strings.Replace(harmonyOK, `["t1"]`, `["gone"]`, 1))
	require.Equal(t, "80300007", a["code"])

	sale := strings.Replace(strings.Replace(harmonyOK, `"IM"`, `"MARKETING"`, 1), `["t1"]`, `["m1"]`, 1)
	for range 3 {
		_, a = harmonySend(t, f, f.o.ProjectID, tok, "0", sale)
		require.Equal(t, "80000000", a["code"], "Push Kit takes them and drops the excess")
	}
	sends := f.Sends.All()
	require.Equal(t, []string{"m1"}, sends[len(sends)-1].Limited)
}
