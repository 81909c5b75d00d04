package core

import (
	"context"
	"time"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// ChannelCredentials are an app's secrets for one vendor channel: exactly
// one member is set. They are sealed at rest as this struct's JSON and
// never returned; a provider derives the non-secret summary from them.
type ChannelCredentials struct {
	APNs   *APNsCredentials   `json:"apns,omitempty"`
	FCM    *FCMCredentials    `json:"fcm,omitempty"`
	Huawei *HuaweiCredentials `json:"huawei,omitempty"`
	Xiaomi *XiaomiCredentials `json:"xiaomi,omitempty"`
}

// APNs environments: which gateway a credential's device tokens belong to.
const (
	APNsSandbox    = "SANDBOX"
	APNsProduction = "PRODUCTION"
)

// APNsCredentials authenticate to APNs with a token-signing key (.p8, the
// recommended way) or a client certificate (.p12): one of the two.
type APNsCredentials struct {
	// Environment is APNsSandbox or APNsProduction.
	Environment string `json:"environment"`
	// Topic is the app's bundle ID.
	Topic string `json:"topic"`
	// Token authentication: the PEM text of the .p8 file, its 10-character
	// key ID and the 10-character team ID.
	KeyP8  string `json:"keyP8,omitempty"`
	KeyID  string `json:"keyID,omitempty"`
	TeamID string `json:"teamID,omitempty"`
	// Certificate authentication: the .p12 file and its password.
	CertP12      []byte `json:"certP12,omitempty"`
	CertPassword string `json:"certPassword,omitempty"`
}

// FCMCredentials are a Firebase service account's JSON key file.
type FCMCredentials struct {
	ServiceAccountJSON string `json:"serviceAccountJSON"`
}

// HuaweiCredentials are a Push Kit app's OAuth client credentials, and
// optionally the user name and key of its receipt configuration, which
// sign the receipts Huawei posts back.
type HuaweiCredentials struct {
	AppID           string `json:"appID"`
	ClientSecret    string `json:"clientSecret"`
	ReceiptUserName string `json:"receiptUserName,omitempty"`
	ReceiptKey      string `json:"receiptKey,omitempty"`
}

// XiaomiCredentials are a MiPush app's secret and Android package name.
type XiaomiCredentials struct {
	AppSecret   string `json:"appSecret"`
	PackageName string `json:"packageName"`
}

// Channel returns the channel the credentials are for, or "" unless
// exactly one member is set.
func (c ChannelCredentials) Channel() enum.Channel {
	var ch enum.Channel
	n := 0
	if c.APNs != nil {
		ch, n = enum.ChannelAPNs, n+1
	}
	if c.FCM != nil {
		ch, n = enum.ChannelFCM, n+1
	}
	if c.Huawei != nil {
		ch, n = enum.ChannelHuawei, n+1
	}
	if c.Xiaomi != nil {
		ch, n = enum.ChannelXiaomi, n+1
	}
	if n != 1 {
		return ""
	}
	return ch
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
	Credentials  ChannelCredentials
}

// Channels turns stored credentials into senders (provider/ implements it).
type Channels interface {
	// Check parses and validates credentials as they are saved, and
	// returns the summary the console may show (key ID, team, topic,
	// project, certificate expiry; never a secret). Bad credentials are an
	// *Error with Code CodeInvalidArgument naming what is wrong.
	Check(ctx context.Context, creds ChannelCredentials) (map[string]any, error)
	// Sender returns the sender of a stored channel, built once per
	// version and reused (connections, OAuth tokens, pacing).
	Sender(ctx context.Context, ch StoredChannel) (Sender, error)
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
	// JobID is the tag pushd sent with the message (Huawei bi_tag, Xiaomi
	// callback.param).
	JobID nodeid.ID
	// Token is the device's vendor token the receipt is about.
	Token  string
	Event  ReceiptEvent
	Reason string
	At     time.Time
}
