package providertest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
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

// Credentials returns a service-account key file for the fake's project.
// Its token_uri is Google's, as in a real key file: pushd takes the token
// endpoint from its configuration (PUSHD_FCM_AUTH_URL = TokenURL).
func (f *FCMFake) Credentials() FCMCredentials {
	return f.CredentialsWithKey(f.key)
}

// CredentialsWithKey returns the fake's service account with another
// private key: the token endpoint refuses it ("Invalid JWT Signature.")
// unless key is the fake's.
func (f *FCMFake) CredentialsWithKey(key *rsa.PrivateKey) FCMCredentials {
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
		"token_uri":                   "https://oauth2.googleapis.com/token",
		"auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
		"client_x509_cert_url":        "https://www.googleapis.com/robot/v1/metadata/x509/" + f.clientEmail,
		"universe_domain":             "googleapis.com",
	}
	b, _ := json.MarshalIndent(sa, "", "  ")
	return FCMCredentials{ServiceAccountJSON: string(b)}
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

// CredentialsWithTokenURI returns the fake's key file with another
// token_uri: what a tenant who wants pushd to post elsewhere would save.
func (f *FCMFake) CredentialsWithTokenURI(uri string) FCMCredentials {
	var sa map[string]any
	if err := json.Unmarshal([]byte(f.Credentials().ServiceAccountJSON), &sa); err != nil {
		panic(err) // Credentials always writes JSON
	}
	sa["token_uri"] = uri
	b, _ := json.MarshalIndent(sa, "", "  ")
	return FCMCredentials{ServiceAccountJSON: string(b)}
}
