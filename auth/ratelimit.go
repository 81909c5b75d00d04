package auth

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Login attempt limits in a fixed window. Every attempt is counted before
// the password is checked, atomically, so parallel guesses cannot slip
// past the count; a successful login clears its own count.
//
// The tight limit is per account and client address: a guesser is stopped
// quickly, and cannot lock the real user out from another address. The
// per-account limit is looser and stops guessing spread over many
// addresses. Behind a proxy every client shares the proxy's address
// (forwarded headers are not trusted), so the per-address limits apply to
// all of them together.
const (
	loginWindow          = 15 * time.Minute
	maxAttemptsPerPair   = 10  // one email from one address
	maxAttemptsPerClient = 50  // one address, any email
	maxAttemptsPerEmail  = 100 // one email, any address
)

type loginLimiter struct {
	rdb    redis.UniversalClient
	prefix string
}

func (l loginLimiter) keys(email, ip string) (pair, client, account string) {
	return l.prefix + "login:pair:" + email + "|" + ip,
		l.prefix + "login:ip:" + ip,
		l.prefix + "login:email:" + email
}

// attempt counts one login attempt and reports whether it may proceed,
// and if not, for how long the caller must wait.
func (l loginLimiter) attempt(ctx context.Context, email, ip string) (bool, time.Duration, error) {
	pair, client, account := l.keys(email, ip)
	pipe := l.rdb.TxPipeline()
	counts := make([]*redis.IntCmd, 3)
	ttls := make([]*redis.DurationCmd, 3)
	for i, k := range []string{pair, client, account} {
		counts[i] = pipe.Incr(ctx, k)
		pipe.ExpireNX(ctx, k, loginWindow)
		ttls[i] = pipe.PTTL(ctx, k)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return false, 0, err
	}
	for i, limit := range []int64{maxAttemptsPerPair, maxAttemptsPerClient, maxAttemptsPerEmail} {
		if counts[i].Val() > limit {
			return false, ttls[i].Val(), nil
		}
	}
	return true, 0, nil
}

// succeeded forgets the attempts that led to a successful login.
func (l loginLimiter) succeeded(ctx context.Context, email, ip string) error {
	pair, client, account := l.keys(email, ip)
	pipe := l.rdb.TxPipeline()
	pipe.Del(ctx, pair)
	pipe.Decr(ctx, client)
	pipe.Decr(ctx, account)
	_, err := pipe.Exec(ctx)
	return err
}
