package harmony

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Limits of a v3 send request.
const (
	// MaxTokens is how many tokens one request carries; MaxTestTokens
	// one test message.
	MaxTokens     = 1000
	MaxTestTokens = 10
	// MaxBody bounds the body without its tokens, in bytes (80300008).
	MaxBody = 4096
	// MaxTTL is how long Push Kit keeps a message for an offline device.
	MaxTTL = 15 * 24 * time.Hour
	// maxBiTag and maxAppMessageID bound those fields, in bytes.
	maxBiTag        = 64
	maxAppMessageID = 64
)

// push-type values pushd sends (the header Push Kit routes by).
const (
	PushAlert      = 0  // a notification
	PushExtension  = 2  // a notification the app's extension handles (voice broadcast)
	PushBackground = 6  // data to the app, no notification
	PushVoIP       = 10 // an incoming call
)

// categories maps pushd's classifications to Push Kit's v3 categories.
// Every category but MARKETING needs the app's self-classification right;
// Push Kit treats one the app lacks as MARKETING. A classification with no
// v3 category (SERVICE, TODO, SYSTEM_REMINDER and the marketing ones) goes
// as MARKETING, the one category needing no right: never more reach than
// the app asked for.
var categories = map[string]string{
	"IM": "IM", "VOIP": "VOIP", "SUBSCRIPTION": "SUBSCRIPTION", "TRAVEL": "TRAVEL", "HEALTH": "HEALTH",
	"WORK": "WORK", "ACCOUNT": "ACCOUNT", "EXPRESS": "EXPRESS", "ORDER": "EXPRESS", "FINANCE": "FINANCE",
	"DEVICE_REMINDER": "DEVICE_REMINDER", "MAIL": "MAIL", "PLAY_VOICE": "PLAY_VOICE",
}

// Category is the v3 category of a message of classification c.
func Category(c string) string {
	if v, ok := categories[c]; ok {
		return v
	}
	return "MARKETING"
}

// Request is the body of one v3 messages:send.
type Request struct {
	Payload     Payload     `json:"payload"`
	Target      Target      `json:"target"`
	PushOptions PushOptions `json:"pushOptions"`
}

// Payload is a notification (push-type 0 and 2) or data (6 and 10).
type Payload struct {
	Notification *Notification `json:"notification,omitempty"`
	ExtraData    string        `json:"extraData,omitempty"`
}

// Notification is payload.notification.
type Notification struct {
	Category     string      `json:"category"`
	Title        string      `json:"title"`
	Body         string      `json:"body"`
	Image        string      `json:"image,omitempty"`
	NotifyID     *int        `json:"notifyId,omitempty"`
	AppMessageID string      `json:"appMessageId,omitempty"`
	ClickAction  ClickAction `json:"clickAction"`
	Badge        *Badge      `json:"badge,omitempty"`
}

// ClickAction is what a tap opens: 0 the app's home page, 1 a page named
// by action or uri; data goes to the page.
type ClickAction struct {
	ActionType int            `json:"actionType"`
	Action     string         `json:"action,omitempty"`
	URI        string         `json:"uri,omitempty"`
	Data       map[string]any `json:"data,omitempty"`
}

// Badge sets the app icon's number.
type Badge struct {
	SetNum int `json:"setNum"`
}

// Target is the request's tokens.
type Target struct {
	Token []string `json:"token"`
}

// PushOptions are the request's options.
type PushOptions struct {
	TTL         int    `json:"ttl"`
	BiTag       string `json:"biTag,omitempty"`
	TestMessage bool   `json:"testMessage,omitempty"`
}

// maxTokens is how many tokens a request of m carries.
func maxTokens(m core.Outgoing) int {
	if m.Test {
		return MaxTestTokens
	}
	return MaxTokens
}

// PushType is the push-type of message m: a silent message is background
// data (an incoming call when it is classified VOIP), a PLAY_VOICE one a
// voice broadcast, any other an alert.
func PushType(m core.Outgoing) int {
	switch {
	case m.Message.Silent && m.Message.Classification == "VOIP":
		return PushVoIP
	case m.Message.Silent:
		return PushBackground
	case m.Message.Classification == "PLAY_VOICE":
		return PushExtension
	}
	return PushAlert
}

// Build returns the request that sends msgs, which share their content
// and expiry (the message of the first goes to the tokens of all), with
// its push-type, or why they cannot go to Push Kit. It is pure: now only
// sets the remaining TTL.
//
// pushd's IDs ({"pushd": {"job", "id"}}, the delivery ID when the request
// carries one message) and the payload travel in clickAction.data of a
// notification and as extraData (JSON text) of data. appMessageId, Push
// Kit's de-duplication key (24 hours, across channels), is the job ID:
// each device gets a job's message once, however often it is resent.
func Build(msgs []core.Outgoing, now time.Time) (Request, int, string) {
	if len(msgs) == 0 {
		return Request{}, 0, fmt.Sprintf("HarmonyOS: a request carries 1 to %d tokens", MaxTokens)
	}
	first := msgs[0]
	if limit := maxTokens(first); len(msgs) > limit {
		return Request{}, 0, fmt.Sprintf("HarmonyOS: a request carries 1 to %d tokens", limit)
	}
	q := Request{Target: Target{Token: make([]string, len(msgs))}, PushOptions: PushOptions{
		TTL: int(ttl(first.ExpiresAt, now) / time.Second), BiTag: cutBytes(string(first.JobID), maxBiTag),
		TestMessage: first.Test,
	}}
	for i, m := range msgs {
		q.Target.Token[i] = m.Token
	}
	data := make(map[string]any, len(first.Message.Payload)+1)
	maps.Copy(data, first.Message.Payload)
	ids := map[string]string{"job": string(first.JobID)}
	if len(msgs) == 1 {
		ids["id"] = string(first.DeliveryID)
	}
	data["pushd"] = ids
	kind := PushType(first)
	if kind == PushBackground || kind == PushVoIP {
		text, err := encode(data)
		if err != nil {
			return Request{}, 0, err.Error()
		}
		q.Payload.ExtraData = text
	} else {
		n, why := notification(first, data)
		if why != "" {
			return Request{}, 0, why
		}
		q.Payload.Notification = &n
	}
	if size, err := bodySize(q); err != nil || size > MaxBody {
		return Request{}, 0, fmt.Sprintf("HarmonyOS: the message is over %d bytes as JSON", MaxBody)
	}
	return q, kind, ""
}

// notification is the notification of m, with data for the page a tap
// opens.
func notification(m core.Outgoing, data map[string]any) (Notification, string) {
	msg := m.Message
	title, body := strings.TrimSpace(msg.Title), strings.TrimSpace(msg.Body)
	if title == "" || body == "" {
		// Both are required; the one given stands in for the other.
		if title == "" && body == "" {
			return Notification{}, "HarmonyOS: a notification needs a title or a body"
		}
		title, body = title+body, body+title
	}
	if msg.ImageURL != "" && !strings.HasPrefix(msg.ImageURL, "https://") {
		return Notification{}, "HarmonyOS: imageURL must be an https URL"
	}
	n := Notification{Category: Category(msg.Classification), Title: title, Body: body, Image: msg.ImageURL,
		AppMessageID: appMessageID(string(m.JobID)), ClickAction: ClickAction{Data: data}}
	switch {
	case msg.URI != "":
		if u, err := url.Parse(msg.URI); err != nil || u.Scheme == "" {
			return Notification{}, "HarmonyOS: uri is not an absolute URL"
		}
		n.ClickAction.ActionType, n.ClickAction.URI = 1, msg.URI
	case msg.Action != "" && msg.Action != "OPEN_APP":
		n.ClickAction.ActionType, n.ClickAction.Action = 1, msg.Action
	}
	if msg.CollapseKey != "" {
		id := channel.NotifyID(msg.CollapseKey)
		n.NotifyID = &id
	}
	if msg.Badge != nil {
		n.Badge = &Badge{SetNum: min(max(*msg.Badge, 0), 99)}
	}
	return n, ""
}

// appMessageID keeps the characters Push Kit allows of id (letters,
// digits, '_' and '-'), at most 64.
func appMessageID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r < utf8.RuneSelf && (r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	return cutBytes(b.String(), maxAppMessageID)
}

// bodySize is the size of q's JSON without its tokens, as Push Kit counts.
func bodySize(q Request) (int, error) {
	q.Target.Token = nil
	b, err := json.Marshal(q)
	return len(b), err
}

// encode is JSON text without HTML escaping.
func encode(v any) (string, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return "", errors.New("HarmonyOS: the payload cannot be encoded: " + err.Error())
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// ttl is the remaining time to live in whole seconds: at least one, at
// most MaxTTL.
func ttl(expires, now time.Time) time.Duration {
	if expires.IsZero() {
		return MaxTTL
	}
	return min(max(expires.Sub(now), time.Second), MaxTTL).Truncate(time.Second)
}

// cutBytes shortens s to at most n bytes, on a character boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
