package apns

import (
	"crypto/sha1"
	"encoding/hex"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"

	"github.com/sideshow/apns2"
)

// pushdKey is the custom payload key, a sibling of "aps", that carries
// pushd's IDs (and the message's URI and image) to the app.
const pushdKey = "pushd"

// expireNow is an Expiration that apns2 sends as "apns-expiration: 0"
// (deliver once, do not store): apns2 omits the header for the Unix epoch
// itself, and truncates this to 0 seconds.
var expireNow = time.Unix(0, 1)

// Notification builds the APNs request for one message, for the app whose
// bundle ID is topic, at time now. It does no I/O.
//
// Mapping: title/body → aps.alert; badge, sound, category → aps.*; an
// image → aps.mutable-content 1 (the app's notification service extension
// fetches it) and pushd.image; the URI → pushd.uri; the user's payload →
// top-level keys beside aps (never "aps" or "pushd"); silent → push type
// background, priority 5, aps.content-available 1 and no alert, badge,
// sound, category; priority NORMAL → 5, else 10; the collapse key →
// apns-collapse-id; ExpiresAt → apns-expiration (0 once it has passed:
// deliver now or never); the delivery ID → a deterministic apns-id.
// AndroidChannelID and Action have no APNs equivalent.
func Notification(o core.Outgoing, topic string, now time.Time) *apns2.Notification {
	m := o.Message
	n := &apns2.Notification{
		ApnsID:      apnsID(o.DeliveryID),
		CollapseID:  m.CollapseKey,
		DeviceToken: o.Token,
		Topic:       topic,
		PushType:    apns2.PushTypeAlert,
		Priority:    apns2.PriorityHigh,
	}
	if !o.ExpiresAt.IsZero() {
		if o.ExpiresAt.Sub(now) < time.Second {
			n.Expiration = expireNow
		} else {
			n.Expiration = o.ExpiresAt
		}
	}

	aps := map[string]any{}
	if m.Silent {
		n.PushType = apns2.PushTypeBackground
		n.Priority = apns2.PriorityLow // background pushes must use 5
		aps["content-available"] = 1
	} else {
		if m.Priority == "NORMAL" {
			n.Priority = apns2.PriorityLow
		}
		alert := map[string]any{}
		if m.Title != "" {
			alert["title"] = m.Title
		}
		if m.Body != "" {
			alert["body"] = m.Body
		}
		if len(alert) > 0 {
			aps["alert"] = alert
		}
		if m.Badge != nil {
			aps["badge"] = *m.Badge
		}
		if m.Sound != "" {
			aps["sound"] = m.Sound
		}
		if m.Category != "" {
			aps["category"] = m.Category
		}
		if m.ImageURL != "" {
			aps["mutable-content"] = 1
		}
	}

	ids := map[string]any{}
	if o.JobID != "" {
		ids["job"] = o.JobID.String()
	}
	if o.DeliveryID != "" {
		ids["id"] = o.DeliveryID.String()
	}
	if m.URI != "" {
		ids["uri"] = m.URI
	}
	if m.ImageURL != "" {
		ids["image"] = m.ImageURL
	}

	payload := make(map[string]any, len(m.Payload)+2)
	for k, v := range m.Payload {
		if k != "aps" && k != pushdKey {
			payload[k] = v
		}
	}
	payload["aps"] = aps
	if len(ids) > 0 {
		payload[pushdKey] = ids
	}
	n.Payload = payload
	return n
}

// idNamespace is the name-based UUID namespace of apns-id values.
var idNamespace = [16]byte{0x6b, 0x1d, 0x3f, 0x52, 0x8e, 0x0a, 0x4c, 0x7d, 0x9a, 0x31, 0x5e, 0xc2, 0x44, 0x87, 0x0f, 0xd6}

// apnsID derives the apns-id of a delivery: a version-5 UUID of its ID, so
// APNs' logs and pushd's name the same notification the same way. Empty
// for no delivery (APNs then assigns one).
func apnsID(id nodeid.ID) string {
	if id == "" {
		return ""
	}
	h := sha1.New()
	h.Write(idNamespace[:])
	h.Write([]byte(id))
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
