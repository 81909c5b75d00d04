package vivo

import (
	"bytes"
	"context"
	"crypto/md5" // vivo's auth signature is MD5 by its protocol
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// AuthPath is the endpoint that trades the app's signature for an
// authToken.
const AuthPath = "/message/auth"

// TokenLifetime is how long an authToken lives.
const TokenLifetime = 24 * time.Hour

// Sign is vivo's auth signature: lower-case hex MD5 of the app ID, the app
// key, the timestamp in milliseconds and the app secret, concatenated.
func Sign(appID, appKey, timestamp, appSecret string) string {
	sum := md5.Sum([]byte(appID + appKey + timestamp + appSecret))
	return hex.EncodeToString(sum[:])
}

// authRequest is the body of the auth call (appId and timestamp are JSON
// numbers, as vivo's SDK sends them).
type authRequest struct {
	AppID     json.Number `json:"appId"`
	AppKey    string      `json:"appKey"`
	Timestamp int64       `json:"timestamp"`
	Sign      string      `json:"sign"`
}

// fetchToken asks vivo for an authToken.
func (s *Sender) fetchToken(ctx context.Context) (string, time.Duration, error) {
	ts := s.o.Clock().UnixMilli()
	body, _ := json.Marshal(authRequest{AppID: json.Number(s.appID), AppKey: s.appKey, Timestamp: ts,
		Sign: Sign(s.appID, s.appKey, strconv.FormatInt(ts, 10), s.secret)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+AuthPath, bytes.NewReader(body))
	if err != nil {
		return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeConfigError, Reason: "vivo: auth URL: " + err.Error()}}
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := s.o.HTTPClient.Do(req)
	if err != nil {
		return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeRetry, Reason: "vivo: auth request failed: " + egress.Describe(err)}}
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeRetry, Reason: "vivo: auth answer cut: " + egress.Describe(err)}}
	}
	var a struct {
		Result    *int   `json:"result"`
		AuthToken string `json:"authToken"`
	}
	if json.Unmarshal(answer, &a) != nil || a.Result == nil {
		r := channel.StatusResult("vivo", resp.StatusCode, resp.Header, s.o.Clock())
		r.Reason = "vivo: auth: " + strings.TrimPrefix(r.Reason, "vivo: ")
		return "", 0, &channel.TokenError{Result: r}
	}
	if *a.Result == codeOK && a.AuthToken != "" {
		return a.AuthToken, TokenLifetime, nil
	}
	r := codeResult(*a.Result, s.o.Clock())
	if r.Outcome != core.OutcomeRetry {
		// Any other refusal of the auth call is the credentials' or the
		// clock's.
		r.Outcome = core.OutcomeConfigError
	}
	r.Reason = fmt.Sprintf("vivo: auth refused: %s", strings.TrimPrefix(r.Reason, "vivo: "))
	return "", 0, &channel.TokenError{Result: r}
}
