package oppo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// AuthPath is the endpoint that trades the app's signature for an
// auth_token.
const AuthPath = "/server/v1/auth"

// TokenLifetime is how long an auth_token lives.
const TokenLifetime = 24 * time.Hour

// Sign is OPPO's auth signature: lower-case hex SHA-256 of the app key,
// the timestamp in milliseconds and the master secret, concatenated.
func Sign(appKey, timestamp, masterSecret string) string {
	sum := sha256.Sum256([]byte(appKey + timestamp + masterSecret))
	return hex.EncodeToString(sum[:])
}

// fetchToken asks OPPO for an auth_token.
func (s *Sender) fetchToken(ctx context.Context, base string) (string, time.Duration, error) {
	ts := strconv.FormatInt(s.o.Clock().UnixMilli(), 10)
	form := url.Values{"app_key": {s.appKey}, "timestamp": {ts}, "sign": {Sign(s.appKey, ts, s.secret)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+AuthPath, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeConfigError, Reason: "OPPO: auth URL: " + err.Error()}}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := s.o.HTTPClient.Do(req)
	if err != nil {
		return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeRetry, Reason: "OPPO: auth request failed: " + egress.Describe(err)}}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeRetry, Reason: "OPPO: auth answer cut: " + egress.Describe(err)}}
	}
	var a struct {
		Code *int `json:"code"`
		Data struct {
			AuthToken string `json:"auth_token"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &a) != nil || a.Code == nil {
		r := channel.StatusResult("OPPO", resp.StatusCode, resp.Header, s.o.Clock())
		r.Reason = "OPPO: auth: " + strings.TrimPrefix(r.Reason, "OPPO: ")
		return "", 0, &channel.TokenError{Result: r}
	}
	if *a.Code == 0 && a.Data.AuthToken != "" {
		return a.Data.AuthToken, TokenLifetime, nil
	}
	r := codeResult(*a.Code, s.o.Clock())
	if r.Outcome == core.OutcomeFailed || r.Outcome == core.OutcomeSent {
		// Any refusal of the auth call is the credentials' or the clock's.
		r.Outcome = core.OutcomeConfigError
	}
	r.Reason = fmt.Sprintf("OPPO: auth refused: %s", strings.TrimPrefix(r.Reason, "OPPO: "))
	return "", 0, &channel.TokenError{Result: r}
}
