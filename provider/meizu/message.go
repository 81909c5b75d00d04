package meizu

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Limits of Meizu's messages (characters, except where noted).
const (
	// MaxTargets is how many pushIds one call takes.
	MaxTargets = 100
	MaxTitle   = 32
	MaxContent = 100
	// MaxData bounds pushd's parameters JSON and a pass-through message's
	// content, in bytes (Meizu's limit for pass-through content).
	MaxData = 2000
	// MaxValidHours is how long Meizu keeps a message for an offline
	// phone (validTime, in hours, 1 to 72).
	MaxValidHours = 72
	// MaxCallback and MaxCallbackParam bound extra.callback and
	// extra.callback.param, in bytes.
	MaxCallback      = 128
	MaxCallbackParam = 64
)

// noticeMsgType values: public (content and marketing, Meizu's default,
// capped per device and day) and private (service and communication).
const (
	MsgPublic  = 0
	MsgPrivate = 1
)

// clickType values.
const (
	clickApp      = 0
	clickActivity = 1
	clickURI      = 2
)

// Message is a notification's messageJson, with the switches as JSON
// booleans and the extra values as strings, as Meizu's SDK sends them.
type Message struct {
	NoticeBarInfo NoticeBarInfo     `json:"noticeBarInfo"`
	ClickTypeInfo ClickTypeInfo     `json:"clickTypeInfo"`
	PushTimeInfo  PushTimeInfo      `json:"pushTimeInfo"`
	AdvanceInfo   AdvanceInfo       `json:"advanceInfo"`
	Extra         map[string]string `json:"extra"`
}

// NoticeBarInfo is the notification's class and text.
type NoticeBarInfo struct {
	NoticeMsgType int    `json:"noticeMsgType"`
	NoticeBarType int    `json:"noticeBarType"`
	Title         string `json:"title"`
	Content       string `json:"content"`
}

// ClickTypeInfo is what a tap opens; parameters go to the app.
type ClickTypeInfo struct {
	ClickType  int               `json:"clickType"`
	URL        string            `json:"url,omitempty"`
	Activity   string            `json:"activity,omitempty"`
	Parameters map[string]string `json:"parameters,omitempty"`
}

// PushTimeInfo keeps the message for offline phones for ValidTime hours.
type PushTimeInfo struct {
	OffLine   bool `json:"offLine"`
	ValidTime int  `json:"validTime"`
}

// AdvanceInfo holds the display switches and the fold key.
type AdvanceInfo struct {
	Suspend          bool             `json:"suspend"`
	ClearNoticeBar   bool             `json:"clearNoticeBar"`
	NotificationType NotificationType `json:"notificationType"`
	NotifyKey        string           `json:"notifyKey,omitempty"`
}

// NotificationType says how the phone alerts.
type NotificationType struct {
	Vibrate bool `json:"vibrate"`
	Lights  bool `json:"lights"`
	Sound   bool `json:"sound"`
}

// PassThrough is a pass-through (silent) message's messageJson.
type PassThrough struct {
	Title        string       `json:"title"`
	Content      string       `json:"content"`
	PushTimeInfo PushTimeInfo `json:"pushTimeInfo"`
}

// Callback is where Meizu posts the receipts of a message and the tag each
// carries back.
type Callback struct {
	// URL is extra.callback; empty asks for no receipts.
	URL string
	// Param turns a job ID into callback.param; nil sends the job ID.
	Param func(job string) string
}

// MsgType is the noticeMsgType of a message of classification c: private
// for a service class, public for anything else, including none (never
// more reach than the app asked for).
func MsgType(c string) int {
	if class, _ := core.ClassOf(c); class == core.ClassService {
		return MsgPrivate
	}
	return MsgPublic
}

// Build returns the messageJson that sends msgs, which share their content
// and expiry (the message of the first goes to the pushIds of all), and
// whether it is a pass-through message, or why they cannot go to Meizu. It
// is pure: now only sets the remaining validity.
//
// pushd's IDs ({"job", "id"} as JSON text under "pushd", the delivery ID
// when the call carries one message) and the payload travel in
// clickTypeInfo.parameters; a silent message is a pass-through one whose
// content is that JSON.
func Build(msgs []core.Outgoing, cb Callback, now time.Time) (body []byte, passThrough bool, why string) {
	if len(msgs) == 0 || len(msgs) > MaxTargets {
		return nil, false, fmt.Sprintf("Meizu: a call carries 1 to %d pushIds", MaxTargets)
	}
	first := msgs[0]
	params, why := parameters(msgs)
	if why != "" {
		return nil, false, why
	}
	valid := PushTimeInfo{OffLine: true, ValidTime: validHours(first.ExpiresAt, now)}
	if first.Message.Silent {
		data, _ := encode(params)
		body, err := encode(PassThrough{Title: first.Message.Title, Content: string(data), PushTimeInfo: valid})
		return body, true, errWords(err)
	}
	m, why := notification(first, params, cb)
	if why != "" {
		return nil, false, why
	}
	m.PushTimeInfo = valid
	body, err := encode(m)
	return body, false, errWords(err)
}

// notification is the messageJson of m without its validity.
func notification(m core.Outgoing, params map[string]string, cb Callback) (Message, string) {
	msg := m.Message
	title, content := strings.TrimSpace(msg.Title), strings.TrimSpace(msg.Body)
	if title == "" && content == "" {
		return Message{}, "Meizu: a notification needs a title or a body"
	}
	out := Message{
		// Both are required: the one given stands in for the other.
		NoticeBarInfo: NoticeBarInfo{NoticeMsgType: MsgType(msg.Classification),
			Title: channel.Cut(cmp.Or(title, content), MaxTitle), Content: channel.Cut(cmp.Or(content, title), MaxContent)},
		ClickTypeInfo: ClickTypeInfo{ClickType: clickApp, Parameters: params},
		AdvanceInfo:   AdvanceInfo{Suspend: true, ClearNoticeBar: true, NotificationType: NotificationType{true, true, true}},
		Extra:         map[string]string{},
	}
	switch {
	case msg.URI != "":
		if u, err := url.Parse(msg.URI); err != nil || u.Scheme == "" {
			return Message{}, "Meizu: uri is not an absolute URL"
		}
		out.ClickTypeInfo.ClickType, out.ClickTypeInfo.URL = clickURI, msg.URI
	case msg.Action != "" && msg.Action != "OPEN_APP":
		out.ClickTypeInfo.ClickType, out.ClickTypeInfo.Activity = clickActivity, msg.Action
	}
	if msg.CollapseKey != "" {
		out.AdvanceInfo.NotifyKey = notifyKey(msg.CollapseKey)
	}
	if cb.URL != "" && len(cb.URL) <= MaxCallback {
		param := string(m.JobID)
		if cb.Param != nil {
			param = cb.Param(param)
		}
		if len(param) <= MaxCallbackParam {
			out.Extra = map[string]string{"callback": cb.URL, "callback.param": param, "callback.type": "3"}
		}
	}
	return out, ""
}

// parameters are the payload (strings as they are, other values as JSON
// text) and pushd's IDs.
func parameters(msgs []core.Outgoing) (map[string]string, string) {
	first := msgs[0]
	p := make(map[string]string, len(first.Message.Payload)+1)
	for k, v := range maps.All(first.Message.Payload) {
		if s, ok := v.(string); ok {
			p[k] = s
			continue
		}
		b, err := encode(v)
		if err != nil {
			return nil, "Meizu: the payload cannot be encoded: " + err.Error()
		}
		p[k] = string(b)
	}
	ids := map[string]string{"job": string(first.JobID)}
	if len(msgs) == 1 {
		ids["id"] = string(first.DeliveryID)
	}
	b, _ := encode(ids)
	p["pushd"] = string(b)
	if all, _ := encode(p); len(all) > MaxData {
		return nil, fmt.Sprintf("Meizu: the payload is over %d bytes as JSON", MaxData)
	}
	return p, ""
}

// validHours is the remaining time in whole hours, 1 to MaxValidHours
// (rounded up: a message is kept a little long rather than dropped early).
func validHours(expires, now time.Time) int {
	if expires.IsZero() {
		return MaxValidHours
	}
	h := int((expires.Sub(now) + time.Hour - 1) / time.Hour)
	return min(max(h, 1), MaxValidHours)
}

// notifyKey turns a collapse key into Meizu's notifyKey: at most 8
// characters of [0-9a-zA-Z_-], the key itself when it is one, else a hash.
func notifyKey(key string) string {
	if len(key) <= 8 && strings.Trim(key, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-") == "" {
		return key
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// encode is JSON without HTML escaping.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func errWords(err error) string {
	if err != nil {
		return "Meizu: the message cannot be encoded: " + err.Error()
	}
	return ""
}
