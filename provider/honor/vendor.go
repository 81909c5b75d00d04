package honor

import (
	"encoding/json"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Credentials are an Honor Push app's App ID (in the send URL) and its
// OAuth client ID and secret, which buy the access token.
type Credentials struct {
	AppID        string `json:"appID"`
	ClientID     string `json:"clientID"`
	ClientSecret string `json:"clientSecret"`
}

// Input returns c in the API's form, as a client saves it.
func (c Credentials) Input() core.Credentials { return channel.InputOf(enum.ChannelHonor, c) }

// Vendor is Honor Push (Honor phones on MagicOS) in the provider registry.
// It takes no receipts: Honor sets its receipt callback up in its console
// and does not publish the callback's body or signature, so deliveries
// through Honor stay SENT.
type Vendor struct{}

// Channel implements channel.Vendor.
func (Vendor) Channel() enum.Channel { return enum.ChannelHonor }

// Describe implements channel.Vendor.
func (Vendor) Describe() channel.Description {
	return channel.Description{
		Name:      "Honor Push",
		Platforms: []enum.Platform{enum.PlatformAndroid},
		Fields: []channel.Field{
			{Name: "appID", Label: "App ID", Kind: channel.FieldText, Required: true,
				Help: "The numeric App ID of the app in the Honor developer console; it is part of the send URL."},
			{Name: "clientID", Label: "Client ID", Kind: channel.FieldText, Required: true,
				Help: "The app's OAuth client ID in the Honor developer console."},
			{Name: "clientSecret", Label: "Client secret", Kind: channel.FieldSecret, Required: true,
				Help: "The app's OAuth client secret: it buys the access token."},
		},
		Endpoints: []channel.Endpoint{
			{Name: "url", Default: DefaultURL, Help: "Honor Push API base URL."},
			{Name: "auth-url", Default: DefaultAuthURL, Help: "Honor's OAuth token endpoint."},
		},
		MarketingPerDevice: 2,
	}
}

// Check implements channel.Vendor.
func (Vendor) Check(raw json.RawMessage) (channel.Checked, error) {
	return channel.CheckAs(enum.ChannelHonor, raw, Check)
}

// NewSender implements channel.Vendor.
func (Vendor) NewSender(stored json.RawMessage, o channel.Options) (core.Sender, error) {
	return channel.OpenAs(enum.ChannelHonor, stored, o, New)
}
