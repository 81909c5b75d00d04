package providertest

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func xiaomiStart(t *testing.T, o XiaomiOptions) *XiaomiFake {
	t.Helper()
	f, err := StartXiaomi(o)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	return f
}

// xiaomiForm is a valid notification form for the fake's package.
func xiaomiForm(f *XiaomiFake, regids ...string) url.Values {
	return url.Values{
		"registration_id":         {strings.Join(regids, ",")},
		"restricted_package_name": {f.Credentials().PackageName},
		"title":                   {"Hello"},
		"description":             {"World"},
		"payload":                 {`{"k":"v"}`},
		"pass_through":            {"0"},
		"notify_type":             {"-1"},
		"time_to_live":            {"3600000"},
		"extra.jobkey":            {"ab12CD34"},
	}
}

type xiaomiAnswer struct {
	Status      int
	Header      http.Header
	Result      string         `json:"result"`
	Code        int            `json:"code"`
	Reason      string         `json:"reason"`
	Description string         `json:"description"`
	TraceID     string         `json:"trace_id"`
	Info        string         `json:"info"`
	Data        map[string]any `json:"data"`
	Body        string
}

func xiaomiDo(t *testing.T, f *XiaomiFake, method, path, auth, contentType, body string) xiaomiAnswer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, f.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := f.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := xiaomiAnswer{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, json.Unmarshal(b, &a))
	}
	return a
}

func xiaomiPost(t *testing.T, f *XiaomiFake, form url.Values) xiaomiAnswer {
	t.Helper()
	return xiaomiDo(t, f, http.MethodPost, "/v3/message/regid", "key="+f.Credentials().AppSecret,
		"application/x-www-form-urlencoded;charset=UTF-8", form.Encode())
}

func TestXiaomiFakeCredentials(t *testing.T) {
	t.Parallel()
	f := xiaomiStart(t, XiaomiOptions{})
	c := f.Credentials()
	require.Len(t, c.AppSecret, 24)
	require.Equal(t, "com.example.pushd", c.PackageName)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(f.CAPEM()))
	require.True(t, strings.HasPrefix(f.URL, "https://"))

	g := xiaomiStart(t, XiaomiOptions{AppSecret: "secret", PackageName: "com.acme.app"})
	require.Equal(t, "secret", g.Credentials().AppSecret)
	require.Equal(t, "com.acme.app", g.Credentials().PackageName)
	require.NotEqual(t, c.AppSecret, xiaomiStart(t, XiaomiOptions{}).Credentials().AppSecret)
}

func TestXiaomiFakeAccepts(t *testing.T) {
	t.Parallel()
	f := xiaomiStart(t, XiaomiOptions{})
	f.SetXiaomiRegID("dead-1", XiaomiRegDead)
	f.SetXiaomiRegID("dead-2", XiaomiRegDead)
	f.SetXiaomiRegID("dead-2", XiaomiRegOK) // revived

	a := xiaomiPost(t, f, xiaomiForm(f, "r1", "dead-1", " r2 ", "dead-2"))
	require.Equal(t, http.StatusOK, a.Status)
	require.Equal(t, "ok", a.Result)
	require.Equal(t, 0, a.Code)
	require.Equal(t, "成功", a.Description)
	require.True(t, strings.HasPrefix(a.TraceID, "Xdm"))
	require.Equal(t, "Received push messages for 3 REGID", a.Info)
	require.True(t, strings.HasPrefix(a.Data["id"].(string), "scm"))
	require.Equal(t, "dead-1", a.Data["bad_regids"])

	// v2 path, pass-through without title, several packages.
	form := url.Values{
		"registration_id": {"r3"}, "restricted_package_name": {"com.other.app," + f.Credentials().PackageName},
		"pass_through": {"1"}, "payload": {"data"},
	}
	b := xiaomiDo(t, f, http.MethodPost, "/v2/message/regid", "key="+f.Credentials().AppSecret, "application/x-www-form-urlencoded", form.Encode())
	require.Equal(t, 0, b.Code, b.Reason)
	require.Nil(t, b.Data["bad_regids"])

	sends := f.Sends.All()
	require.Len(t, sends, 2)
	require.Equal(t, "/v3/message/regid", sends[0].Path)
	require.Equal(t, []string{"r1", "dead-1", "r2", "dead-2"}, sends[0].RegIDs)
	require.Equal(t, []string{"dead-1"}, sends[0].BadRegIDs)
	require.Equal(t, a.Data["id"], sends[0].MessageID)
	require.Equal(t, "Hello", sends[0].Form.Get("title"))
	require.Equal(t, http.StatusOK, sends[0].Status)
	require.Equal(t, "/v2/message/regid", sends[1].Path)
	require.NotEqual(t, sends[0].MessageID, sends[1].MessageID)
	require.False(t, sends[0].At.IsZero())
}

func TestXiaomiFakeRefuses(t *testing.T) {
	t.Parallel()
	f := xiaomiStart(t, XiaomiOptions{AppSecret: "s3cret", ChannelIDs: []string{"im"}})
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf("r%d", i)
	}
	rows := []struct {
		name string
		edit func(url.Values)
		code int
	}{
		{"no target", func(v url.Values) { v.Del("registration_id") }, 21305},
		{"blank target", func(v url.Values) { v.Set("registration_id", " , ") }, 21305},
		{"two target kinds", func(v url.Values) { v.Set("alias", "a1") }, 10017},
		{"over 1000 regids", func(v url.Values) { v.Set("registration_id", strings.Join(many, ",")) }, 10017},
		{"wrong package", func(v url.Values) { v.Set("restricted_package_name", "com.other.app") }, 22022},
		{"no package", func(v url.Values) { v.Del("restricted_package_name") }, 22022},
		{"bad pass_through", func(v url.Values) { v.Set("pass_through", "2") }, 10017},
		{"no title", func(v url.Values) { v.Del("title") }, 10016},
		{"blank description", func(v url.Values) { v.Set("description", "  ") }, 10016},
		{"title of 50", func(v url.Values) { v.Set("title", strings.Repeat("标", 50)) }, 10017},
		{"title of 49 with an emoji", func(v url.Values) { v.Set("title", strings.Repeat("x", 48)+"😀") }, 10017},
		{"description of 128", func(v url.Values) { v.Set("description", strings.Repeat("d", 128)) }, 10017},
		{"notify_type", func(v url.Values) { v.Set("notify_type", "9") }, 10017},
		{"notify_id", func(v url.Values) { v.Set("notify_id", "-3") }, 10017},
		{"time_to_live", func(v url.Values) { v.Set("time_to_live", "1h") }, 10017},
		{"time_to_send", func(v url.Values) {
			v.Set("time_to_send", fmt.Sprint(time.Now().Add(8*24*time.Hour).UnixMilli()))
		}, 10017},
		{"payload too long", func(v url.Values) { v.Set("payload", strings.Repeat("p", 4097)) }, 65009},
		{"notify_effect", func(v url.Values) { v.Set("extra.notify_effect", "4") }, 10017},
		{"intent without uri", func(v url.Values) { v.Set("extra.notify_effect", "2") }, 10017},
		{"web without http uri", func(v url.Values) {
			v.Set("extra.notify_effect", "3")
			v.Set("extra.web_uri", "myapp://x")
		}, 10017},
		{"jobkey", func(v url.Values) { v.Set("extra.jobkey", "job_01JQ0000000000000000000000") }, 10017},
		{"channel id", func(v url.Values) { v.Set("extra.channel_id", "marketing") }, 27001},
		{"callback url", func(v url.Values) { v.Set("extra.callback", "ftp://x") }, 65038},
		{"callback url too long", func(v url.Values) { v.Set("extra.callback", "https://x/"+strings.Repeat("a", 600)) }, 65037},
		{"callback param", func(v url.Values) {
			v.Set("extra.callback", "https://pushd.example.com/cb")
			v.Set("extra.callback.param", strings.Repeat("p", 65))
		}, 65036},
		{"callback type", func(v url.Values) { v.Set("extra.callback.type", "all") }, 10017},
		{"too many pairs", func(v url.Values) {
			for i := range 11 {
				v.Set(fmt.Sprintf("extra.k%d", i), "v")
			}
		}, 65014},
		{"pair too long", func(v url.Values) { v.Set("extra.note", strings.Repeat("n", 1025)) }, 65015},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			form := xiaomiForm(f, "r1")
			r.edit(form)
			a := xiaomiPost(t, f, form)
			require.Equal(t, http.StatusOK, a.Status)
			require.Equal(t, "error", a.Result)
			require.Equal(t, r.code, a.Code, a.Reason)
			require.NotEmpty(t, a.Reason)
			require.NotEmpty(t, a.Description)
			require.True(t, strings.HasPrefix(a.TraceID, "Xcm"))
		})
	}
	t.Run("auth", func(t *testing.T) {
		t.Parallel()
		body := xiaomiForm(f, "r1").Encode()
		for _, auth := range []string{"", "key=wrong", "Key=s3cret", "key= s3cret", "Bearer s3cret"} {
			a := xiaomiDo(t, f, http.MethodPost, "/v3/message/regid", auth, "application/x-www-form-urlencoded", body)
			require.Equal(t, 21301, a.Code, auth)
			require.Equal(t, "Invalid application secret.", a.Reason)
			require.Equal(t, "认证失败", a.Description)
		}
	})
	t.Run("transport", func(t *testing.T) {
		t.Parallel()
		a := xiaomiDo(t, f, http.MethodGet, "/v3/message/regid?registration_id=r1", "key=s3cret", "", "")
		require.Equal(t, http.StatusMethodNotAllowed, a.Status)
		a = xiaomiDo(t, f, http.MethodPost, "/v3/message/regid", "key=s3cret", "application/json", `{"registration_id":"r1"}`)
		require.Equal(t, 10012, a.Code)
		a = xiaomiDo(t, f, http.MethodPost, "/v3/message/alias", "key=s3cret", "application/x-www-form-urlencoded", "alias=a")
		require.Equal(t, http.StatusNotFound, a.Status)
	})
}

func TestXiaomiFakeFailNext(t *testing.T) {
	t.Parallel()
	f := xiaomiStart(t, XiaomiOptions{})
	f.FailNext(2, XiaomiFault{Code: 200001})
	f.FailNext(1, XiaomiFault{Status: 503, RetryAfter: 1500 * time.Millisecond})
	f.FailNext(1, XiaomiFault{Status: 500, Code: 10001, Reason: "boom"})
	f.FailNext(0, XiaomiFault{Code: 1}) // nothing

	for range 2 {
		a := xiaomiPost(t, f, xiaomiForm(f, "r1"))
		require.Equal(t, 200001, a.Code)
		require.Equal(t, "exceed quota, quota: 10000, have acked: 10000", a.Reason)
	}
	a := xiaomiPost(t, f, xiaomiForm(f, "r1"))
	require.Equal(t, http.StatusServiceUnavailable, a.Status)
	require.Equal(t, "2", a.Header.Get("Retry-After"))
	require.NotContains(t, a.Header.Get("Content-Type"), "json")
	a = xiaomiPost(t, f, xiaomiForm(f, "r1"))
	require.Equal(t, http.StatusInternalServerError, a.Status)
	require.Equal(t, 10001, a.Code)
	require.Equal(t, "boom", a.Reason)
	require.Equal(t, 0, xiaomiPost(t, f, xiaomiForm(f, "r1")).Code)

	var codes []int
	for _, s := range f.Sends.All() {
		codes = append(codes, s.Code)
		require.Equal(t, []string{"r1"}, s.RegIDs)
	}
	require.Equal(t, []int{200001, 200001, 0, 10001, 0}, codes)
	require.Equal(t, http.StatusServiceUnavailable, f.Sends.All()[2].Status)
}

func TestXiaomiFakeReset(t *testing.T) {
	t.Parallel()
	f := xiaomiStart(t, XiaomiOptions{})
	f.ResetNext(1)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.URL+"/v3/message/regid", strings.NewReader(xiaomiForm(f, "r1").Encode()))
	require.NoError(t, err)
	req.Header.Set("Authorization", "key="+f.Credentials().AppSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err = f.Client().Do(req)
	require.Error(t, err)
	require.Equal(t, 0, xiaomiPost(t, f, xiaomiForm(f, "r1")).Code)
}

func TestXiaomiFakeReceipts(t *testing.T) {
	t.Parallel()
	posts := make(chan url.Values, 16)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.ParseForm() == nil {
			posts <- r.PostForm
		}
	}))
	t.Cleanup(cb.Close)
	f := xiaomiStart(t, XiaomiOptions{})
	f.SetXiaomiRegID("dead", XiaomiRegDead)
	f.SetXiaomiRegID("off", XiaomiRegDisabled)

	send := func(typ string) string {
		form := xiaomiForm(f, "r1", "dead", "off", "r2")
		form.Set("extra.callback", cb.URL+"/receipts")
		form.Set("extra.callback.param", "job_1.sig")
		if typ != "" {
			form.Set("extra.callback.type", typ)
		}
		a := xiaomiPost(t, f, form)
		require.Equal(t, 0, a.Code, a.Reason)
		return a.Data["id"].(string)
	}
	type entry struct {
		Type      int    `json:"type"`
		Targets   string `json:"targets"`
		Param     string `json:"param"`
		Timestamp int64  `json:"timestamp"`
		JobKey    string `json:"jobkey"`
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	collect := func(n int) map[int]entry {
		t.Helper()
		got := map[int]entry{}
		for range n {
			select {
			case form := <-posts:
				var data map[string]entry
				require.NoError(t, json.Unmarshal([]byte(form.Get("data")), &data))
				require.Len(t, data, 1)
				for _, e := range data {
					got[e.Type] = e
				}
			case <-ctx.Done():
				require.FailNow(t, "receipts missing")
			}
		}
		return got
	}

	send("") // default type 3: delivered only
	got := collect(1)
	require.Equal(t, "r1,r2", got[1].Targets)
	require.Equal(t, "job_1.sig", got[1].Param)
	require.Equal(t, "ab12CD34", got[1].JobKey)
	require.WithinDuration(t, time.Now(), time.UnixMilli(got[1].Timestamp), time.Minute)

	id := send("51") // 1 + 2 + 16 + 32
	got = collect(3)
	require.Equal(t, "r1,r2", got[1].Targets)
	require.Equal(t, "dead", got[16].Targets)
	require.Equal(t, "off", got[32].Targets)

	all, err := f.WaitReceipts(ctx, 4)
	require.NoError(t, err)
	require.Len(t, all, 4)
	for _, p := range all {
		require.Equal(t, http.StatusOK, p.Status)
		require.Equal(t, cb.URL+"/receipts", p.URL)
	}
	withID := 0
	for _, p := range all {
		if strings.Contains(p.Data, `"`+id+`"`) {
			withID++
		}
	}
	require.Equal(t, 3, withID)

	// No callback, no receipts; an unreachable callback is recorded.
	require.Equal(t, 0, xiaomiPost(t, f, xiaomiForm(f, "r1")).Code)
	form := xiaomiForm(f, "r1")
	form.Set("extra.callback", "http://127.0.0.1:1/receipts")
	require.Equal(t, 0, xiaomiPost(t, f, form).Code)
	all, err = f.WaitReceipts(ctx, 5)
	require.NoError(t, err)
	require.Len(t, all, 5)
	require.NotEmpty(t, all[4].Err)
	require.Zero(t, f.DroppedReceipts())
}

func TestXiaomiFakeReceiptsNeverBlockAnswers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	f, err := StartXiaomi(XiaomiOptions{})
	require.NoError(t, err)
	t.Cleanup(func() {
		close(release)
		f.Close()
		cb.Close()
	})
	// Many more receipts than workers: every answer still comes back.
	for i := range 20 {
		form := xiaomiForm(f, fmt.Sprintf("r%d", i))
		form.Set("extra.callback", cb.URL)
		require.Equal(t, 0, xiaomiPost(t, f, form).Code)
	}
	require.Equal(t, 20, f.Sends.Len())
}
