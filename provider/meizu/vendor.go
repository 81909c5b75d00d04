package meizu

import (
	"encoding/json"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Credentials are a Meizu (Flyme) push app's numeric App ID and its App
// Secret, which signs every request.
type Credentials struct {
	AppID     string `json:"appID"`
	AppSecret string `json:"appSecret"`
}

// Input returns c in the API's form, as a client saves it.
func (c Credentials) Input() core.Credentials { return channel.InputOf(enum.ChannelMeizu, c) }

// Vendor is Meizu Push (Meizu phones on Flyme) in the provider registry.
type Vendor struct{}

// Channel implements channel.Vendor.
func (Vendor) Channel() enum.Channel { return enum.ChannelMeizu }

// Describe implements channel.Vendor.
func (Vendor) Describe() channel.Description {
	return channel.Description{
		Name:      "Meizu Push",
		Platforms: []enum.Platform{enum.PlatformAndroid},
		Fields: []channel.Field{
			{Name: "appID", Label: "App ID", Kind: channel.FieldText, Required: true,
				Help: "The numeric App ID of the app in the Meizu push console."},
			{Name: "appSecret", Label: "App secret", Kind: channel.FieldSecret, Required: true,
				Help: "The App Secret: every request to Meizu is signed with it."},
		},
		Endpoints: []channel.Endpoint{
			{Name: "url", Default: DefaultURL, Help: "Meizu Push base URL."},
		},
		Receipts:           "Register the channel's receipt URL in the Meizu push console (receipt addresses); it is then sent with every message.",
		MarketingPerDevice: 3,
	}
}

// Check implements channel.Vendor.
func (Vendor) Check(raw json.RawMessage) (channel.Checked, error) {
	return channel.CheckAs(enum.ChannelMeizu, raw, Check)
}

// NewSender implements channel.Vendor.
func (Vendor) NewSender(stored json.RawMessage, o channel.Options) (core.Sender, error) {
	return channel.OpenAs(enum.ChannelMeizu, stored, o, New)
}

// ParseReceipts implements channel.ReceiptParser: Meizu does not document
// how its access_token is made, so a receipt is trusted by its
// callback.param, the job ID with a MAC only pushd can make.
func (Vendor) ParseReceipts(cb channel.ReceiptCallback) ([]core.VendorReceipt, []byte, error) {
	receipts, err := ParseReceipts(cb.Body, cb.CheckTag, cb.Now)
	return receipts, nil, err
}
