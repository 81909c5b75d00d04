// Package jsontype holds the structured values that entities store as JSON
// columns. They live in a leaf package so that ent, the domain and the API
// can all name them without import cycles.
package jsontype

import (
	"time"

	"github.com/pushd/pushd/ent/schema/enum"
)

// Message is the content of a push as the sender gave it (templates already
// rendered). Vendor payload builders map it to each vendor's format.
type Message struct {
	Title            string         `json:"title,omitempty"`
	Body             string         `json:"body,omitempty"`
	Payload          map[string]any `json:"payload,omitempty"`
	URI              string         `json:"uri,omitempty"`
	Action           string         `json:"action,omitempty"`
	Silent           bool           `json:"silent,omitempty"`
	Badge            *int           `json:"badge,omitempty"`
	Sound            string         `json:"sound,omitempty"`
	ImageURL         string         `json:"imageURL,omitempty"`
	CollapseKey      string         `json:"collapseKey,omitempty"`
	Priority         string         `json:"priority,omitempty"`
	AndroidChannelID string         `json:"androidChannelID,omitempty"`
	// Category is the app's notification category on Apple platforms
	// (aps.category: which actions the notification offers).
	Category string `json:"category,omitempty"`
	// Classification is the message's class (SERVICE or MARKETING) or a
	// finer category of one (IM, ORDER, NEWS, ...; core.ClassOf), which the
	// vendors that classify messages map to their own fields.
	Classification string `json:"classification,omitempty"`
}

// Audience selects devices for a broadcast. Empty fields do not filter.
type Audience struct {
	Platforms           []enum.Platform `json:"platforms,omitempty"`
	AppVersions         []string        `json:"appVersions,omitempty"`
	Tags                []string        `json:"tags,omitempty"`
	Groups              []string        `json:"groups,omitempty"`
	Bound               string          `json:"bound,omitempty"`
	ActiveWithinSeconds int             `json:"activeWithinSeconds,omitempty"`
}

// Target names the recipients of a non-broadcast push: devices or users.
type Target struct {
	DeviceIDs []string `json:"deviceIDs,omitempty"`
	UserIDs   []string `json:"userIDs,omitempty"`
}

// Recurrence repeats a push on a cron schedule in a time zone.
type Recurrence struct {
	Cron     string     `json:"cron"`
	TimeZone string     `json:"timeZone"`
	StartAt  *time.Time `json:"startAt,omitempty"`
	EndAt    *time.Time `json:"endAt,omitempty"`
}

// Options are the delivery options of a push job.
type Options struct {
	TTLSeconds int            `json:"ttlSeconds"`
	Channels   []enum.Channel `json:"channels,omitempty"`
	TaskName   string         `json:"taskName,omitempty"`
	// TestMessage sends as the vendors' test message where they have one.
	TestMessage bool `json:"testMessage,omitempty"`
}

// WebhookAttempt is one try to deliver a batch of receipts to a webhook.
type WebhookAttempt struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"statusCode,omitempty"`
	Error      string    `json:"error,omitempty"`
	DurationMS int64     `json:"durationMS"`
}
