package xiaomi

import (
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var formNow = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

const (
	testPkg = "com.example.app"
	testJob = "job_01JQ0000000000000000000000"
	testDel = "del_01JQ0000000000000000000001"
)

func out(m jsontype.Message, token string) core.Outgoing {
	return core.Outgoing{
		DeliveryID: testDel, DeviceID: "dev_01JQ0000000000000000000002", AppID: "app_01JQ0000000000000000000003",
		JobID: testJob, Kind: enum.PushKindSimple, Platform: enum.PlatformAndroid, Token: token,
		Message: m, ExpiresAt: formNow.Add(24 * time.Hour),
	}
}

func testCallback() Callback {
	return Callback{URL: "https://pushd.example.com/vendor/v1/xiaomi/cfg_1/receipts", Param: func(job string) string { return job + ".sig" }}
}

// golden renders a form as it goes on the wire (url.Values.Encode, sorted
// by key), one key=value pair a line.
func golden(v url.Values) string {
	return strings.ReplaceAll(v.Encode(), "&", "\n") + "\n"
}

func TestFormGolden(t *testing.T) {
	t.Parallel()
	badge := 3
	cases := []struct {
		name string
		msgs []core.Outgoing
		cb   Callback
	}{
		{"alert", []core.Outgoing{out(jsontype.Message{Title: "Hello", Body: "World, 你好", Payload: map[string]any{"order": "A-1", "n": 2, "nested": map[string]any{"ok": true}}}, "regid-1")}, testCallback()},
		{"alert_no_callback", []core.Outgoing{out(jsontype.Message{Title: "Hello", Body: "World"}, "regid-1")}, Callback{}},
		{"silent", []core.Outgoing{out(jsontype.Message{Silent: true, Payload: map[string]any{"sync": "inbox"}}, "regid-1")}, testCallback()},
		{"badge_sound_category_channel", []core.Outgoing{out(jsontype.Message{Title: "T", Body: "B", Badge: &badge, Sound: "chime.mp3", Category: "IM", AndroidChannelID: "im_private"}, "regid-1")}, testCallback()},
		{"sound_none", []core.Outgoing{out(jsontype.Message{Title: "T", Body: "B", Sound: "none"}, "regid-1")}, testCallback()},
		{"image", []core.Outgoing{out(jsontype.Message{Title: "T", Body: "B", ImageURL: "https://cdn.example.com/a.png"}, "regid-1")}, testCallback()},
		{"open_uri_web", []core.Outgoing{out(jsontype.Message{Title: "T", Body: "B", Action: "OPEN_URI", URI: "https://example.com/orders/1?x=y"}, "regid-1")}, testCallback()},
		{"open_uri_app", []core.Outgoing{out(jsontype.Message{Title: "T", Body: "B", Action: "OPEN_URI", URI: "myapp://orders/1"}, "regid-1")}, testCallback()},
		{"open_app_with_uri", []core.Outgoing{out(jsontype.Message{Title: "T", Body: "B", Action: "OPEN_APP", URI: "myapp://orders/1"}, "regid-1")}, testCallback()},
		{"collapse_key", []core.Outgoing{out(jsontype.Message{Title: "T", Body: "B", CollapseKey: "score-update"}, "regid-1")}, testCallback()},
		{"priority_normal", []core.Outgoing{out(jsontype.Message{Title: "T", Body: "B", Priority: "NORMAL"}, "regid-1")}, testCallback()},
		{"short_ttl", []core.Outgoing{func() core.Outgoing {
			o := out(jsontype.Message{Title: "T", Body: "B"}, "regid-1")
			o.ExpiresAt = formNow.Add(1500 * time.Millisecond)
			return o
		}()}, testCallback()},
		{"expired_ttl", []core.Outgoing{func() core.Outgoing {
			o := out(jsontype.Message{Title: "T", Body: "B"}, "regid-1")
			o.ExpiresAt = formNow.Add(-time.Second)
			return o
		}()}, testCallback()},
		{"long_texts", []core.Outgoing{out(jsontype.Message{Title: strings.Repeat("标题", 30), Body: strings.Repeat("body text ", 20)}, "regid-1")}, testCallback()},
		{"title_only", []core.Outgoing{out(jsontype.Message{Title: "Only a title"}, "regid-1")}, testCallback()},
		{"body_only", []core.Outgoing{out(jsontype.Message{Body: "Only a body"}, "regid-1")}, testCallback()},
		{"batch", []core.Outgoing{
			out(jsontype.Message{Title: "T", Body: "B", Payload: map[string]any{"k": "v"}}, "regid-1"),
			out(jsontype.Message{Title: "T", Body: "B", Payload: map[string]any{"k": "v"}}, "regid-2"),
			out(jsontype.Message{Title: "T", Body: "B", Payload: map[string]any{"k": "v"}}, "regid-1"),
			out(jsontype.Message{Title: "T", Body: "B", Payload: map[string]any{"k": "v"}}, "regid-3"),
		}, testCallback()},
		{"platform_ios", []core.Outgoing{func() core.Outgoing {
			o := out(jsontype.Message{Title: "T", Body: "B", Badge: &badge}, "regid-1")
			o.Platform = enum.PlatformIOS
			return o
		}()}, testCallback()},
		{"payload_overrides_pushd", []core.Outgoing{out(jsontype.Message{Title: "T", Body: "B", Payload: map[string]any{"pushd": "mine"}}, "regid-1")}, Callback{URL: "https://pushd.example.com/cb"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := golden(Form(c.msgs, testPkg, c.cb, formNow))
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, string(want), got)
		})
	}
}

func TestFormRules(t *testing.T) {
	t.Parallel()
	long := Form([]core.Outgoing{out(jsontype.Message{Title: strings.Repeat("x", 80), Body: strings.Repeat("😀", 100)}, "r")}, testPkg, Callback{}, formNow)
	require.Equal(t, MaxTitle, utf16Len(long.Get("title")))
	require.True(t, strings.HasSuffix(long.Get("title"), "…"))
	require.LessOrEqual(t, utf16Len(long.Get("description")), MaxDescription)
	require.True(t, strings.HasSuffix(long.Get("description"), "…"))

	exact := Form([]core.Outgoing{out(jsontype.Message{Title: strings.Repeat("x", 49), Body: strings.Repeat("y", 127)}, "r")}, testPkg, Callback{}, formNow)
	require.Equal(t, strings.Repeat("x", 49), exact.Get("title"))
	require.Equal(t, strings.Repeat("y", 127), exact.Get("description"))

	require.Equal(t, NotifyID("k"), NotifyID("k"))
	for _, k := range []string{"", "a", "score-update", strings.Repeat("z", 500)} {
		require.GreaterOrEqual(t, NotifyID(k), 0)
		require.LessOrEqual(t, NotifyID(k), 1<<31-1)
	}
	for _, j := range []string{testJob, "job_x", ""} {
		require.Regexp(t, `^[0-9a-zA-Z-][0-9a-zA-Z_-]{0,7}$`, JobKey(j))
		require.Len(t, JobKey(j), 8)
	}
	require.NotEqual(t, JobKey("job_a"), JobKey("job_b"))
	require.Empty(t, Form(nil, testPkg, Callback{}, formNow))
	require.Equal(t, "chime", soundName("sounds/chime.mp3"))
	require.Equal(t, "chime", soundName("chime"))
}
