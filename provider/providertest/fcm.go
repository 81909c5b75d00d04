package providertest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pushd/pushd/push"
)

// FCMOptions configure the FCM fake.
type FCMOptions struct {
	// ProjectID is the Firebase project the fake serves; "pushd-fake"
	// when empty.
	ProjectID string
}

// FCMFault is a scripted FCM error answer. The zero FCMFault means none.
type FCMFault struct {
	// Status is the HTTP status; zero means the status FCM uses for
	// ErrorCode (400 INVALID_ARGUMENT, 404 UNREGISTERED, 403
	// SENDER_ID_MISMATCH, 429 QUOTA_EXCEEDED, 503 UNAVAILABLE, 500
	// INTERNAL, 401 THIRD_PARTY_AUTH_ERROR).
	Status int
	// ErrorCode is the FcmError detail's errorCode; empty sends the
	// Google error envelope without a FcmError detail (a bad OAuth token,
	// a missing permission, a bare 429). On the token endpoint it is the
	// OAuth error ("invalid_grant" when empty).
	ErrorCode string
	// Message is the envelope's message (FCM's wording when empty).
	Message string
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
}

func (f FCMFault) zero() bool { return f == FCMFault{} }

// FCMSend is one messages:send request the fake received.
type FCMSend struct {
	Project string
	// Token is the message's registration token ("" for topic or
	// condition messages).
	Token string
	// Message is the request's "message" object as sent.
	Message      json.RawMessage
	ValidateOnly bool
	// Status is the HTTP status the fake answered.
	Status int
	At     time.Time
}

// Decoded returns the message as generic JSON.
func (s FCMSend) Decoded() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(s.Message, &m)
	return m
}

// FCMFake is a fake of FCM HTTP v1 and of Google's OAuth token endpoint for
// service accounts, served over TLS (HTTP/2).
type FCMFake struct {
	Chaos
	// URL is the fake's base URL: the FCM API is URL+"/v1" and the
	// token endpoint URL+"/token".
	URL       string
	ProjectID string
	// Sends records every messages:send request that passed
	// authentication, with the answer's status.
	Sends Log[FCMSend]

	srv         *httptest.Server
	key         *rsa.PrivateKey
	keyID       string
	clientEmail string

	tokenRequests atomic.Int64
	nextID        atomic.Int64

	mu         sync.Mutex
	issued     map[string]time.Time // access token → expiry
	faults     map[string]FCMFault  // registration token → fault
	next       FCMFault
	nextN      int
	tokenNext  FCMFault
	tokenNextN int
}

// fcmKey is the RSA key every FCM fake signs for: generating a 2048-bit
// key is slow, and each fake's credentials differ in client email, key ID
// and token URL anyway.
var fcmKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// StartFCM starts an FCM fake.
func StartFCM(o FCMOptions) (*FCMFake, error) {
	if o.ProjectID == "" {
		o.ProjectID = "pushd-fake"
	}
	key, err := fcmKey()
	if err != nil {
		return nil, err
	}
	f := &FCMFake{
		ProjectID:   o.ProjectID,
		key:         key,
		keyID:       fcmRandHex(20),
		clientEmail: "firebase-adminsdk@" + o.ProjectID + ".iam.gserviceaccount.com",
		issued:      map[string]time.Time{},
		faults:      map[string]FCMFault{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", f.serveToken)
	mux.HandleFunc("POST /v1/projects/{rest...}", f.serveSend)
	f.srv = httptest.NewUnstartedServer(f.Wrap(mux))
	f.srv.EnableHTTP2 = true
	f.srv.StartTLS()
	f.URL = f.srv.URL
	return f, nil
}

// Close stops the fake.
func (f *FCMFake) Close() { f.srv.Close() }

// CAPEM returns the PEM certificate clients must trust.
func (f *FCMFake) CAPEM() []byte { return CAPEM(f.srv) }

// TokenURL is the fake's OAuth token endpoint.
func (f *FCMFake) TokenURL() string { return f.URL + "/token" }

// Credentials returns a service-account key file for the fake's project
// whose token_uri is the fake's token endpoint.
func (f *FCMFake) Credentials() push.FCMCredentials {
	return f.CredentialsWithKey(f.key)
}

// CredentialsWithKey returns the fake's service account with another
// private key: the token endpoint refuses it ("Invalid JWT Signature.")
// unless key is the fake's.
func (f *FCMFake) CredentialsWithKey(key *rsa.PrivateKey) push.FCMCredentials {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err) // an RSA key always marshals
	}
	sa := map[string]string{
		"type":                        "service_account",
		"project_id":                  f.ProjectID,
		"private_key_id":              f.keyID,
		"private_key":                 string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":                f.clientEmail,
		"client_id":                   "100000000000000000001",
		"auth_uri":                    "https://accounts.google.com/o/oauth2/auth",
		"token_uri":                   f.TokenURL(),
		"auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
		"client_x509_cert_url":        "https://www.googleapis.com/robot/v1/metadata/x509/" + f.clientEmail,
		"universe_domain":             "googleapis.com",
	}
	b, _ := json.MarshalIndent(sa, "", "  ")
	return push.FCMCredentials{ServiceAccountJSON: string(b)}
}

// SetFCMToken scripts the answer for a registration token; the zero
// FCMFault makes it succeed again.
func (f *FCMFake) SetFCMToken(token string, fault FCMFault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fault.zero() {
		delete(f.faults, token)
		return
	}
	f.faults[token] = fault
}

// FailNext makes the next n messages:send requests fail with fault,
// whatever their token. Requests the fake refuses anyway (authentication,
// project, validation) do not count.
func (f *FCMFake) FailNext(n int, fault FCMFault) {
	f.mu.Lock()
	f.next, f.nextN = fault, n
	f.mu.Unlock()
}

// FailTokenNext makes the next n token requests fail with fault: Status
// (400 when zero) and the OAuth error ErrorCode ("invalid_grant" when
// empty) with Message as its description.
func (f *FCMFake) FailTokenNext(n int, fault FCMFault) {
	f.mu.Lock()
	f.tokenNext, f.tokenNextN = fault, n
	f.mu.Unlock()
}

// RevokeAccessTokens forgets every access token issued so far: the next
// sends get 401 UNAUTHENTICATED until the client fetches a new token.
func (f *FCMFake) RevokeAccessTokens() {
	f.mu.Lock()
	clear(f.issued)
	f.mu.Unlock()
}

// TokenRequests counts the requests to the token endpoint.
func (f *FCMFake) TokenRequests() int { return int(f.tokenRequests.Load()) }

// --- token endpoint ---

const (
	fcmJWTBearer      = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	fcmScopeMessaging = "https://www.googleapis.com/auth/firebase.messaging"
	fcmScopeCloud     = "https://www.googleapis.com/auth/cloud-platform"
	fcmClockSkew      = 5 * time.Minute
	fcmTimeframe      = "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."
)

func (f *FCMFake) serveToken(w http.ResponseWriter, r *http.Request) {
	f.tokenRequests.Add(1)
	f.mu.Lock()
	fault, failing := f.tokenNext, f.tokenNextN > 0
	if failing {
		f.tokenNextN--
	}
	f.mu.Unlock()
	if failing {
		st, code := fault.Status, fault.ErrorCode
		if st == 0 {
			st = http.StatusBadRequest
		}
		if code == "" {
			code = "invalid_grant"
		}
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		fcmOAuthError(w, st, code, fault.Message)
		return
	}
	if err := r.ParseForm(); err != nil {
		fcmOAuthError(w, http.StatusBadRequest, "invalid_request", "Could not parse the request body.")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != fcmJWTBearer {
		fcmOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: "+gt)
		return
	}
	code, desc := f.checkAssertion(r.PostForm.Get("assertion"), time.Now())
	if code != "" {
		fcmOAuthError(w, http.StatusBadRequest, code, desc)
		return
	}
	tok := "ya29.fake-" + fcmRandHex(24)
	f.mu.Lock()
	f.issued[tok] = time.Now().Add(3599 * time.Second)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "expires_in": 3599, "token_type": "Bearer"})
}

// checkAssertion verifies a JWT-bearer assertion the way Google's token
// endpoint does, and returns the OAuth error and description, or "".
func (f *FCMFake) checkAssertion(assertion string, now time.Time) (string, string) {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return "invalid_grant", "Invalid JWT: malformed assertion."
	}
	var hdr struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := fcmDecodeSegment(parts[0], &hdr); err != nil || hdr.Alg != "RS256" {
		return "invalid_grant", "Invalid JWT: the header is not an RS256 JWT header."
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "invalid_grant", "Invalid JWT Signature."
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&f.key.PublicKey, crypto.SHA256, sum[:], sig) != nil {
		return "invalid_grant", "Invalid JWT Signature."
	}
	var c struct {
		Iss   string `json:"iss"`
		Scope string `json:"scope"`
		Aud   string `json:"aud"`
		Iat   int64  `json:"iat"`
		Exp   int64  `json:"exp"`
	}
	if err := fcmDecodeSegment(parts[1], &c); err != nil {
		return "invalid_grant", "Invalid JWT: the claim set is not JSON."
	}
	if c.Iss != f.clientEmail {
		return "invalid_grant", "Invalid grant: account not found"
	}
	if c.Aud != f.TokenURL() {
		return "invalid_grant", "Invalid JWT: Failed audience check. The right audience is " + f.TokenURL()
	}
	iat, exp := time.Unix(c.Iat, 0), time.Unix(c.Exp, 0)
	if c.Exp-c.Iat > 3600 || c.Exp <= c.Iat || iat.After(now.Add(fcmClockSkew)) || exp.Before(now.Add(-fcmClockSkew)) {
		return "invalid_grant", fcmTimeframe
	}
	scoped := false
	for _, s := range strings.Fields(c.Scope) {
		scoped = scoped || s == fcmScopeMessaging || s == fcmScopeCloud
	}
	if !scoped {
		return "invalid_scope", "Invalid OAuth scope or ID token audience provided."
	}
	return "", ""
}

func fcmDecodeSegment(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func fcmOAuthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	body := map[string]string{"error": code}
	if desc != "" {
		body["error_description"] = desc
	}
	_ = json.NewEncoder(w).Encode(body)
}

// --- messages:send ---

// fcmStatusOf maps an HTTP status to the Google API status of its envelope.
var fcmStatusOf = map[int]string{
	400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
	409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 501: "UNIMPLEMENTED",
	503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}

// fcmErrorCodes are FCM's error codes with their HTTP status and wording.
var fcmErrorCodes = map[string]struct {
	status  int
	message string
}{
	"INVALID_ARGUMENT":       {400, "The registration token is not a valid FCM registration token"},
	"UNREGISTERED":           {404, "Requested entity was not found."},
	"SENDER_ID_MISMATCH":     {403, "SenderId mismatch"},
	"QUOTA_EXCEEDED":         {429, "Quota exceeded for quota metric 'Send messages' and limit 'Send messages per minute'."},
	"UNAVAILABLE":            {503, "The service is currently unavailable."},
	"INTERNAL":               {500, "Internal error encountered."},
	"THIRD_PARTY_AUTH_ERROR": {401, "Auth error from APNS or Web Push Service"},
	"APNS_AUTH_ERROR":        {401, "Auth error from APNS or Web Push Service"},
	"UNSPECIFIED_ERROR":      {500, "Unknown error."},
}

// fcmPlainMessages word the envelopes without a FcmError detail.
var fcmPlainMessages = map[int]string{
	400: "Request contains an invalid argument.",
	401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
	403: "The caller does not have permission",
	404: "Requested entity was not found.",
	429: "Resource has been exhausted (e.g. check quota).",
	500: "Internal error encountered.",
	503: "The service is currently unavailable.",
}

const fcmMissingCredential = "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."

func (f *FCMFake) serveSend(w http.ResponseWriter, r *http.Request) {
	project, ok := strings.CutSuffix(r.PathValue("rest"), "/messages:send")
	if !ok || project == "" || strings.Contains(project, "/") {
		fcmWriteError(w, FCMFault{Status: 404, Message: "The requested URL " + r.URL.Path + " was not found on this server."})
		return
	}
	auth, hasAuth := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !hasAuth || auth == "" {
		fcmWriteError(w, FCMFault{Status: 401, Message: fcmMissingCredential})
		return
	}
	f.mu.Lock()
	exp, known := f.issued[auth]
	f.mu.Unlock()
	if !known || time.Now().After(exp) {
		fcmWriteError(w, FCMFault{Status: 401})
		return
	}
	if project != f.ProjectID {
		fcmWriteError(w, FCMFault{Status: 403, Message: fmt.Sprintf("Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/%s' (or it may not exist).", project)})
		return
	}
	rec := FCMSend{Project: project, At: time.Now()}
	fault := f.handleSend(r, &rec)
	f.mu.Lock()
	if fault.zero() && f.nextN > 0 {
		fault = f.next
		f.nextN--
	}
	if tf, ok := f.faults[rec.Token]; fault.zero() && ok && rec.Token != "" {
		fault = tf
	}
	f.mu.Unlock()
	if !fault.zero() {
		rec.Status = fcmWriteError(w, fault)
		f.Sends.Add(rec)
		return
	}
	rec.Status = http.StatusOK
	f.Sends.Add(rec)
	id := "0:" + strconv.FormatInt(time.Now().UnixMicro(), 10) + "%" + strconv.FormatInt(f.nextID.Add(1), 16)
	if rec.ValidateOnly {
		id = "fake_message_id"
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(map[string]string{"name": "projects/" + project + "/messages/" + id})
}

// handleSend parses and validates a send request, fills rec, and returns
// the INVALID_ARGUMENT fault for a request FCM would refuse.
func (f *FCMFake) handleSend(r *http.Request, rec *FCMSend) FCMFault {
	var req map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err := dec.Decode(&req); err != nil {
		return fcmInvalid("Invalid JSON payload received. " + err.Error())
	}
	for k := range req {
		if k != "message" && k != "validate_only" && k != "validateOnly" {
			return fcmInvalid(fmt.Sprintf("Invalid JSON payload received. Unknown name %q: Cannot find field.", k))
		}
	}
	for _, k := range []string{"validate_only", "validateOnly"} {
		if v, ok := req[k]; ok {
			if err := json.Unmarshal(v, &rec.ValidateOnly); err != nil {
				return fcmInvalid(fmt.Sprintf("Invalid value at '%s' (TYPE_BOOL), %s", k, v))
			}
		}
	}
	rec.Message = req["message"]
	var msg map[string]any
	if err := json.Unmarshal(rec.Message, &msg); err != nil || msg == nil {
		return fcmInvalid("Invalid JSON payload received. 'message' is not an object.")
	}
	tok, _ := msg["token"].(string)
	rec.Token = tok
	if err := fcmValidate(msg); err != "" {
		return fcmInvalid(err)
	}
	return FCMFault{}
}

func fcmInvalid(message string) FCMFault {
	return FCMFault{Status: 400, ErrorCode: "INVALID_ARGUMENT", Message: message}
}

// fcmFields are the fields FCM knows in each object (proto names and their
// lowerCamelCase JSON forms are both accepted).
var fcmFields = map[string][]string{
	"message":              {"name", "data", "notification", "android", "webpush", "apns", "fcm_options", "token", "topic", "condition"},
	"notification":         {"title", "body", "image"},
	"android":              {"collapse_key", "priority", "ttl", "restricted_package_name", "data", "notification", "fcm_options", "direct_boot_ok", "bandwidth_constrained_ok", "restricted_satellite_ok"},
	"android.notification": {"title", "body", "icon", "color", "sound", "tag", "click_action", "body_loc_key", "body_loc_args", "title_loc_key", "title_loc_args", "channel_id", "ticker", "sticky", "event_time", "local_only", "notification_priority", "default_sound", "default_vibrate_timings", "default_light_settings", "vibrate_timings", "visibility", "notification_count", "light_settings", "image", "bypass_proxy_notification", "proxy"},
	"apns":                 {"headers", "payload", "fcm_options", "live_activity_token"},
	"webpush":              {"headers", "data", "notification", "fcm_options"},
	"webpush.fcm_options":  {"link", "analytics_label"},
	"apns.fcm_options":     {"analytics_label", "image"},
}

func fcmKnown(obj, key string) bool {
	for _, f := range fcmFields[obj] {
		if key == f || key == fcmCamel(f) {
			return true
		}
	}
	return false
}

func fcmCamel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// fcmGet reads a field by its proto or camelCase name.
func fcmGet(m map[string]any, name string) (any, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	v, ok := m[fcmCamel(name)]
	return v, ok
}

var (
	fcmTTLPattern   = regexp.MustCompile(`^\d+(\.\d{1,9})?s$`)
	fcmTopicPattern = regexp.MustCompile(`^[a-zA-Z0-9-_.~%]+$`)
	fcmColorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

const (
	fcmMaxTTL     = 2419200
	fcmMaxPayload = 4096
	fcmMaxTopic   = 2048
)

// fcmValidate checks a message as FCM does, and returns what is wrong.
func fcmValidate(msg map[string]any) string {
	if bad := fcmUnknown("message", msg); bad != "" {
		return bad
	}
	targets := 0
	for _, k := range []string{"token", "topic", "condition"} {
		if v, ok := msg[k]; ok {
			s, isStr := v.(string)
			if !isStr {
				return fmt.Sprintf("Invalid value at 'message.%s' (TYPE_STRING), %v", k, v)
			}
			if s != "" {
				targets++
			}
		}
	}
	switch {
	case targets == 0:
		return "Recipient of the message is not set."
	case targets > 1:
		return "Invalid value at 'message' (oneof), oneof field 'target' is already set. Cannot set 'token', 'topic' or 'condition' together."
	}
	if t, ok := msg["topic"].(string); ok && t != "" && !fcmTopicPattern.MatchString(t) {
		return "Invalid topic name: " + t
	}
	size := 0
	if d, ok := msg["data"]; ok {
		n, bad := fcmValidateData("message.data", d)
		if bad != "" {
			return bad
		}
		size += n
	}
	if v, ok := msg["notification"]; ok {
		n, ok := v.(map[string]any)
		if !ok {
			return "Invalid value at 'message.notification': not an object"
		}
		if bad := fcmUnknown("notification", n); bad != "" {
			return bad
		}
		for _, k := range []string{"title", "body"} {
			s, _ := n[k].(string)
			size += len(s)
		}
	}
	if v, ok := msg["android"]; ok {
		a, ok := v.(map[string]any)
		if !ok {
			return "Invalid value at 'message.android': not an object"
		}
		if bad := fcmValidateAndroid(a); bad != "" {
			return bad
		}
		if d, ok := a["data"]; ok {
			n, bad := fcmValidateData("message.android.data", d)
			if bad != "" {
				return bad
			}
			size = max(size, n)
		}
	}
	if v, ok := msg["apns"]; ok {
		a, ok := v.(map[string]any)
		if !ok {
			return "Invalid value at 'message.apns': not an object"
		}
		if bad := fcmUnknown("apns", a); bad != "" {
			return bad
		}
		if bad := fcmValidateHeaders("message.apns.headers", a["headers"]); bad != "" {
			return bad
		}
		if p, ok := a["payload"]; ok {
			b, _ := json.Marshal(p)
			if _, isObj := p.(map[string]any); !isObj {
				return "Invalid value at 'message.apns.payload': not an object"
			}
			if len(b) > fcmMaxPayload {
				return fmt.Sprintf("Message is too big: the APNs payload is %d bytes (max %d)", len(b), fcmMaxPayload)
			}
		}
		if o, ok := fcmGet(a, "fcm_options"); ok {
			if bad := fcmUnknownAny("apns.fcm_options", o); bad != "" {
				return bad
			}
		}
	}
	if v, ok := msg["webpush"]; ok {
		wp, ok := v.(map[string]any)
		if !ok {
			return "Invalid value at 'message.webpush': not an object"
		}
		if bad := fcmUnknown("webpush", wp); bad != "" {
			return bad
		}
		if bad := fcmValidateHeaders("message.webpush.headers", wp["headers"]); bad != "" {
			return bad
		}
		if d, ok := wp["data"]; ok {
			if _, bad := fcmValidateData("message.webpush.data", d); bad != "" {
				return bad
			}
		}
		if o, ok := fcmGet(wp, "fcm_options"); ok {
			if bad := fcmUnknownAny("webpush.fcm_options", o); bad != "" {
				return bad
			}
			if link, _ := o.(map[string]any)["link"].(string); link != "" && !strings.HasPrefix(link, "https://") {
				return "Invalid value at 'message.webpush.fcm_options.link': the link must be an HTTPS URL"
			}
		}
	}
	limit := fcmMaxPayload
	if t, _ := msg["topic"].(string); t != "" {
		limit = fcmMaxTopic
	}
	if size > limit {
		return fmt.Sprintf("Message is too big: the payload is %d bytes (max %d)", size, limit)
	}
	return ""
}

func fcmUnknown(obj string, m map[string]any) string {
	for k := range m {
		if !fcmKnown(obj, k) {
			return fmt.Sprintf("Invalid JSON payload received. Unknown name %q at '%s': Cannot find field.", k, obj)
		}
	}
	return ""
}

func fcmUnknownAny(obj string, v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Sprintf("Invalid value at '%s': not an object", obj)
	}
	return fcmUnknown(obj, m)
}

// fcmValidateData checks a string→string data map and returns its size
// (keys and values).
func fcmValidateData(field string, v any) (int, string) {
	m, ok := v.(map[string]any)
	if !ok {
		return 0, fmt.Sprintf("Invalid value at '%s': not a map", field)
	}
	size := 0
	for k, val := range m {
		s, ok := val.(string)
		if !ok {
			b, _ := json.Marshal(val)
			return 0, fmt.Sprintf("Invalid value at '%s[%s].value' (TYPE_STRING), %s", field, k, b)
		}
		lk := strings.ToLower(k)
		if lk == "from" || lk == "message_type" || strings.HasPrefix(lk, "google") || strings.HasPrefix(lk, "gcm") {
			return 0, "Invalid data payload key: " + k
		}
		size += len(k) + len(s)
	}
	return size, ""
}

func fcmValidateHeaders(field string, v any) string {
	if v == nil {
		return ""
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Sprintf("Invalid value at '%s': not a map", field)
	}
	for k, val := range m {
		if _, ok := val.(string); !ok {
			b, _ := json.Marshal(val)
			return fmt.Sprintf("Invalid value at '%s[%s].value' (TYPE_STRING), %s", field, k, b)
		}
	}
	return ""
}

func fcmValidateAndroid(a map[string]any) string {
	if bad := fcmUnknown("android", a); bad != "" {
		return bad
	}
	if v, ok := a["priority"]; ok {
		p, _ := v.(string)
		if u := strings.ToUpper(p); u != "NORMAL" && u != "HIGH" {
			return fmt.Sprintf("Invalid value at 'message.android.priority' (type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), %q", p)
		}
	}
	if v, ok := a["ttl"]; ok {
		s, _ := v.(string)
		if !fcmTTLPattern.MatchString(s) {
			return fmt.Sprintf("Invalid value at 'message.android.ttl' (type.googleapis.com/google.protobuf.Duration), %q", s)
		}
		secs, _ := strconv.ParseFloat(strings.TrimSuffix(s, "s"), 64)
		if secs > fcmMaxTTL {
			return fmt.Sprintf("Invalid value at 'message.android.ttl': %s is above the maximum of %ds (4 weeks)", s, fcmMaxTTL)
		}
	}
	if v, ok := a["notification"]; ok {
		n, ok := v.(map[string]any)
		if !ok {
			return "Invalid value at 'message.android.notification': not an object"
		}
		if bad := fcmUnknown("android.notification", n); bad != "" {
			return bad
		}
		if c, ok := n["color"]; ok {
			if s, _ := c.(string); !fcmColorPattern.MatchString(s) {
				return fmt.Sprintf("Invalid value at 'message.android.notification.color': %v is not in the #rrggbb form", c)
			}
		}
		if c, ok := fcmGet(n, "notification_count"); ok {
			if x, isNum := c.(float64); !isNum || x != float64(int64(x)) {
				return fmt.Sprintf("Invalid value at 'message.android.notification.notification_count' (TYPE_INT32), %v", c)
			}
		}
	}
	return ""
}

// fcmWriteError writes the Google error envelope of fault, and returns the
// status it used.
func fcmWriteError(w http.ResponseWriter, fault FCMFault) int {
	status, message := fault.Status, fault.Message
	if def, ok := fcmErrorCodes[fault.ErrorCode]; ok {
		if status == 0 {
			status = def.status
		}
		if message == "" {
			message = def.message
		}
	}
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if message == "" {
		message = fcmPlainMessages[status]
	}
	gstatus := fcmStatusOf[status]
	if gstatus == "" {
		gstatus = "UNKNOWN"
	}
	e := map[string]any{"code": status, "message": message, "status": gstatus}
	if fault.ErrorCode != "" {
		details := []any{map[string]any{
			"@type":     "type.googleapis.com/google.firebase.fcm.v1.FcmError",
			"errorCode": fault.ErrorCode,
		}}
		switch fault.ErrorCode {
		case "THIRD_PARTY_AUTH_ERROR", "APNS_AUTH_ERROR":
			details = append(details, map[string]any{
				"@type":      "type.googleapis.com/google.firebase.fcm.v1.ApnsError",
				"statusCode": 403,
				"reason":     "InvalidProviderToken",
			})
		case "QUOTA_EXCEEDED":
			details = append(details, map[string]any{
				"@type": "type.googleapis.com/google.rpc.QuotaFailure",
				"violations": []any{map[string]any{
					"subject":     "project_number",
					"description": "Send messages per minute",
				}},
			})
		}
		e["details"] = details
	}
	if fault.RetryAfter != "" {
		w.Header().Set("Retry-After", fault.RetryAfter)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e})
	return status
}

func fcmRandHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
