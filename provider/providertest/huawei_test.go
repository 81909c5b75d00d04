package providertest_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/provider/providertest"
)

// huaweiSetup starts a fake and returns it with a client that trusts it.
func huaweiSetup(t *testing.T, o providertest.HuaweiOptions) (*providertest.HuaweiFake, *http.Client) {
	t.Helper()
	f, err := providertest.StartHuawei(o)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	return f, f.Client()
}

// huaweiToken fetches an access token from the fake.
func huaweiToken(t *testing.T, f *providertest.HuaweiFake, c *http.Client) string {
	t.Helper()
	status, body := huaweiTokenRequest(t, f, c, url.Values{
		"grant_type": {"client_credentials"}, "client_id": {f.Credentials().AppID}, "client_secret": {f.Credentials().ClientSecret},
	})
	require.Equal(t, http.StatusOK, status, body)
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &tok))
	require.NotEmpty(t, tok.AccessToken)
	require.Equal(t, "Bearer", tok.TokenType)
	return tok.AccessToken
}

func huaweiTokenRequest(t *testing.T, f *providertest.HuaweiFake, c *http.Client, form url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(f.TokenURL(), form)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

type huaweiAnswer struct {
	Code      string `json:"code"`
	Msg       string `json:"msg"`
	RequestID string `json:"requestId"`
}

// huaweiSend posts a send request body and returns the status and answer.
func huaweiSend(t *testing.T, f *providertest.HuaweiFake, c *http.Client, app, tok, body string) (int, http.Header, huaweiAnswer) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.URL+"/v1/"+app+"/messages:send", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var a huaweiAnswer
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&a))
	return resp.StatusCode, resp.Header, a
}

// huaweiBody is a valid notification to tokens.
func huaweiBody(tokens ...string) string {
	tj, _ := json.Marshal(tokens)
	return `{"validate_only":false,"message":{"token":` + string(tj) + `,"data":"{\"k\":1}","android":{"collapse_key":-1,"urgency":"HIGH","ttl":"86400s","bi_tag":"job_1",` +
		`"notification":{"title":"Hi","body":"There","click_action":{"type":3}}}}}`
}

func TestHuaweiFakeOAuth(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{AppID: "10086", ClientSecret: "s3cret"})
	cr := f.Credentials()
	require.Equal(t, "10086", cr.AppID)
	require.Equal(t, "s3cret", cr.ClientSecret)

	tok := huaweiToken(t, f, c)
	require.True(t, strings.HasPrefix(tok, "DAEDA"))

	status, body := huaweiTokenRequest(t, f, c, url.Values{"grant_type": {"client_credentials"}, "client_id": {"10086"}, "client_secret": {"wrong"}})
	require.Equal(t, http.StatusUnauthorized, status)
	require.Contains(t, body, `"error":1101`)
	require.Contains(t, body, "invalid client_secret")

	status, body = huaweiTokenRequest(t, f, c, url.Values{"grant_type": {"password"}, "client_id": {"10086"}, "client_secret": {"s3cret"}})
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, body, "unsupported grant_type")

	status, _ = huaweiTokenRequest(t, f, c, url.Values{"grant_type": {"client_credentials"}, "client_id": {"1"}, "client_secret": {"s3cret"}})
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, 4, f.TokenRequests())
}

func TestHuaweiFakeGeneratesCredentials(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{})
	cr := f.Credentials()
	require.Regexp(t, `^[1-9][0-9]{8}$`, cr.AppID)
	require.Len(t, cr.ClientSecret, 64)
	huaweiToken(t, f, c)
	require.NotEmpty(t, f.CAPEM())
}

func TestHuaweiFakeSend(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{})
	app := f.Credentials().AppID
	tok := huaweiToken(t, f, c)

	status, _, a := huaweiSend(t, f, c, app, tok, huaweiBody("t1", "t2"))
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "80000000", a.Code)
	require.Equal(t, "Success", a.Msg)
	require.NotEmpty(t, a.RequestID)

	reqs := f.Requests.All()
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, []string{"t1", "t2"}, r.Tokens)
	require.Equal(t, app, r.AppID)
	require.Equal(t, "80000000", r.Code)
	require.Equal(t, a.RequestID, r.RequestID)
	require.Equal(t, "job_1", r.Message.Android.BiTag)
	require.Equal(t, -1, *r.Message.Android.CollapseKey)
	require.Equal(t, "Hi", r.Message.Android.Notification.Title)
	require.Equal(t, 3, r.Message.Android.Notification.ClickAction.Type)
	require.Equal(t, map[string]any{"k": float64(1)}, r.Message.DataMap())
	require.False(t, r.At.IsZero())
}

func TestHuaweiFakeAuth(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{})
	app := f.Credentials().AppID
	tok := huaweiToken(t, f, c)

	status, _, a := huaweiSend(t, f, c, app, "", huaweiBody("t1"))
	require.Equal(t, http.StatusUnauthorized, status)
	require.Equal(t, "80200001", a.Code)

	status, _, a = huaweiSend(t, f, c, app, "made-up", huaweiBody("t1"))
	require.Equal(t, http.StatusUnauthorized, status)
	require.Equal(t, "80200001", a.Code)

	status, _, a = huaweiSend(t, f, c, "999", tok, huaweiBody("t1"))
	require.Equal(t, http.StatusUnauthorized, status)
	require.Equal(t, "80200001", a.Code, "a token of another app")

	f.ExpireTokens()
	status, _, a = huaweiSend(t, f, c, app, tok, huaweiBody("t1"))
	require.Equal(t, http.StatusUnauthorized, status)
	require.Equal(t, "80200003", a.Code)

	_, _, a = huaweiSend(t, f, c, app, huaweiToken(t, f, c), huaweiBody("t1"))
	require.Equal(t, "80000000", a.Code, "a token issued after ExpireTokens works")
}

func TestHuaweiFakeTokenLifetime(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{TokenLifetime: time.Nanosecond})
	status, body := huaweiTokenRequest(t, f, c, url.Values{
		"grant_type": {"client_credentials"}, "client_id": {f.Credentials().AppID}, "client_secret": {f.Credentials().ClientSecret},
	})
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, `"expires_in":0`)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &tok))
	_, _, a := huaweiSend(t, f, c, f.Credentials().AppID, tok.AccessToken, huaweiBody("t1"))
	require.Equal(t, "80200003", a.Code)
}

func TestHuaweiFakeValidation(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{})
	app := f.Credentials().AppID
	tok := huaweiToken(t, f, c)
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf("tok%d", i)
	}
	withAndroid := func(android string) string {
		return `{"message":{"token":["t1"],"android":` + android + `}}`
	}
	notif := func(n string) string {
		return withAndroid(`{"notification":` + n + `}`)
	}
	for _, tc := range []struct {
		name, body, code string
		status           int
	}{
		{"valid", huaweiBody("t1"), "80000000", 200},
		{"data only", `{"message":{"token":["t1"],"data":"x"}}`, "80000000", 200},
		{"1000 tokens", huaweiBody(many[:1000]...), "80000000", 200},
		{"not JSON", `{"message":`, "80100003", 400},
		{"data not a string", `{"message":{"token":["t1"],"data":{"k":1}}}`, "80100003", 400},
		{"no message", `{"messages":{"token":["t1"],"data":"x"}}`, "80300010", 400},
		{"no target", `{"message":{"data":"x"}}`, "80300010", 400},
		{"two targets", `{"message":{"token":["t1"],"topic":"news","data":"x"}}`, "80100001", 400},
		{"1001 tokens", huaweiBody(many...), "80300010", 400},
		{"too big", `{"message":{"token":["t1"],"data":"` + strings.Repeat("x", 4097) + `"}}`, "80300008", 400},
		{"collapse_key", withAndroid(`{"collapse_key":101}`), "80100013", 400},
		{"urgency", withAndroid(`{"urgency":"URGENT"}`), "80100001", 400},
		{"ttl", withAndroid(`{"ttl":"1d"}`), "80100001", 400},
		{"ttl over 15 days", withAndroid(`{"ttl":"1296001s"}`), "80100004", 400},
		{"category", withAndroid(`{"category":"GOSSIP"}`), "80100001", 400},
		{"no title", notif(`{"body":"b","click_action":{"type":3}}`), "80100001", 400},
		{"title in message.notification", `{"message":{"token":["t1"],"notification":{"title":"t","body":"b"},"android":{"notification":{"click_action":{"type":3}}}}}`, "80000000", 200},
		{"no click_action", notif(`{"title":"t","body":"b"}`), "80100001", 400},
		{"http image", notif(`{"title":"t","body":"b","image":"http://x/i.png","click_action":{"type":3}}`), "80100001", 400},
		{"http url", notif(`{"title":"t","body":"b","click_action":{"type":2,"url":"http://x"}}`), "80100001", 400},
		{"intent missing", notif(`{"title":"t","body":"b","click_action":{"type":1}}`), "80100001", 400},
		{"click type", notif(`{"title":"t","body":"b","click_action":{"type":9}}`), "80100001", 400},
		{"badge", notif(`{"title":"t","body":"b","badge":{"set_num":100},"click_action":{"type":3}}`), "80100001", 400},
		{"importance", notif(`{"title":"t","body":"b","importance":"MAX","click_action":{"type":3}}`), "80100001", 400},
		{"color", notif(`{"title":"t","body":"b","color":"red","click_action":{"type":3}}`), "80100001", 400},
	} {
		status, _, a := huaweiSend(t, f, c, app, tok, tc.body)
		require.Equal(t, tc.code, a.Code, "%s: %s", tc.name, a.Msg)
		require.Equal(t, tc.status, status, tc.name)
		require.NotEmpty(t, a.Msg, tc.name)
	}
	require.Equal(t, 25, f.Requests.Len(), "every request is recorded")
}

func TestHuaweiFakeTokenStates(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{})
	app := f.Credentials().AppID
	tok := huaweiToken(t, f, c)
	f.SetHuaweiToken("bad1", providertest.HuaweiTokenState{Illegal: true})
	f.SetHuaweiToken("bad2", providertest.HuaweiTokenState{Illegal: true})

	status, _, a := huaweiSend(t, f, c, app, tok, huaweiBody("good", "bad1", "bad2"))
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "80100000", a.Code)
	var msg struct {
		Success, Failure int
		IllegalTokens    []string `json:"illegal_tokens"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.Msg), &msg), "msg is JSON text")
	require.Equal(t, 1, msg.Success)
	require.Equal(t, 2, msg.Failure)
	require.Equal(t, []string{"bad1", "bad2"}, msg.IllegalTokens)

	_, _, a = huaweiSend(t, f, c, app, tok, huaweiBody("bad1", "bad2"))
	require.Equal(t, "80300007", a.Code)
	require.Equal(t, "All the tokens are invalid", a.Msg)
}

func TestHuaweiFakeFailNext(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{})
	app := f.Credentials().AppID
	tok := huaweiToken(t, f, c)
	f.FailNext(2, providertest.HuaweiFault{Status: http.StatusServiceUnavailable, RetryAfter: "7"})
	f.FailNext(1, providertest.HuaweiFault{Code: "81000001"})
	f.FailNext(1, providertest.HuaweiFault{Code: "80200003"})

	for range 2 {
		status, h, a := huaweiSend(t, f, c, app, tok, huaweiBody("t1"))
		require.Equal(t, http.StatusServiceUnavailable, status)
		require.Equal(t, "7", h.Get("Retry-After"))
		require.Empty(t, a.Code)
	}
	status, _, a := huaweiSend(t, f, c, app, tok, huaweiBody("t1"))
	require.Equal(t, http.StatusInternalServerError, status)
	require.Equal(t, "81000001", a.Code)
	require.Equal(t, "System inner error", a.Msg)

	status, _, a = huaweiSend(t, f, c, app, "", huaweiBody("t1"))
	require.Equal(t, http.StatusUnauthorized, status)
	require.Equal(t, "80200003", a.Code, "a fault comes before the token check")

	_, _, a = huaweiSend(t, f, c, app, tok, huaweiBody("t1"))
	require.Equal(t, "80000000", a.Code)
}

func TestHuaweiFakeChaos(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{})
	tok := huaweiToken(t, f, c)
	f.ResetNext(1)
	req, err := http.NewRequest(http.MethodPost, f.URL+"/v1/"+f.Credentials().AppID+"/messages:send", strings.NewReader(huaweiBody("t1")))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	_, err = c.Do(req)
	require.Error(t, err)
	_, _, a := huaweiSend(t, f, c, f.Credentials().AppID, tok, huaweiBody("t1"))
	require.Equal(t, "80000000", a.Code)
}

func TestHuaweiFakeNotFound(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{})
	resp, err := c.Post(f.URL+"/v3/1/messages:send", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// huaweiReceiver is a receipt endpoint that checks signatures on its own.
type huaweiReceiver struct {
	user, key string
	mu        sync.Mutex
	statuses  []map[string]any
	bad       int
}

func (h *huaweiReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parts := map[string]string{}
	for p := range strings.SplitSeq(r.Header.Get("X-HUAWEI-CALLBACK-ID"), ";") {
		k, v, _ := strings.Cut(p, "=")
		parts[k] = v
	}
	key, _ := base64.StdEncoding.DecodeString(h.key)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(parts["timestamp"] + parts["nonce"] + h.user))
	got, _ := base64.StdEncoding.DecodeString(parts["value"])
	h.mu.Lock()
	defer h.mu.Unlock()
	if !hmac.Equal(got, m.Sum(nil)) {
		h.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var body struct {
		Statuses []map[string]any `json:"statuses"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	h.statuses = append(h.statuses, body.Statuses...)
	_, _ = w.Write([]byte(`{"code":"0","message":"success"}`))
}

func TestHuaweiFakeReceipts(t *testing.T) {
	t.Parallel()
	key := providertest.HuaweiReceiptKey()
	rcv := &huaweiReceiver{user: "pushd", key: key}
	srv := httptest.NewTLSServer(rcv)
	t.Cleanup(srv.Close)
	f, c := huaweiSetup(t, providertest.HuaweiOptions{
		ReceiptURL: srv.URL, ReceiptUserName: "pushd", ReceiptKey: key, ReceiptClient: srv.Client(),
	})
	require.Equal(t, key, f.Credentials().ReceiptKey)
	f.SetHuaweiToken("gone", providertest.HuaweiTokenState{ReceiptStatus: 2})
	f.SetHuaweiToken("bad", providertest.HuaweiTokenState{Illegal: true})
	tokens := []string{"gone", "bad"}
	for i := range 248 {
		tokens = append(tokens, fmt.Sprintf("tok%03d", i))
	}
	tok := huaweiToken(t, f, c)
	_, _, a := huaweiSend(t, f, c, f.Credentials().AppID, tok, huaweiBody(tokens...))
	require.Equal(t, "80100000", a.Code)

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	posts, err := f.WaitReceipts(ctx, 3)
	require.NoError(t, err)
	require.Len(t, posts, 3, "249 delivered tokens in posts of up to 100")
	n := 0
	for _, p := range posts {
		require.NoError(t, p.Err)
		require.Equal(t, http.StatusOK, p.Status)
		require.Contains(t, p.Answer, "success")
		require.LessOrEqual(t, len(p.Tokens), 100)
		n += len(p.Tokens)
	}
	require.Equal(t, 249, n)

	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	require.Zero(t, rcv.bad)
	require.Len(t, rcv.statuses, 249)
	byToken := map[string]map[string]any{}
	for _, s := range rcv.statuses {
		byToken[s["token"].(string)] = s
	}
	require.NotContains(t, byToken, "bad", "refused tokens get no receipt")
	require.Equal(t, float64(2), byToken["gone"]["status"])
	s := byToken["tok000"]
	require.Equal(t, float64(0), s["status"])
	require.Equal(t, "job_1", s["biTag"])
	require.Equal(t, f.Credentials().AppID, s["appid"])
	require.Equal(t, a.RequestID, s["requestId"])
	require.NotZero(t, s["timestamp"])
}

func TestHuaweiFakeReceiptsBadKey(t *testing.T) {
	t.Parallel()
	rcv := &huaweiReceiver{user: "pushd", key: providertest.HuaweiReceiptKey()}
	srv := httptest.NewTLSServer(rcv)
	t.Cleanup(srv.Close)
	f, c := huaweiSetup(t, providertest.HuaweiOptions{
		ReceiptURL: srv.URL, ReceiptUserName: "pushd", ReceiptKey: providertest.HuaweiReceiptKey(), ReceiptClient: srv.Client(),
	})
	_, _, a := huaweiSend(t, f, c, f.Credentials().AppID, huaweiToken(t, f, c), huaweiBody("t1"))
	require.Equal(t, "80000000", a.Code)
	posts, err := f.WaitReceipts(t.Context(), 1)
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, posts[0].Status)
	require.Contains(t, posts[0].Header, "timestamp=")
}

func TestHuaweiFakeConcurrent(t *testing.T) {
	t.Parallel()
	f, c := huaweiSetup(t, providertest.HuaweiOptions{})
	f.SetLatency(5 * time.Millisecond)
	tok := huaweiToken(t, f, c)
	codes := make([]string, 20)
	errs := make([]error, 20)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			tokens := make([]string, 500)
			for j := range tokens {
				tokens[j] = fmt.Sprintf("t%d-%d", i, j)
			}
			req, err := http.NewRequest(http.MethodPost, f.URL+"/v1/"+f.Credentials().AppID+"/messages:send", strings.NewReader(huaweiBody(tokens...)))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := c.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			var a huaweiAnswer
			errs[i] = json.NewDecoder(resp.Body).Decode(&a)
			codes[i] = a.Code
		})
	}
	wg.Wait()
	for i := range 20 {
		require.NoError(t, errs[i])
		require.Equal(t, "80000000", codes[i])
	}
	require.Equal(t, 20, f.Requests.Len())
}
