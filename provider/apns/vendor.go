package apns

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/sideshow/apns2"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// Environments: which gateway a credential's device tokens belong to.
const (
	Sandbox    = "SANDBOX"
	Production = "PRODUCTION"
)

// Credentials authenticate to APNs with a token-signing key (.p8, the
// recommended way) or a client certificate (.p12): one of the two. This is
// their stored form.
type Credentials struct {
	// Environment is Sandbox or Production.
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

// input is the API's form of Credentials: the certificate as base64 text.
type input struct {
	Environment   string `json:"environment"`
	Topic         string `json:"topic"`
	KeyP8         string `json:"keyP8,omitempty"`
	KeyID         string `json:"keyID,omitempty"`
	TeamID        string `json:"teamID,omitempty"`
	CertP12Base64 string `json:"certP12Base64,omitempty"`
	CertPassword  string `json:"certPassword,omitempty"`
}

// Input returns c in the API's form, as a client saves it.
func (c Credentials) Input() core.Credentials {
	in := input{
		Environment: c.Environment, Topic: c.Topic, KeyP8: c.KeyP8, KeyID: c.KeyID, TeamID: c.TeamID,
		CertP12Base64: base64.StdEncoding.EncodeToString(c.CertP12), CertPassword: c.CertPassword,
	}
	if len(c.CertP12) == 0 {
		in.CertP12Base64 = ""
	}
	raw, _ := json.Marshal(in) // strings only: cannot fail
	return core.Credentials{Channel: enum.ChannelAPNs, JSON: raw}
}

// Vendor is APNs in the provider registry.
type Vendor struct{}

// Channel implements channel.Vendor.
func (Vendor) Channel() enum.Channel { return enum.ChannelAPNs }

// Describe implements channel.Vendor.
func (Vendor) Describe() channel.Description {
	return channel.Description{
		Name:      "Apple Push Notification service",
		Platforms: []enum.Platform{enum.PlatformIOS},
		Fields: []channel.Field{
			{Name: "environment", Label: "Environment", Kind: channel.FieldChoice, Required: true, Choices: []string{Sandbox, Production},
				Help: "SANDBOX for development builds, PRODUCTION for App Store and TestFlight builds."},
			{Name: "topic", Label: "Bundle ID", Kind: channel.FieldText, Required: true, Help: "The app's bundle ID (apns-topic)."},
			{Name: "keyP8", Label: ".p8 signing key", Kind: channel.FieldFile, Help: "Token authentication (recommended): the text of the .p8 file."},
			{Name: "keyID", Label: "Key ID", Kind: channel.FieldText, Help: "The signing key's 10-character ID."},
			{Name: "teamID", Label: "Team ID", Kind: channel.FieldText, Help: "The 10-character Apple developer team ID."},
			{Name: "certP12Base64", Label: ".p12 certificate", Kind: channel.FieldFile, Help: "Certificate authentication: the .p12 file, base64-encoded."},
			{Name: "certPassword", Label: "Certificate password", Kind: channel.FieldSecret},
		},
		Endpoints: []channel.Endpoint{
			{Name: "production-url", Default: apns2.HostProduction, Help: "APNs production gateway; for tests, demos and private gateways."},
			{Name: "sandbox-url", Default: apns2.HostDevelopment, Help: "APNs sandbox gateway."},
		},
	}
}

// Check implements channel.Vendor.
func (Vendor) Check(raw json.RawMessage) (channel.Checked, error) {
	var in input
	if err := channel.Decode(enum.ChannelAPNs, raw, &in); err != nil {
		return channel.Checked{}, err
	}
	c := Credentials{
		Environment: in.Environment, Topic: in.Topic, KeyP8: in.KeyP8, KeyID: in.KeyID, TeamID: in.TeamID,
		CertPassword: in.CertPassword,
	}
	if p := strings.TrimSpace(in.CertP12Base64); p != "" {
		b, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			return channel.Checked{}, core.Invalid("apns.certP12Base64", "is not base64")
		}
		c.CertP12 = b
	}
	sum, err := Check(c)
	if err != nil {
		return channel.Checked{}, err
	}
	stored, err := json.Marshal(c)
	return channel.Checked{Stored: stored, Summary: sum, Environment: c.Environment}, err
}

// NewSender implements channel.Vendor: the gateway is the endpoint of the
// credentials' environment.
func (Vendor) NewSender(stored json.RawMessage, o channel.Options) (core.Sender, error) {
	var c Credentials
	if err := channel.Decode(enum.ChannelAPNs, stored, &c); err != nil {
		return nil, err
	}
	o.BaseURL = o.Endpoints["production-url"]
	if c.Environment == Sandbox {
		o.BaseURL = o.Endpoints["sandbox-url"]
	}
	return New(c, o)
}
