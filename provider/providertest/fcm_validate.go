package providertest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// --- message validation, as FCM does it ---

func fcmInvalid(message string) FCMFault {
	return FCMFault{Status: 400, ErrorCode: "INVALID_ARGUMENT", Message: message}
}

// fcmFields are the fields FCM knows in each object (proto names and their
// lowerCamelCase JSON forms are both accepted).
var fcmFields = map[string][]string{
	"message":              {"name", "data", "notification", "android", "webpush", "apns", "fcm_options", "token", "topic", "condition"},
	"notification":         {"title", "body", "image"},
	"android":              {"collapse_key", "priority", "ttl", "restricted_package_name", "data", "notification", "fcm_options", "direct_boot_ok", "bandwidth_constrained_ok", "restricted_satellite_ok"},
	"android.notification": {"title", "body", "icon", "color", "sound", "tag", "click_action", "body_loc_key", "body_loc_args", "title_loc_key", "title_loc_args", "channel_id", "ticker", "sticky", "event_time", "local_only", "notification_priority", "default_sound", "default_vibrate_timings", "default_light_settings", "vibrate_timings", "visibility", "notification_count", "light_settings", "image", "bypass_proxy_notification", "proxy"},
	"apns":                 {"headers", "payload", "fcm_options", "live_activity_token"},
	"webpush":              {"headers", "data", "notification", "fcm_options"},
	"webpush.fcm_options":  {"link", "analytics_label"},
	"apns.fcm_options":     {"analytics_label", "image"},
}

func fcmKnown(obj, key string) bool {
	for _, f := range fcmFields[obj] {
		if key == f || key == fcmCamel(f) {
			return true
		}
	}
	return false
}

func fcmCamel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// fcmGet reads a field by its proto or camelCase name.
func fcmGet(m map[string]any, name string) (any, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	v, ok := m[fcmCamel(name)]
	return v, ok
}

var (
	fcmTTLPattern   = regexp.MustCompile(`^\d+(\.\d{1,9})?s$`)
	fcmTopicPattern = regexp.MustCompile(`^[a-zA-Z0-9-_.~%]+$`)
	fcmColorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

const (
	fcmMaxTTL     = 2419200
	fcmMaxPayload = 4096
	fcmMaxTopic   = 2048
)

// fcmValidate checks a message as FCM does, and returns what is wrong.
// The blocks are checked in FCM's order, so the first fault is the one FCM
// names.
func fcmValidate(msg map[string]any) string {
	if bad := fcmUnknown("message", msg); bad != "" {
		return bad
	}
	if bad := fcmValidateTarget(msg); bad != "" {
		return bad
	}
	size := 0
	if d, ok := msg["data"]; ok {
		n, bad := fcmValidateData("message.data", d)
		if bad != "" {
			return bad
		}
		size += n
	}
	n, bad := fcmValidateNotification(msg)
	if bad != "" {
		return bad
	}
	size += n
	n, bad = fcmValidateAndroidBlock(msg)
	if bad != "" {
		return bad
	}
	size = max(size, n)
	if bad := fcmValidateAPNs(msg); bad != "" {
		return bad
	}
	if bad := fcmValidateWebpush(msg); bad != "" {
		return bad
	}
	limit := fcmMaxPayload
	if t, _ := msg["topic"].(string); t != "" {
		limit = fcmMaxTopic
	}
	if size > limit {
		return fmt.Sprintf("Message is too big: the payload is %d bytes (max %d)", size, limit)
	}
	return ""
}

// fcmValidateTarget: exactly one of token, topic and condition.
func fcmValidateTarget(msg map[string]any) string {
	targets := 0
	for _, k := range []string{"token", "topic", "condition"} {
		if v, ok := msg[k]; ok {
			s, isStr := v.(string)
			if !isStr {
				return fmt.Sprintf("Invalid value at 'message.%s' (TYPE_STRING), %v", k, v)
			}
			if s != "" {
				targets++
			}
		}
	}
	switch {
	case targets == 0:
		return "Recipient of the message is not set."
	case targets > 1:
		return "Invalid value at 'message' (oneof), oneof field 'target' is already set. Cannot set 'token', 'topic' or 'condition' together."
	}
	if t, ok := msg["topic"].(string); ok && t != "" && !fcmTopicPattern.MatchString(t) {
		return "Invalid topic name: " + t
	}
	return ""
}

// fcmValidateNotification checks message.notification and returns the
// bytes its title and body add to the payload.
func fcmValidateNotification(msg map[string]any) (int, string) {
	v, ok := msg["notification"]
	if !ok {
		return 0, ""
	}
	n, ok := v.(map[string]any)
	if !ok {
		return 0, "Invalid value at 'message.notification': not an object"
	}
	if bad := fcmUnknown("notification", n); bad != "" {
		return 0, bad
	}
	size := 0
	for _, k := range []string{"title", "body"} {
		s, _ := n[k].(string)
		size += len(s)
	}
	return size, ""
}

// fcmValidateAndroidBlock checks message.android and returns the size of
// its data.
func fcmValidateAndroidBlock(msg map[string]any) (int, string) {
	v, ok := msg["android"]
	if !ok {
		return 0, ""
	}
	a, ok := v.(map[string]any)
	if !ok {
		return 0, "Invalid value at 'message.android': not an object"
	}
	if bad := fcmValidateAndroid(a); bad != "" {
		return 0, bad
	}
	if d, ok := a["data"]; ok {
		return fcmValidateData("message.android.data", d)
	}
	return 0, ""
}

func fcmValidateAPNs(msg map[string]any) string {
	v, ok := msg["apns"]
	if !ok {
		return ""
	}
	a, ok := v.(map[string]any)
	if !ok {
		return "Invalid value at 'message.apns': not an object"
	}
	if bad := fcmUnknown("apns", a); bad != "" {
		return bad
	}
	if bad := fcmValidateHeaders("message.apns.headers", a["headers"]); bad != "" {
		return bad
	}
	if p, ok := a["payload"]; ok {
		b, _ := json.Marshal(p)
		if _, isObj := p.(map[string]any); !isObj {
			return "Invalid value at 'message.apns.payload': not an object"
		}
		if len(b) > fcmMaxPayload {
			return fmt.Sprintf("Message is too big: the APNs payload is %d bytes (max %d)", len(b), fcmMaxPayload)
		}
	}
	if o, ok := fcmGet(a, "fcm_options"); ok {
		return fcmUnknownAny("apns.fcm_options", o)
	}
	return ""
}

func fcmValidateWebpush(msg map[string]any) string {
	v, ok := msg["webpush"]
	if !ok {
		return ""
	}
	wp, ok := v.(map[string]any)
	if !ok {
		return "Invalid value at 'message.webpush': not an object"
	}
	if bad := fcmUnknown("webpush", wp); bad != "" {
		return bad
	}
	if bad := fcmValidateHeaders("message.webpush.headers", wp["headers"]); bad != "" {
		return bad
	}
	if d, ok := wp["data"]; ok {
		if _, bad := fcmValidateData("message.webpush.data", d); bad != "" {
			return bad
		}
	}
	if o, ok := fcmGet(wp, "fcm_options"); ok {
		if bad := fcmUnknownAny("webpush.fcm_options", o); bad != "" {
			return bad
		}
		if link, _ := o.(map[string]any)["link"].(string); link != "" && !strings.HasPrefix(link, "https://") {
			return "Invalid value at 'message.webpush.fcm_options.link': the link must be an HTTPS URL"
		}
	}
	return ""
}

func fcmUnknown(obj string, m map[string]any) string {
	for k := range m {
		if !fcmKnown(obj, k) {
			return fmt.Sprintf("Invalid JSON payload received. Unknown name %q at '%s': Cannot find field.", k, obj)
		}
	}
	return ""
}

func fcmUnknownAny(obj string, v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Sprintf("Invalid value at '%s': not an object", obj)
	}
	return fcmUnknown(obj, m)
}

// fcmValidateData checks a string→string data map and returns its size
// (keys and values).
func fcmValidateData(field string, v any) (int, string) {
	m, ok := v.(map[string]any)
	if !ok {
		return 0, fmt.Sprintf("Invalid value at '%s': not a map", field)
	}
	size := 0
	for k, val := range m {
		s, ok := val.(string)
		if !ok {
			b, _ := json.Marshal(val)
			return 0, fmt.Sprintf("Invalid value at '%s[%s].value' (TYPE_STRING), %s", field, k, b)
		}
		lk := strings.ToLower(k)
		if lk == "from" || lk == "message_type" || strings.HasPrefix(lk, "google") || strings.HasPrefix(lk, "gcm") {
			return 0, "Invalid data payload key: " + k
		}
		size += len(k) + len(s)
	}
	return size, ""
}

func fcmValidateHeaders(field string, v any) string {
	if v == nil {
		return ""
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Sprintf("Invalid value at '%s': not a map", field)
	}
	for k, val := range m {
		if _, ok := val.(string); !ok {
			b, _ := json.Marshal(val)
			return fmt.Sprintf("Invalid value at '%s[%s].value' (TYPE_STRING), %s", field, k, b)
		}
	}
	return ""
}

func fcmValidateAndroid(a map[string]any) string {
	if bad := fcmUnknown("android", a); bad != "" {
		return bad
	}
	if v, ok := a["priority"]; ok {
		p, _ := v.(string)
		if u := strings.ToUpper(p); u != "NORMAL" && u != "HIGH" {
			return fmt.Sprintf("Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), %q", p)
		}
	}
	if v, ok := a["ttl"]; ok {
		s, _ := v.(string)
		if !fcmTTLPattern.MatchString(s) {
			return fmt.Sprintf("Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), %q", s)
		}
		secs, _ := strconv.ParseFloat(strings.TrimSuffix(s, "s"), 64)
		if secs > fcmMaxTTL {
			return fmt.Sprintf("Invalid value at 'message.android.ttl': %s is above the maximum of %ds (4 weeks)", s, fcmMaxTTL)
		}
	}
	if v, ok := a["notification"]; ok {
		n, ok := v.(map[string]any)
		if !ok {
			return "Invalid value at 'message.android.notification': not an object"
		}
		if bad := fcmUnknown("android.notification", n); bad != "" {
			return bad
		}
		if c, ok := n["color"]; ok {
			if s, _ := c.(string); !fcmColorPattern.MatchString(s) {
				return fmt.Sprintf("Invalid value at 'message.android.notification.color': %v is not in the #rrggbb form", c)
			}
		}
		if c, ok := fcmGet(n, "notification_count"); ok {
			if x, isNum := c.(float64); !isNum || x != float64(int64(x)) {
				return fmt.Sprintf("Invalid value at 'message.android.notification.notification_count' (TYPE_INT32), %v", c)
			}
		}
	}
	return ""
}

// fcmWriteError writes the Google error envelope of fault, and returns the
// status it used.
