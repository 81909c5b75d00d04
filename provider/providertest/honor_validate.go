package providertest

import (
	"regexp"
	"strconv"
	"strings"
)

var honorTTL = regexp.MustCompile(`^\d+s$`)

// marketing reports whether the request is a notification that is not of
// NORMAL importance (a LOW one: marketing or news, Honor's default), which
// Honor caps per device and day.
func (q *HonorRequest) marketing() bool {
	return q.Android != nil && q.Android.Notification != nil && q.Android.Notification.Importance != "NORMAL"
}

// honorValidate checks a sendMessage body as Honor's documentation has it
// and returns what is wrong, or "".
func honorValidate(q *HonorRequest) string {
	if len(q.Token) == 0 || len(q.Token) > honorMaxTokens {
		return "token must hold 1 to 1000 push tokens"
	}
	for _, t := range q.Token {
		if strings.TrimSpace(t) == "" {
			return "token holds an empty push token"
		}
	}
	a := q.Android
	if a == nil {
		return "android is required"
	}
	if a.TTL != "" {
		s, _ := strconv.Atoi(strings.TrimSuffix(a.TTL, "s"))
		if !honorTTL.MatchString(a.TTL) || s > honorMaxTTL {
			return "android.ttl must be <seconds>s, at most 1296000s"
		}
	}
	if a.TargetUserType != 0 && a.TargetUserType != 1 {
		return "android.targetUserType must be 0 or 1"
	}
	n := a.Notification
	if n == nil {
		if q.Data == nil && a.Data == nil && q.Notification == nil {
			return "a message needs data or a notification"
		}
		return ""
	}
	return honorValidateNotification(q, n)
}

func honorValidateNotification(q *HonorRequest, n *HonorNotification) string {
	title, body := n.Title, n.Body
	if q.Notification != nil {
		title, body = title+q.Notification.Title, body+q.Notification.Body
	}
	switch {
	case title == "" || body == "":
		return "notification title and body are required"
	case n.Importance != "" && n.Importance != "LOW" && n.Importance != "NORMAL":
		return "android.notification.importance must be LOW or NORMAL"
	case n.ClickAction == nil:
		return "android.notification.clickAction is required"
	case len(n.Buttons) > honorMaxButtons:
		return "android.notification.buttons holds at most 3"
	case n.Image != "" && !strings.HasPrefix(n.Image, "https://"):
		return "android.notification.image must be an https URL"
	}
	switch c := n.ClickAction; c.Type {
	case 1:
		if c.Intent == "" && c.Action == "" {
			return "clickAction type 1 needs intent or action"
		}
	case 2:
		if !strings.HasPrefix(c.URL, "https://") {
			return "clickAction type 2 needs an https url"
		}
	case 3:
	default:
		return "clickAction.type must be 1, 2 or 3"
	}
	return ""
}
