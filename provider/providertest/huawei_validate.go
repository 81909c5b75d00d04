package providertest

import (
	"cmp"
	"regexp"
	"strconv"
	"strings"
)

// --- request validation, as Push Kit does it ---

var (
	huaweiTTL   = regexp.MustCompile(`^\d+(\.\d{1,9})?s?$`)
	huaweiColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

var huaweiCategories = map[string]bool{
	"IM": true, "VOIP": true, "SUBSCRIPTION": true, "TRAVEL": true, "HEALTH": true, "WORK": true,
	"ACCOUNT": true, "EXPRESS": true, "FINANCE": true, "DEVICE_REMINDER": true, "MAIL": true,
	"PLAY_VOICE": true, "MARKETING": true, "SYSTEM_REMINDER": true,
}

// huaweiValidate checks a message as Push Kit does, and returns the
// business code and message of the first problem, or "".
func huaweiValidate(m *HuaweiMessage, body []byte) (string, string) {
	if code, msg := huaweiValidateTargets(m, body); code != "" {
		return code, msg
	}
	if n := m.Notification; n != nil && n.Image != "" && !strings.HasPrefix(n.Image, "https://") {
		return "80100001", "Parameter check error, notification.image must be an https URL"
	}
	a := m.Android
	if a == nil {
		if m.Data == "" && m.Notification == nil {
			return "80100001", "Parameter check error, the message has neither data nor notification"
		}
		return "", ""
	}
	if code, msg := huaweiValidateAndroid(a); code != "" {
		return code, msg
	}
	if a.Notification == nil {
		if m.Data == "" && a.Data == "" && m.Notification == nil {
			return "80100001", "Parameter check error, the message has neither data nor notification"
		}
		return "", ""
	}
	if code, msg := huaweiValidateNotification(m, a.Notification); code != "" {
		return code, msg
	}
	return huaweiValidateClick(a.Notification.ClickAction)
}

// huaweiValidateTargets: one target kind, at most 1,000 tokens, none
// empty, and a body of at most 4 KB besides the tokens.
func huaweiValidateTargets(m *HuaweiMessage, body []byte) (string, string) {
	targets := 0
	for _, set := range []bool{len(m.Token) > 0, m.Topic != "", m.Condition != ""} {
		if set {
			targets++
		}
	}
	switch {
	case targets == 0:
		return "80300010", ""
	case targets > 1:
		return "80100001", "Parameter check error, only one of token, topic and condition may be set"
	case len(m.Token) > 1000:
		return "80300010", ""
	}
	size := len(body)
	for _, t := range m.Token {
		size -= len(t) + 3 // quotes and comma
	}
	if size > 4096 {
		return "80300008", ""
	}
	for _, t := range m.Token {
		if t == "" {
			return "80100001", "Parameter check error, token must not be empty"
		}
	}
	return "", ""
}

func huaweiValidateAndroid(a *HuaweiAndroid) (string, string) {
	switch {
	case a.CollapseKey != nil && (*a.CollapseKey < -1 || *a.CollapseKey > 100):
		return "80100013", "Illegal collapse_key, it must be in [-1, 100]"
	case a.Urgency != "" && a.Urgency != "HIGH" && a.Urgency != "NORMAL":
		return "80100001", "Parameter check error, urgency must be HIGH or NORMAL"
	case a.TTL != "" && !huaweiTTL.MatchString(a.TTL):
		return "80100001", "Parameter check error, ttl is malformed"
	case a.TTL != "" && huaweiSeconds(a.TTL) > 15*24*3600:
		return "80100004", "Illegal expire time, ttl exceeds 15 days"
	case a.Category != "" && !huaweiCategories[a.Category]:
		return "80100001", "Parameter check error, category is invalid"
	case a.FastAppTarget != 0 && a.FastAppTarget != 1 && a.FastAppTarget != 2:
		return "80100001", "Parameter check error, fast_app_target must be 1 or 2"
	}
	return "", ""
}

// huaweiValidateNotification checks android.notification; its title and
// body may come from the message's own notification.
func huaweiValidateNotification(m *HuaweiMessage, n *HuaweiAndroidNotification) (string, string) {
	title, bodyText := n.Title, n.Body
	if m.Notification != nil {
		title, bodyText = cmp.Or(title, m.Notification.Title), cmp.Or(bodyText, m.Notification.Body)
	}
	switch {
	case title == "" || bodyText == "":
		return "80100001", "Parameter check error, title and body are mandatory for a notification message"
	case n.Image != "" && !strings.HasPrefix(n.Image, "https://"):
		return "80100001", "Parameter check error, image must be an https URL"
	case n.Color != "" && !huaweiColor.MatchString(n.Color):
		return "80100001", "Parameter check error, color must be #RRGGBB"
	case n.Importance != "" && n.Importance != "LOW" && n.Importance != "NORMAL" && n.Importance != "HIGH":
		return "80100001", "Parameter check error, importance must be LOW, NORMAL or HIGH"
	case n.Style == 1 && (n.BigTitle == "" || n.BigBody == ""):
		return "80100001", "Parameter check error, big_title and big_body are mandatory when style is 1"
	case n.Visibility != "" && n.Visibility != "VISIBILITY_UNSPECIFIED" && n.Visibility != "PRIVATE" &&
		n.Visibility != "PUBLIC" && n.Visibility != "SECRET":
		return "80100001", "Parameter check error, visibility is invalid"
	}
	if b := n.Badge; b != nil {
		if (b.AddNum != nil && (*b.AddNum < 1 || *b.AddNum > 99)) || (b.SetNum != nil && (*b.SetNum < 0 || *b.SetNum > 99)) {
			return "80100001", "Parameter check error, badge add_num must be in [1, 99] and set_num in [0, 99]"
		}
	}
	return "", ""
}

func huaweiValidateClick(c *HuaweiClickAction) (string, string) {
	switch {
	case c == nil:
		return "80100001", "Parameter check error, click_action is mandatory"
	case c.Type == 1 && c.Intent == "" && c.Action == "":
		return "80100001", "Parameter check error, intent or action is mandatory when click_action.type is 1"
	case c.Type == 2 && !strings.HasPrefix(c.URL, "https://"):
		return "80100001", "Parameter check error, url must be an https URL when click_action.type is 2"
	case c.Type == 3:
	case c.Type == 4 && !strings.HasPrefix(c.RichResource, "https://"):
		return "80100001", "Parameter check error, rich_resource must be an https URL when click_action.type is 4"
	case c.Type < 1 || c.Type > 4:
		return "80100001", "Parameter check error, click_action.type must be in [1, 4]"
	}
	return "", ""
}

// huaweiSeconds reads a TTL the regexp accepted.
func huaweiSeconds(ttl string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSuffix(ttl, "s"), 64)
	return v
}
