package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Subprotocol is the WebSocket subprotocol of the device channel.
const Subprotocol = "pushd.v1"

// MaxClientFrame bounds what a device may send in one frame.
const MaxClientFrame = 4 << 10

// Frame types.
const (
	FrameAuth    = "auth"
	FrameWelcome = "welcome"
	FramePush    = "push"
	FrameRevoke  = "revoke"
	FrameAck     = "ack"
	FrameEvent   = "event"
	FrameResume  = "resume"
	FrameError   = "error"
)

// ClientFrame is any frame a device sends; which fields matter depends on
// Type.
type ClientFrame struct {
	Type      string    `json:"type"`
	Token     string    `json:"token,omitempty"`     // auth
	MessageID nodeid.ID `json:"messageID,omitempty"` // ack, event
	Event     string    `json:"event,omitempty"`     // event: arrived, opened, ignored
	AfterSeq  *int64    `json:"afterSeq,omitempty"`  // resume
}

// Welcome is the server's first frame after authentication.
type Welcome struct {
	Type      string    `json:"type"`
	DeviceID  nodeid.ID `json:"deviceID"`
	Heartbeat int       `json:"heartbeat"` // seconds between server pings
}

// Push carries one message.
type Push struct {
	Type      string         `json:"type"`
	MessageID nodeid.ID      `json:"messageID"`
	Seq       int64          `json:"seq"`
	Title     string         `json:"title,omitempty"`
	Body      string         `json:"body,omitempty"`
	Payload   map[string]any `json:"payload,omitempty"`
	URI       string         `json:"uri,omitempty"`
	Silent    bool           `json:"silent,omitempty"`
	ExpiresAt time.Time      `json:"expiresAt"`
}

// Revoke withdraws a message the device may already show.
type Revoke struct {
	Type      string    `json:"type"`
	MessageID nodeid.ID `json:"messageID"`
}

// ErrorFrame tells the device why the server is about to close or what
// it refused.
type ErrorFrame struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

var errFrame = errors.New("bad frame")

// DecodeClientFrame parses and checks one device frame: strict JSON (no
// unknown fields, no trailing data), a known type, and the fields that
// type needs.
func DecodeClientFrame(data []byte) (ClientFrame, error) {
	var f ClientFrame
	if len(data) > MaxClientFrame {
		return f, fmt.Errorf("%w: over %d bytes", errFrame, MaxClientFrame)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return ClientFrame{}, fmt.Errorf("%w: %v", errFrame, err)
	}
	if trailing(data, dec) {
		return ClientFrame{}, fmt.Errorf("%w: trailing data", errFrame)
	}
	if e := checkKeys(data, reflect.TypeFor[ClientFrame]()); e != nil {
		return ClientFrame{}, fmt.Errorf("%w: %s: %s", errFrame, e.Field, e.Message)
	}
	switch f.Type {
	case FrameAuth:
		if f.Token == "" {
			return ClientFrame{}, fmt.Errorf("%w: auth needs a token", errFrame)
		}
	case FrameAck:
		if f.MessageID == "" {
			return ClientFrame{}, fmt.Errorf("%w: ack needs a messageID", errFrame)
		}
	case FrameEvent:
		if f.MessageID == "" {
			return ClientFrame{}, fmt.Errorf("%w: event needs a messageID", errFrame)
		}
		switch f.Event {
		case "arrived", "opened", "ignored":
		default:
			return ClientFrame{}, fmt.Errorf("%w: event must be arrived, opened or ignored", errFrame)
		}
	case FrameResume:
		if f.AfterSeq == nil || *f.AfterSeq < 0 {
			return ClientFrame{}, fmt.Errorf("%w: resume needs afterSeq >= 0", errFrame)
		}
	default:
		return ClientFrame{}, fmt.Errorf("%w: unknown type %.32q", errFrame, f.Type)
	}
	return f, nil
}
