package huawei

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/pushd/pushd/push/core"
)

// MaxTTL is the longest time Huawei keeps a message for an offline device
// (15 days); a longer remaining TTL is sent as this.
const MaxTTL = 15 * 24 * time.Hour

// Wire format of a v1 send request (the fields pushd uses).
type sendRequest struct {
	ValidateOnly bool        `json:"validate_only"`
	Message      sendMessage `json:"message"`
}

type sendMessage struct {
	Token   []string      `json:"token"`
	Data    string        `json:"data,omitempty"`
	Android androidConfig `json:"android"`
}

type androidConfig struct {
	// CollapseKey -1 keeps every offline message (0 would keep only the
	// newest of the app, 1..100 the newest of a group).
	CollapseKey  int                  `json:"collapse_key"`
	Urgency      string               `json:"urgency"`
	Category     string               `json:"category,omitempty"`
	TTL          string               `json:"ttl,omitempty"`
	BiTag        string               `json:"bi_tag,omitempty"`
	Notification *androidNotification `json:"notification,omitempty"`
}

type androidNotification struct {
	Title        string      `json:"title,omitempty"`
	Body         string      `json:"body,omitempty"`
	Image        string      `json:"image,omitempty"`
	Sound        string      `json:"sound,omitempty"`
	DefaultSound bool        `json:"default_sound,omitempty"`
	ChannelID    string      `json:"channel_id,omitempty"`
	Tag          string      `json:"tag,omitempty"`
	ClickAction  clickAction `json:"click_action"`
	Badge        *badge      `json:"badge,omitempty"`
	Importance   string      `json:"importance,omitempty"`
}

// Click action types.
const (
	clickIntent = 1 // open the app with an intent (an app URI)
	clickURL    = 2 // open a web page (https)
	clickApp    = 3 // open the app
)

type clickAction struct {
	Type   int    `json:"type"`
	Intent string `json:"intent,omitempty"`
	URL    string `json:"url,omitempty"`
}

type badge struct {
	SetNum int `json:"set_num"`
}

// Request builds the body of one send request for msgs, which share one
// request body (the same job, message and expiry): the message of the
// first, to the tokens of all. now is when it is sent (for the remaining
// TTL).
//
// The user's payload and pushd's IDs travel in message.data as JSON text:
// "pushd" is {"job": JobID}, plus "id": DeliveryID when the request
// carries one message. A silent message is data-only (Huawei's
// "transparent" message); any other is a notification.
func Request(msgs []core.Outgoing, now time.Time) ([]byte, error) {
	if len(msgs) == 0 {
		return nil, errors.New("no messages")
	}
	if len(msgs) > MaxTokens {
		return nil, errors.New("more than 1000 tokens")
	}
	first := msgs[0]
	m := first.Message
	tokens := make([]string, len(msgs))
	for i, o := range msgs {
		tokens[i] = o.Token
	}
	ids := map[string]any{"job": string(first.JobID)}
	if len(msgs) == 1 {
		ids["id"] = string(first.DeliveryID)
	}
	data := make(map[string]any, len(m.Payload)+1)
	maps.Copy(data, m.Payload)
	data["pushd"] = ids
	dataText, err := encode(data)
	if err != nil {
		return nil, err
	}
	a := androidConfig{
		CollapseKey: -1,
		Urgency:     "HIGH",
		Category:    category(m),
		BiTag:       string(first.JobID),
	}
	if m.Priority == "NORMAL" {
		a.Urgency = "NORMAL"
	}
	if !first.ExpiresAt.IsZero() {
		a.TTL = strconv.FormatInt(int64(ttl(first.ExpiresAt, now)/time.Second), 10) + "s"
	}
	if !m.Silent {
		n := &androidNotification{
			Title:       m.Title,
			Body:        m.Body,
			Image:       m.ImageURL,
			ChannelID:   m.AndroidChannelID,
			Tag:         m.CollapseKey,
			ClickAction: click(m.Action, m.URI),
		}
		if m.Sound == "" || m.Sound == "default" {
			n.DefaultSound = true
		} else {
			n.Sound = m.Sound
		}
		if m.Badge != nil {
			n.Badge = &badge{SetNum: min(max(*m.Badge, 0), 99)}
		}
		if m.Priority == "NORMAL" {
			n.Importance = "NORMAL"
		}
		a.Notification = n
	}
	return encode(sendRequest{Message: sendMessage{Token: tokens, Data: string(dataText), Android: a}})
}

// ttl is the remaining time to live: never negative, at most MaxTTL.
func ttl(expires, now time.Time) time.Duration {
	return min(max(expires.Sub(now), 0), MaxTTL)
}

// click maps the message's tap action: an https URI opens in the
// browser, any other URI is an intent for the app, no URI opens the app.
func click(action, uri string) clickAction {
	if uri == "" || action == "OPEN_APP" {
		return clickAction{Type: clickApp}
	}
	if strings.HasPrefix(strings.ToLower(uri), "https://") {
		return clickAction{Type: clickURL, URL: uri}
	}
	return clickAction{Type: clickIntent, Intent: uri}
}

// encode is json.Marshal without HTML escaping (Huawei counts bytes).
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
