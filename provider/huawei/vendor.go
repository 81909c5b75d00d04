package huawei

import (
	"encoding/json"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Credentials are a Push Kit app's OAuth client credentials, and
// optionally the user name and key of its receipt configuration, which
// sign the receipts Huawei posts back.
type Credentials struct {
	AppID           string `json:"appID"`
	ClientSecret    string `json:"clientSecret"`
	ReceiptUserName string `json:"receiptUserName,omitempty"`
	ReceiptKey      string `json:"receiptKey,omitempty"`
}

// Input returns c in the API's form, as a client saves it.
func (c Credentials) Input() core.Credentials { return channel.InputOf(enum.ChannelHuawei, c) }

// Vendor is Huawei Push Kit in the provider registry.
type Vendor struct{}

// Channel implements channel.Vendor.
func (Vendor) Channel() enum.Channel { return enum.ChannelHuawei }

// Describe implements channel.Vendor.
func (Vendor) Describe() channel.Description {
	return channel.Description{
		Name:      "Huawei Push Kit",
		Platforms: []enum.Platform{enum.PlatformAndroid},
		Fields: []channel.Field{
			{Name: "appID", Label: "App ID", Kind: channel.FieldText, Required: true, Help: "The Push Kit app's OAuth client ID (App ID)."},
			{Name: "clientSecret", Label: "Client secret", Kind: channel.FieldSecret, Required: true},
			{Name: "receiptUserName", Label: "Receipt user name", Kind: channel.FieldText,
				Help: "The user name of the app's receipt configuration in AppGallery Connect, to verify receipts."},
			{Name: "receiptKey", Label: "Receipt key", Kind: channel.FieldSecret, Help: "The key of that receipt configuration."},
		},
		Endpoints: []channel.Endpoint{
			{Name: "url", Default: DefaultURL, Help: "Huawei Push Kit base URL."},
			{Name: "auth-url", Default: DefaultAuthURL, Help: "Huawei OAuth token URL."},
		},
		Receipts:           "Set the channel's receipt URL, with the receipt user name and key, in the app's receipt configuration in AppGallery Connect.",
		MarketingPerDevice: 2,
	}
}

// Check implements channel.Vendor.
func (Vendor) Check(raw json.RawMessage) (channel.Checked, error) {
	return channel.CheckAs(enum.ChannelHuawei, raw, Check)
}

// NewSender implements channel.Vendor.
func (Vendor) NewSender(stored json.RawMessage, o channel.Options) (core.Sender, error) {
	return channel.OpenAs(enum.ChannelHuawei, stored, o, New)
}

// ParseReceipts implements channel.ReceiptParser: receipts are signed with
// the receipt configuration's user name and key.
func (Vendor) ParseReceipts(cb channel.ReceiptCallback) ([]core.VendorReceipt, []byte, error) {
	var c Credentials
	if err := json.Unmarshal(cb.Stored, &c); err != nil {
		return nil, nil, err
	}
	if c.ReceiptUserName == "" {
		return nil, nil, channel.ErrReceiptsOff
	}
	receipts, err := ParseReceipts(cb.Header, cb.Body, c.ReceiptUserName, c.ReceiptKey, cb.Now)
	return receipts, ReceiptResponse(), err
}
