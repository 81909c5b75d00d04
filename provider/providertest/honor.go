package providertest

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// HonorOptions configure a fake Honor Push server.
type HonorOptions struct {
	// AppID, ClientID and ClientSecret are what the fake accepts; empty
	// generates them.
	AppID, ClientID, ClientSecret string
	// TokenLifetime is the expires_in of issued access tokens (default an
	// hour).
	TokenLifetime time.Duration
	// DailyMarketingLimit is how many LOW-importance messages one device
	// shows a day; more are taken and not shown (default 2, Honor's cap for
	// apps other than news).
	DailyMarketingLimit int
	// SuccessCode is the code of a taken request (default 200; Honor's
	// clients also accept 80000000).
	SuccessCode int
	// Clock is the fake's time (default time.Now): the timestamp header is
	// checked against it, so a skewed Clock plays a server whose clock is
	// off.
	Clock func() time.Time
}

// HonorTokenState is what the fake does with one push token.
type HonorTokenState int

// Token states.
const (
	// HonorTokenOK: delivered (the default).
	HonorTokenOK HonorTokenState = iota
	// HonorTokenExpired: named in expireTokens.
	HonorTokenExpired
	// HonorTokenFailing: named in failTokens.
	HonorTokenFailing
)

// HonorFault is one answer the fake gives instead of handling a request.
type HonorFault struct {
	// Status is the HTTP status (0: 200).
	Status int
	// Code is the body's code; zero with a Status of 500 or more answers
	// a gateway's plain-text error.
	Code int
	// RetryAfter, if set, is sent as the Retry-After header.
	RetryAfter string
}

// HonorSend is one request that reached sendMessage.
type HonorSend struct {
	AppID   string
	Request HonorRequest
	// Code is the answer's code (0 when the fake refused it by status
	// alone); Status its HTTP status.
	Status, Code int
	// Delivered are the tokens the fake delivered (Limited: taken over the
	// device's daily marketing cap, not shown).
	Delivered, Limited []string
	At                 time.Time
}

// HonorRequest is a sendMessage body as the fake read it.
type HonorRequest struct {
	Token   []string `json:"token"`
	Data    *string  `json:"data"`
	Android *struct {
		TTL            string             `json:"ttl"`
		BiTag          string             `json:"biTag"`
		Data           *string            `json:"data"`
		TargetUserType int                `json:"targetUserType"`
		Notification   *HonorNotification `json:"notification"`
	} `json:"android"`
	Notification *struct {
		Title string `json:"title"`
		Body  string `json:"body"`
		Image string `json:"image"`
	} `json:"notification"`
}

// HonorNotification is android.notification.
type HonorNotification struct {
	Title       string `json:"title"`
	Body        string `json:"body"`
	Image       string `json:"image"`
	Importance  string `json:"importance"`
	Style       int    `json:"style"`
	ClickAction *struct {
		Type   int    `json:"type"`
		Intent string `json:"intent"`
		Action string `json:"action"`
		URL    string `json:"url"`
	} `json:"clickAction"`
	Buttons  []json.RawMessage `json:"buttons"`
	NotifyID int               `json:"notifyId"`
	Tag      string            `json:"tag"`
}

// HonorFake is a fake Honor Push server over TLS: the OAuth token
// endpoint (the official path and the legacy /auth/token) and
// /api/v1/{appId}/sendMessage.
type HonorFake struct {
	Chaos
	// URL is the fake's base URL (https://127.0.0.1:port).
	URL string
	// Sends records every request that reached sendMessage; Auths counts
	// the access tokens issued.
	Sends Log[HonorSend]
	Auths atomic.Int64

	srv *httptest.Server
	o   HonorOptions

	mu     sync.Mutex
	tokens map[string]time.Time
	states map[string]HonorTokenState
	faults faultQueue[HonorFault]
	// daily counts LOW messages shown per token and Beijing day.
	daily map[string]int

	closeOne sync.Once
}

// The fake's limits.
const (
	honorTokenPath       = "/auth/realms/developer/protocol/openid-connect/token"
	honorTimestampWindow = 10 * time.Minute
	honorMaxTokens       = 1000
	honorMaxTTL          = 1296000
	honorMaxButtons      = 3
)

// StartHonor starts a fake Honor Push server.
func StartHonor(o HonorOptions) (*HonorFake, error) {
	if o.AppID == "" {
		o.AppID = strconv.Itoa(104000000 + int(time.Now().UnixNano()%900000))
	}
	fillSecrets(&o.ClientID, &o.ClientSecret)
	if o.TokenLifetime <= 0 {
		o.TokenLifetime = time.Hour
	}
	if o.DailyMarketingLimit <= 0 {
		o.DailyMarketingLimit = 2
	}
	if o.SuccessCode == 0 {
		o.SuccessCode = 200
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	f := &HonorFake{o: o, tokens: map[string]time.Time{}, states: map[string]HonorTokenState{}, daily: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+honorTokenPath, f.serveToken)
	mux.HandleFunc("POST /auth/token", f.serveToken)
	mux.HandleFunc("POST /api/v1/{appId}/sendMessage", f.serveSend)
	f.srv = httptest.NewUnstartedServer(f.Wrap(mux))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	f.URL = f.srv.URL
	return f, nil
}

// Close stops the server.
func (f *HonorFake) Close() { f.closeOne.Do(f.srv.Close) }

// CAPEM returns the PEM of the certificate the fake serves.
func (f *HonorFake) CAPEM() []byte { return CAPEM(f.srv) }

// Client returns an HTTP client that trusts the fake.
func (f *HonorFake) Client() *http.Client { return f.srv.Client() }

// TokenURL is the fake's OAuth token endpoint.
func (f *HonorFake) TokenURL() string { return f.URL + honorTokenPath }

// Credentials returns what the fake accepts.
func (f *HonorFake) Credentials() HonorCredentials {
	return HonorCredentials{AppID: f.o.AppID, ClientID: f.o.ClientID, ClientSecret: f.o.ClientSecret}
}

// SetToken sets what the fake does with a push token.
func (f *HonorFake) SetToken(token string, s HonorTokenState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states[token] = s
}

// ExpireTokens makes every issued access token invalid.
func (f *HonorFake) ExpireTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.tokens)
}

// FailNext answers the next n send requests with fault.
func (f *HonorFake) FailNext(n int, fault HonorFault) { f.faults.add(n, fault) }

// serveToken is the OAuth client-credentials grant: a form with
// grant_type, client_id and client_secret.
func (f *HonorFake) serveToken(w http.ResponseWriter, r *http.Request) {
	oauthError := func(status int, code, why string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": why})
	}
	if r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		oauthError(http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type")
		return
	}
	if r.PostForm.Get("client_id") != f.o.ClientID || r.PostForm.Get("client_secret") != f.o.ClientSecret {
		oauthError(http.StatusUnauthorized, "unauthorized_client", "Invalid client secret")
		return
	}
	tok := "honor-" + rand.Text()
	f.mu.Lock()
	f.tokens[tok] = f.o.Clock().Add(f.o.TokenLifetime)
	f.mu.Unlock()
	f.Auths.Add(1)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "expires_in": int(f.o.TokenLifetime / time.Second), "token_type": "Bearer"})
}

// answer writes Honor's JSON answer and records send.
func (f *HonorFake) answer(w http.ResponseWriter, send *HonorSend, status, code int, message string, data map[string]any) {
	send.Status, send.Code = status, code
	f.Sends.Add(*send)
	if status >= 500 && code == 0 {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "Service Unavailable")
		return
	}
	body := map[string]any{"code": code, "message": message}
	if data != nil {
		body["data"] = data
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// serveSend is POST /api/v1/{appId}/sendMessage.
func (f *HonorFake) serveSend(w http.ResponseWriter, r *http.Request) {
	send := HonorSend{AppID: r.PathValue("appId"), At: time.Now()}
	if ft, ok := f.faults.next(); ok {
		if ft.RetryAfter != "" {
			w.Header().Set("Retry-After", ft.RetryAfter)
		}
		f.answer(w, &send, cmpStatus(ft.Status), ft.Code, "injected fault", nil)
		return
	}
	now := f.o.Clock()
	f.mu.Lock()
	exp, ok := f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	f.mu.Unlock()
	ms, tsErr := strconv.ParseInt(r.Header.Get("timestamp"), 10, 64)
	switch {
	case !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || !ok || !now.Before(exp):
		f.answer(w, &send, http.StatusUnauthorized, 401, "access token invalid or expired", nil)
		return
	case send.AppID != f.o.AppID:
		f.answer(w, &send, http.StatusForbidden, 403, "the appId does not match the access token", nil)
		return
	case tsErr != nil || now.Sub(time.UnixMilli(ms)).Abs() > honorTimestampWindow:
		f.answer(w, &send, http.StatusBadRequest, 400, "timestamp header missing or out of window", nil)
		return
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&send.Request); err != nil {
		f.answer(w, &send, http.StatusBadRequest, 400, "request body is not JSON", nil)
		return
	}
	if why := honorValidate(&send.Request); why != "" {
		f.answer(w, &send, http.StatusBadRequest, 400, why, nil)
		return
	}
	f.deliver(w, &send, now)
}

// deliver sends a valid request to its tokens.
func (f *HonorFake) deliver(w http.ResponseWriter, send *HonorSend, now time.Time) {
	day := now.In(time.FixedZone("CST", 8*60*60)).Format(time.DateOnly)
	// Test messages are exempt from the cap.
	marketing := send.Request.marketing() && send.Request.Android.TargetUserType == 0
	fail, expired := []string{}, []string{}
	f.mu.Lock()
	for _, tok := range send.Request.Token {
		switch f.states[tok] {
		case HonorTokenExpired:
			expired = append(expired, tok)
			continue
		case HonorTokenFailing:
			fail = append(fail, tok)
			continue
		}
		if key := tok + "/" + day; marketing {
			if f.daily[key]++; f.daily[key] > f.o.DailyMarketingLimit {
				send.Limited = append(send.Limited, tok)
				continue
			}
		}
		send.Delivered = append(send.Delivered, tok)
	}
	f.mu.Unlock()
	f.answer(w, send, http.StatusOK, f.o.SuccessCode, "success", map[string]any{
		"sendResult": len(send.Delivered)+len(send.Limited) > 0, "requestId": rand.Text(),
		"failTokens": fail, "expireTokens": expired,
	})
}
