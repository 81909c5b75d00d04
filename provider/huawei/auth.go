package huawei

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// renewBefore is how long before its expiry an access token is replaced.
const renewBefore = 5 * time.Minute

// defaultLifetime is assumed when the token answer has no expires_in.
const defaultLifetime = time.Hour

// refusalMemory is how long a refusal of the credentials answers for the
// token endpoint: refused credentials do not heal by asking again (a
// corrected credential is a new sender), and a broadcast's batches would
// otherwise each ask, one after another.
const refusalMemory = time.Minute

// auth caches the app's OAuth access token and renews it before it
// expires, one fetch at a time: concurrent senders wait for the same one.
type auth struct {
	url, id, secret string
	client          *http.Client
	clock           func() time.Time

	mu      sync.Mutex
	token   string
	renewAt time.Time
	call    *authCall
	// refused is the last refusal of the credentials, until refusedUntil.
	refused      error
	refusedUntil time.Time
}

// authCall is one token fetch in flight.
type authCall struct {
	done  chan struct{}
	token string
	err   error
}

// authError is a fetch whose failure decides the requests' results: a
// refusal of the credentials (OutcomeConfigError) or an OAuth outage
// (OutcomeRetry).
type authError struct{ result core.Result }

func (e *authError) Error() string { return e.result.Reason }

// get returns a valid access token, fetching one if needed.
func (a *auth) get(ctx context.Context) (string, error) {
	a.mu.Lock()
	if a.token != "" && a.clock().Before(a.renewAt) {
		t := a.token
		a.mu.Unlock()
		return t, nil
	}
	if a.refused != nil && a.clock().Before(a.refusedUntil) {
		err := a.refused
		a.mu.Unlock()
		return "", err
	}
	c := a.call
	if c == nil {
		c = &authCall{done: make(chan struct{})}
		a.call = c
		go a.fetch(c)
	}
	a.mu.Unlock()
	select {
	case <-c.done:
		return c.token, c.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// invalidate forgets tok after Huawei refused it, unless it was replaced
// already: the next get fetches a new one.
func (a *auth) invalidate(tok string) {
	a.mu.Lock()
	if a.token == tok {
		a.token = ""
	}
	a.mu.Unlock()
}

// fetch runs one token request on its own context, so that a sender that
// gives up waiting does not fail the others.
func (a *auth) fetch(c *authCall) {
	ctx, cancel := context.WithTimeout(context.Background(), channel.DefaultTimeout)
	defer cancel()
	start := a.clock()
	tok, life, err := a.request(ctx)
	a.mu.Lock()
	var ae *authError
	switch {
	case err == nil:
		a.token, a.renewAt, a.refused = tok, start.Add(renewal(life)), nil
	case errors.As(err, &ae) && ae.result.Outcome == core.OutcomeConfigError:
		a.refused, a.refusedUntil = err, a.clock().Add(refusalMemory)
	}
	a.call = nil
	a.mu.Unlock()
	c.token, c.err = tok, err
	close(c.done)
}

// renewal is how long after its issue a token of lifetime life is renewed.
func renewal(life time.Duration) time.Duration {
	if life <= 0 {
		life = defaultLifetime
	}
	if life <= 2*renewBefore {
		return life / 2
	}
	return life - renewBefore
}

// tokenAnswer is the token endpoint's answer, success or refusal.
type tokenAnswer struct {
	AccessToken string          `json:"access_token"`
	ExpiresIn   json.Number     `json:"expires_in"`
	Error       json.RawMessage `json:"error"`
	SubError    json.RawMessage `json:"sub_error"`
}

func (a *auth) request(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {a.id}, "client_secret": {a.secret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, &authError{core.Result{Outcome: core.OutcomeConfigError, Reason: "Huawei: OAuth URL: " + err.Error()}}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := a.client.Do(req)
	if err != nil {
		r := notSent(err)
		r.Reason = "Huawei: OAuth request failed: " + strings.TrimPrefix(r.Reason, "Huawei: not sent: ")
		return "", 0, &authError{r}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", 0, &authError{core.Result{Outcome: core.OutcomeRetry, Reason: "Huawei: OAuth answer cut: " + egress.Describe(err)}}
	}
	var t tokenAnswer
	jsonErr := json.Unmarshal(b, &t)
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return "", 0, &authError{core.Result{
			Outcome:    core.OutcomeRetry,
			Reason:     fmt.Sprintf("Huawei: OAuth unavailable: HTTP %d", resp.StatusCode),
			RetryAfter: channel.RetryAfter(resp.Header, a.clock()),
		}}
	case resp.StatusCode == http.StatusOK && jsonErr == nil && t.AccessToken != "":
		life := defaultLifetime
		if n, err := t.ExpiresIn.Int64(); err == nil && n > 0 {
			// Capped where a Duration ends: 18446744074 s wrapped to 0.3 s,
			// which renewed the token on every send.
			life = time.Duration(min(n, int64(math.MaxInt64/time.Second))) * time.Second
		}
		return t.AccessToken, life, nil
	}
	// A refusal: the client ID or secret is wrong, or the app is not
	// allowed to use OAuth.
	// Its codes are quoted, its description is not (see channel.Code).
	why := fmt.Sprintf("HTTP %d", resp.StatusCode)
	if code := channel.Code(strings.Trim(string(t.Error), `"`)); jsonErr == nil && code != "" {
		why = code
		if sub := channel.Code(strings.Trim(string(t.SubError), `"`)); sub != "" {
			why += "/" + sub
		}
	}
	return "", 0, &authError{core.Result{Outcome: core.OutcomeConfigError, Reason: "Huawei: OAuth refused the client credentials: " + why}}
}
