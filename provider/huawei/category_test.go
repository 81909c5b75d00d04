package huawei

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
)

func TestCategory(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		name string
		in   jsontype.Message
		want string
	}{
		{"service classification", jsontype.Message{Classification: "VOIP"}, "VOIP"},
		{"order is Push Kit's logistics", jsontype.Message{Classification: "ORDER"}, "EXPRESS"},
		{"news is marketing", jsontype.Message{Classification: "NEWS"}, "MARKETING"},
		{"no Push Kit value", jsontype.Message{Classification: "TODO"}, ""},
		{"classification wins over category", jsontype.Message{Classification: "MARKETING", Category: "IM"}, "MARKETING"},
		{"a Push Kit category without classification", jsontype.Message{Category: "IM"}, "IM"},
		{"an APNs category", jsontype.Message{Category: "MESSAGE"}, ""},
		{"neither", jsontype.Message{}, ""},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, r.want, category(r.in))
		})
	}
}

func TestCategoriesAreClassifications(t *testing.T) {
	t.Parallel()
	for classification, value := range categories {
		class, ok := core.ClassOf(classification)
		require.True(t, ok, classification)
		require.Equal(t, class == core.ClassMarketing, value == "MARKETING", classification)
		require.Equal(t, value, categories[value], "every Push Kit value maps to itself")
	}
}
