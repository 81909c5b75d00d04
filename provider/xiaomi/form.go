package xiaomi

import (
	"crypto/sha256"
	"encoding/json"
	"hash/fnv"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
)

// Limits of the MiPush send API.
const (
	// MaxRegIDs is how many regids one request may carry.
	MaxRegIDs = 1000
	// MaxTitle and MaxDescription are the longest title and description
	// Xiaomi accepts ("< 50" and "< 128" characters), counted in UTF-16
	// code units as Xiaomi's Java servers count them.
	MaxTitle       = 49
	MaxDescription = 127
	// MaxCallbackParam is the longest extra.callback.param, in bytes.
	MaxCallbackParam = 64
	// CallbackType asks for receipts of delivery (1), click (2) and
	// invalid target (16).
	CallbackType = 1 | 2 | 16
)

// notify_type values: DEFAULT_ALL, or an OR of sound, vibrate and lights.
const (
	notifyDefaultAll = -1
	notifySilentOnly = 2 | 4 // vibrate and lights, no sound
)

// Callback is where Xiaomi posts the receipts of a message, and the tag
// each receipt carries back.
type Callback struct {
	// URL is extra.callback; empty asks for no receipts.
	URL string
	// Param turns a job ID into extra.callback.param (at most 64 bytes),
	// which receipts carry back; nil sends the job ID itself.
	Param func(job string) string
}

// Form builds the form of one /v3/message/regid request that sends the
// message of msgs[0] to the regids of all msgs. The messages must share
// the job, the message and the expiry (Send groups them so); duplicate
// regids are sent once. It is pure: now only sets the remaining TTL.
//
// The user's payload goes, as JSON with pushd's IDs under "pushd", into
// the payload field only: it is not copied into extra.<key> fields, which
// Xiaomi limits in number and length and which the app reads the same way
// as the payload (MiPushMessage.getPayload / getExtra).
func Form(msgs []core.Outgoing, pkg string, cb Callback, now time.Time) url.Values {
	v := url.Values{}
	if len(msgs) == 0 {
		return v
	}
	first := msgs[0]
	m := first.Message
	v.Set("registration_id", strings.Join(regIDs(msgs), ","))
	v.Set("restricted_package_name", pkg)
	var id nodeid.ID
	if len(msgs) == 1 {
		id = first.DeliveryID
	}
	p, _ := payloadJSON(m.Payload, first.JobID, id)
	v.Set("payload", p)
	if ttl := first.ExpiresAt.Sub(now).Milliseconds(); ttl > 0 {
		v.Set("time_to_live", strconv.FormatInt(ttl, 10))
	} else {
		// No time left: deliver only if the device is online now. A zero
		// time_to_live would read as "unset", which is days of caching.
		v.Set("extra.only_send_once", "1")
	}
	if first.JobID != "" {
		v.Set("extra.jobkey", JobKey(string(first.JobID)))
	}
	if cb.URL != "" {
		param := string(first.JobID)
		if cb.Param != nil {
			param = cb.Param(string(first.JobID))
		}
		v.Set("extra.callback", cb.URL)
		v.Set("extra.callback.param", param)
		v.Set("extra.callback.type", strconv.Itoa(CallbackType))
	}
	if m.Silent {
		v.Set("pass_through", "1")
		return v
	}
	v.Set("pass_through", "0")
	title, desc := texts(m)
	v.Set("title", title)
	v.Set("description", desc)
	switch snd := strings.TrimSpace(m.Sound); snd {
	case "", "default":
		v.Set("notify_type", strconv.Itoa(notifyDefaultAll))
	case "none":
		v.Set("notify_type", strconv.Itoa(notifySilentOnly))
	default:
		v.Set("notify_type", strconv.Itoa(notifyDefaultAll))
		v.Set("extra.sound_uri", "android.resource://"+pkg+"/raw/"+soundName(snd))
	}
	// Xiaomi shows one notification per notify_id: without one, each new
	// message would replace the last, so the job stands in for a missing
	// collapse key.
	key := m.CollapseKey
	if key == "" {
		key = string(first.JobID)
	}
	v.Set("notify_id", strconv.Itoa(NotifyID(key)))
	if m.AndroidChannelID != "" {
		v.Set("extra.channel_id", m.AndroidChannelID)
	}
	switch u := strings.TrimSpace(m.URI); {
	case u == "" || m.Action == "OPEN_APP":
		v.Set("extra.notify_effect", "1")
	case isWebURI(u):
		v.Set("extra.notify_effect", "3")
		v.Set("extra.web_uri", u)
	default:
		v.Set("extra.notify_effect", "2")
		v.Set("extra.intent_uri", u)
	}
	return v
}

// regIDs returns the distinct tokens of msgs, in order.
func regIDs(msgs []core.Outgoing) []string {
	out := make([]string, 0, len(msgs))
	seen := make(map[string]struct{}, len(msgs))
	for _, m := range msgs {
		if _, ok := seen[m.Token]; ok {
			continue
		}
		seen[m.Token] = struct{}{}
		out = append(out, m.Token)
	}
	return out
}

// payloadJSON is the user's payload with pushd's IDs under "pushd" (the
// delivery ID only when the request carries one delivery).
func payloadJSON(user map[string]any, job, delivery nodeid.ID) (string, error) {
	p := make(map[string]any, len(user)+1)
	for k, v := range user {
		p[k] = v
	}
	ids := map[string]string{"job": string(job)}
	if delivery != "" {
		ids["id"] = string(delivery)
	}
	p["pushd"] = ids
	b, err := json.Marshal(p)
	if err != nil {
		b, _ = json.Marshal(map[string]any{"pushd": ids})
	}
	return string(b), err
}

// texts returns the title and description of a notification: Xiaomi needs
// both, non-blank, so one stands in for the other, cut to Xiaomi's limits.
func texts(m jsontype.Message) (string, string) {
	title, desc := strings.TrimSpace(m.Title), strings.TrimSpace(m.Body)
	if title == "" {
		title = desc
	}
	if desc == "" {
		desc = title
	}
	return cut(title, MaxTitle), cut(desc, MaxDescription)
}

// cut shortens s to at most max UTF-16 code units, ending it with "…"
// when it had to be cut.
func cut(s string, max int) string {
	if utf16Len(s) <= max {
		return s
	}
	n := 0
	var b strings.Builder
	for _, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if n+w > max-1 {
			break
		}
		n += w
		b.WriteRune(r)
	}
	return strings.TrimRightFunc(b.String(), unicode.IsSpace) + "…"
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if w := utf16.RuneLen(r); w > 0 {
			n += w
		} else {
			n++
		}
	}
	return n
}

// soundName is a sound file's resource name: its base name without the
// extension ("chime.mp3" → "chime").
func soundName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, '.'); i > 0 {
		s = s[:i]
	}
	return s
}

func isWebURI(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// NotifyID is the stable notify_id of a collapse key: a non-negative
// int32, so notifications with the same key replace each other.
func NotifyID(key string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() & 0x7fffffff)
}

// JobKey is the extra.jobkey of a job: Xiaomi wants at most 8 (older
// documents) or 20 characters of [0-9a-zA-Z_-], so a job ID (30 characters)
// goes as 8 base-62 characters of its SHA-256. The device shows only the
// first message of a jobkey, which keeps a retried send from showing twice.
func JobKey(job string) string {
	sum := sha256.Sum256([]byte(job))
	s := new(big.Int).SetBytes(sum[:8]).Text(62)
	for len(s) < 8 {
		s = "0" + s
	}
	return s[:8]
}
