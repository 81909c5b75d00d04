package providertest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// APNsOptions configure StartAPNs.
type APNsOptions struct {
	// Environment goes into the credentials the fake issues:
	// push.APNsSandbox (the default) or push.APNsProduction.
	Environment string
	// Topic is the bundle ID the fake's key may push to; default
	// "com.example.pushd".
	Topic string
}

// APNsFault is an APNs error answer: a status, a reason string such as
// "Unregistered", and for 410 the time the token was last found invalid
// (now when zero).
type APNsFault struct {
	Status    int
	Reason    string
	Timestamp time.Time
}

// APNsRequest is one request as the APNs fake saw it, and its answer.
type APNsRequest struct {
	At time.Time
	// Token is the device token from the path.
	Token string
	// Auth is "token" (JWT), "certificate" (TLS client certificate) or
	// "" when neither was accepted; KeyID is the JWT's kid and JWT the
	// bearer token itself.
	Auth  string
	KeyID string
	JWT   string
	// The apns-* headers as received ("" when absent), except ID, which
	// is the apns-id of the answer (generated when the request had none).
	PushType   string
	Topic      string
	Priority   string
	Expiration string
	ID         string
	CollapseID string
	// Payload is the decoded JSON body (nil unless it was a JSON object).
	Payload map[string]any
	// Status and Reason are the answer ("" reason for 200).
	Status int
	Reason string
}

// APNsFake is a faithful APNs provider API (HTTP/2 over TLS) that checks
// requests in Apple's order (method, path, provider token or client
// certificate, headers, body, device token state) and answers with APNs
// status codes and {"reason": ...} bodies.
type APNsFake struct {
	Chaos
	// URL is the fake's base URL, to use as the APNs host.
	URL string
	// Log holds every request received, answered or refused.
	Log Log[APNsRequest]

	srv    *httptest.Server
	topic  string
	env    string
	key    *ecdsa.PrivateKey
	keyID  string
	teamID string

	mu        sync.Mutex
	tokens    map[string]APNsFault
	failN     int
	failFault APNsFault
	jwts      map[string]apnsJWT // verified bearer tokens, so a reused JWT is checked once
}

// apnsJWT is the cached outcome of checking one provider token.
type apnsJWT struct {
	token  string // the bearer token, shared by the log's records
	iat    int64
	kid    string
	reason string // "" when the signature and claims are good
}

// Limits and rules of the APNs provider API.
const (
	apnsMaxPayload      = 4096
	apnsMaxVoIPPayload  = 5120
	apnsMaxCollapseID   = 64
	apnsJWTLifetime     = time.Hour
	apnsJWTClockSkew    = time.Minute
	apnsJWTCacheEntries = 4096
	apnsDefaultTopic    = "com.example.pushd"
	apnsMaxStreams      = 1000
)

// apnsTopicSuffix is the apns-topic suffix each push type requires after
// the bundle ID (mdm, whose topic comes from a certificate, is not
// checked).
var apnsTopicSuffix = map[string]string{
	"alert":        "",
	"background":   "",
	"voip":         ".voip",
	"complication": ".complication",
	"fileprovider": ".pushkit.fileprovider",
	"location":     ".location-query",
	"liveactivity": ".push-type.liveactivity",
	"widgets":      ".push-type.widgets",
	"controls":     ".push-type.controls",
	"pushtotalk":   ".voip-ptt",
	"mdm":          "",
}

// StartAPNs starts an APNs fake with a fresh ES256 signing key, key ID
// and team ID; Credentials returns what pushd must be configured with.
func StartAPNs(o APNsOptions) (*APNsFake, error) {
	if o.Environment == "" {
		o.Environment = APNsSandbox
	}
	if o.Topic == "" {
		o.Topic = apnsDefaultTopic
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("apns fake: key: %w", err)
	}
	f := &APNsFake{
		topic:  o.Topic,
		env:    o.Environment,
		key:    key,
		keyID:  apnsRandomID(),
		teamID: apnsRandomID(),
		tokens: map[string]APNsFault{},
		jwts:   map[string]apnsJWT{},
	}
	f.srv = httptest.NewUnstartedServer(f.Wrap(http.HandlerFunc(f.serve)))
	f.srv.EnableHTTP2 = true
	// APNs advertises 1,000 concurrent streams once a connection is
	// authenticated.
	f.srv.Config.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: apnsMaxStreams}
	// Certificate authentication: accept (and check) a client certificate
	// when the client offers one.
	f.srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
	f.srv.StartTLS()
	f.URL = f.srv.URL
	return f, nil
}

// apnsRandomID returns a 10-character [A-Z0-9] ID, as Apple's key and
// team IDs are.
func apnsRandomID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Credentials returns token-auth credentials that the fake accepts.
func (f *APNsFake) Credentials() APNsCredentials {
	der, err := x509.MarshalPKCS8PrivateKey(f.key)
	if err != nil {
		panic(err) // a P-256 key always marshals
	}
	return APNsCredentials{
		Environment: f.env,
		Topic:       f.topic,
		KeyP8:       string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		KeyID:       f.keyID,
		TeamID:      f.teamID,
	}
}

// CAPEM returns the PEM certificate a client must trust to reach the fake.
func (f *APNsFake) CAPEM() []byte { return CAPEM(f.srv) }

// CertPool returns a pool holding the fake's certificate.
func (f *APNsFake) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(f.srv.Certificate())
	return p
}

// Close shuts the fake down.
func (f *APNsFake) Close() { f.srv.Close() }

// SignJWT returns a provider token signed with the fake's key, issued at
// iat (e.g. more than an hour ago, to get ExpiredProviderToken).
func (f *APNsFake) SignJWT(iat time.Time) string {
	return apnsSignJWT(f.key, f.keyID, f.teamID, iat)
}

// SetAPNsToken makes every request for token answer with fault (410
// Unregistered, 400 BadDeviceToken, 400 DeviceTokenNotForTopic, ...), once
// the request itself is valid. A zero fault makes the token valid again.
func (f *APNsFake) SetAPNsToken(token string, fault APNsFault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fault.Status == 0 {
		delete(f.tokens, token)
		return
	}
	f.tokens[token] = fault
}

// FailNext makes the next n valid requests, whatever their token, answer
// with fault (503 ServiceUnavailable, 500, 429, 403 ExpiredProviderToken,
// ...).
func (f *APNsFake) FailNext(n int, fault APNsFault) {
	f.mu.Lock()
	f.failN, f.failFault = n, fault
	f.mu.Unlock()
}

func (f *APNsFake) serve(w http.ResponseWriter, r *http.Request) {
	req := APNsRequest{At: time.Now()}
	fault := f.check(r, &req)
	if req.ID == "" {
		req.ID = apnsNewUUID()
	}
	w.Header().Set("apns-id", req.ID)
	if f.env == APNsSandbox {
		w.Header().Set("apns-unique-id", apnsNewUUID()) // the development environment's delivery-log ID
	}
	if fault.Status == 0 {
		fault.Status = http.StatusOK
	}
	req.Status, req.Reason = fault.Status, fault.Reason
	f.Log.Add(req)
	if fault.Status == http.StatusOK {
		w.WriteHeader(http.StatusOK)
		return
	}
	body := map[string]any{"reason": fault.Reason}
	if fault.Status == http.StatusGone {
		ts := fault.Timestamp
		if ts.IsZero() {
			ts = req.At
		}
		body["timestamp"] = ts.UnixMilli()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(fault.Status)
	_ = json.NewEncoder(w).Encode(body)
}

// check validates r in APNs' order and returns the answer (zero: 200).
func (f *APNsFake) check(r *http.Request, req *APNsRequest) APNsFault {
	if id := r.Header.Get("apns-id"); apnsIsUUID(id) {
		req.ID = id // echoed even when the request fails for another reason
	}
	for _, step := range []func(*http.Request, *APNsRequest) APNsFault{
		apnsCheckPath, f.checkAuth, f.checkHeaders, apnsCheckBody,
	} {
		if fault := step(r, req); fault.Status != 0 {
			return fault
		}
	}
	// Injected faults, then the device token's state.
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failN > 0 {
		f.failN--
		return f.failFault
	}
	if fault, ok := f.tokens[req.Token]; ok {
		return fault
	}
	return APNsFault{}
}

func apnsBad(status int, reason string) APNsFault { return APNsFault{Status: status, Reason: reason} }

func apnsCheckPath(r *http.Request, req *APNsRequest) APNsFault {
	if r.Method != http.MethodPost {
		return apnsBad(http.StatusMethodNotAllowed, "MethodNotAllowed")
	}
	tok, ok := strings.CutPrefix(r.URL.Path, "/3/device/")
	if !ok || strings.Contains(tok, "/") {
		return apnsBad(http.StatusNotFound, "BadPath")
	}
	if tok == "" {
		return apnsBad(http.StatusBadRequest, "MissingDeviceToken")
	}
	req.Token = tok
	return APNsFault{}
}

// checkAuth: a provider token, else a client certificate.
func (f *APNsFake) checkAuth(r *http.Request, req *APNsRequest) APNsFault {
	auth := r.Header.Get("authorization")
	if auth == "" {
		if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
			return apnsBad(http.StatusForbidden, "MissingProviderToken")
		}
		c := r.TLS.PeerCertificates[0]
		if now := time.Now(); now.Before(c.NotBefore) || now.After(c.NotAfter) {
			return apnsBad(http.StatusForbidden, "BadCertificate")
		}
		req.Auth = "certificate"
		return APNsFault{}
	}
	bearer, ok := strings.CutPrefix(auth, "bearer ")
	if !ok {
		bearer, ok = strings.CutPrefix(auth, "Bearer ")
	}
	if !ok || bearer == "" {
		return apnsBad(http.StatusForbidden, "InvalidProviderToken")
	}
	j := f.verifyJWT(bearer)
	req.JWT, req.KeyID = j.token, j.kid
	if j.reason != "" {
		return apnsBad(http.StatusForbidden, j.reason)
	}
	now := time.Now()
	iat := time.Unix(j.iat, 0)
	if now.Sub(iat) > apnsJWTLifetime {
		return apnsBad(http.StatusForbidden, "ExpiredProviderToken")
	}
	if iat.Sub(now) > apnsJWTClockSkew {
		return apnsBad(http.StatusForbidden, "InvalidProviderToken")
	}
	req.Auth = "token"
	return APNsFault{}
}

func (f *APNsFake) checkHeaders(r *http.Request, req *APNsRequest) APNsFault {
	for _, h := range []string{"apns-push-type", "apns-topic", "apns-priority", "apns-expiration", "apns-id", "apns-collapse-id", "authorization"} {
		if len(r.Header.Values(h)) > 1 {
			return apnsBad(http.StatusBadRequest, "DuplicateHeaders")
		}
	}
	req.PushType = r.Header.Get("apns-push-type")
	req.Topic = r.Header.Get("apns-topic")
	req.Priority = r.Header.Get("apns-priority")
	req.Expiration = r.Header.Get("apns-expiration")
	req.CollapseID = r.Header.Get("apns-collapse-id")
	pushType := apnsPushType(req)
	suffix, ok := apnsTopicSuffix[pushType]
	if !ok {
		return apnsBad(http.StatusBadRequest, "InvalidPushType")
	}
	switch {
	case req.Topic == "" && req.Auth == "token":
		return apnsBad(http.StatusBadRequest, "MissingTopic")
	case req.Topic == "" || pushType == "mdm" || req.Topic == f.topic+suffix:
	case strings.HasPrefix(req.Topic, f.topic):
		return apnsBad(http.StatusBadRequest, "BadTopic") // the app's, with the wrong suffix for the push type
	default:
		return apnsBad(http.StatusBadRequest, "TopicDisallowed")
	}
	priority := 10
	if req.Priority != "" {
		p, err := strconv.Atoi(req.Priority)
		if err != nil || (p != 10 && p != 5 && p != 1) {
			return apnsBad(http.StatusBadRequest, "BadPriority")
		}
		priority = p
	}
	if pushType == "background" && priority != 5 {
		return apnsBad(http.StatusBadRequest, "BadPriority")
	}
	if req.Expiration != "" {
		if e, err := strconv.ParseInt(req.Expiration, 10, 64); err != nil || e < 0 {
			return apnsBad(http.StatusBadRequest, "BadExpirationDate")
		}
	}
	if id := r.Header.Get("apns-id"); id != "" && !apnsIsUUID(id) {
		return apnsBad(http.StatusBadRequest, "BadMessageId")
	}
	if len(req.CollapseID) > apnsMaxCollapseID {
		return apnsBad(http.StatusBadRequest, "BadCollapseId")
	}
	return APNsFault{}
}

// apnsPushType is the request's push type; APNs takes a missing one as alert.
func apnsPushType(req *APNsRequest) string {
	if req.PushType == "" {
		return "alert"
	}
	return req.PushType
}

func apnsCheckBody(r *http.Request, req *APNsRequest) APNsFault {
	limit := apnsMaxPayload
	if apnsPushType(req) == "voip" {
		limit = apnsMaxVoIPPayload
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		return apnsBad(http.StatusBadRequest, "BadPayload")
	}
	if len(body) == 0 {
		return apnsBad(http.StatusBadRequest, "PayloadEmpty")
	}
	if len(body) > limit {
		return apnsBad(http.StatusRequestEntityTooLarge, "PayloadTooLarge")
	}
	// Apple documents no reason for a body that is not a JSON object with
	// an aps dictionary; the fake answers 400 BadPayload.
	if err := json.Unmarshal(body, &req.Payload); err != nil || req.Payload == nil {
		req.Payload = nil
		return apnsBad(http.StatusBadRequest, "BadPayload")
	}
	if _, ok := req.Payload["aps"].(map[string]any); !ok {
		return apnsBad(http.StatusBadRequest, "BadPayload")
	}
	if _, err := hex.DecodeString(apnsEvenHex(req.Token)); err != nil {
		return apnsBad(http.StatusBadRequest, "BadDeviceToken")
	}
	return APNsFault{}
}

// apnsEvenHex pads an odd-length token so that only its characters, not
// its length, decide whether it is hex (APNs token lengths vary).
func apnsEvenHex(s string) string {
	if len(s)%2 == 1 {
		return "0" + s
	}
	return s
}

// verifyJWT checks a provider token's header, claims and signature, and
// caches the outcome: the same token comes back for up to an hour.
func (f *APNsFake) verifyJWT(bearer string) apnsJWT {
	f.mu.Lock()
	j, ok := f.jwts[bearer]
	f.mu.Unlock()
	if ok {
		return j
	}
	j = f.parseJWT(bearer)
	j.token = bearer
	f.mu.Lock()
	if len(f.jwts) >= apnsJWTCacheEntries {
		clear(f.jwts)
	}
	f.jwts[bearer] = j
	f.mu.Unlock()
	return j
}

func (f *APNsFake) parseJWT(bearer string) apnsJWT {
	invalid := apnsJWT{reason: "InvalidProviderToken"}
	parts := strings.Split(bearer, ".")
	if len(parts) != 3 {
		return invalid
	}
	var hdr struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	var claims struct {
		Iss string      `json:"iss"`
		Iat json.Number `json:"iat"`
	}
	if !apnsDecodeSegment(parts[0], &hdr) || !apnsDecodeSegment(parts[1], &claims) {
		return invalid
	}
	invalid.kid = hdr.Kid
	if hdr.Alg != "ES256" || hdr.Kid != f.keyID || claims.Iss != f.teamID {
		return invalid
	}
	iat, err := claims.Iat.Int64()
	if err != nil {
		return invalid
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return invalid
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	rr, ss := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(&f.key.PublicKey, sum[:], rr, ss) {
		return invalid
	}
	return apnsJWT{iat: iat, kid: hdr.Kid}
}

func apnsDecodeSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return false
	}
	return json.Unmarshal(b, v) == nil
}

// apnsSignJWT makes an APNs provider token: ES256 over
// {"alg":"ES256","kid":kid}.{"iss":team,"iat":iat}.
func apnsSignJWT(key *ecdsa.PrivateKey, kid, team string, iat time.Time) string {
	enc := base64.RawURLEncoding
	hdr, _ := json.Marshal(map[string]string{"alg": "ES256", "kid": kid})
	claims, _ := json.Marshal(map[string]any{"iss": team, "iat": iat.Unix()})
	signed := enc.EncodeToString(hdr) + "." + enc.EncodeToString(claims)
	sum := sha256.Sum256([]byte(signed))
	r, s, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return signed + "." + enc.EncodeToString(sig)
}

// apnsIsUUID reports whether s is a canonical lowercase 8-4-4-4-12 UUID.
func apnsIsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}

// apnsNewUUID returns a random (version 4) UUID, as APNs assigns.
func apnsNewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
