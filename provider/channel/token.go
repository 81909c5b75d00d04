package channel

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/pushd/pushd/push/core"
)

// TokenRenewBefore is how long before its expiry a cached access token is
// replaced.
const TokenRenewBefore = 5 * time.Minute

// TokenRefusalMemory is how long a refusal of the credentials answers for
// the vendor's auth endpoint: refused credentials do not heal by asking
// again (corrected credentials are a new sender), and a broadcast's
// batches would otherwise each ask, one after another.
const TokenRefusalMemory = time.Minute

// TokenError is a failed token fetch whose result decides the requests'
// results: a refusal of the credentials (core.OutcomeConfigError, which
// TokenCache remembers for TokenRefusalMemory) or an outage
// (core.OutcomeRetry).
type TokenError struct{ Result core.Result }

func (e *TokenError) Error() string { return e.Result.Reason }

// TokenCache keeps a vendor's access token and renews it before it
// expires, one fetch at a time: concurrent senders wait for the same one.
// Vendors whose auth is "exchange the app's secret for a token that lives
// some hours" (OPPO, vivo, Honor) share it; golang.org/x/oauth2 covers
// only OAuth's own token endpoint answers, which these are not.
type TokenCache struct {
	// Fetch asks the vendor for a token and says how long it lives (0: an
	// hour). Its errors should be *TokenError.
	Fetch func(ctx context.Context) (token string, life time.Duration, err error)
	// Clock defaults to time.Now.
	Clock func() time.Time

	mu      sync.Mutex
	token   string
	renewAt time.Time
	call    *tokenCall
	refused error
	until   time.Time
}

type tokenCall struct {
	done  chan struct{}
	token string
	err   error
}

func (c *TokenCache) now() time.Time {
	if c.Clock != nil {
		return c.Clock()
	}
	return time.Now()
}

// Get returns a valid token, fetching one if needed.
func (c *TokenCache) Get(ctx context.Context) (string, error) {
	c.mu.Lock()
	now := c.now()
	if c.token != "" && now.Before(c.renewAt) {
		t := c.token
		c.mu.Unlock()
		return t, nil
	}
	if c.refused != nil && now.Before(c.until) {
		err := c.refused
		c.mu.Unlock()
		return "", err
	}
	call := c.call
	if call == nil {
		call = &tokenCall{done: make(chan struct{})}
		c.call = call
		go c.fetch(call)
	}
	c.mu.Unlock()
	select {
	case <-call.done:
		return call.token, call.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Invalidate forgets tok after the vendor refused it, unless it was
// replaced already: the next Get fetches a new one.
func (c *TokenCache) Invalidate(tok string) {
	c.mu.Lock()
	if c.token == tok {
		c.token = ""
	}
	c.mu.Unlock()
}

// fetch runs one token request on its own context, so that a sender that
// gives up waiting does not fail the others.
func (c *TokenCache) fetch(call *tokenCall) {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	start := c.now()
	tok, life, err := c.Fetch(ctx)
	c.mu.Lock()
	var te *TokenError
	switch {
	case err == nil:
		c.token, c.renewAt, c.refused = tok, start.Add(tokenRenewal(life)), nil
	case errors.As(err, &te) && te.Result.Outcome == core.OutcomeConfigError:
		c.refused, c.until = err, c.now().Add(TokenRefusalMemory)
	}
	c.call = nil
	c.mu.Unlock()
	call.token, call.err = tok, err
	close(call.done)
}

// tokenRenewal is how long after its issue a token of lifetime life is
// renewed.
func tokenRenewal(life time.Duration) time.Duration {
	if life <= 0 {
		life = time.Hour
	}
	if life <= 2*TokenRenewBefore {
		return life / 2
	}
	return life - TokenRenewBefore
}
