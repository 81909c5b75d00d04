package oppo

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Limits of OPPO's notification fields (characters, except where noted).
const (
	MaxBatch = 1000
	MaxTitle = 50
	// MaxContent is the standard style's limit.
	MaxContent          = 200
	MaxClickActivity    = 500
	MaxClickURL         = 2000
	MaxActionParameters = 4000
	MaxCallbackURL      = 200
	// MaxCallbackParameter is the official SDK's check (the field table
	// says 100; the SDK refuses more than 50).
	MaxCallbackParameter = 50
	// MaxOfflineTTL is off_line_ttl's ceiling: 10 days, in seconds.
	MaxOfflineTTL = 864000
)

// click_action_type values.
const (
	clickLaunchApp = 0
	clickActivity  = 1
	clickWebURL    = 2
	clickIntentURL = 5
)

// notify_level values: 1 notification bar, 2 bar and lock screen (16,
// the strong reminder, needs a permission pushd does not assume).
const (
	levelBar        = 1
	levelLockScreen = 2
)

// categories maps pushd's classifications to OPPO's categories. The
// service ("private") ones are sent with notify_level 2; the content and
// marketing ("public") ones, which OPPO caps per device and day, with 1.
// A classification OPPO has no category for is sent without one, which
// OPPO counts as public: never more reach than the app asked for.
var categories = map[string]string{
	"IM": "IM", "VOIP": "IM", "ACCOUNT": "ACCOUNT", "FINANCE": "ACCOUNT", "TODO": "TODO",
	"DEVICE_REMINDER": "DEVICE_REMINDER", "ORDER": "ORDER", "EXPRESS": "ORDER", "SUBSCRIPTION": "SUBSCRIPTION",
	"NEWS": "NEWS", "CONTENT": "CONTENT", "MARKETING": "MARKETING", "SOCIAL": "SOCIAL",
}

// serviceCategories are OPPO's private categories.
var serviceCategories = []string{"IM", "ACCOUNT", "TODO", "DEVICE_REMINDER", "ORDER", "SUBSCRIPTION"}

// Notification is the notification object of one message, in the
// snake_case form the official SDK sends.
type Notification struct {
	AppMessageID        string `json:"app_message_id,omitempty"`
	Style               int    `json:"style"`
	Title               string `json:"title"`
	Content             string `json:"content"`
	ClickActionType     int    `json:"click_action_type"`
	ClickActionActivity string `json:"click_action_activity,omitempty"`
	ClickActionURL      string `json:"click_action_url,omitempty"`
	ActionParameters    string `json:"action_parameters,omitempty"`
	OffLine             bool   `json:"off_line"`
	OffLineTTL          int    `json:"off_line_ttl,omitempty"`
	ChannelID           string `json:"channel_id,omitempty"`
	Category            string `json:"category,omitempty"`
	NotifyLevel         int    `json:"notify_level,omitempty"`
	NotifyID            int    `json:"notify_id,omitempty"`
	CallBackURL         string `json:"call_back_url,omitempty"`
	CallBackParameter   string `json:"call_back_parameter,omitempty"`
}

// Message is one element of unicast_batch's messages: a regid and its
// notification.
type Message struct {
	TargetType   int          `json:"target_type"`
	TargetValue  string       `json:"target_value"`
	Notification Notification `json:"notification"`
}

// targetRegID is target_type 2, a registration ID.
const targetRegID = 2

// Callback is where OPPO posts the receipts of a message, and the tag each
// receipt carries back.
type Callback struct {
	// URL is call_back_url; empty asks for no receipts.
	URL string
	// Param turns a job ID into call_back_parameter; nil sends the job ID.
	Param func(job string) string
}

// Build returns the unicast_batch element that sends m, or why m cannot
// go to OPPO. defaultChannel is the credentials' channel ID. It is pure:
// now only sets the remaining TTL.
//
// The payload and pushd's IDs ({"pushd": {"job", "id"}}) travel in
// action_parameters, the key/values OPPO hands to the page it opens.
func Build(m core.Outgoing, defaultChannel string, cb Callback, now time.Time) (Message, string) {
	msg := m.Message
	if msg.Silent {
		return Message{}, "OPPO: has no data-only (silent) messages; such a push reaches OPPO phones on the WebSocket channel only"
	}
	title, content := strings.TrimSpace(msg.Title), strings.TrimSpace(msg.Body)
	if title == "" && content == "" {
		return Message{}, "OPPO: a notification needs a title or a body"
	}
	// Both are required: the one given stands in for the other.
	title, content = channel.Cut(cmp.Or(title, content), MaxTitle), channel.Cut(cmp.Or(content, title), MaxContent)
	params, err := actionParameters(m)
	if err != nil {
		return Message{}, err.Error()
	}
	n := Notification{
		AppMessageID: string(m.DeliveryID), Style: 1, Title: title, Content: content,
		ActionParameters: params, OffLine: true, OffLineTTL: offlineTTL(m.ExpiresAt, now),
		ChannelID: cmp.Or(msg.AndroidChannelID, defaultChannel), Category: categories[msg.Classification],
	}
	if reason := setClick(&n, msg.URI, msg.Action); reason != "" {
		return Message{}, reason
	}
	if n.Category != "" {
		n.NotifyLevel = levelBar
		if slices.Contains(serviceCategories, n.Category) {
			n.NotifyLevel = levelLockScreen
		}
	}
	if msg.CollapseKey != "" {
		n.NotifyID = channel.NotifyID(msg.CollapseKey)
	}
	if cb.URL != "" && len(cb.URL) <= MaxCallbackURL {
		param := string(m.JobID)
		if cb.Param != nil {
			param = cb.Param(param)
		}
		if len(param) <= MaxCallbackParameter {
			n.CallBackURL, n.CallBackParameter = cb.URL, param
		}
	}
	return Message{TargetType: targetRegID, TargetValue: m.Token, Notification: n}, ""
}

// setClick maps the message's uri (https: a web page; another scheme: an
// intent URL) or action (an activity's action name) to OPPO's click
// action; neither launches the app.
func setClick(n *Notification, uri, action string) string {
	switch {
	case uri != "":
		u, err := url.Parse(uri)
		if err != nil || u.Scheme == "" {
			return "OPPO: uri is not an absolute URL"
		}
		if utf8.RuneCountInString(uri) > MaxClickURL {
			return fmt.Sprintf("OPPO: uri is longer than %d characters", MaxClickURL)
		}
		n.ClickActionType, n.ClickActionURL = clickIntentURL, uri
		if u.Scheme == "https" || u.Scheme == "http" {
			n.ClickActionType = clickWebURL
		}
	case action != "":
		if utf8.RuneCountInString(action) > MaxClickActivity {
			return fmt.Sprintf("OPPO: action is longer than %d characters", MaxClickActivity)
		}
		n.ClickActionType, n.ClickActionActivity = clickActivity, action
	default:
		n.ClickActionType = clickLaunchApp
	}
	return ""
}

// actionParameters is the JSON object of the payload and pushd's IDs.
func actionParameters(m core.Outgoing) (string, error) {
	p := make(map[string]any, len(m.Message.Payload)+1)
	for k, v := range m.Message.Payload {
		p[k] = v
	}
	p["pushd"] = map[string]string{"job": string(m.JobID), "id": string(m.DeliveryID)}
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("OPPO: the payload cannot be encoded: %v", err)
	}
	if utf8.RuneCount(b) > MaxActionParameters {
		return "", fmt.Errorf("OPPO: the payload is over %d characters as JSON (action_parameters)", MaxActionParameters)
	}
	return string(b), nil
}

// offlineTTL is the time left, in whole seconds, 1 to 10 days.
func offlineTTL(expires, now time.Time) int {
	s := int(expires.Sub(now) / time.Second)
	return min(max(s, 1), MaxOfflineTTL)
}
