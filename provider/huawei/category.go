package huawei

import "github.com/pushd/pushd/ent/schema/jsontype"

// categories maps pushd's classifications to Push Kit's android.category.
// Push Kit has one marketing category, MARKETING, for every content and
// marketing classification. ORDER goes as EXPRESS, Push Kit's logistics.
// SERVICE and TODO have no Push Kit value and are sent without one, which
// Push Kit counts as marketing: never more reach than the app asked for.
var categories = map[string]string{
	"IM": "IM", "VOIP": "VOIP", "SUBSCRIPTION": "SUBSCRIPTION", "TRAVEL": "TRAVEL", "HEALTH": "HEALTH",
	"WORK": "WORK", "ACCOUNT": "ACCOUNT", "EXPRESS": "EXPRESS", "ORDER": "EXPRESS", "FINANCE": "FINANCE",
	"DEVICE_REMINDER": "DEVICE_REMINDER", "SYSTEM_REMINDER": "SYSTEM_REMINDER", "MAIL": "MAIL",
	"PLAY_VOICE": "PLAY_VOICE",
	"MARKETING":  "MARKETING", "NEWS": "MARKETING", "CONTENT": "MARKETING", "SOCIAL": "MARKETING",
}

// category is the android.category of m: its classification's, or, for a
// message without one, its category when that is a Push Kit value (the
// field that carried Push Kit's category before messages had a
// classification).
func category(m jsontype.Message) string {
	if m.Classification != "" {
		return categories[m.Classification]
	}
	// Every Push Kit value maps to itself.
	if categories[m.Category] == m.Category {
		return m.Category
	}
	return ""
}
