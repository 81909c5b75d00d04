package providertest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func vivoStart(t *testing.T, o VivoOptions) *VivoFake {
	t.Helper()
	f, err := StartVivo(o)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	return f
}

// vivoPost posts JSON with an authToken and returns vivo's answer.
func vivoPost(t *testing.T, f *VivoFake, path, tok string, body any) map[string]any {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, f.URL+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("authToken", tok)
	resp, err := f.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "vivo answers its errors with 200")
	var a map[string]any
	require.NoError(t, json.Unmarshal(raw, &a), "%s", raw)
	return a
}

func vivoAuth(t *testing.T, f *VivoFake, at time.Time, secret string) map[string]any {
	t.Helper()
	c := f.Credentials()
	ts := at.UnixMilli()
	sum := md5.Sum([]byte(c.AppID + c.AppKey + strconv.FormatInt(ts, 10) + secret))
	return vivoPost(t, f, "/message/auth", "", map[string]any{"appId": json.Number(c.AppID), "appKey": c.AppKey, "timestamp": ts, "sign": hex.EncodeToString(sum[:])})
}

func vivoToken(t *testing.T, f *VivoFake) string {
	t.Helper()
	a := vivoAuth(t, f, time.Now(), f.Credentials().AppSecret)
	require.EqualValues(t, 0, a["result"])
	return a["authToken"].(string)
}

func TestVivoAuth(t *testing.T) {
	t.Parallel()
	f := vivoStart(t, VivoOptions{})
	require.EqualValues(t, 0, vivoAuth(t, f, time.Now(), f.Credentials().AppSecret)["result"])
	require.EqualValues(t, 10000, vivoAuth(t, f, time.Now(), "wrong")["result"], "a bad sign")
	require.EqualValues(t, 10000, vivoAuth(t, f, time.Now().Add(-11*time.Minute), f.Credentials().AppSecret)["result"], "outside the clock window")
	require.EqualValues(t, 10000, vivoPost(t, f, "/message/send", "nope", map[string]any{})["result"], "an unknown authToken")
}

func TestVivoValidates(t *testing.T) {
	t.Parallel()
	f := vivoStart(t, VivoOptions{})
	tok := vivoToken(t, f)
	app := json.Number(f.Credentials().AppID)
	msg := func(change func(m map[string]any)) map[string]any {
		m := map[string]any{"appId": app, "regId": "r1", "notifyType": 4, "title": "Hi", "content": "Body", "timeToLive": 3600,
			"skipType": 1, "networkType": -1, "classification": 1, "category": "IM", "requestId": "q-" + strconv.Itoa(int(time.Now().UnixNano()))}
		if change != nil {
			change(m)
		}
		return m
	}
	for _, r := range []struct {
		name string
		body map[string]any
		want int
	}{
		{"ok", msg(nil), 0},
		{"another app", msg(func(m map[string]any) { m["appId"] = 1 }), 10094},
		{"unknown category", msg(func(m map[string]any) { m["category"] = "VOIP" }), 10096},
		{"category against classification", msg(func(m map[string]any) { m["classification"] = 0 }), 10097},
		{"title over 40", msg(func(m map[string]any) { m["title"] = strings.Repeat("标", 21) }), 10050},
		{"no content", msg(func(m map[string]any) { m["content"] = "" }), 10050},
		{"no requestId", msg(func(m map[string]any) { delete(m, "requestId") }), 10050},
		{"URL without content", msg(func(m map[string]any) { m["skipType"] = 2 }), 10050},
		{"ttl under a minute", msg(func(m map[string]any) { m["timeToLive"] = 30 }), 10050},
	} {
		require.EqualValues(t, r.want, vivoPost(t, f, "/message/send", tok, r.body)["result"], r.name)
	}
	list := msg(nil)
	delete(list, "regId")
	saved := vivoPost(t, f, "/message/saveListPayload", tok, list)
	require.EqualValues(t, 0, saved["result"])
	task := saved["taskId"].(string)
	require.EqualValues(t, 10050, vivoPost(t, f, "/message/pushToList", tok, map[string]any{"regIds": []string{"a"}, "taskId": task, "requestId": "l1"})["result"], "a list of one")
	require.EqualValues(t, 10050, vivoPost(t, f, "/message/pushToList", tok, map[string]any{"regIds": []string{"a", "b"}, "taskId": "nope", "requestId": "l2"})["result"], "an unknown task")
	require.EqualValues(t, 0, vivoPost(t, f, "/message/pushToList", tok, map[string]any{"regIds": []string{"a", "b"}, "taskId": task, "requestId": "l3"})["result"])
}

func TestVivoCapsOperationalMessagesPerDevice(t *testing.T) {
	t.Parallel()
	f := vivoStart(t, VivoOptions{DailyOperationalLimit: 2})
	tok := vivoToken(t, f)
	for i := range 3 {
		a := vivoPost(t, f, "/message/send", tok, map[string]any{"appId": json.Number(f.Credentials().AppID), "regId": "r1", "notifyType": 4,
			"title": "Sale", "content": "50% off", "skipType": 1, "networkType": -1, "classification": 0, "requestId": "m" + strconv.Itoa(i)})
		require.EqualValues(t, 0, a["result"])
	}
	sends := f.Sends.All()
	require.Len(t, sends, 3)
	require.Equal(t, []string{"r1"}, sends[1].Delivered)
	require.Equal(t, []string{"r1"}, sends[2].Limited, "the third operational message of the day is not shown")
}
