package vivo

import (
	"encoding/json"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Credentials are a vivo Push app's numeric AppID, its AppKey and its
// AppSecret, which signs the auth call.
type Credentials struct {
	AppID     string `json:"appID"`
	AppKey    string `json:"appKey"`
	AppSecret string `json:"appSecret"`
}

// Input returns c in the API's form, as a client saves it.
func (c Credentials) Input() core.Credentials { return channel.InputOf(enum.ChannelVIVO, c) }

// Vendor is vivo Push (vivo and iQOO phones) in the provider registry. It
// takes no receipts: vivo does not publish their format, so deliveries
// through vivo stay SENT.
type Vendor struct{}

// Channel implements channel.Vendor.
func (Vendor) Channel() enum.Channel { return enum.ChannelVIVO }

// Describe implements channel.Vendor.
func (Vendor) Describe() channel.Description {
	return channel.Description{
		Name:      "vivo Push",
		Platforms: []enum.Platform{enum.PlatformAndroid},
		Fields: []channel.Field{
			{Name: "appID", Label: "App ID", Kind: channel.FieldText, Required: true,
				Help: "The numeric AppID of the app in the vivo push console."},
			{Name: "appKey", Label: "App key", Kind: channel.FieldText, Required: true,
				Help: "The AppKey of the app in the vivo push console."},
			{Name: "appSecret", Label: "App secret", Kind: channel.FieldSecret, Required: true,
				Help: "The AppSecret: vivo's auth call is signed with it."},
		},
		Endpoints: []channel.Endpoint{
			{Name: "url", Default: DefaultURL, Help: "vivo Push base URL."},
		},
		MarketingPerDevice: 5,
	}
}

// Check implements channel.Vendor.
func (Vendor) Check(raw json.RawMessage) (channel.Checked, error) {
	return channel.CheckAs(enum.ChannelVIVO, raw, Check)
}

// NewSender implements channel.Vendor.
func (Vendor) NewSender(stored json.RawMessage, o channel.Options) (core.Sender, error) {
	return channel.OpenAs(enum.ChannelVIVO, stored, o, New)
}
