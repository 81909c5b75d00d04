package huawei

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

// tokenEndpoint is a token endpoint that always gives the same answer.
type tokenEndpoint struct {
	status int
	header http.Header
	body   []byte
}

func (a tokenEndpoint) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: a.header, Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

// FuzzTokenAnswer runs arbitrary token endpoint answers through the OAuth
// answer's classification (auth.request): a token exactly when the answer
// is a 200 with JSON holding one, a lifetime that grows with expires_in
// and never wraps, and otherwise a retry (5xx, 429) or a refusal of the
// credentials whose reason quotes nothing but a code.
func FuzzTokenAnswer(f *testing.F) {
	f.Add(200, "", []byte(`{"access_token":"CV7x","expires_in":3600,"token_type":"Bearer"}`))
	f.Add(200, "", []byte(`{"access_token":"CV7x","expires_in":"3600"}`))
	f.Add(200, "", []byte(`{"access_token":"CV7x","expires_in":-5}`))
	f.Add(200, "", []byte(`{"access_token":"CV7x","expires_in":9223372037}`))
	f.Add(200, "", []byte(`{"access_token":"CV7x","expires_in":18446744074}`))
	f.Add(200, "", []byte(`{"access_token":""}`))
	f.Add(400, "", []byte(`{"error":1101,"error_description":"invalid client_secret","sub_error":20001}`))
	f.Add(400, "", []byte(`{"error":"invalid_client <script>","sub_error":"x y"}`))
	f.Add(429, "7", []byte(``))
	f.Add(503, "Wed, 21 Oct 2015 07:28:00 GMT", []byte(`<html>down</html>`))
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	reason := regexp.MustCompile(`^Huawei: OAuth (unavailable: HTTP \d+|refused the client credentials: (HTTP \d+|[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}(/[A-Za-z0-9][A-Za-z0-9_.\-]{0,63})?))$`)
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		status = 200 + ((status-200)%400+400)%400 // 200..599, seeds as written
		a := &auth{url: "https://oauth.example/token", id: "1", secret: "s", clock: func() time.Time { return now },
			client: &http.Client{Transport: tokenEndpoint{status, http.Header{"Retry-After": {retryAfter}}, body}}}
		tok, life, err := a.request(context.Background())

		var ref struct {
			AccessToken string      `json:"access_token"`
			ExpiresIn   json.Number `json:"expires_in"`
		}
		jsonErr := json.Unmarshal(body, &ref)
		if status == http.StatusOK && jsonErr == nil && ref.AccessToken != "" {
			require.NoError(t, err)
			require.Equal(t, ref.AccessToken, tok)
			want := defaultLifetime
			if n, err := ref.ExpiresIn.Int64(); err == nil && n > 0 {
				want = time.Duration(min(n, int64(math.MaxInt64/time.Second))) * time.Second
			}
			require.Equal(t, want, life, "expires_in %q", ref.ExpiresIn)
			require.Positive(t, renewal(life))
			return
		}
		require.Empty(t, tok)
		var ae *authError
		require.True(t, errors.As(err, &ae), "%v", err)
		r := ae.result
		if status >= 500 || status == http.StatusTooManyRequests {
			require.Equal(t, core.OutcomeRetry, r.Outcome)
		} else {
			require.Equal(t, core.OutcomeConfigError, r.Outcome)
		}
		require.GreaterOrEqual(t, r.RetryAfter, time.Duration(0))
		require.Regexp(t, reason, r.Reason)
	})
}
