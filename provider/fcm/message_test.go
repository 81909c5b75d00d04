package fcm

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestMessageGolden(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 5, 6, 7, 8, 9, 500, time.UTC)
	badge := 3
	zero := 0
	base := func(p enum.Platform, m jsontype.Message) core.Outgoing {
		return core.Outgoing{
			DeliveryID: "dlv_01J0000000000000000000000", JobID: "job_01J0000000000000000000000",
			Platform: p, Token: "fcm-token-1", Message: m, ExpiresAt: now.Add(time.Hour),
		}
	}
	alert := jsontype.Message{
		Title: "Hello", Body: "World",
		Payload: map[string]any{"orderID": "A-1", "count": 2, "nested": map[string]any{"x": true}, "list": []any{1, "b"}},
	}
	rich := jsontype.Message{Title: "New message", Body: "Ann: hi", Badge: &badge, Sound: "default", Category: "MESSAGE", AndroidChannelID: "chat"}
	image := jsontype.Message{Title: "Sale", Body: "50% off", ImageURL: "https://cdn.example.com/sale.png"}
	uri := jsontype.Message{Title: "Open", Body: "Tap to open", URI: "https://example.com/orders/1", Action: "OPEN_URI"}
	collapse := jsontype.Message{Title: "Score", Body: "2-1", CollapseKey: "match-42"}
	normal := jsontype.Message{Title: "Digest", Body: "Your week", Priority: "NORMAL"}
	silent := jsontype.Message{Silent: true, Payload: map[string]any{"sync": "inbox"}, Badge: &badge, Sound: "ping", Title: "ignored"}

	cases := map[string]core.Outgoing{
		"android_alert":    base(enum.PlatformAndroid, alert),
		"android_silent":   base(enum.PlatformAndroid, silent),
		"android_rich":     base(enum.PlatformAndroid, rich),
		"android_image":    base(enum.PlatformAndroid, image),
		"android_uri":      base(enum.PlatformAndroid, uri),
		"android_collapse": base(enum.PlatformAndroid, collapse),
		"android_normal":   base(enum.PlatformAndroid, normal),
		"ios_alert":        base(enum.PlatformIOS, alert),
		"ios_silent":       base(enum.PlatformIOS, silent),
		"ios_rich":         base(enum.PlatformIOS, rich),
		"ios_image":        base(enum.PlatformIOS, image),
		"ios_collapse":     base(enum.PlatformIOS, collapse),
		"ios_normal":       base(enum.PlatformIOS, normal),
		"web_alert":        base(enum.PlatformWeb, alert),
		"web_silent":       base(enum.PlatformWeb, silent),
		"web_uri":          base(enum.PlatformWeb, uri),
		"web_image":        base(enum.PlatformWeb, image),
		"web_normal":       base(enum.PlatformWeb, normal),
		"harmony_alert":    base(enum.PlatformHarmony, alert),
		"unknown_platform": base("", alert),
	}
	short := base(enum.PlatformAndroid, alert)
	short.ExpiresAt = now.Add(90*time.Second + 700*time.Millisecond)
	cases["android_short_ttl"] = short
	expired := base(enum.PlatformAndroid, alert)
	expired.ExpiresAt = now.Add(-time.Minute)
	cases["android_expired"] = expired
	iosExpired := base(enum.PlatformIOS, alert)
	iosExpired.ExpiresAt = now.Add(-time.Minute)
	cases["ios_expired"] = iosExpired
	long := base(enum.PlatformWeb, alert)
	long.ExpiresAt = now.Add(60 * 24 * time.Hour)
	cases["web_ttl_capped"] = long
	appURI := base(enum.PlatformWeb, jsontype.Message{Title: "Open", URI: "myapp://orders/1", Action: "OPEN_URI"})
	cases["web_app_uri"] = appURI
	zeroBadge := base(enum.PlatformIOS, jsontype.Message{Title: "Read", Badge: &zero})
	cases["ios_clear_badge"] = zeroBadge
	badImage := base(enum.PlatformAndroid, jsontype.Message{Title: "Pic", ImageURL: "not a url"})
	cases["android_bad_image"] = badImage

	for name, o := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := json.MarshalIndent(Message(o, now), "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./provider/fcm -update")
			require.Equal(t, string(want), string(got))
		})
	}
}

func TestMessagePure(t *testing.T) {
	t.Parallel()
	now := time.Now()
	o := core.Outgoing{Token: "t", Platform: enum.PlatformAndroid, ExpiresAt: now.Add(time.Minute),
		Message: jsontype.Message{Title: "a", Payload: map[string]any{"pushd": "user value", "uri": "user"}, URI: "https://x"}}
	m1, m2 := Message(o, now), Message(o, now)
	require.Equal(t, m1, m2)
	require.Equal(t, `{}`, m1.Data["pushd"], "pushd's own key wins over the payload's")
	require.Equal(t, "https://x", m1.Data["uri"])
	require.Equal(t, time.Minute, *m1.Android.TTL)
}
