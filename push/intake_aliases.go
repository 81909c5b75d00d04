package push

import "github.com/pushd/pushd/push/intake"

// The request types and limits of the four push modes, as callers of the
// facade name them; push/intake defines and checks them.
type (
	// PushRequest is a push in any of the four modes.
	PushRequest = intake.Request
	// PushOptions are the options all four push modes share.
	PushOptions = intake.Options
	// PushItem is one target of a multiple push.
	PushItem = intake.Item
	// TemplateSpec is a template's content as a caller gives it.
	TemplateSpec = intake.TemplateSpec
)

// Limits and values of the API (docs/api.md, Limits).
const (
	DefaultTTL       = intake.DefaultTTL
	MaxTTL           = intake.MaxTTL
	MaxTargets       = intake.MaxTargets
	MaxItems         = intake.MaxItems
	MaxPayloadBytes  = intake.MaxPayloadBytes
	MaxScheduleAhead = intake.MaxScheduleAhead
	PriorityHigh     = intake.PriorityHigh
	PriorityNormal   = intake.PriorityNormal
	BoundAny         = intake.BoundAny
	BoundBound       = intake.BoundBound
	BoundUnbound     = intake.BoundUnbound
)
