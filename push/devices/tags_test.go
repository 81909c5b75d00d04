package devices

import (
	"strings"
	"testing"

	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

func TestTagRule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		tags []string
		want []string // nil: refused
	}{
		{"ascii", []string{"beta", "region:eu", "v1.2_x-y"}, []string{"beta", "region:eu", "v1.2_x-y"}},
		{"chinese", []string{"城市:上海", "用户等级-金"}, []string{"城市:上海", "用户等级-金"}},
		{"other scripts", []string{"город", "नमस्ते", "東京", "서울", "٣٤"}, []string{"город", "٣٤", "नमस्ते", "東京", "서울"}}, // sorted by bytes
		{"one tag in NFC whichever way typed", []string{"cafe\u0301", "caf\u00e9"}, []string{"caf\u00e9"}},
		{"64 characters of 3 bytes", []string{strings.Repeat("上", 64)}, []string{strings.Repeat("上", 64)}},
		{"65 characters", []string{strings.Repeat("上", 65)}, nil},
		{"empty", []string{""}, nil},
		{"space", []string{"two words"}, nil},
		{"ideographic space", []string{"上海\u3000市"}, nil},
		{"emoji", []string{"party🎉"}, nil},
		{"slash", []string{"a/b"}, nil},
		{"control", []string{"a\tb"}, nil},
		{"invalid UTF-8", []string{"a\xffb"}, nil},
		{"full-width colon", []string{"城市：上海"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := checkTags(tc.tags)
			if tc.want == nil {
				require.Error(t, err)
				e, ok := core.AsError(err)
				require.True(t, ok)
				require.Equal(t, "tags", e.Field)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
