package providertest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func oppoStart(t *testing.T, o OPPOOptions) *OPPOFake {
	t.Helper()
	f, err := StartOPPO(o)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	return f
}

// oppoPost posts a form and returns OPPO's code and data.
func oppoPost(t *testing.T, f *OPPOFake, path string, form url.Values) (int, json.RawMessage) {
	t.Helper()
	resp, err := f.Client().PostForm(f.URL+path, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "OPPO answers its errors with 200")
	var a struct {
		Code int             `json:"code"`
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal(b, &a), "%s", b)
	return a.Code, a.Data
}

func oppoSign(key, ts, secret string) string {
	s := sha256.Sum256([]byte(key + ts + secret))
	return hex.EncodeToString(s[:])
}

func oppoToken(t *testing.T, f *OPPOFake) string {
	t.Helper()
	c := f.Credentials()
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	code, data := oppoPost(t, f, "/server/v1/auth", url.Values{"app_key": {c.AppKey}, "timestamp": {ts}, "sign": {oppoSign(c.AppKey, ts, c.MasterSecret)}})
	require.Equal(t, 0, code)
	var d struct {
		AuthToken string `json:"auth_token"`
	}
	require.NoError(t, json.Unmarshal(data, &d))
	return d.AuthToken
}

func TestOPPOAuth(t *testing.T) {
	t.Parallel()
	f := oppoStart(t, OPPOOptions{})
	c := f.Credentials()
	now := time.Now()
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	old := strconv.FormatInt(now.Add(-11*time.Minute).UnixMilli(), 10)
	for _, r := range []struct {
		name string
		form url.Values
		code int
	}{
		{"ok", url.Values{"app_key": {c.AppKey}, "timestamp": {ts}, "sign": {oppoSign(c.AppKey, ts, c.MasterSecret)}}, 0},
		{"no key", url.Values{"timestamp": {ts}, "sign": {"x"}}, 15},
		{"wrong key", url.Values{"app_key": {"other"}, "timestamp": {ts}, "sign": {"x"}}, 14},
		{"no timestamp", url.Values{"app_key": {c.AppKey}, "sign": {"x"}}, 18},
		{"timestamp 11 minutes old", url.Values{"app_key": {c.AppKey}, "timestamp": {old}, "sign": {oppoSign(c.AppKey, old, c.MasterSecret)}}, 19},
		{"timestamp in seconds", url.Values{"app_key": {c.AppKey}, "timestamp": {strconv.FormatInt(now.Unix(), 10)}, "sign": {"x"}}, 19},
		{"no sign", url.Values{"app_key": {c.AppKey}, "timestamp": {ts}}, 17},
		{"sign with the AppSecret", url.Values{"app_key": {c.AppKey}, "timestamp": {ts}, "sign": {oppoSign(c.AppKey, ts, "app-secret")}}, 16},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			code, _ := oppoPost(t, f, "/server/v1/auth", r.form)
			require.Equal(t, r.code, code)
		})
	}
}

func TestOPPOSendChecks(t *testing.T) {
	t.Parallel()
	f := oppoStart(t, OPPOOptions{})
	tok := oppoToken(t, f)
	msg := func(edit func(map[string]any)) string {
		n := map[string]any{"title": "Hi", "content": "New reply", "click_action_type": 0}
		if edit != nil {
			edit(n)
		}
		b, _ := json.Marshal([]map[string]any{{"target_type": 2, "target_value": "CN_abc", "notification": n}})
		return string(b)
	}
	for _, r := range []struct {
		name string
		form url.Values
		code int
	}{
		{"ok", url.Values{"auth_token": {tok}, "messages": {msg(nil)}}, 0},
		{"no token", url.Values{"messages": {msg(nil)}}, 29},
		{"unknown token", url.Values{"auth_token": {"nope"}, "messages": {msg(nil)}}, 11},
		{"no messages", url.Values{"auth_token": {tok}}, 40},
		{"not JSON", url.Values{"auth_token": {tok}, "messages": {"{"}}, 41},
		{"no title", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { delete(n, "title") })}}, 40},
		{"title of 51", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["title"] = strings.Repeat("字", 51) })}}, 41},
		{"content of 201", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["content"] = strings.Repeat("x", 201) })}}, 41},
		{"web click without URL", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["click_action_type"] = 2 })}}, 41},
		{"action parameters not JSON", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["action_parameters"] = "x" })}}, 41},
		{"TTL over 10 days", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["off_line_ttl"] = 864001 })}}, 41},
		{"unknown category", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["category"] = "VOIP" })}}, 67},
		{"level without category", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["notify_level"] = 2 })}}, 67},
		{"strong reminder for marketing", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["category"], n["notify_level"] = "MARKETING", 16 })}}, 67},
		{"strong reminder for IM", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["category"], n["notify_level"] = "IM", 16 })}}, 0},
		{"callback not a URL", url.Values{"auth_token": {tok}, "messages": {msg(func(n map[string]any) { n["call_back_url"] = "cb" })}}, 41},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			code, _ := oppoPost(t, f, "/server/v1/message/notification/unicast_batch", r.form)
			require.Equal(t, r.code, code)
		})
	}
}

func TestOPPOBatchAnswersPerMessage(t *testing.T) {
	t.Parallel()
	f := oppoStart(t, OPPOOptions{})
	f.SetRegID("CN_bad", OPPORegInvalid)
	tok := oppoToken(t, f)
	b, _ := json.Marshal([]map[string]any{
		{"target_type": 2, "target_value": "CN_good", "notification": map[string]any{"title": "t", "content": "c"}},
		{"target_type": 2, "target_value": "CN_bad", "notification": map[string]any{"title": "t", "content": "c"}},
	})
	code, data := oppoPost(t, f, "/server/v1/message/notification/unicast_batch", url.Values{"auth_token": {tok}, "messages": {string(b)}})
	require.Equal(t, 0, code)
	var elems []map[string]any
	require.NoError(t, json.Unmarshal(data, &elems))
	require.Len(t, elems, 2)
	require.NotEmpty(t, elems[0]["messageId"])
	require.EqualValues(t, 10000, elems[1]["errorCode"])
	// unicast answers a bad regid with the code itself.
	one, _ := json.Marshal(map[string]any{"target_type": 2, "target_value": "CN_bad", "notification": map[string]any{"title": "t", "content": "c"}})
	code, _ = oppoPost(t, f, "/server/v1/message/notification/unicast", url.Values{"auth_token": {tok}, "message": {string(one)}})
	require.Equal(t, 10000, code)
}

func TestOPPOTokensExpire(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	f := oppoStart(t, OPPOOptions{Clock: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }})
	tok := oppoToken(t, f)
	skew.Store(int64(25 * time.Hour))
	code, _ := oppoPost(t, f, "/server/v1/message/notification/unicast_batch", url.Values{"auth_token": {tok}, "messages": {`[]`}})
	require.Equal(t, 11, code, "a day later the token is invalid")
}
