package auth_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/store"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type loginEnv struct {
	stores *store.Stores
	clock  *fakeClock
	prefix string
}

// newLoginEnv gives a test its own schema, Redis key prefix and clock.
func newLoginEnv(t *testing.T) *loginEnv {
	t.Helper()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	e := &loginEnv{stores: testenv.Stores(t), clock: &fakeClock{now: time.Now()}, prefix: "pushdtest:" + hex.EncodeToString(b) + ":"}
	t.Cleanup(func() {
		ctx := context.Background()
		iter := e.stores.Redis.Scan(ctx, 0, e.prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			_ = e.stores.Redis.Del(ctx, iter.Val()).Err()
		}
	})
	return e
}

// replica is one pushd process: its own Service on the shared stores.
func (e *loginEnv) replica(t *testing.T) *auth.Service {
	t.Helper()
	svc, err := auth.NewService(auth.Config{Client: e.stores.Ent, Redis: e.stores.Redis, Clock: e.clock.Now,
		RedisPrefix: e.prefix, Logger: testenv.Logger(t)})
	require.NoError(t, err)
	return svc
}

func (e *loginEnv) account(t *testing.T, svc *auth.Service, email, password string) {
	t.Helper()
	_, err := svc.EnsureAdmin(context.Background(), email, password)
	require.NoError(t, err)
}

// tryLogin logs in and returns the error code ("" on success) and, when
// RATE_LIMITED, how long to wait; err is anything else that went wrong.
// Safe off the test's goroutine.
func tryLogin(svc *auth.Service, email, password, ip string) (core.Code, time.Duration, error) {
	l, err := svc.Login(context.Background(), email, password, ip, "test")
	if err == nil {
		if l.Account.Email != email {
			return "", 0, fmt.Errorf("logged in as %s", l.Account.Email)
		}
		return "", 0, nil
	}
	e, ok := core.AsError(err)
	switch {
	case !ok:
		return "", 0, err
	case e.Code == core.CodeRateLimited:
		if e.RetryAfter < time.Second || e.RetryAfter%time.Second != 0 {
			return "", 0, fmt.Errorf("retry after %v: want whole seconds, at least 1", e.RetryAfter)
		}
		if !strings.Contains(e.Message, "too many login attempts") {
			return "", 0, fmt.Errorf("message %q", e.Message)
		}
	case e.Code != core.CodeUnauthenticated:
		return "", 0, err
	}
	return e.Code, e.RetryAfter, nil
}

func loginCode(t *testing.T, svc *auth.Service, email, password, ip string) (core.Code, time.Duration) {
	t.Helper()
	c, wait, err := tryLogin(svc, email, password, ip)
	require.NoError(t, err)
	return c, wait
}

// loginsAtOnce runs the logins in parallel and counts the answers.
func loginsAtOnce(t *testing.T, svc *auth.Service, email string, n int, ipOf func(i int) string) map[core.Code]int {
	t.Helper()
	var (
		mu    sync.Mutex
		codes = map[core.Code]int{}
		errs  []error
		wg    sync.WaitGroup
	)
	for i := range n {
		wg.Go(func() {
			c, _, err := tryLogin(svc, email, fmt.Sprintf("wrong-password-%d", i), ipOf(i))
			mu.Lock()
			defer mu.Unlock()
			codes[c]++
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	require.Empty(t, errs)
	return codes
}

const (
	victim       = "victim@test.local"
	victimPass   = "the-right-password"
	attackerAddr = "203.0.113.66"
	victimAddr   = "198.51.100.7"
)

// The reported attack: 101 wrong logins for an email from one address
// locked the right password out from every address for 15 minutes,
// renewably. Now the guesser's address is slowed and the owner, elsewhere,
// logs in at once.
func TestLoginLockoutAttack(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	svc := e.replica(t)
	e.account(t, svc, victim, victimPass)

	codes := map[core.Code]int{}
	for i := range 150 {
		c, _ := loginCode(t, svc, victim, fmt.Sprintf("wrong-password-%d", i), attackerAddr)
		codes[c]++
	}
	require.Equal(t, map[core.Code]int{core.CodeUnauthenticated: 5, core.CodeRateLimited: 145}, codes)

	c, _ := loginCode(t, svc, victim, victimPass, victimAddr)
	require.Empty(t, c, "the right password from another address gets in at once")

	c, wait := loginCode(t, svc, victim, victimPass, attackerAddr)
	require.Equal(t, core.CodeRateLimited, c, "the guessing address is throttled, even with the right password")
	require.Equal(t, time.Second, wait)

	// Throttled, not locked out: after the wait, that address may try.
	e.clock.Advance(wait)
	c, _ = loginCode(t, svc, victim, victimPass, attackerAddr)
	require.Empty(t, c)
}

// The same attack from many addresses empties the email's bucket: the
// guessing addresses are refused, the owner from an address that has not
// failed is not.
func TestLoginLockoutAttackFromManyAddresses(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	svc := e.replica(t)
	e.account(t, svc, victim, victimPass)

	codes := loginsAtOnce(t, svc, victim, 150, func(i int) string { return fmt.Sprintf("10.0.0.%d", i%30+1) })
	require.Equal(t, 150, codes[core.CodeUnauthenticated]+codes[core.CodeRateLimited], "%v", codes)
	require.GreaterOrEqual(t, codes[core.CodeUnauthenticated], 100, "%v", codes)
	require.Positive(t, codes[core.CodeRateLimited], "the email-wide bucket refused some: %v", codes)

	c, _ := loginCode(t, svc, victim, victimPass, victimAddr)
	require.Empty(t, c, "the owner gets in at once")
	c, _ = loginCode(t, svc, victim, victimPass, "10.0.0.1")
	require.Equal(t, core.CodeRateLimited, c, "a guessing address is refused, even with the right password")
}

// Replicas share the counts: guesses spread over two processes are held
// to one limit.
func TestLoginLimitsHoldAcrossReplicas(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	one, two := e.replica(t), e.replica(t)
	e.account(t, one, victim, victimPass)
	for i := range 5 {
		svc := one
		if i%2 == 1 {
			svc = two
		}
		c, _ := loginCode(t, svc, victim, "wrong-password", attackerAddr)
		require.Equal(t, core.CodeUnauthenticated, c)
	}
	for _, svc := range []*auth.Service{one, two} {
		c, wait := loginCode(t, svc, victim, victimPass, attackerAddr)
		require.Equal(t, core.CodeRateLimited, c)
		require.Equal(t, time.Second, wait)
	}
	// A success on one replica clears the pair for both.
	e.clock.Advance(time.Second)
	c, _ := loginCode(t, two, victim, victimPass, attackerAddr)
	require.Empty(t, c)
	for range 5 {
		c, _ := loginCode(t, one, victim, "wrong-password", attackerAddr)
		require.Equal(t, core.CodeUnauthenticated, c)
	}
}

// Parallel guesses cannot outrun the count: the attempt is counted before
// the password is checked.
func TestParallelLoginGuessesAreCounted(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	svc := e.replica(t)
	e.account(t, svc, victim, victimPass)
	codes := loginsAtOnce(t, svc, victim, 40, func(int) string { return attackerAddr })
	require.Equal(t, map[core.Code]int{core.CodeUnauthenticated: 5, core.CodeRateLimited: 35}, codes)
}
