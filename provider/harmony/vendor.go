package harmony

import (
	"encoding/json"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/provider/huawei"
	"github.com/pushd/pushd/push/core"
)

// Credentials are a HarmonyOS app's service account key file (from
// AppGallery Connect's API console), which signs the JWTs pushd sends as
// bearer tokens, and optionally the user name and key of the project's
// receipt configuration, which sign the receipts Huawei posts back.
type Credentials struct {
	ServiceAccountJSON string `json:"serviceAccountJSON"`
	ReceiptUserName    string `json:"receiptUserName,omitempty"`
	ReceiptKey         string `json:"receiptKey,omitempty"`
}

// Input returns c in the API's form, as a client saves it.
func (c Credentials) Input() core.Credentials { return channel.InputOf(enum.ChannelHarmony, c) }

// Vendor is HarmonyOS Push Kit v3 in the provider registry: the one way to
// reach a HarmonyOS 5 (HarmonyOS NEXT) device whose app is not running.
type Vendor struct{}

// Channel implements channel.Vendor.
func (Vendor) Channel() enum.Channel { return enum.ChannelHarmony }

// Describe implements channel.Vendor.
func (Vendor) Describe() channel.Description {
	return channel.Description{
		Name:      "HarmonyOS Push Kit",
		Platforms: []enum.Platform{enum.PlatformHarmony},
		Fields: []channel.Field{
			{Name: "serviceAccountJSON", Label: "Service account key", Kind: channel.FieldFile, Required: true,
				Help: "The JSON key file of a service account of the project (AppGallery Connect, API console); its project_id is the project pushd sends for."},
			{Name: "receiptUserName", Label: "Receipt user name", Kind: channel.FieldText,
				Help: "The user name of the project's receipt configuration (version V2) in AppGallery Connect, to verify receipts."},
			{Name: "receiptKey", Label: "Receipt key", Kind: channel.FieldSecret, Help: "The key of that receipt configuration."},
		},
		Endpoints: []channel.Endpoint{
			{Name: "url", Default: DefaultURL, Help: "HarmonyOS Push Kit base URL."},
		},
		Receipts:           "Set the channel's receipt URL, with the receipt user name and key, as a V2 receipt configuration of the project in AppGallery Connect.",
		MarketingPerDevice: 2,
	}
}

// Check implements channel.Vendor.
func (Vendor) Check(raw json.RawMessage) (channel.Checked, error) {
	return channel.CheckAs(enum.ChannelHarmony, raw, Check)
}

// NewSender implements channel.Vendor.
func (Vendor) NewSender(stored json.RawMessage, o channel.Options) (core.Sender, error) {
	return channel.OpenAs(enum.ChannelHarmony, stored, o, New)
}

// ParseReceipts implements channel.ReceiptParser: V2 receipts, signed as
// Push Kit's V1 ones are, with the receipt configuration's user name and
// key.
func (Vendor) ParseReceipts(cb channel.ReceiptCallback) ([]core.VendorReceipt, []byte, error) {
	var c Credentials
	if err := json.Unmarshal(cb.Stored, &c); err != nil {
		return nil, nil, err
	}
	if c.ReceiptUserName == "" {
		return nil, nil, channel.ErrReceiptsOff
	}
	receipts, err := huawei.ParseReceipts(cb.Header, cb.Body, c.ReceiptUserName, c.ReceiptKey, cb.Now)
	return receipts, huawei.ReceiptResponse(), err
}
