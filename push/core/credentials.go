package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Credentials are an app's secrets for one vendor channel, in the form
// its vendor package reads (provider/): the API's input when they are
// saved, the vendor's stored form once checked. They are sealed at rest
// as {"<key>": <JSON>} and never returned.
type Credentials struct {
	Channel enum.Channel
	JSON    json.RawMessage
}

// ChannelKey names a vendor channel in JSON, URLs and settings: its
// stored name in lower case.
func ChannelKey(ch enum.Channel) string { return strings.ToLower(string(ch)) }

// ChannelOfKey is the channel ChannelKey names.
func ChannelOfKey(key string) enum.Channel { return enum.Channel(strings.ToUpper(key)) }

// MarshalJSON writes {"<key>": <JSON>}.
func (c Credentials) MarshalJSON() ([]byte, error) {
	if c.Channel == "" || len(c.JSON) == 0 {
		return nil, errors.New("credentials without a channel")
	}
	return json.Marshal(map[string]json.RawMessage{ChannelKey(c.Channel): c.JSON})
}

// UnmarshalJSON reads what MarshalJSON writes: an object of one member.
func (c *Credentials) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil // by encoding/json's convention
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if len(m) != 1 {
		return fmt.Errorf("credentials have %d members, want one", len(m))
	}
	for k, v := range m {
		c.Channel, c.JSON = ChannelOfKey(k), v
	}
	return nil
}

// CheckedCredentials are credentials a vendor accepted as they were saved.
type CheckedCredentials struct {
	// Stored are sealed, and opened for the vendor's sender.
	Stored Credentials
	// Summary is what the console may show; never a secret.
	Summary map[string]any
	// Environment is the vendor environment ("SANDBOX", "PRODUCTION") for
	// vendors with more than one; "" else.
	Environment string
}

// StoredChannel is one app's configured vendor channel, opened.
type StoredChannel struct {
	// ConfigID identifies the stored config; Version changes whenever it
	// is saved, so a cached sender is rebuilt after a change.
	ConfigID nodeid.ID
	AppID    nodeid.ID
	Version  int64
	Channel  enum.Channel
	// MaxPerSecond paces sends on this credential (0: no pacing).
	MaxPerSecond int
	Credentials  Credentials
}

// Channels turns stored credentials into senders (provider/ implements it).
type Channels interface {
	// Check parses and validates credentials, in the API's form, as they
	// are saved. Bad credentials are an *Error with Code
	// CodeInvalidArgument naming what is wrong.
	Check(ctx context.Context, in Credentials) (CheckedCredentials, error)
	// Sender returns the sender of a stored channel, built once per
	// version and reused (connections, OAuth tokens, pacing).
	Sender(ctx context.Context, ch StoredChannel) (Sender, error)
	// Preference lists the vendor channels, the most preferred first: a
	// device with tokens of several goes through the first it has.
	Preference() []enum.Channel
	// ReceiptURL is where a vendor posts receipts for one channel config;
	// "" for vendors without receipts, or when pushd has no public URL.
	ReceiptURL(ch enum.Channel, configID nodeid.ID) string
	// MarketingCap is how many content and marketing messages a vendor
	// shows one device a day; 0 when it caps none.
	MarketingCap(ch enum.Channel) int
}

// ReceiptEvent is what a vendor's delivery receipt says happened.
type ReceiptEvent int

// Receipt events.
const (
	// ReceiptArrived: the vendor delivered the message to the device.
	ReceiptArrived ReceiptEvent = iota + 1
	// ReceiptOpened: the user tapped the notification.
	ReceiptOpened
	// ReceiptTokenDead: the token is no longer valid (app uninstalled,
	// token reset); the delivery failed and the token is never used again.
	ReceiptTokenDead
	// ReceiptFailed: not delivered for another reason (notifications
	// off, quota, filtered).
	ReceiptFailed
)

// VendorReceipt is one device's receipt from a vendor callback, already
// verified by the provider that parsed it.
type VendorReceipt struct {
	// JobID is the tag pushd sent with the message, which the vendor
	// echoes in its receipt.
	JobID nodeid.ID
	// Token is the device's vendor token the receipt is about.
	Token  string
	Event  ReceiptEvent
	Reason string
	At     time.Time
}
