package huawei

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
)

// CallbackHeader carries the signature of a receipt.
const CallbackHeader = "X-HUAWEI-CALLBACK-ID"

// ReceiptSkew is how far a receipt's signing time may be from now.
const ReceiptSkew = 10 * time.Minute

// MaxReceipts is how many statuses one receipt callback may carry.
const MaxReceipts = 1000

// receiptBody is a receipt callback: V1 (Push Kit v1, a status and its
// timestamp on each) or V2 (the v3 API of HarmonyOS 5, a deliveryStatus
// on each). Both are signed alike.
type receiptBody struct {
	Statuses []receiptStatus `json:"statuses"`
}

type receiptStatus struct {
	BiTag          string      `json:"biTag"`
	AppID          string      `json:"appid"`
	Token          string      `json:"token"`
	Status         json.Number `json:"status"`
	Timestamp      json.Number `json:"timestamp"`
	RequestID      string      `json:"requestId"`
	DeliveryStatus *struct {
		Result    json.Number `json:"result"`
		Timestamp json.Number `json:"timestamp"`
	} `json:"deliveryStatus"`
	FormStatus json.RawMessage `json:"formStatus"`
}

// receiptCodes says what a receipt status means.
var receiptCodes = map[int64]string{
	0:   "delivered",
	2:   "app not installed",
	5:   "token not valid on the device",
	6:   "notifications are off",
	10:  "device inactive for 30 days",
	14:  "internal network error",
	15:  "replaced by a newer offline message",
	22:  "target user mismatch",
	27:  "app process not running",
	31:  "target page not found",
	51:  "device not unlocked since reboot",
	102: "frequency control",
	144: "profile does not exist",
	151: "not shown",
	188: "failed to launch the app",
	191: "badge update failed",
	201: "held under send control",
	256: "scenario frequency limit",
	259: "rejected content",
	264: "not subscribed",
}

// ParseReceipts verifies and reads one V1 or V2 receipt callback that
// Huawei posted: h its headers, body its body. When the credential has a receipt
// user name and key, the X-HUAWEI-CALLBACK-ID signature must match and be
// signed within ReceiptSkew of now; a bad or missing signature is a
// *push.Error with CodeUnauthenticated, a malformed body one with
// CodeInvalidArgument. JobID is the bi_tag Send set.
func ParseReceipts(h http.Header, body []byte, userName, key string, now time.Time) ([]core.VendorReceipt, error) {
	if userName != "" || key != "" {
		if err := verify(header(h, CallbackHeader), userName, key, now); err != nil {
			return nil, &core.Error{Code: core.CodeUnauthenticated, Message: "Huawei receipt: " + err.Error()}
		}
	}
	var b receiptBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, core.Invalid("statuses", "is not a Huawei receipt: %v", err)
	}
	if len(b.Statuses) == 0 || len(b.Statuses) > MaxReceipts {
		return nil, core.Invalid("statuses", "must hold 1 to %d receipts, not %d", MaxReceipts, len(b.Statuses))
	}
	out := make([]core.VendorReceipt, 0, len(b.Statuses))
	for i, s := range b.Statuses {
		if s.DeliveryStatus != nil && s.Status == "" {
			s.Status, s.Timestamp = s.DeliveryStatus.Result, s.DeliveryStatus.Timestamp
		}
		if s.Status == "" && len(s.FormStatus) > 0 {
			continue // a service widget's refresh: pushd sends none
		}
		code, err := s.Status.Int64()
		if err != nil {
			return nil, core.Invalid(fmt.Sprintf("statuses[%d].status", i), "must be a number")
		}
		if s.Token == "" {
			return nil, core.Invalid(fmt.Sprintf("statuses[%d].token", i), "is required")
		}
		r := core.VendorReceipt{JobID: nodeid.ID(s.BiTag), Token: s.Token, At: now}
		if ms, err := s.Timestamp.Int64(); err == nil && ms > 0 {
			r.At = time.UnixMilli(ms)
		}
		switch code {
		case 0:
			r.Event = core.ReceiptArrived
		case 27, 51:
			// Not final: cached until the app runs or the phone is
			// unlocked; a later receipt says what became of it.
			continue
		case 2, 5, 10, 201:
			r.Event = core.ReceiptTokenDead
		default:
			r.Event = core.ReceiptFailed
		}
		if code != 0 {
			words, ok := receiptCodes[code]
			if !ok {
				words = "not delivered"
			}
			r.Reason = fmt.Sprintf("Huawei receipt %d: %s", code, words)
		}
		out = append(out, r)
	}
	return out, nil
}

// header reads h[name], also when h was built by hand with a
// non-canonical key.
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// verify checks "timestamp=<ms>;nonce=<n>;value=<signature>".
func verify(header, userName, key string, now time.Time) error {
	if header == "" {
		return fmt.Errorf("no %s header", CallbackHeader)
	}
	var ts, nonce, value string
	for part := range strings.SplitSeq(header, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "timestamp":
			ts = strings.TrimSpace(v)
		case "nonce":
			nonce = strings.TrimSpace(v)
		case "value":
			value = strings.TrimSpace(v)
		}
	}
	if ts == "" || nonce == "" || value == "" {
		return fmt.Errorf("%s lacks timestamp, nonce or value", CallbackHeader)
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("%s timestamp is not a number", CallbackHeader)
	}
	at := time.UnixMilli(n)
	if n < 1e11 { // older configurations sign in seconds
		at = time.Unix(n, 0)
	}
	if d := now.Sub(at); d > ReceiptSkew || d < -ReceiptSkew {
		return fmt.Errorf("%s timestamp is %s away from now", CallbackHeader, d.Round(time.Second))
	}
	got, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return fmt.Errorf("%s value is not Base64", CallbackHeader)
	}
	msg := []byte(ts + nonce + userName)
	// Newer configurations sign with the Base64-decoded key, older ones
	// with its text.
	if k, err := base64.StdEncoding.DecodeString(key); err == nil && len(k) > 0 && hmac.Equal(got, sign(k, msg)) {
		return nil
	}
	if hmac.Equal(got, sign([]byte(key), msg)) {
		return nil
	}
	return fmt.Errorf("%s signature does not match the receipt user name and key", CallbackHeader)
}

func sign(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// ReceiptResponse is the body to answer a receipt callback with (HTTP 200,
// application/json): current Huawei docs read code/message, the V1 docs
// errno/errmsg, so it carries both.
func ReceiptResponse() []byte {
	return []byte(`{"code":"0","message":"success","errno":0,"errmsg":"success"}`)
}
