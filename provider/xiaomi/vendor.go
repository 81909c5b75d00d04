package xiaomi

import (
	"encoding/json"
	"net/url"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Credentials are a MiPush app's secret and Android package name.
type Credentials struct {
	AppSecret   string `json:"appSecret"`
	PackageName string `json:"packageName"`
}

// Input returns c in the API's form, as a client saves it.
func (c Credentials) Input() core.Credentials { return channel.InputOf(enum.ChannelXiaomi, c) }

// Vendor is Xiaomi MiPush in the provider registry.
type Vendor struct{}

// Channel implements channel.Vendor.
func (Vendor) Channel() enum.Channel { return enum.ChannelXiaomi }

// Describe implements channel.Vendor.
func (Vendor) Describe() channel.Description {
	return channel.Description{
		Name:      "Xiaomi MiPush",
		Platforms: []enum.Platform{enum.PlatformAndroid},
		Fields: []channel.Field{
			{Name: "appSecret", Label: "App secret", Kind: channel.FieldSecret, Required: true},
			{Name: "packageName", Label: "Package name", Kind: channel.FieldText, Required: true,
				Help: "The Android package name (restricted_package_name)."},
		},
		Endpoints: []channel.Endpoint{
			{Name: "url", Default: DefaultURL, Help: "MiPush base URL (global regions have their own)."},
		},
		Receipts:           "Sent with every message when PUSHD_PUBLIC_URL is set: nothing to set up.",
		MarketingPerDevice: 5,
	}
}

// Check implements channel.Vendor.
func (Vendor) Check(raw json.RawMessage) (channel.Checked, error) {
	return channel.CheckAs(enum.ChannelXiaomi, raw, Check)
}

// NewSender implements channel.Vendor.
func (Vendor) NewSender(stored json.RawMessage, o channel.Options) (core.Sender, error) {
	return channel.OpenAs(enum.ChannelXiaomi, stored, o, New)
}

// ParseReceipts implements channel.ReceiptParser: each receipt carries the
// tag pushd sent, which proves it genuine.
func (Vendor) ParseReceipts(cb channel.ReceiptCallback) ([]core.VendorReceipt, []byte, error) {
	form, err := url.ParseQuery(string(cb.Body))
	if err != nil {
		return nil, nil, core.Invalid("body", "is not a form: %v", err)
	}
	receipts, err := ParseReceipts(form, cb.CheckTag, cb.Now)
	if err != nil {
		// Each receipt's tag is checked on its own: a body that fails as a
		// whole is malformed, not forged.
		return nil, nil, core.Invalid("body", "%v", err)
	}
	return receipts, nil, nil
}
