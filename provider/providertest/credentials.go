package providertest

import (
	"encoding/json"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/push/core"
)

// The fakes' credentials are their own types, field for field the JSON
// each vendor package takes (a vendor's tests import these fakes, so the
// fakes cannot import the vendor packages). Input gives them in the API's
// form, as a client saves them.

// APNsCredentials are token-auth credentials an APNsFake accepts.
type APNsCredentials struct {
	Environment string `json:"environment"`
	Topic       string `json:"topic"`
	KeyP8       string `json:"keyP8"`
	KeyID       string `json:"keyID"`
	TeamID      string `json:"teamID"`
}

// Input returns c in the API's form.
func (c APNsCredentials) Input() core.Credentials { return input(enum.ChannelAPNs, c) }

// FCMCredentials are a service account's key file an FCMFake accepts.
type FCMCredentials struct {
	ServiceAccountJSON string `json:"serviceAccountJSON"`
}

// Input returns c in the API's form.
func (c FCMCredentials) Input() core.Credentials { return input(enum.ChannelFCM, c) }

// HuaweiCredentials are the OAuth client and receipt key a HuaweiFake
// accepts.
type HuaweiCredentials struct {
	AppID           string `json:"appID"`
	ClientSecret    string `json:"clientSecret"`
	ReceiptUserName string `json:"receiptUserName,omitempty"`
	ReceiptKey      string `json:"receiptKey,omitempty"`
}

// Input returns c in the API's form.
func (c HuaweiCredentials) Input() core.Credentials { return input(enum.ChannelHuawei, c) }

// XiaomiCredentials are the app secret and package a XiaomiFake accepts.
type XiaomiCredentials struct {
	AppSecret   string `json:"appSecret"`
	PackageName string `json:"packageName"`
}

// Input returns c in the API's form.
func (c XiaomiCredentials) Input() core.Credentials { return input(enum.ChannelXiaomi, c) }

func input(ch enum.Channel, c any) core.Credentials {
	raw, err := json.Marshal(c)
	if err != nil {
		panic(err) // structs of strings always marshal
	}
	return core.Credentials{Channel: ch, JSON: raw}
}

// APNs environments, as APNsOptions.Environment takes them.
const (
	APNsSandbox    = "SANDBOX"
	APNsProduction = "PRODUCTION"
)

// OPPOCredentials are the app key and master secret an OPPOFake accepts.
type OPPOCredentials struct {
	AppKey       string `json:"appKey"`
	MasterSecret string `json:"masterSecret"`
	ChannelID    string `json:"channelID,omitempty"`
}

// Input returns c in the API's form.
func (c OPPOCredentials) Input() core.Credentials { return input(enum.ChannelOPPO, c) }

// VivoCredentials are the app ID, key and secret a VivoFake accepts.
type VivoCredentials struct {
	AppID     string `json:"appID"`
	AppKey    string `json:"appKey"`
	AppSecret string `json:"appSecret"`
}

// Input returns c in the API's form.
func (c VivoCredentials) Input() core.Credentials { return input(enum.ChannelVIVO, c) }

// HonorCredentials are the App ID and OAuth client an HonorFake accepts.
type HonorCredentials struct {
	AppID        string `json:"appID"`
	ClientID     string `json:"clientID"`
	ClientSecret string `json:"clientSecret"`
}

// Input returns c in the API's form.
func (c HonorCredentials) Input() core.Credentials { return input(enum.ChannelHonor, c) }

// HarmonyCredentials are the service account key file (and receipt
// configuration) a HarmonyFake accepts.
type HarmonyCredentials struct {
	ServiceAccountJSON string `json:"serviceAccountJSON"`
	ReceiptUserName    string `json:"receiptUserName,omitempty"`
	ReceiptKey         string `json:"receiptKey,omitempty"`
}

// Input returns c in the API's form.
func (c HarmonyCredentials) Input() core.Credentials { return input(enum.ChannelHarmony, c) }

// MeizuCredentials are the App ID and secret a MeizuFake accepts.
type MeizuCredentials struct {
	AppID     string `json:"appID"`
	AppSecret string `json:"appSecret"`
}

// Input returns c in the API's form.
func (c MeizuCredentials) Input() core.Credentials { return input(enum.ChannelMeizu, c) }
