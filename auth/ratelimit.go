package auth

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Login failure limits, per account and per client address, in a fixed
// window. Checked before the password is hashed, so a locked-out guesser
// costs pushd one Redis round trip, not an argon2 computation.
const (
	loginWindow          = 15 * time.Minute
	maxFailuresPerEmail  = 10
	maxFailuresPerClient = 50
)

type loginLimiter struct {
	rdb    redis.UniversalClient
	prefix string
}

func (l loginLimiter) emailKey(email string) string { return l.prefix + "login:email:" + email }
func (l loginLimiter) clientKey(ip string) string   { return l.prefix + "login:ip:" + ip }

// blocked reports whether either counter is at its limit, and for how long.
func (l loginLimiter) blocked(ctx context.Context, email, ip string) (bool, time.Duration, error) {
	pipe := l.rdb.Pipeline()
	e := pipe.Get(ctx, l.emailKey(email))
	c := pipe.Get(ctx, l.clientKey(ip))
	et := pipe.PTTL(ctx, l.emailKey(email))
	ct := pipe.PTTL(ctx, l.clientKey(ip))
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return false, 0, err
	}
	en, _ := e.Int()
	cn, _ := c.Int()
	switch {
	case en >= maxFailuresPerEmail:
		return true, et.Val(), nil
	case cn >= maxFailuresPerClient:
		return true, ct.Val(), nil
	}
	return false, 0, nil
}

// fail counts a failed login against both.
func (l loginLimiter) fail(ctx context.Context, email, ip string) error {
	pipe := l.rdb.TxPipeline()
	for _, k := range []string{l.emailKey(email), l.clientKey(ip)} {
		pipe.Incr(ctx, k)
		pipe.ExpireNX(ctx, k, loginWindow)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// reset clears an account's count after a successful login.
func (l loginLimiter) reset(ctx context.Context, email string) error {
	return l.rdb.Del(ctx, l.emailKey(email)).Err()
}
