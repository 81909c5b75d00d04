package providertest

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// meizuCall posts a signed pushByPushId and returns Meizu's envelope.
func meizuCall(t *testing.T, f *MeizuFake, secret, pushIDs, message string) map[string]any {
	t.Helper()
	form := url.Values{"appId": {f.o.AppID}, "pushIds": {pushIDs}, "messageJson": {message}}
	form.Set("sign", meizuSign(form, secret))
	resp, err := f.Client().PostForm(f.URL+"/garcia/api/server/push/varnished/pushByPushId", form)
	require.NoError(t, err)
	defer resp.Body.Close()
	var a map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&a))
	return a
}

const meizuOK = `{"noticeBarInfo":{"noticeMsgType":1,"title":"t","content":"c"},"clickTypeInfo":{"clickType":0},"pushTimeInfo":{"offLine":1,"validTime":24},"advanceInfo":{},"extra":{}}`

func TestMeizuChecks(t *testing.T) {
	t.Parallel()
	f, err := StartMeizu(MeizuOptions{})
	require.NoError(t, err)
	t.Cleanup(f.Close)
	secret := f.Credentials().AppSecret
	swap := func(a, b string) string { return strings.Replace(meizuOK, a, b, 1) }
	for _, r := range []struct {
		name, secret, ids, msg, code string
	}{
		{"ok", secret, "p1", meizuOK, "200"},
		{"booleans", secret, "p1", swap(`"offLine":1`, `"offLine":true`), "200"},
		{"bad signature", "wrong", "p1", meizuOK, "1006"},
		{"101 pushIds", secret, strings.Repeat("p,", 100) + "p", meizuOK, "1005"},
		{"empty pushId", secret, "p1,", meizuOK, "110004"},
		{"long title", secret, "p1", swap(`"title":"t"`, `"title":"`+strings.Repeat("t", 33)+`"`), "1005"},
		{"no content", secret, "p1", swap(`"content":"c"`, `"content":""`), "1005"},
		{"valid 73 h", secret, "p1", swap(`"validTime":24`, `"validTime":73`), "1005"},
		{"bad notifyKey", secret, "p1", swap(`"advanceInfo":{}`, `"advanceInfo":{"notifyKey":"too-long-key"}`), "1005"},
		{"activity missing", secret, "p1", swap(`"clickType":0`, `"clickType":1`), "1005"},
		{"not JSON", secret, "p1", `{`, "1005"},
	} {
		t.Run(r.name, func(t *testing.T) {
			require.Equal(t, r.code, meizuCall(t, f, r.secret, r.ids, r.msg)["code"])
		})
	}
}

// TestMeizuPerMinute: the sixth message to a device within a minute is
// refused for it with 520, as Meizu folds them.
func TestMeizuPerMinute(t *testing.T) {
	t.Parallel()
	f, err := StartMeizu(MeizuOptions{})
	require.NoError(t, err)
	t.Cleanup(f.Close)
	for range 5 {
		require.Equal(t, map[string]any{}, meizuCall(t, f, f.Credentials().AppSecret, "p1", meizuOK)["value"])
	}
	require.Equal(t, map[string]any{"520": []any{"p1"}}, meizuCall(t, f, f.Credentials().AppSecret, "p1", meizuOK)["value"])
}
