package vivo

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Limits of vivo's message fields. Title and content are counted in
// weight: a character outside ASCII weighs 2 (the older of vivo's two
// counting rules, which the newer one never refuses).
const (
	MaxTitleWeight   = 40
	MaxContentWeight = 100
	MaxSkipContent   = 1000
	// MaxCustom bounds clientCustomMap, as JSON characters.
	MaxCustom    = 1024
	MaxRequestID = 64
	// MinTTL and MaxTTL bound timeToLive, in seconds.
	MinTTL = 60
	MaxTTL = 86400
)

// skipType values.
const (
	skipOpenApp = 1
	skipURL     = 2
	skipCustom  = 3
	skipIntent  = 4
)

// classification values: operational (运营) and system (系统) messages.
const (
	classOperational = 0
	classSystem      = 1
)

// notifyRingAndVibrate is notifyType 4.
const notifyRingAndVibrate = 4

// categories maps pushd's classifications to vivo's categories (since
// 2023). The system ones go with classification 1, the operational ones
// with 0. A classification vivo has no category for is sent as its class
// alone: a service one is still operational, since vivo audits system
// messages by category and pushd never claims more reach than asked.
var categories = map[string]string{
	"IM": "IM", "VOIP": "IM", "ACCOUNT": "ACCOUNT", "FINANCE": "ACCOUNT", "TODO": "TODO",
	"DEVICE_REMINDER": "DEVICE_REMINDER", "ORDER": "ORDER", "EXPRESS": "ORDER", "SUBSCRIPTION": "SUBSCRIPTION",
	"NEWS": "CONTENT", "CONTENT": "CONTENT", "MARKETING": "MARKETING", "SOCIAL": "SOCIAL",
}

// systemCategories are vivo's system-message categories.
var systemCategories = map[string]bool{"IM": true, "ACCOUNT": true, "TODO": true, "DEVICE_REMINDER": true, "ORDER": true, "SUBSCRIPTION": true}

// Payload is one message of /message/send, or, without regId, the body of
// /message/saveListPayload.
type Payload struct {
	AppID           json.Number       `json:"appId"`
	RegID           string            `json:"regId,omitempty"`
	NotifyType      int               `json:"notifyType"`
	Title           string            `json:"title"`
	Content         string            `json:"content"`
	TimeToLive      int               `json:"timeToLive"`
	SkipType        int               `json:"skipType"`
	SkipContent     string            `json:"skipContent,omitempty"`
	NetworkType     int               `json:"networkType"`
	Classification  int               `json:"classification"`
	Category        string            `json:"category,omitempty"`
	ClientCustomMap map[string]string `json:"clientCustomMap,omitempty"`
	NotifyID        int               `json:"notifyId,omitempty"`
	RequestID       string            `json:"requestId"`
	PushMode        int               `json:"pushMode"`
}

// Operational reports whether vivo counts p against the per-device daily
// cap and holds it to its daytime window.
func (p Payload) Operational() bool { return p.Classification == classOperational }

// Build returns the message that sends m to vivo, or why m cannot go to
// vivo. With list, the message is for a list send: it carries the job's ID
// only (its content is shared by every device of the list) and no regId
// or requestId. It is pure: now only sets the remaining TTL.
func Build(m core.Outgoing, appID string, list bool, now time.Time) (Payload, string) {
	msg := m.Message
	if msg.Silent {
		return Payload{}, "vivo: has no data-only (silent) messages; such a push reaches vivo phones on the WebSocket channel only"
	}
	title, content := strings.TrimSpace(msg.Title), strings.TrimSpace(msg.Body)
	if title == "" && content == "" {
		return Payload{}, "vivo: a notification needs a title or a body"
	}
	p := Payload{
		AppID: json.Number(appID), NotifyType: notifyRingAndVibrate,
		// Both are required: the one given stands in for the other.
		Title: cut(cmp.Or(title, content), MaxTitleWeight), Content: cut(cmp.Or(content, title), MaxContentWeight),
		TimeToLive: timeToLive(m.ExpiresAt, now), NetworkType: -1, Classification: classOperational,
	}
	if c := categories[msg.Classification]; c != "" {
		p.Category = c
		if systemCategories[c] {
			p.Classification = classSystem
		}
	}
	if reason := setSkip(&p, msg.URI, msg.Action); reason != "" {
		return Payload{}, reason
	}
	payload, reason := customMap(m)
	if reason != "" {
		return Payload{}, reason
	}
	if p.ClientCustomMap, reason = withIDs(payload, m, false); reason != "" {
		return Payload{}, reason
	}
	if msg.CollapseKey != "" {
		p.NotifyID = channel.NotifyID(msg.CollapseKey)
	}
	if !list {
		return Single(p, m)
	}
	return p, ""
}

// Single turns p, the content Build made for a list, into the single send
// of m: its regId, and its delivery ID as requestId and beside the job's.
func Single(p Payload, m core.Outgoing) (Payload, string) {
	custom, reason := withIDs(p.ClientCustomMap, m, true)
	if reason != "" {
		return Payload{}, reason
	}
	p.ClientCustomMap, p.RegID, p.RequestID = custom, m.Token, string(m.DeliveryID)
	return p, ""
}

// setSkip maps the message's uri (http or https: a web page; another
// scheme: an intent URI) or action (handled by the app) to vivo's click
// action; neither opens the app.
func setSkip(p *Payload, uri, action string) string {
	switch {
	case uri != "":
		u, err := url.Parse(uri)
		if err != nil || u.Scheme == "" {
			return "vivo: uri is not an absolute URL"
		}
		if len(uri) > MaxSkipContent {
			return fmt.Sprintf("vivo: uri is longer than %d characters", MaxSkipContent)
		}
		p.SkipType, p.SkipContent = skipIntent, uri
		if u.Scheme == "https" || u.Scheme == "http" {
			p.SkipType = skipURL
		}
	case action != "":
		if len(action) > MaxSkipContent {
			return fmt.Sprintf("vivo: action is longer than %d characters", MaxSkipContent)
		}
		p.SkipType, p.SkipContent = skipCustom, action
	default:
		p.SkipType = skipOpenApp
	}
	return ""
}

// customMap is the payload's keys as clientCustomMap takes them (values
// that are not strings as JSON).
func customMap(m core.Outgoing) (map[string]string, string) {
	out := make(map[string]string, len(m.Message.Payload)+1)
	for k, v := range m.Message.Payload {
		if s, ok := v.(string); ok {
			out[k] = s
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Sprintf("vivo: the payload's %q cannot be encoded: %v", k, err)
		}
		out[k] = string(b)
	}
	return out, ""
}

// withIDs is custom, copied, with pushd's IDs under "pushd": the job's, and
// with delivery the delivery's; or why that is over vivo's limit.
func withIDs(custom map[string]string, m core.Outgoing, delivery bool) (map[string]string, string) {
	out := maps.Clone(custom)
	if out == nil {
		out = map[string]string{}
	}
	ids := map[string]string{"job": string(m.JobID)}
	if delivery {
		ids["id"] = string(m.DeliveryID)
	}
	b, _ := json.Marshal(ids)
	out["pushd"] = string(b)
	all, _ := json.Marshal(out)
	if utf8.RuneCount(all) > MaxCustom {
		return nil, fmt.Sprintf("vivo: the payload is over %d characters as JSON (clientCustomMap)", MaxCustom)
	}
	return out, ""
}

// timeToLive is the time left, in whole seconds, within vivo's bounds.
func timeToLive(expires, now time.Time) int {
	if expires.IsZero() {
		return MaxTTL
	}
	return min(max(int(expires.Sub(now)/time.Second), MinTTL), MaxTTL)
}

// Weight is a text's length as vivo counts it (see MaxTitleWeight).
func Weight(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= utf8.RuneSelf {
			n++
		}
	}
	return n
}

// cut shortens s to a weight of at most n, ending with … when cut.
func cut(s string, n int) string {
	if Weight(s) <= n {
		return s
	}
	w := Weight("…")
	var b strings.Builder
	for _, r := range s {
		rw := Weight(string(r))
		if w+rw > n {
			break
		}
		w += rw
		b.WriteRune(r)
	}
	return b.String() + "…"
}

// daytime is vivo's window for operational messages, in Beijing time:
// 07:00 to 23:00.
const (
	daytimeStart = 7
	daytimeEnd   = 23
)

// UntilDaytime is how long an operational message sent at now waits for
// vivo's window: zero inside it.
func UntilDaytime(now time.Time) time.Duration {
	beijing := time.FixedZone("CST", 8*60*60)
	t := now.In(beijing)
	if h := t.Hour(); h >= daytimeStart && h < daytimeEnd {
		return 0
	}
	y, mo, d := t.Date()
	start := time.Date(y, mo, d, daytimeStart, 0, 0, 0, beijing)
	if t.Hour() >= daytimeEnd {
		start = start.AddDate(0, 0, 1)
	}
	return start.Sub(now)
}
