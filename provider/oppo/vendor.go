package oppo

import (
	"encoding/json"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Credentials are an OPPO Push app's AppKey and MasterSecret (not its
// AppSecret: OPPO signs server calls with the MasterSecret), and the
// notification channel messages that name none are shown in.
type Credentials struct {
	AppKey       string `json:"appKey"`
	MasterSecret string `json:"masterSecret"`
	// ChannelID is the Android notification channel (channel_id) of
	// messages without androidChannelID; apps targeting Android 9 or later
	// show nothing without one.
	ChannelID string `json:"channelID,omitempty"`
}

// Input returns c in the API's form, as a client saves it.
func (c Credentials) Input() core.Credentials { return channel.InputOf(enum.ChannelOPPO, c) }

// Vendor is OPPO Push (HeyTap; OPPO, OnePlus and realme phones) in the
// provider registry.
type Vendor struct{}

// Channel implements channel.Vendor.
func (Vendor) Channel() enum.Channel { return enum.ChannelOPPO }

// Describe implements channel.Vendor.
func (Vendor) Describe() channel.Description {
	return channel.Description{
		Name:      "OPPO Push",
		Platforms: []enum.Platform{enum.PlatformAndroid},
		Fields: []channel.Field{
			{Name: "appKey", Label: "App key", Kind: channel.FieldText, Required: true,
				Help: "The AppKey of the app in the OPPO push console (not the AppId)."},
			{Name: "masterSecret", Label: "Master secret", Kind: channel.FieldSecret, Required: true,
				Help: "The MasterSecret (not the AppSecret): OPPO signs server calls with it."},
			{Name: "channelID", Label: "Notification channel ID", Kind: channel.FieldText,
				Help: "The Android notification channel of messages that name none; apps targeting Android 9 or later need one."},
		},
		Endpoints: []channel.Endpoint{
			{Name: "url", Default: DefaultURL, Help: "OPPO Push base URL for devices in mainland China."},
			{Name: "intl-url", Default: IntlURL, Help: "OPPO Push base URL for devices elsewhere (registration IDs with another region prefix)."},
		},
		Receipts:           "Sent with every message when PUSHD_PUBLIC_URL is set (call_back_url): nothing to set up.",
		MarketingPerDevice: 2,
	}
}

// Check implements channel.Vendor.
func (Vendor) Check(raw json.RawMessage) (channel.Checked, error) {
	return channel.CheckAs(enum.ChannelOPPO, raw, Check)
}

// NewSender implements channel.Vendor.
func (Vendor) NewSender(stored json.RawMessage, o channel.Options) (core.Sender, error) {
	return channel.OpenAs(enum.ChannelOPPO, stored, o, New)
}

// ParseReceipts implements channel.ReceiptParser: OPPO does not sign its
// callbacks, so each receipt's call_back_parameter, the tag pushd sent,
// is what proves it genuine.
func (Vendor) ParseReceipts(cb channel.ReceiptCallback) ([]core.VendorReceipt, []byte, error) {
	receipts, err := ParseReceipts(cb.Body, cb.CheckTag, cb.Now)
	if err != nil {
		return nil, nil, core.Invalid("body", "%v", err)
	}
	return receipts, nil, nil
}
