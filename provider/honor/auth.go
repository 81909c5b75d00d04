package honor

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// defaultLifetime is assumed when the token answer gives no expires_in:
// Honor does not publish the lifetime, and an hour is the shortest that
// OAuth servers of its kind give.
const defaultLifetime = time.Hour

// fetchToken trades the client credentials for an access token at Honor's
// OAuth endpoint (grant_type client_credentials, form-encoded).
func (s *Sender) fetchToken(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.clientID}, "client_secret": {s.secret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.authURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeConfigError, Reason: "Honor: auth URL: " + err.Error()}}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.o.HTTPClient.Do(req)
	if err != nil {
		return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeRetry, Reason: "Honor: auth request failed: " + egress.Describe(err)}}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeRetry, Reason: "Honor: auth answer cut: " + egress.Describe(err)}}
	}
	return tokenAnswer(resp.StatusCode, resp.Header, body, s.o.Clock())
}

// tokenAnswer reads the OAuth endpoint's answer. It is pure.
func tokenAnswer(status int, h http.Header, body []byte, now time.Time) (string, time.Duration, error) {
	var a struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &a)
	switch {
	case status == http.StatusOK && a.AccessToken != "":
		life := time.Duration(a.ExpiresIn) * time.Second
		if a.ExpiresIn <= 0 || a.ExpiresIn > int64(24*time.Hour/time.Second) {
			life = defaultLifetime
		}
		return a.AccessToken, life, nil
	case status >= 500 || status == http.StatusTooManyRequests:
		r := channel.StatusResult("Honor", status, h, now)
		r.Reason = "Honor: auth: " + strings.TrimPrefix(r.Reason, "Honor: ")
		return "", 0, &channel.TokenError{Result: r}
	}
	// Any other answer refuses the credentials (invalid_client,
	// unauthorized_client, a 200 without a token).
	why := strings.TrimSpace(a.Error + " " + a.Description)
	if why == "" {
		why = http.StatusText(status)
	}
	return "", 0, &channel.TokenError{Result: core.Result{Outcome: core.OutcomeConfigError,
		Reason: "Honor: auth refused: " + why}}
}
