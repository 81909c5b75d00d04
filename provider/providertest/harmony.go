package providertest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// HarmonyOptions configure a fake HarmonyOS Push Kit (the v3 API).
type HarmonyOptions struct {
	// ProjectID is the project of the service account (default random
	// digits).
	ProjectID string
	// DailyMarketingLimit is how many MARKETING notifications one device
	// shows a day; more are dropped with receipt 256 (default 2).
	DailyMarketingLimit int
	// ReceiptURL, if set, gets a signed V2 receipt for every token a send
	// took; ReceiptUserName and ReceiptKey sign them.
	ReceiptURL, ReceiptUserName, ReceiptKey string
	ReceiptClient                           *http.Client
	// Clock is the fake's time (default time.Now): JWTs are checked
	// against it, so a skewed Clock plays a server whose clock is off.
	Clock func() time.Time
}

// HarmonyFault is one answer the fake gives instead of handling a request.
type HarmonyFault struct {
	// Status is the HTTP status (0: 200); Code the body's code ("" with a
	// Status of 500 or more answers a gateway's plain-text error).
	Status int
	Code   string
}

// HarmonySend is one request that reached messages:send.
type HarmonySend struct {
	PushType int
	Request  HarmonyRequest
	// Status and Code are the answer's; Delivered the tokens shown,
	// Limited those over the device's daily marketing cap (receipt 256),
	// Deduplicated those that had this appMessageId within 24 hours.
	Status                           int
	Code                             string
	Delivered, Limited, Deduplicated []string
	At                               time.Time
}

// HarmonyRequest is a v3 body as the fake read it.
type HarmonyRequest struct {
	Payload struct {
		Notification *HarmonyNotification `json:"notification"`
		ExtraData    *string              `json:"extraData"`
	} `json:"payload"`
	Target struct {
		Token []string `json:"token"`
	} `json:"target"`
	PushOptions struct {
		TTL         *int   `json:"ttl"`
		BiTag       string `json:"biTag"`
		TestMessage bool   `json:"testMessage"`
		ReceiptID   string `json:"receiptId"`
	} `json:"pushOptions"`
}

// HarmonyNotification is payload.notification.
type HarmonyNotification struct {
	Category     string `json:"category"`
	Title        string `json:"title"`
	Body         string `json:"body"`
	Image        string `json:"image"`
	NotifyID     *int   `json:"notifyId"`
	AppMessageID string `json:"appMessageId"`
	ClickAction  *struct {
		ActionType int            `json:"actionType"`
		Action     string         `json:"action"`
		URI        string         `json:"uri"`
		Data       map[string]any `json:"data"`
	} `json:"clickAction"`
	Badge *struct {
		AddNum *int `json:"addNum"`
		SetNum *int `json:"setNum"`
	} `json:"badge"`
}

// HarmonyFake is a fake HarmonyOS Push Kit v3 over TLS:
// /v3/{projectId}/messages:send with a PS256 service-account JWT.
type HarmonyFake struct {
	Chaos
	// URL is the fake's base URL (https://127.0.0.1:port).
	URL string
	// Sends records every request that reached messages:send, Receipts
	// every receipt post.
	Sends    Log[HarmonySend]
	Receipts Log[ReceiptPost]

	srv     *httptest.Server
	o       HarmonyOptions
	key     *rsa.PrivateKey
	keyID   string
	account string

	mu      sync.Mutex
	reasons map[string]string // token → illegalTokens reason
	faults  faultQueue[HarmonyFault]
	daily   map[string]int       // MARKETING shown per token and Beijing day
	seen    map[string]time.Time // token/appMessageId → when first shown

	posts receiptPoster
}

// StartHarmony starts a fake HarmonyOS Push Kit.
func StartHarmony(o HarmonyOptions) (*HarmonyFake, error) {
	if o.ProjectID == "" {
		o.ProjectID = "1017" + strconv.Itoa(100000000+int(time.Now().UnixNano()%900000000))
	}
	if o.DailyMarketingLimit <= 0 {
		o.DailyMarketingLimit = 2
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	f := &HarmonyFake{o: o, key: key, keyID: strings.ToLower(rand.Text()), account: strconv.Itoa(int(time.Now().UnixNano() % 1e12)),
		reasons: map[string]string{}, daily: map[string]int{}, seen: map[string]time.Time{}}
	f.posts.start(o.ReceiptClient)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v3/{project}/messages:send", f.serveSend)
	f.srv = httptest.NewUnstartedServer(f.Wrap(mux))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.EnableHTTP2 = true
	f.srv.StartTLS()
	f.URL = f.srv.URL
	return f, nil
}

// Close stops the server and the receipt posts in flight.
func (f *HarmonyFake) Close() {
	f.posts.stop()
	f.srv.Close()
}

// CAPEM returns the PEM of the certificate the fake serves.
func (f *HarmonyFake) CAPEM() []byte { return CAPEM(f.srv) }

// Client returns an HTTP client that trusts the fake.
func (f *HarmonyFake) Client() *http.Client { return f.srv.Client() }

// ServiceAccountJSON is the key file of the fake's service account, as
// AppGallery Connect gives it.
func (f *HarmonyFake) ServiceAccountJSON() string {
	der, _ := x509.MarshalPKCS8PrivateKey(f.key)
	b, _ := json.MarshalIndent(map[string]string{
		"project_id": f.o.ProjectID, "key_id": f.keyID, "sub_account": f.account,
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"auth_uri":    "https://oauth-login.cloud.huawei.com/oauth2/v3/authorize",
		"token_uri":   "https://oauth-login.cloud.huawei.com/oauth2/v3/token",
	}, "", "  ")
	return string(b)
}

// Credentials returns what the fake accepts.
func (f *HarmonyFake) Credentials() HarmonyCredentials {
	f.mu.Lock()
	defer f.mu.Unlock()
	return HarmonyCredentials{ServiceAccountJSON: f.ServiceAccountJSON(), ReceiptUserName: f.o.ReceiptUserName, ReceiptKey: f.o.ReceiptKey}
}

// SignJWT signs claims with the fake's key as a service account would,
// for tests of the fake's checks.
func (f *HarmonyFake) SignJWT(method jwt.SigningMethod, claims jwt.MapClaims) string {
	t := jwt.NewWithClaims(method, claims)
	t.Header["kid"] = f.keyID
	s, _ := t.SignedString(f.key)
	return s
}

// Account is the service account's sub_account (the JWT's iss).
func (f *HarmonyFake) Account() string { return f.account }

// SetReceipts starts (or, with an empty url, stops) V2 receipts to url,
// signed with user and key.
func (f *HarmonyFake) SetReceipts(url, user, key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.o.ReceiptURL, f.o.ReceiptUserName, f.o.ReceiptKey = url, user, key
}

// SetToken makes the fake refuse token with reason, one of Push Kit's
// illegalTokens reasons (tokenFormatError, noRight, ...); "" accepts it.
func (f *HarmonyFake) SetToken(token, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reasons[token] = reason
}

// FailNext answers the next n send requests with fault.
func (f *HarmonyFake) FailNext(n int, fault HarmonyFault) { f.faults.add(n, fault) }

// answer writes Push Kit's JSON answer and records send.
func (f *HarmonyFake) answer(w http.ResponseWriter, send *HarmonySend, status int, code, msg string) {
	send.Status, send.Code = status, code
	f.Sends.Add(*send)
	if status >= 500 && code == "" {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "Service Unavailable")
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"code": code, "msg": msg, "requestId": rand.Text()})
}

// serveSend is POST /v3/{projectId}/messages:send.
func (f *HarmonyFake) serveSend(w http.ResponseWriter, r *http.Request) {
	send := HarmonySend{At: time.Now()}
	if ft, ok := f.faults.next(); ok {
		f.answer(w, &send, cmpStatus(ft.Status), ft.Code, "injected fault")
		return
	}
	if status, code, msg := f.checkJWT(r); code != "" {
		f.answer(w, &send, status, code, msg)
		return
	}
	pt, err := strconv.Atoi(r.Header.Get("push-type"))
	send.PushType = pt
	if err != nil || !harmonyPushTypes[pt] {
		f.answer(w, &send, http.StatusBadRequest, "80100003", "Illegal payload, The header does not contain valid push-type.")
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(raw, &send.Request)
	}
	if err != nil {
		f.answer(w, &send, http.StatusBadRequest, "80100001", "Check Parameter Error.")
		return
	}
	if code, msg := harmonyValidate(&send.Request, pt); code != "" {
		f.answer(w, &send, http.StatusBadRequest, code, msg)
		return
	}
	f.deliver(w, &send)
}

var harmonyPushTypes = map[int]bool{0: true, 1: true, 2: true, 6: true, 7: true, 10: true}

// checkJWT checks the bearer JWT: PS256 with the key's kid, iss the
// account, aud Push Kit's, unexpired, living at most a day, and the URL's
// project the account's.
func (f *HarmonyFake) checkJWT(r *http.Request) (int, string, string) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		return http.StatusUnauthorized, "80200001", "Authentication Error."
	}
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		if t.Header["kid"] != f.keyID {
			return nil, fmt.Errorf("unknown kid")
		}
		return &f.key.PublicKey, nil
	}, jwt.WithValidMethods([]string{"PS256"}), jwt.WithoutClaimsValidation())
	now := f.o.Clock()
	switch {
	case err != nil, claims.Issuer != f.account, len(claims.Audience) != 1 || claims.Audience[0] != harmonyAudience,
		claims.IssuedAt == nil, claims.ExpiresAt == nil, r.PathValue("project") != f.o.ProjectID:
		return http.StatusUnauthorized, "80200001", "Authentication Error."
	case !now.Before(claims.ExpiresAt.Time):
		return http.StatusUnauthorized, "80200005", "Jwt token expired."
	case claims.ExpiresAt.Sub(claims.IssuedAt.Time) > 24*time.Hour:
		return http.StatusBadRequest, "80300036", "JWT expire period over threshold."
	}
	return 0, "", ""
}

const harmonyAudience = "https://oauth-login.cloud.huawei.com/oauth2/v3/token"

// deliver sends a valid request to its tokens: refused tokens are named
// in illegalTokens, a marketing notification over the device's daily cap
// is dropped (receipt 256), an appMessageId a device had within 24 hours
// is not shown again.
func (f *HarmonyFake) deliver(w http.ResponseWriter, send *HarmonySend) {
	now := f.o.Clock()
	day := now.In(time.FixedZone("CST", 8*60*60)).Format(time.DateOnly)
	n := send.Request.Payload.Notification
	illegal := map[string][]string{}
	var receipts []harmonyStatus
	f.mu.Lock()
	for _, tok := range send.Request.Target.Token {
		if why := f.reasons[tok]; why != "" {
			illegal[why] = append(illegal[why], tok)
			continue
		}
		if n != nil && n.AppMessageID != "" {
			key := tok + "/" + n.AppMessageID
			if at, dup := f.seen[key]; dup && now.Sub(at) < 24*time.Hour {
				send.Deduplicated = append(send.Deduplicated, tok)
				continue
			}
			f.seen[key] = now
		}
		if n != nil && n.Category == "MARKETING" && !send.Request.PushOptions.TestMessage {
			if f.daily[tok+"/"+day]++; f.daily[tok+"/"+day] > f.o.DailyMarketingLimit {
				send.Limited = append(send.Limited, tok)
				receipts = append(receipts, harmonyStatus{tok, 256})
				continue
			}
		}
		send.Delivered = append(send.Delivered, tok)
		receipts = append(receipts, harmonyStatus{tok, 0})
	}
	url, user, key := f.o.ReceiptURL, f.o.ReceiptUserName, f.o.ReceiptKey
	f.mu.Unlock()
	failed := len(send.Request.Target.Token) - len(receipts) - len(send.Deduplicated)
	switch {
	case failed == 0:
		f.answer(w, send, http.StatusOK, "80000000", "Success.")
	default:
		msg, _ := json.Marshal(map[string]any{"illegalTokens": illegal, "success": len(send.Request.Target.Token) - failed, "failure": failed})
		code := "80100000"
		if failed == len(send.Request.Target.Token) {
			code = "80300007"
		}
		f.answer(w, send, http.StatusOK, code, string(msg))
	}
	if url != "" && len(receipts) > 0 {
		f.posts.post(f.v2Receipts(receipts, send, now, user, key), url, &f.Receipts)
	}
}

type harmonyStatus struct {
	token  string
	result int
}

// v2Receipts are the V2 receipt bodies of one send, up to 100 a post.
func (f *HarmonyFake) v2Receipts(rs []harmonyStatus, send *HarmonySend, now time.Time, user, key string) []receiptBatch {
	var out []receiptBatch
	for len(rs) > 0 {
		part := rs[:min(len(rs), 100)]
		rs = rs[len(part):]
		statuses := make([]map[string]any, len(part))
		tokens := make([]string, len(part))
		for i, s := range part {
			tokens[i] = s.token
			statuses[i] = map[string]any{"token": s.token, "pushType": send.PushType, "biTag": send.Request.PushOptions.BiTag,
				"requestId": rand.Text(), "appPackageName": "com.example.app",
				"deliveryStatus": map[string]any{"result": s.result, "timestamp": now.UnixMilli()}}
		}
		body, _ := json.Marshal(map[string]any{"statuses": statuses})
		b := receiptBatch{tokens: tokens, body: body, contentType: "application/json"}
		if user != "" || key != "" {
			b.header = func(at time.Time) (string, string) {
				return "X-HUAWEI-CALLBACK-ID", HuaweiSignReceipt(user, key, at)
			}
		}
		out = append(out, b)
	}
	return out
}
