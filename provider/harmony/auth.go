package harmony

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/pushd/pushd/push/core"
)

// Audience is the aud claim Push Kit requires of a service-account JWT.
const Audience = "https://oauth-login.cloud.huawei.com/oauth2/v3/token"

// jwtLifetime is how long a JWT is valid; Push Kit refuses more than a
// day (80300036) and suggests an hour. jwtReuse is how long one is sent
// before a new one is made, so none reaches Push Kit about to expire.
const (
	jwtLifetime = time.Hour
	jwtReuse    = 50 * time.Minute
)

// ServiceAccount is what pushd reads of a service account key file.
type ServiceAccount struct {
	ProjectID  string `json:"project_id"`
	KeyID      string `json:"key_id"`
	PrivateKey string `json:"private_key"`
	SubAccount string `json:"sub_account"`
}

// parseAccount reads and checks a key file.
func parseAccount(text string) (ServiceAccount, *rsa.PrivateKey, error) {
	var a ServiceAccount
	if err := json.Unmarshal([]byte(text), &a); err != nil {
		return a, nil, core.Invalid("harmony.serviceAccountJSON", "is not a service account key file (JSON): %v", err)
	}
	for _, f := range []struct{ name, v string }{{"project_id", a.ProjectID}, {"key_id", a.KeyID}, {"sub_account", a.SubAccount}, {"private_key", a.PrivateKey}} {
		if strings.TrimSpace(f.v) == "" {
			return a, nil, core.Invalid("harmony.serviceAccountJSON", "has no %s: use the key file AppGallery Connect's API console gives for a service account", f.name)
		}
	}
	if strings.Trim(a.ProjectID, "0123456789") != "" || len(a.ProjectID) > 30 {
		return a, nil, core.Invalid("harmony.serviceAccountJSON", "project_id must be the numeric AppGallery Connect project ID")
	}
	block, _ := pem.Decode([]byte(a.PrivateKey))
	if block == nil {
		return a, nil, core.Invalid("harmony.serviceAccountJSON", "private_key is not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return a, nil, core.Invalid("harmony.serviceAccountJSON", "private_key is not a PKCS#8 key: %v", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok || rk.N.BitLen() < 2048 {
		return a, nil, core.Invalid("harmony.serviceAccountJSON", "private_key must be an RSA key of at least 2048 bits (Push Kit signs with PS256)")
	}
	return a, rk, nil
}

// signer makes the service account's JWTs, PS256 as Push Kit requires,
// and reuses each for jwtReuse.
type signer struct {
	account ServiceAccount
	key     *rsa.PrivateKey
	clock   func() time.Time

	mu     sync.Mutex
	token  string
	madeAt time.Time
}

// get returns a JWT that is valid for at least ten more minutes.
func (s *signer) get() (string, error) {
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" && now.Sub(s.madeAt) < jwtReuse && !now.Before(s.madeAt) {
		return s.token, nil
	}
	t := jwt.NewWithClaims(jwt.SigningMethodPS256, jwt.RegisteredClaims{
		Issuer: s.account.SubAccount, Audience: jwt.ClaimStrings{Audience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(jwtLifetime)),
	})
	t.Header["kid"] = s.account.KeyID
	signed, err := t.SignedString(s.key)
	if err != nil {
		return "", fmt.Errorf("HarmonyOS: signing the JWT: %w", err)
	}
	s.token, s.madeAt = signed, now
	return signed, nil
}

// invalidate forgets tok after Push Kit refused it, unless it was replaced
// already.
func (s *signer) invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == tok {
		s.token = ""
	}
}
