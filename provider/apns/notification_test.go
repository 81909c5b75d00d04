package apns

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sideshow/apns2"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var goldenNow = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

const goldenToken = "6c2fbd8f0e3b0a1e9d5d7c1e4a8b2f3c6d7e8f90a1b2c3d4e5f60718293a4b5c"

func goldenOutgoing(m jsontype.Message) core.Outgoing {
	return core.Outgoing{
		DeliveryID: "dlv_01JTKQ3V8Z0000000000000001",
		DeviceID:   "dev_01JTKQ3V8Z0000000000000002",
		AppID:      "app_01JTKQ3V8Z0000000000000003",
		JobID:      "job_01JTKQ3V8Z0000000000000004",
		Kind:       enum.PushKindSimple,
		Platform:   enum.PlatformIOS,
		Token:      goldenToken,
		Message:    m,
		ExpiresAt:  goldenNow.Add(72 * time.Hour),
	}
}

func intp(i int) *int { return &i }

func TestNotificationGolden(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		out  core.Outgoing
	}{
		{"alert", goldenOutgoing(jsontype.Message{
			Title: "Order shipped", Body: "Your order #42 is on its way",
			Payload: map[string]any{"order": 42, "tags": []any{"a", "b"}, "nested": map[string]any{"x": true}},
		})},
		{"silent", goldenOutgoing(jsontype.Message{
			Title: "ignored", Body: "ignored", Silent: true, Badge: intp(3), Sound: "default", Category: "MSG",
			Payload: map[string]any{"sync": "inbox"},
		})},
		{"badge_sound_category_channel", goldenOutgoing(jsontype.Message{
			Title: "New message", Body: "Hi!", Badge: intp(0), Sound: "chime.caf", Category: "MESSAGE",
			AndroidChannelID: "chat",
		})},
		{"image", goldenOutgoing(jsontype.Message{
			Title: "Photo", Body: "Look", ImageURL: "https://cdn.example.com/p.jpg",
		})},
		{"uri", goldenOutgoing(jsontype.Message{
			Title: "Sale", Body: "50% off", URI: "myapp://sale/7", Action: "OPEN_URI",
		})},
		{"collapse_key", goldenOutgoing(jsontype.Message{
			Title: "Score", Body: "2-1", CollapseKey: "match-9",
		})},
		{"normal_priority", goldenOutgoing(jsontype.Message{
			Title: "Digest", Body: "Your weekly digest", Priority: "NORMAL",
		})},
		{"short_ttl", func() core.Outgoing {
			o := goldenOutgoing(jsontype.Message{Title: "Now", Body: "Soon gone"})
			o.ExpiresAt = goldenNow.Add(90 * time.Second)
			return o
		}()},
		{"expired_ttl", func() core.Outgoing {
			o := goldenOutgoing(jsontype.Message{Title: "Now", Body: "or never"})
			o.ExpiresAt = goldenNow.Add(-time.Minute)
			return o
		}()},
		{"no_expiry_no_ids", core.Outgoing{
			Token: goldenToken, Message: jsontype.Message{Body: "bare"},
		}},
		{"reserved_payload_keys", goldenOutgoing(jsontype.Message{
			Title: "T",
			Payload: map[string]any{
				"aps": map[string]any{"alert": "hijack"}, "pushd": "hijack", "ok": "kept",
			},
		})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := wireOf(t, Notification(c.out, "com.example.pushd", goldenNow))
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./provider/apns -update")
			require.Equal(t, string(want), string(got))
		})
	}
}

// wireOf is what apns2 puts on the wire for n: path, APNs headers and
// the indented JSON body, captured by a transport that answers 200
// without any network.
func wireOf(t *testing.T, n *apns2.Notification) []byte {
	t.Helper()
	var req *http.Request
	var body []byte
	c := &apns2.Client{Host: "https://apns.invalid", HTTPClient: &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		req = r
		var err error
		body, err = io.ReadAll(r.Body)
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(""))}, err
	})}}
	res, err := c.PushWithContext(context.Background(), n)
	require.NoError(t, err)
	require.True(t, res.Sent())

	var headers []string
	for k := range req.Header {
		if strings.HasPrefix(strings.ToLower(k), "apns-") {
			headers = append(headers, strings.ToLower(k)+": "+req.Header.Get(k))
		}
	}
	sort.Strings(headers)
	var payload bytes.Buffer
	require.NoError(t, json.Indent(&payload, body, "", "  "))
	var out bytes.Buffer
	out.WriteString(req.Method + " " + req.URL.Path + "\n")
	for _, h := range headers {
		out.WriteString(h + "\n")
	}
	out.WriteString("\n")
	out.Write(payload.Bytes())
	out.WriteString("\n")
	return out.Bytes()
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNotificationRules(t *testing.T) {
	t.Parallel()
	o := goldenOutgoing(jsontype.Message{Title: "T", Silent: true})
	n := Notification(o, "com.example.pushd", goldenNow)
	require.Equal(t, apns2.PushTypeBackground, n.PushType)
	require.Equal(t, 5, n.Priority)
	aps := n.Payload.(map[string]any)["aps"].(map[string]any)
	require.Equal(t, map[string]any{"content-available": 1}, aps)

	// The remaining TTL goes as an absolute time; under a second is "now
	// or never" (0).
	o = goldenOutgoing(jsontype.Message{Title: "T"})
	o.ExpiresAt = goldenNow.Add(10 * time.Minute)
	require.Equal(t, goldenNow.Add(10*time.Minute), Notification(o, "t", goldenNow).Expiration)
	o.ExpiresAt = goldenNow.Add(500 * time.Millisecond)
	require.Equal(t, int64(0), Notification(o, "t", goldenNow).Expiration.Unix())
	require.True(t, Notification(o, "t", goldenNow).Expiration.After(time.Unix(0, 0)), "apns2 must send the header")

	// apns-id is a canonical UUID, stable per delivery.
	id := apnsID(o.DeliveryID)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id)
	require.Equal(t, id, apnsID(o.DeliveryID))
	require.NotEqual(t, id, apnsID("dlv_other"))
	require.Empty(t, apnsID(""))

	// The builder does not alias the caller's payload.
	p := map[string]any{"k": "v"}
	o = goldenOutgoing(jsontype.Message{Payload: p})
	Notification(o, "t", goldenNow).Payload.(map[string]any)["k"] = "changed"
	require.Equal(t, "v", p["k"])
}
