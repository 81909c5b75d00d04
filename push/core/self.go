package core

import (
	"context"
	"time"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// SelfMessage is one message on the self-built channel, as the gateway
// writes it to the device.
type SelfMessage struct {
	MessageID nodeid.ID
	DeviceID  nodeid.ID
	Seq       int64
	Message   jsontype.Message
	ExpiresAt time.Time
}

// SelfChannel is pushd's own WebSocket channel as the domain sees it: who
// is online, and handing messages to the node that holds each device.
type SelfChannel interface {
	// Online reports which of the devices hold a live connection.
	Online(ctx context.Context, devices []nodeid.ID) (map[nodeid.ID]bool, error)
	// SendSelf hands messages to the devices' gateway nodes. A message
	// whose device has just gone away is not lost: it is SENT with a seq,
	// and the device gets it again when it resumes.
	SendSelf(ctx context.Context, msgs []SelfMessage) error
	// RevokeSelf tells online devices to withdraw messages they were sent
	// (best effort: an offline device learns of it through the message's
	// status, never by a replay).
	RevokeSelf(ctx context.Context, revokes []SelfRevoke) error
}

// SelfRevoke withdraws one message from one device.
type SelfRevoke struct {
	MessageID nodeid.ID
	DeviceID  nodeid.ID
}
