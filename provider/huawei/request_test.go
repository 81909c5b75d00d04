package huawei

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var goldenNow = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

const (
	goldenJob      = nodeid.ID("job_01JNGW0000000000000000000A")
	goldenDelivery = nodeid.ID("dlv_01JNGW0000000000000000000B")
)

// outgoing is one message of the golden job to token, expiring in an hour.
func outgoing(token string, m jsontype.Message) core.Outgoing {
	return core.Outgoing{
		DeliveryID: goldenDelivery,
		DeviceID:   "dev_01JNGW0000000000000000000C",
		AppID:      "app_01JNGW0000000000000000000D",
		JobID:      goldenJob,
		Kind:       enum.PushKindSimple,
		Platform:   enum.PlatformAndroid,
		Token:      token,
		Message:    m,
		ExpiresAt:  goldenNow.Add(time.Hour),
	}
}

func intp(n int) *int { return &n }

// goldenCases are the builder's golden cases: name → the messages of one
// request.
func goldenCases() map[string][]core.Outgoing {
	alert := jsontype.Message{Title: "Order shipped", Body: "Your order #42 is on its way", Payload: map[string]any{"order": 42, "kind": "shipping", "tags": []any{"a", "b"}}}
	batch := make([]core.Outgoing, 3)
	for i, tok := range []string{"tokA", "tokB", "tokC"} {
		batch[i] = outgoing(tok, alert)
		batch[i].DeliveryID = nodeid.ID("dlv_" + tok)
	}
	short := outgoing("tok1", alert)
	short.ExpiresAt = goldenNow.Add(42*time.Second + 900*time.Millisecond)
	expired := outgoing("tok1", alert)
	expired.ExpiresAt = goldenNow.Add(-time.Minute)
	long := outgoing("tok1", alert)
	long.ExpiresAt = goldenNow.Add(30 * 24 * time.Hour)
	noExpiry := outgoing("tok1", alert)
	noExpiry.ExpiresAt = time.Time{}
	harmony := outgoing("tok1", alert)
	harmony.Platform = enum.PlatformHarmony
	return map[string][]core.Outgoing{
		"alert": {outgoing("tok1", alert)},
		"batch": batch,
		"silent": {outgoing("tok1", jsontype.Message{
			Silent: true, Payload: map[string]any{"sync": "inbox"}, Title: "ignored", Priority: "NORMAL",
		})},
		"badge_sound_category_channel": {outgoing("tok1", jsontype.Message{
			Title: "New message", Body: "Ann: hi", Badge: intp(3), Sound: "ping.mp3", Category: "IM", AndroidChannelID: "chats",
		})},
		"badge_zero_default_sound": {outgoing("tok1", jsontype.Message{Title: "Read", Body: "All read", Badge: intp(0), Sound: "default"})},
		"badge_clamped":            {outgoing("tok1", jsontype.Message{Title: "Lots", Body: "Many", Badge: intp(250)})},
		"image":                    {outgoing("tok1", jsontype.Message{Title: "Sale", Body: "50% off", ImageURL: "https://cdn.example.com/sale.png"})},
		"uri_https": {outgoing("tok1", jsontype.Message{
			Title: "Read more", Body: "Article", URI: "https://example.com/a?x=1&y=<2>", Action: "OPEN_URI",
		})},
		"uri_app": {outgoing("tok1", jsontype.Message{
			Title: "Chat", Body: "Open the chat", URI: "myapp://chat/7", Action: "OPEN_URI",
		})},
		"uri_open_app": {outgoing("tok1", jsontype.Message{
			Title: "Chat", Body: "Open the app", URI: "myapp://chat/7", Action: "OPEN_APP",
		})},
		"collapse_key":    {outgoing("tok1", jsontype.Message{Title: "Score", Body: "2-1", CollapseKey: "match-9"})},
		"normal_priority": {outgoing("tok1", jsontype.Message{Title: "Digest", Body: "Your weekly digest", Priority: "NORMAL"})},
		"short_ttl":       {short},
		"expired_ttl":     {expired},
		"long_ttl_capped": {long},
		"no_expiry":       {noExpiry},
		"harmony":         {harmony},
		"payload_pushd_key_overridden": {outgoing("tok1", jsontype.Message{
			Title: "T", Body: "B", Payload: map[string]any{"pushd": "user value", "html": "<b>&</b>"},
		})},
	}
}

func TestRequestGolden(t *testing.T) {
	t.Parallel()
	for name, msgs := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body, err := Request(msgs, goldenNow)
			require.NoError(t, err)
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, body, "", "  "))
			pretty.WriteByte('\n')
			path := filepath.Join("testdata", name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, pretty.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./provider/huawei -update")
			require.Equal(t, string(want), pretty.String())
		})
	}
}

func TestRequestData(t *testing.T) {
	t.Parallel()
	body, err := Request(goldenCases()["batch"], goldenNow)
	require.NoError(t, err)
	var req struct {
		Message struct {
			Token []string
			Data  string
		}
	}
	require.NoError(t, json.Unmarshal(body, &req))
	require.Equal(t, []string{"tokA", "tokB", "tokC"}, req.Message.Token)
	var data map[string]any
	require.NoError(t, json.Unmarshal([]byte(req.Message.Data), &data))
	require.Equal(t, map[string]any{"job": string(goldenJob)}, data["pushd"], "a batch carries only the job")
	require.Equal(t, float64(42), data["order"])

	body, err = Request(goldenCases()["alert"], goldenNow)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(body, &req))
	require.NoError(t, json.Unmarshal([]byte(req.Message.Data), &data))
	require.Equal(t, map[string]any{"job": string(goldenJob), "id": string(goldenDelivery)}, data["pushd"])
}

func TestRequestErrors(t *testing.T) {
	t.Parallel()
	_, err := Request(nil, goldenNow)
	require.Error(t, err)
	_, err = Request(make([]core.Outgoing, MaxTokens+1), goldenNow)
	require.Error(t, err)
	_, err = Request([]core.Outgoing{outgoing("t", jsontype.Message{Payload: map[string]any{"f": func() {}}})}, goldenNow)
	require.Error(t, err)
}

func TestTTL(t *testing.T) {
	t.Parallel()
	require.Equal(t, time.Duration(0), ttl(goldenNow.Add(-time.Hour), goldenNow))
	require.Equal(t, time.Minute, ttl(goldenNow.Add(time.Minute), goldenNow))
	require.Equal(t, MaxTTL, ttl(goldenNow.Add(MaxTTL+time.Hour), goldenNow))
}
