package providertest

import (
	"encoding/json"
	"net/url"
	"slices"
	"unicode/utf8"
)

// OPPO's categories: the service ("private") ones and the content and
// marketing ("public") ones, which are capped per device and day.
var (
	oppoServiceCategories = []string{"IM", "ACCOUNT", "TODO", "DEVICE_REMINDER", "ORDER", "SUBSCRIPTION"}
	oppoPublicCategories  = []string{"NEWS", "CONTENT", "MARKETING", "SOCIAL"}
)

// oppoPublic reports whether a message of category c counts against the
// device's daily cap: the public categories, and no category at all.
func oppoPublic(c string) bool { return c == "" || slices.Contains(oppoPublicCategories, c) }

// oppoValidate checks one message as OPPO does and returns the code
// refusing it, or 0.
func oppoValidate(m OPPOMessage) int {
	if m.TargetType != 2 && m.TargetType != 5 {
		return 41
	}
	if m.TargetValue == "" {
		return 40
	}
	n := m.Notification
	for _, check := range []func(OPPONotification) int{oppoCheckText, oppoCheckClick, oppoCheckDelivery, oppoCheckClass} {
		if code := check(n); code != 0 {
			return code
		}
	}
	return 0
}

// oppoCheckText: title (≤ 50 characters) and content (≤ 200 in the
// standard style, 128 in long text, 50 with a big picture) are required.
func oppoCheckText(n OPPONotification) int {
	if n.Title == "" || n.Content == "" {
		return 40
	}
	limit := map[int]int{0: 200, 1: 200, 2: 128, 3: 50}[n.Style]
	switch {
	case n.Style < 0 || n.Style > 3:
		return 41
	case utf8.RuneCountInString(n.Title) > 50, utf8.RuneCountInString(n.SubTitle) > 10:
		return 41
	case utf8.RuneCountInString(n.Content) > limit:
		return 41
	}
	return 0
}

// oppoCheckClick: the click action and what it opens.
func oppoCheckClick(n OPPONotification) int {
	switch n.ClickActionType {
	case 0:
	case 1, 4:
		if n.ClickActionActivity == "" || utf8.RuneCountInString(n.ClickActionActivity) > 500 {
			return 41
		}
	case 2, 5:
		if n.ClickActionURL == "" || utf8.RuneCountInString(n.ClickActionURL) > 2000 {
			return 41
		}
		if u, err := url.Parse(n.ClickActionURL); err != nil || u.Scheme == "" {
			return 41
		}
	default:
		return 41
	}
	if n.ActionParameters != "" {
		var obj map[string]any
		if utf8.RuneCountInString(n.ActionParameters) > 4000 || json.Unmarshal([]byte(n.ActionParameters), &obj) != nil {
			return 41
		}
	}
	return 0
}

// oppoCheckDelivery: the offline TTL (the SDK refuses more than 10 days)
// and the receipt callback.
func oppoCheckDelivery(n OPPONotification) int {
	if n.OffLineTTL < 0 || n.OffLineTTL > oppoMaxOfflineTTL {
		return 41
	}
	if n.CallBackURL != "" {
		u, err := url.Parse(n.CallBackURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(n.CallBackURL) > oppoMaxCallbackURL {
			return 41
		}
	}
	if len(n.CallBackParameter) > oppoMaxCallbackParam {
		return 41
	}
	return 0
}

// oppoCheckClass: a known category, and a notify_level (1, 2 or 16) only
// with one; the strong reminder (16) is for service categories only.
func oppoCheckClass(n OPPONotification) int {
	service := slices.Contains(oppoServiceCategories, n.Category)
	switch {
	case n.Category != "" && !service && !slices.Contains(oppoPublicCategories, n.Category):
		return 67
	case n.NotifyLevel == 0:
	case n.Category == "":
		return 67
	case n.NotifyLevel != 1 && n.NotifyLevel != 2 && n.NotifyLevel != 16:
		return 67
	case n.NotifyLevel == 16 && !service:
		return 67
	}
	return 0
}
