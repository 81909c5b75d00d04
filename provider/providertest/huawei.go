package providertest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// HuaweiOptions configure a fake Huawei Push Kit (v1 API and OAuth).
type HuaweiOptions struct {
	// AppID and ClientSecret are the app's OAuth client credentials;
	// generated when empty.
	AppID, ClientSecret string
	// TokenLifetime is the expires_in of the access tokens it issues
	// (default one hour); they are refused (80200003) once it has passed.
	TokenLifetime time.Duration
	// ReceiptURL, if set, gets a signed V1 receipt for every token of a
	// successful send, ReceiptUserName and ReceiptKey sign them (the key is
	// used Base64-decoded when it is Base64, as new configurations do), and
	// ReceiptClient posts them (default: a client with a 10 s timeout).
	ReceiptURL, ReceiptUserName, ReceiptKey string
	ReceiptClient                           *http.Client
}

// HuaweiTokenState scripts how the fake treats one device token.
type HuaweiTokenState struct {
	// Illegal tokens are refused at send: listed in illegal_tokens of a
	// partial success (80100000), or 80300007 when all of a request's
	// tokens are.
	Illegal bool
	// ReceiptStatus is the status of the token's receipts (0 delivered,
	// 2 uninstalled, 5 token invalid, 6 notifications off, …).
	ReceiptStatus int
}

// HuaweiFault is the answer to a send request made to fail by FailNext.
type HuaweiFault struct {
	// Status is the HTTP status; zero picks the usual one for Code.
	Status int
	// Code is the business code ("80200003", "81000001", …); it may be
	// empty for a bare HTTP error (503 traffic control).
	Code string
	// Msg defaults to Huawei's words for Code.
	Msg string
	// RetryAfter, if set, is sent as the Retry-After header.
	RetryAfter string
}

// HuaweiRequest is one send request the fake answered.
type HuaweiRequest struct {
	AppID         string
	Authorization string
	ValidateOnly  bool
	Tokens        []string
	Message       HuaweiMessage
	// Code is the business code of the answer.
	Code      string
	RequestID string
	At        time.Time
}

// HuaweiMessage is the decoded message of a send request.
type HuaweiMessage struct {
	Token        []string            `json:"token"`
	Topic        string              `json:"topic"`
	Condition    string              `json:"condition"`
	Data         string              `json:"data"`
	Notification *HuaweiNotification `json:"notification"`
	Android      *HuaweiAndroid      `json:"android"`
	APNs         json.RawMessage     `json:"apns"`
	WebPush      json.RawMessage     `json:"webpush"`
}

// DataMap decodes Data as the JSON object pushd sends.
func (m HuaweiMessage) DataMap() map[string]any {
	var v map[string]any
	_ = json.Unmarshal([]byte(m.Data), &v)
	return v
}

// HuaweiNotification is message.notification.
type HuaweiNotification struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	Image string `json:"image"`
}

// HuaweiAndroid is message.android (AndroidConfig).
type HuaweiAndroid struct {
	CollapseKey   *int                       `json:"collapse_key"`
	Urgency       string                     `json:"urgency"`
	Category      string                     `json:"category"`
	TTL           string                     `json:"ttl"`
	BiTag         string                     `json:"bi_tag"`
	ReceiptID     string                     `json:"receipt_id"`
	FastAppTarget int                        `json:"fast_app_target"`
	Data          string                     `json:"data"`
	Notification  *HuaweiAndroidNotification `json:"notification"`
}

// HuaweiAndroidNotification is android.notification (the fields pushd
// may send, and those the fake checks).
type HuaweiAndroidNotification struct {
	Title        string             `json:"title"`
	Body         string             `json:"body"`
	Icon         string             `json:"icon"`
	Color        string             `json:"color"`
	Sound        string             `json:"sound"`
	DefaultSound bool               `json:"default_sound"`
	Tag          string             `json:"tag"`
	ClickAction  *HuaweiClickAction `json:"click_action"`
	ChannelID    string             `json:"channel_id"`
	Image        string             `json:"image"`
	Style        int                `json:"style"`
	BigTitle     string             `json:"big_title"`
	BigBody      string             `json:"big_body"`
	NotifyID     *int               `json:"notify_id"`
	Badge        *HuaweiBadge       `json:"badge"`
	Importance   string             `json:"importance"`
	Visibility   string             `json:"visibility"`
}

// HuaweiClickAction is android.notification.click_action.
type HuaweiClickAction struct {
	Type         int    `json:"type"`
	Intent       string `json:"intent"`
	Action       string `json:"action"`
	URL          string `json:"url"`
	RichResource string `json:"rich_resource"`
}

// HuaweiBadge is android.notification.badge.
type HuaweiBadge struct {
	AddNum *int   `json:"add_num"`
	SetNum *int   `json:"set_num"`
	Class  string `json:"class"`
}

// HuaweiReceiptPost is one receipt callback the fake posted.
type HuaweiReceiptPost = ReceiptPost

// HuaweiFake is a fake Huawei Push Kit: the OAuth token endpoint and the v1
// send API, over TLS (HTTP/2).
type HuaweiFake struct {
	Chaos
	// URL is the base URL of both endpoints.
	URL string
	// Requests records every send request, Receipts every receipt post.
	Requests Log[HuaweiRequest]
	Receipts Log[HuaweiReceiptPost]

	srv        *httptest.Server
	o          HuaweiOptions
	lifetime   time.Duration
	tokenCalls atomic.Int64
	reqSeq     atomic.Int64

	mu     sync.RWMutex
	issued map[string]time.Time // access token → expiry
	tokens map[string]HuaweiTokenState
	faults []HuaweiFault

	posts receiptPoster
}

// StartHuawei starts a fake Push Kit.
func StartHuawei(o HuaweiOptions) (*HuaweiFake, error) {
	if o.AppID == "" {
		o.AppID = huaweiDigits(9)
	}
	if o.ClientSecret == "" {
		o.ClientSecret = huaweiRandomHex(32)
	}
	if o.ReceiptClient == nil {
		o.ReceiptClient = &http.Client{Timeout: 10 * time.Second}
	}
	f := &HuaweiFake{
		o:        o,
		lifetime: o.TokenLifetime,
		issued:   map[string]time.Time{},
		tokens:   map[string]HuaweiTokenState{},
	}
	if f.lifetime <= 0 {
		f.lifetime = time.Hour
	}
	f.posts.start(o.ReceiptClient)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/v3/token", f.token)
	mux.HandleFunc("POST /v1/{app}/messages:send", f.send)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		huaweiAnswer(w, http.StatusNotFound, "", "service not found", "")
	})
	f.srv = httptest.NewUnstartedServer(f.Wrap(mux))
	f.srv.EnableHTTP2 = true
	f.srv.StartTLS()
	f.URL = f.srv.URL
	return f, nil
}

// Close stops the server and the receipt posts in flight.
func (f *HuaweiFake) Close() {
	f.posts.stop()
	f.srv.Close()
}

// CAPEM returns the PEM certificate that clients must trust.
func (f *HuaweiFake) CAPEM() []byte { return CAPEM(f.srv) }

// Client returns an HTTP client that trusts the fake.
func (f *HuaweiFake) Client() *http.Client { return f.srv.Client() }

// TokenURL is the fake's OAuth token endpoint.
func (f *HuaweiFake) TokenURL() string { return f.URL + "/oauth2/v3/token" }

// Credentials are what pushd must be configured with to use the fake.
func (f *HuaweiFake) Credentials() HuaweiCredentials {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return HuaweiCredentials{
		AppID:           f.o.AppID,
		ClientSecret:    f.o.ClientSecret,
		ReceiptUserName: f.o.ReceiptUserName,
		ReceiptKey:      f.o.ReceiptKey,
	}
}

// SetReceipts starts (or, with an empty url, stops) receipts to url,
// signed with user and key: the receipt configuration of AppGallery
// Connect, which names pushd's URL for one channel config.
func (f *HuaweiFake) SetReceipts(url, user, key string) {
	f.mu.Lock()
	f.o.ReceiptURL, f.o.ReceiptUserName, f.o.ReceiptKey = url, user, key
	f.mu.Unlock()
}

// SetHuaweiToken scripts how a device token is treated.
func (f *HuaweiFake) SetHuaweiToken(token string, s HuaweiTokenState) {
	f.mu.Lock()
	f.tokens[token] = s
	f.mu.Unlock()
}

// FailNext makes the next n send requests fail with fault, whatever
// their tokens and credentials.
func (f *HuaweiFake) FailNext(n int, fault HuaweiFault) {
	f.mu.Lock()
	for range n {
		f.faults = append(f.faults, fault)
	}
	f.mu.Unlock()
}

// ExpireTokens makes every access token issued so far expired (80200003).
func (f *HuaweiFake) ExpireTokens() {
	f.mu.Lock()
	for t := range f.issued {
		f.issued[t] = time.Time{}
	}
	f.mu.Unlock()
}

// TokenRequests counts the calls of the OAuth token endpoint.
func (f *HuaweiFake) TokenRequests() int { return int(f.tokenCalls.Load()) }

// WaitReceipts waits until n receipt posts were recorded (answered or
// failed), and returns them.
func (f *HuaweiFake) WaitReceipts(ctx context.Context, n int) ([]HuaweiReceiptPost, error) {
	return f.Receipts.Wait(ctx, n)
}

// token is the OAuth 2.0 client-credentials endpoint.
func (f *HuaweiFake) token(w http.ResponseWriter, r *http.Request) {
	f.tokenCalls.Add(1)
	refuse := func(status, code, sub int, desc string) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"sub_error":%d,"error_description":%q,"error":%d}`, sub, desc, code)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		refuse(http.StatusBadRequest, 1101, 20001, "invalid request: Content-Type must be application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		refuse(http.StatusBadRequest, 1101, 20001, "invalid request")
		return
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		refuse(http.StatusBadRequest, 1102, 20003, "unsupported grant_type")
		return
	case r.PostForm.Get("client_id") != f.o.AppID:
		refuse(http.StatusBadRequest, 1101, 20003, "invalid client_id")
		return
	case r.PostForm.Get("client_secret") != f.o.ClientSecret:
		refuse(http.StatusUnauthorized, 1101, 20186, "invalid client_secret")
		return
	}
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	tok := "DAEDA" + base64.StdEncoding.EncodeToString(b) // like Huawei's, it may hold '/' and '+'
	f.mu.Lock()
	f.issued[tok] = time.Now().Add(f.lifetime)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	// Huawei escapes '/' as "\/": clients must decode JSON, not cut text.
	fmt.Fprintf(w, `{"access_token":"%s","expires_in":%d,"token_type":"Bearer"}`,
		strings.ReplaceAll(tok, "/", `\/`), int64(f.lifetime/time.Second))
}

// huaweiWords are Huawei's messages for its business codes.
var huaweiWords = map[string]string{
	"80000000": "Success",
	"80100001": "Some request parameters are incorrect",
	"80100003": "Incorrect message structure",
	"80100004": "The message expiration time is earlier than the current time",
	"80100013": "The collapse_key message field is invalid",
	"80100016": "The message contains sensitive information",
	"80100017": "A maximum of 100 topic-based messages can be sent at the same time",
	"80100018": "Invalid message body",
	"80200001": "Oauth authentication error",
	"80200003": "Oauth Token expired",
	"80300002": "There is no permission to send message to these tmIDs",
	"80300007": "All the tokens are invalid",
	"80300008": "The message body size exceeds the default value",
	"80300010": "The number of tokens in the message body exceeds the default value",
	"80300011": "No permission to send high-level notification messages",
	"80600003": "Request OAuth service failed",
	"81000001": "System inner error",
}

// huaweiStatus is the HTTP status the fake pairs with a business code.
func huaweiStatus(code string) int {
	switch {
	case code == "80000000", code == "80100000", code == "80300007":
		return http.StatusOK
	case strings.HasPrefix(code, "802"):
		return http.StatusUnauthorized
	case strings.HasPrefix(code, "81"), code == "80600003":
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

func huaweiAnswer(w http.ResponseWriter, status int, code, msg, requestID string) {
	if msg == "" {
		msg = huaweiWords[code]
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	body := map[string]string{"msg": msg}
	if code != "" {
		body["code"] = code
	}
	if requestID != "" {
		body["requestId"] = requestID
	}
	_ = json.NewEncoder(w).Encode(body)
}

// send is POST /v1/{app}/messages:send.
func (f *HuaweiFake) send(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	rec := HuaweiRequest{
		AppID:         r.PathValue("app"),
		Authorization: r.Header.Get("Authorization"),
		RequestID:     strconv.FormatInt(now.UnixMilli(), 10) + fmt.Sprintf("%09d", f.reqSeq.Add(1)%1e9),
		At:            now,
	}
	answer := func(status int, code, msg string) {
		if status == 0 {
			status = huaweiStatus(code)
		}
		rec.Code = code
		f.Requests.Add(rec)
		huaweiAnswer(w, status, code, msg, rec.RequestID)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return
	}
	var wire huaweiSendBody
	jsonErr := json.Unmarshal(body, &wire)
	if wire.Message != nil {
		rec.Message, rec.Tokens, rec.ValidateOnly = *wire.Message, wire.Message.Token, wire.ValidateOnly
	}
	if fault, ok := f.nextFault(); ok {
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		answer(fault.Status, fault.Code, fault.Msg)
		return
	}
	if code := f.checkAuth(rec.Authorization, rec.AppID, now); code != "" {
		answer(0, code, "")
		return
	}
	if code, msg := huaweiCheckBody(wire, body, jsonErr); code != "" {
		answer(0, code, msg)
		return
	}
	good, code, msg := f.sortTokens(rec.Tokens)
	answer(0, code, msg)
	if len(good) > 0 && !wire.ValidateOnly {
		f.mu.RLock()
		receipts := f.o.ReceiptURL != ""
		f.mu.RUnlock()
		if receipts {
			biTag := ""
			if wire.Message.Android != nil {
				biTag = wire.Message.Android.BiTag
			}
			f.receipts(good, biTag, rec.RequestID)
		}
	}
}

// huaweiSendBody is the body of messages:send.
type huaweiSendBody struct {
	ValidateOnly bool           `json:"validate_only"`
	Message      *HuaweiMessage `json:"message"`
}

// huaweiCheckBody returns the business code and message refusing a send
// body that did not decode or breaks a field rule, or "".
func huaweiCheckBody(wire huaweiSendBody, body []byte, jsonErr error) (string, string) {
	if jsonErr != nil {
		var te *json.UnmarshalTypeError
		if errors.As(jsonErr, &te) {
			return "80100003", "Illegal payload, " + te.Field + " must be a " + huaweiKind(te.Field)
		}
		return "80100003", "Illegal payload, the body is not JSON"
	}
	if wire.Message == nil {
		return "80300010", ""
	}
	return huaweiValidate(wire.Message, body)
}

// sortTokens splits a send's tokens into those the fake delivers and the
// illegal ones, and returns the delivered ones with the answer: all
// illegal, some (with the counts and the illegal tokens), or success.
func (f *HuaweiFake) sortTokens(tokens []string) (good []string, code, msg string) {
	var illegal []string
	f.mu.RLock()
	for _, t := range tokens {
		if f.tokens[t].Illegal {
			illegal = append(illegal, t)
		} else {
			good = append(good, t)
		}
	}
	f.mu.RUnlock()
	switch {
	case len(tokens) > 0 && len(good) == 0:
		return nil, "80300007", ""
	case len(illegal) > 0:
		b, _ := json.Marshal(map[string]any{"success": len(good), "failure": len(illegal), "illegal_tokens": illegal})
		return good, "80100000", string(b)
	default:
		return good, "80000000", ""
	}
}

func huaweiKind(field string) string {
	switch {
	case strings.HasSuffix(field, "data"), strings.HasSuffix(field, "ttl"), strings.HasSuffix(field, "urgency"):
		return "string"
	case strings.HasSuffix(field, "token"):
		return "string array"
	}
	return "valid value"
}

func (f *HuaweiFake) nextFault() (HuaweiFault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.faults) == 0 {
		return HuaweiFault{}, false
	}
	fault := f.faults[0]
	f.faults = f.faults[1:]
	return fault, true
}

// checkAuth returns the business code refusing the Authorization header,
// or "".
func (f *HuaweiFake) checkAuth(header, app string, now time.Time) string {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || tok == "" {
		return "80200001"
	}
	f.mu.RLock()
	exp, issued := f.issued[tok]
	f.mu.RUnlock()
	switch {
	case !issued || app != f.o.AppID:
		return "80200001"
	case !now.Before(exp):
		return "80200003"
	}
	return ""
}

func huaweiUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func huaweiRandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func huaweiDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}
