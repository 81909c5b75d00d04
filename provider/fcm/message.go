package fcm

import (
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/push/core"

	"firebase.google.com/go/v4/messaging"
)

// maxTTL is the longest android.ttl FCM accepts (4 weeks).
const maxTTL = 2419200 * time.Second

// Message builds the FCM message for one outgoing push. It is pure: the
// remaining TTL is computed from now.
//
// Every message carries data (the user's payload, non-string values
// JSON-encoded; "pushd" = {"job","id"}; "uri" when the push opens one) and,
// unless it is silent (data-only), a notification. The platform block
// follows the device: android (ANDROID, HARMONY and unknown platforms),
// apns (IOS devices registered through FCM) or webpush (WEB).
func Message(o core.Outgoing, now time.Time) *messaging.Message {
	m := o.Message
	ttl := remaining(o.ExpiresAt, now)
	normal := m.Priority == "NORMAL"
	image := validURL(m.ImageURL)

	msg := &messaging.Message{Token: o.Token, Data: data(o)}
	if !m.Silent && (m.Title != "" || m.Body != "" || image != "") {
		msg.Notification = &messaging.Notification{Title: m.Title, Body: m.Body, ImageURL: image}
	}

	switch o.Platform {
	case enum.PlatformIOS:
		msg.APNS = apnsConfig(o, now, normal, image)
	case enum.PlatformWeb:
		msg.Webpush = webpushConfig(o, ttl, normal, image)
	default: // ANDROID, HARMONY, and anything unknown
		msg.Android = androidConfig(o, ttl, normal)
	}
	return msg
}

// data is the message's data map: the user's payload, pushd's IDs and the
// URI to open.
func data(o core.Outgoing) map[string]string {
	d := make(map[string]string, len(o.Message.Payload)+2)
	for k, v := range o.Message.Payload {
		if s, ok := v.(string); ok {
			d[k] = s
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			continue // not JSON-encodable: cannot travel as data
		}
		d[k] = string(b)
	}
	ids, _ := json.Marshal(struct {
		Job string `json:"job,omitempty"`
		ID  string `json:"id,omitempty"`
	}{string(o.JobID), string(o.DeliveryID)})
	d["pushd"] = string(ids)
	if o.Message.URI != "" {
		d["uri"] = o.Message.URI
	}
	return d
}

func androidConfig(o core.Outgoing, ttl *time.Duration, normal bool) *messaging.AndroidConfig {
	m := o.Message
	a := &messaging.AndroidConfig{Priority: "high", TTL: ttl, CollapseKey: m.CollapseKey}
	if normal {
		a.Priority = "normal"
	}
	if !m.Silent && (m.AndroidChannelID != "" || m.Sound != "" || m.Badge != nil || m.CollapseKey != "") {
		a.Notification = &messaging.AndroidNotification{
			ChannelID:         m.AndroidChannelID,
			Sound:             m.Sound,
			NotificationCount: m.Badge,
			Tag:               m.CollapseKey,
		}
	}
	return a
}

func apnsConfig(o core.Outgoing, now time.Time, normal bool, image string) *messaging.APNSConfig {
	m := o.Message
	h := map[string]string{"apns-priority": "10", "apns-push-type": "alert"}
	if normal || m.Silent {
		h["apns-priority"] = "5"
	}
	if m.Silent {
		h["apns-push-type"] = "background"
	}
	if !o.ExpiresAt.IsZero() {
		exp := "0" // already over: try once, do not store
		if o.ExpiresAt.After(now) {
			exp = strconv.FormatInt(o.ExpiresAt.Unix(), 10)
		}
		h["apns-expiration"] = exp
	}
	if m.CollapseKey != "" {
		h["apns-collapse-id"] = m.CollapseKey
	}
	aps := &messaging.Aps{}
	if m.Silent {
		aps.ContentAvailable = true
	} else {
		aps.Badge = m.Badge
		aps.Sound = m.Sound
		aps.Category = m.Category
		aps.MutableContent = image != ""
	}
	c := &messaging.APNSConfig{Headers: h, Payload: &messaging.APNSPayload{Aps: aps}}
	if image != "" && !m.Silent {
		c.FCMOptions = &messaging.APNSFCMOptions{ImageURL: image}
	}
	return c
}

func webpushConfig(o core.Outgoing, ttl *time.Duration, normal bool, image string) *messaging.WebpushConfig {
	m := o.Message
	w := &messaging.WebpushConfig{Headers: map[string]string{"Urgency": "high"}}
	if normal {
		w.Headers["Urgency"] = "normal"
	}
	if ttl != nil {
		w.Headers["TTL"] = strconv.FormatInt(int64(*ttl/time.Second), 10)
	}
	if !m.Silent && (m.Title != "" || m.Body != "" || image != "") {
		w.Notification = &messaging.WebpushNotification{Title: m.Title, Body: m.Body, Image: image, Tag: m.CollapseKey}
	}
	if link := httpsURL(m.URI); link != "" {
		w.FCMOptions = &messaging.WebpushFCMOptions{Link: link}
	}
	return w
}

// remaining is the TTL left at now, in whole seconds, never negative and
// at most FCM's maximum; nil when the message has no expiry.
func remaining(expiresAt, now time.Time) *time.Duration {
	if expiresAt.IsZero() {
		return nil
	}
	d := min(max(expiresAt.Sub(now), 0), maxTTL).Truncate(time.Second)
	return &d
}

// validURL returns u if the SDK accepts it as an image URL, else "" (the
// SDK refuses a whole batch for one bad URL).
func validURL(u string) string {
	if u == "" {
		return ""
	}
	if _, err := url.ParseRequestURI(u); err != nil {
		return ""
	}
	return u
}

// httpsURL returns u if it is an HTTPS URL (all FCM takes as a web link).
func httpsURL(u string) string {
	p, err := url.ParseRequestURI(u)
	if err != nil || p.Scheme != "https" {
		return ""
	}
	return u
}
