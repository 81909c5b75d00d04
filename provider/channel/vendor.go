package channel

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/push/core"
)

// Vendor is one vendor channel. Each vendor package implements it once and
// provider.Vendors lists them, in the order a device's tokens are
// preferred; nothing outside provider/ knows a vendor by name.
type Vendor interface {
	// Channel is the vendor's stored name. Its lower-case form
	// (core.ChannelKey) names the vendor everywhere else: its member of
	// the credentials input and of the sealed credentials, its device
	// token key, its receipt URL and its settings.
	Channel() enum.Channel
	// Describe says what the API, the console and the settings show.
	Describe() Description
	// Check parses credentials in the API's form (the JSON of the vendor's
	// member of the credentials input), validates them and returns what to
	// seal and what may be shown. Errors are core.Invalid, naming the
	// field as "<key>.<field>".
	Check(input json.RawMessage) (Checked, error)
	// NewSender builds the sender of stored credentials (Checked.Stored).
	NewSender(stored json.RawMessage, o Options) (core.Sender, error)
}

// ReceiptParser is a Vendor that posts delivery receipts back to pushd.
type ReceiptParser interface {
	// ParseReceipts verifies one receipt callback and reads its receipts.
	// The reply is the body the vendor expects back (nil: an empty 200).
	// A callback the stored credentials cannot verify is ErrReceiptsOff
	// (receipts are not set up) or another error (a bad signature); a
	// verified body that is not a receipt is core.Invalid.
	ParseReceipts(cb ReceiptCallback) (receipts []core.VendorReceipt, reply []byte, err error)
}

// ErrReceiptsOff: the stored credentials hold nothing to verify receipts
// with, so none are accepted (unsigned receipts would let anyone who
// learns the URL fail deliveries and kill tokens).
var ErrReceiptsOff = errors.New("receipts need their verification key in the channel config")

// ReceiptCallback is one receipt request, read.
type ReceiptCallback struct {
	Header http.Header
	Body   []byte
	// Stored are the config's credentials, as Checked.Stored.
	Stored json.RawMessage
	// CheckTag returns the job a tag pushd sent (Options.CallbackParam)
	// names, when the tag is genuine.
	CheckTag func(tag string) (job string, ok bool)
	Now      time.Time
}

// Checked are credentials that passed Vendor.Check.
type Checked struct {
	// Stored is what is sealed and later given to NewSender.
	Stored json.RawMessage
	// Summary is what the console may show (key IDs, project, expiry;
	// never a secret).
	Summary map[string]any
	// Environment is the vendor environment the credentials belong to,
	// for vendors with more than one ("SANDBOX" or "PRODUCTION"); "" else.
	Environment string
}

// Description is what a vendor tells the API, the console and the
// settings about itself.
type Description struct {
	// Name is the vendor's service as its users know it.
	Name string
	// Platforms are the device platforms whose tokens the vendor takes.
	Platforms []enum.Platform
	// Fields are the credentials input's fields, in the order a form
	// shows them.
	Fields []Field
	// Endpoints are the vendor URLs an operator may point elsewhere
	// (private gateways, regions, test fakes).
	Endpoints []Endpoint
	// Receipts says how the vendor's delivery receipts are set up; ""
	// when the vendor posts none (its deliveries stay SENT).
	Receipts string
	// MarketingPerDevice is how many content and marketing messages the
	// vendor shows one device a day (days of Beijing time); 0 when it
	// caps none. pushd counts them and holds or fails the rest, by the
	// app's quota policy. It is the cap of apps other than news apps,
	// which vendors that tell the two apart allow more.
	MarketingPerDevice int
}

// FieldKind is how a form takes a credentials field.
type FieldKind string

// Field kinds.
const (
	FieldText   FieldKind = "TEXT"
	FieldSecret FieldKind = "SECRET"
	// FieldFile is a file's text (a key file), or base64 for a binary one
	// (the field's name ends in Base64).
	FieldFile   FieldKind = "FILE"
	FieldChoice FieldKind = "CHOICE"
)

// Field is one field of a vendor's credentials input.
type Field struct {
	// Name is the field's name in the API input.
	Name     string
	Label    string
	Help     string
	Kind     FieldKind
	Required bool
	// Choices are the values of a FieldChoice.
	Choices []string
}

// Endpoint is one vendor URL an operator may override.
type Endpoint struct {
	// Name keys Options.Endpoints, e.g. "url" or "auth-url"; the setting
	// is PUSHD_<KEY>_<NAME> (EndpointEnv).
	Name    string
	Default string
	Help    string
}

// EndpointEnv is the environment variable that overrides a vendor's
// endpoint: PUSHD_, the vendor's key and the endpoint's name, upper case,
// dashes as underscores.
func EndpointEnv(ch enum.Channel, name string) string {
	return "PUSHD_" + strings.ToUpper(strings.ReplaceAll(core.ChannelKey(ch)+"_"+name, "-", "_"))
}

// EndpointFlag is EndpointEnv's command-line flag, without the dash.
func EndpointFlag(ch enum.Channel, name string) string {
	return core.ChannelKey(ch) + "-" + name
}

// Decode reads a vendor's JSON into v, naming the vendor's key in the
// error.
func Decode(ch enum.Channel, raw json.RawMessage, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return core.Invalid(core.ChannelKey(ch), "is not a credentials object: %v", err)
	}
	return nil
}

// CheckAs is Vendor.Check for a vendor whose API form of the credentials
// is also their stored form, T: decode, check, store as decoded.
func CheckAs[T any](ch enum.Channel, raw json.RawMessage, check func(T) (map[string]any, error)) (Checked, error) {
	var c T
	if err := Decode(ch, raw, &c); err != nil {
		return Checked{}, err
	}
	sum, err := check(c)
	if err != nil {
		return Checked{}, err
	}
	stored, err := json.Marshal(c)
	return Checked{Stored: stored, Summary: sum}, err
}

// OpenAs is Vendor.NewSender for a vendor whose stored credentials are a
// T: o's BaseURL and AuthURL are the endpoints named "url" and
// "auth-url".
func OpenAs[T any, S core.Sender](ch enum.Channel, stored json.RawMessage, o Options, open func(T, Options) (S, error)) (core.Sender, error) {
	var c T
	if err := Decode(ch, stored, &c); err != nil {
		return nil, err
	}
	o.BaseURL, o.AuthURL = o.Endpoints["url"], o.Endpoints["auth-url"]
	return open(c, o)
}

// InputOf is a credentials value c of channel ch in the API's form, for a
// vendor whose API form is its stored form.
func InputOf(ch enum.Channel, c any) core.Credentials {
	raw, err := json.Marshal(c)
	if err != nil {
		panic(err) // credentials are plain structs of strings
	}
	return core.Credentials{Channel: ch, JSON: raw}
}
