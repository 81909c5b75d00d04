package fcm

import (
	"encoding/json"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Credentials are a Firebase service account's JSON key file.
type Credentials struct {
	ServiceAccountJSON string `json:"serviceAccountJSON"`
}

// Input returns c in the API's form, as a client saves it.
func (c Credentials) Input() core.Credentials { return channel.InputOf(enum.ChannelFCM, c) }

// Vendor is FCM in the provider registry.
type Vendor struct{}

// Channel implements channel.Vendor.
func (Vendor) Channel() enum.Channel { return enum.ChannelFCM }

// Describe implements channel.Vendor.
func (Vendor) Describe() channel.Description {
	return channel.Description{
		Name:      "Firebase Cloud Messaging",
		Platforms: []enum.Platform{enum.PlatformAndroid, enum.PlatformIOS, enum.PlatformWeb},
		Fields: []channel.Field{
			{Name: "serviceAccountJSON", Label: "Service account key file", Kind: channel.FieldFile, Required: true,
				Help: "The Firebase service account's JSON key file, as text."},
		},
		Endpoints: []channel.Endpoint{
			{Name: "url", Default: DefaultURL, Help: "FCM HTTP v1 base URL."},
			{Name: "auth-url", Default: DefaultAuthURL, Help: "Google OAuth token URL for FCM service accounts; a key file's token_uri is never used."},
		},
	}
}

// Check implements channel.Vendor.
func (Vendor) Check(raw json.RawMessage) (channel.Checked, error) {
	return channel.CheckAs(enum.ChannelFCM, raw, Check)
}

// NewSender implements channel.Vendor.
func (Vendor) NewSender(stored json.RawMessage, o channel.Options) (core.Sender, error) {
	return channel.OpenAs(enum.ChannelFCM, stored, o, New)
}
