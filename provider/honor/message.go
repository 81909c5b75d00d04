package honor

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Limits of Honor's send request. Honor publishes only the TTL's; the
// others are Huawei Push Kit's, whose API Honor's is modelled on, and
// what Honor's maintained clients cut to.
const (
	// MaxTokens is how many tokens one request carries.
	MaxTokens = 1000
	MaxTitle  = 40
	MaxBody   = 256
	// MaxData bounds the data text (the payload and pushd's IDs), in bytes.
	MaxData = 4096
	// MaxTTL is how long Honor keeps a message for an offline phone.
	MaxTTL = 15 * 24 * time.Hour
)

// Importance values: LOW is a marketing or news ("public") message, which
// Honor caps per device and day; NORMAL a service or communication one.
const (
	ImportanceLow    = "LOW"
	ImportanceNormal = "NORMAL"
)

// clickAction types.
const (
	clickCustom = 1 // a custom page: an intent URI or an action name
	clickURL    = 2 // a web page (https)
	clickApp    = 3 // the app's main page
)

// Request is the body of one sendMessage: flat, without Huawei's
// validate_only/message wrapper.
type Request struct {
	Token   []string `json:"token"`
	Data    string   `json:"data,omitempty"`
	Android Android  `json:"android"`
}

// Android is the request's android object.
type Android struct {
	TTL   string `json:"ttl"`
	BiTag string `json:"biTag,omitempty"`
	// TargetUserType 0 is a formal message (1 a test message).
	TargetUserType int           `json:"targetUserType"`
	Notification   *Notification `json:"notification,omitempty"`
}

// Notification is android.notification.
type Notification struct {
	Title       string      `json:"title"`
	Body        string      `json:"body"`
	Image       string      `json:"image,omitempty"`
	Importance  string      `json:"importance"`
	ClickAction ClickAction `json:"clickAction"`
	Tag         string      `json:"tag,omitempty"`
	NotifyID    int         `json:"notifyId,omitempty"`
}

// ClickAction is what a tap on the notification opens.
type ClickAction struct {
	Type   int    `json:"type"`
	Intent string `json:"intent,omitempty"`
	Action string `json:"action,omitempty"`
	URL    string `json:"url,omitempty"`
}

// Importance is the importance of a message of classification c: NORMAL
// for a service class, LOW for anything else, including none (Honor
// counts an unclassified message as marketing: never more reach than the
// app asked for).
func Importance(c string) string {
	if class, _ := core.ClassOf(c); class == core.ClassService {
		return ImportanceNormal
	}
	return ImportanceLow
}

// Build returns the request that sends msgs, which share their content
// and expiry (the message of the first goes to the tokens of all), or why
// they cannot go to Honor. It is pure: now only sets the remaining TTL.
//
// The payload and pushd's IDs ({"pushd": {"job", "id"}}, the delivery ID
// when the request carries one message) travel in data. A silent message
// is data-only (Honor's pass-through message).
func Build(msgs []core.Outgoing, now time.Time) (Request, string) {
	if len(msgs) == 0 || len(msgs) > MaxTokens {
		return Request{}, fmt.Sprintf("Honor: a request carries 1 to %d tokens", MaxTokens)
	}
	first := msgs[0]
	data, err := dataText(msgs)
	if err != nil {
		return Request{}, err.Error()
	}
	q := Request{Token: make([]string, len(msgs)), Data: data, Android: Android{
		TTL: strconv.FormatInt(int64(ttl(first.ExpiresAt, now)/time.Second), 10) + "s", BiTag: string(first.JobID),
	}}
	if first.Test {
		q.Android.TargetUserType = 1
	}
	for i, m := range msgs {
		q.Token[i] = m.Token
	}
	if first.Message.Silent {
		return q, ""
	}
	n, why := notification(first)
	if why != "" {
		return Request{}, why
	}
	q.Android.Notification = &n
	return q, ""
}

// notification is the notification of m.
func notification(m core.Outgoing) (Notification, string) {
	msg := m.Message
	title, body := strings.TrimSpace(msg.Title), strings.TrimSpace(msg.Body)
	if title == "" && body == "" {
		return Notification{}, "Honor: a notification needs a title or a body"
	}
	click, why := clickOf(msg.URI, msg.Action)
	if why != "" {
		return Notification{}, why
	}
	if msg.ImageURL != "" && !strings.HasPrefix(msg.ImageURL, "https://") {
		return Notification{}, "Honor: imageURL must be an https URL"
	}
	n := Notification{
		// Both are required: the one given stands in for the other.
		Title: channel.Cut(cmp.Or(title, body), MaxTitle), Body: channel.Cut(cmp.Or(body, title), MaxBody),
		Image: msg.ImageURL, Importance: Importance(msg.Classification), ClickAction: click,
	}
	if msg.CollapseKey != "" {
		n.Tag, n.NotifyID = msg.CollapseKey, channel.NotifyID(msg.CollapseKey)
	}
	return n, ""
}

// clickOf maps the message's uri (https: a web page; another scheme: an
// intent URI) or action (an activity's action name); neither opens the
// app.
func clickOf(uri, action string) (ClickAction, string) {
	switch {
	case uri != "":
		u, err := url.Parse(uri)
		if err != nil || u.Scheme == "" {
			return ClickAction{}, "Honor: uri is not an absolute URL"
		}
		if u.Scheme == "https" {
			return ClickAction{Type: clickURL, URL: uri}, ""
		}
		if u.Scheme == "http" {
			return ClickAction{}, "Honor: a web page must be https"
		}
		return ClickAction{Type: clickCustom, Intent: uri}, ""
	case action != "" && action != "OPEN_APP":
		return ClickAction{Type: clickCustom, Action: action}, ""
	}
	return ClickAction{Type: clickApp}, ""
}

// dataText is the JSON text of the payload and pushd's IDs.
func dataText(msgs []core.Outgoing) (string, error) {
	first := msgs[0]
	ids := map[string]string{"job": string(first.JobID)}
	if len(msgs) == 1 {
		ids["id"] = string(first.DeliveryID)
	}
	data := make(map[string]any, len(first.Message.Payload)+1)
	maps.Copy(data, first.Message.Payload)
	data["pushd"] = ids
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(data); err != nil {
		return "", errors.New("Honor: the payload cannot be encoded: " + err.Error())
	}
	text := strings.TrimSuffix(b.String(), "\n")
	if len(text) > MaxData {
		return "", fmt.Errorf("Honor: the payload is over %d bytes as JSON (data)", MaxData)
	}
	return text, nil
}

// ttl is the remaining time to live: at least a second, at most MaxTTL.
func ttl(expires, now time.Time) time.Duration {
	if expires.IsZero() {
		return MaxTTL
	}
	return min(max(expires.Sub(now), time.Second), MaxTTL)
}
