package providertest

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

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
