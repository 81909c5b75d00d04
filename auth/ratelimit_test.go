package auth

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/internal/testenv"
)

// limiterHarness drives a loginLimiter on its own key prefix with a clock
// that moves only when told.
type limiterHarness struct {
	t   *testing.T
	lim loginLimiter
	now time.Time
}

func newLimiterHarness(t *testing.T, rdb redis.UniversalClient) *limiterHarness {
	prefix := "pushdtest:" + randomID(10) + ":"
	t.Cleanup(func() { dropKeys(rdb, prefix) })
	return &limiterHarness{t: t,
		lim: loginLimiter{rdb: rdb, prefix: prefix},
		now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// dropKeys deletes a test's keys: some would live for 30 days.
func dropKeys(rdb redis.UniversalClient, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		_ = rdb.Del(ctx, iter.Val()).Err()
	}
}

func (h *limiterHarness) attempt(email, ip string) loginVerdict {
	h.t.Helper()
	v, err := h.lim.attempt(context.Background(), email, ip, h.now)
	require.NoError(h.t, err)
	return v
}

// allowed makes n attempts that must all go through.
func (h *limiterHarness) allowed(email, ip string, n int) {
	h.t.Helper()
	for i := range n {
		v := h.attempt(email, ip)
		require.True(h.t, v.allowed(), "attempt %d of %s from %s: refused by %v", i+1, email, ip, v.RefusedBy)
	}
}

// refused makes n attempts that must all be refused by exactly by, with
// wait (when wait is not 0).
func (h *limiterHarness) refused(email, ip string, n int, by loginLimit, wait time.Duration) {
	h.t.Helper()
	for i := range n {
		v := h.attempt(email, ip)
		require.Equal(h.t, by, v.RefusedBy, "attempt %d of %s from %s", i+1, email, ip)
		if wait != 0 {
			require.Equal(h.t, wait, v.RetryAfter, "attempt %d of %s from %s", i+1, email, ip)
		}
	}
}

func (h *limiterHarness) succeeded(email, ip string) {
	h.t.Helper()
	require.NoError(h.t, h.lim.succeeded(context.Background(), email, ip, h.now))
}

// spread makes perAddr allowed attempts for email from each of the
// addresses 10.<net>.0.1 .. 10.<net>.0.<count>.
func (h *limiterHarness) spread(email string, net, count, perAddr int) {
	h.t.Helper()
	for i := 1; i <= count; i++ {
		h.allowed(email, fmt.Sprintf("10.%d.0.%d", net, i), perAddr)
	}
}

// The rules, one scenario each, on a clock that moves only when a step
// says so.
func TestLoginLimiterRules(t *testing.T) {
	t.Parallel()
	rdb := testenv.Redis(t)
	const a, b = "192.0.2.1", "198.51.100.7"
	for _, tc := range []struct {
		name string
		run  func(h *limiterHarness)
	}{
		{"pair: five attempts at once, then one second", func(h *limiterHarness) {
			h.allowed("v@x.test", a, pairFreeFailures)
			h.refused("v@x.test", a, 3, limitPair, time.Second)
		}},
		{"pair: the wait runs from the last counted attempt", func(h *limiterHarness) {
			h.allowed("v@x.test", a, 5)
			h.now = h.now.Add(400 * time.Millisecond)
			h.refused("v@x.test", a, 1, limitPair, 600*time.Millisecond)
			h.now = h.now.Add(600 * time.Millisecond)
			h.allowed("v@x.test", a, 1)
			h.refused("v@x.test", a, 1, limitPair, 2*time.Second)
		}},
		{"pair: other addresses and emails are not slowed", func(h *limiterHarness) {
			h.allowed("v@x.test", a, 5)
			h.refused("v@x.test", a, 1, limitPair, time.Second)
			h.allowed("v@x.test", b, 5)
			h.allowed("other@x.test", a, 5)
		}},
		{"pair: a success starts it afresh", func(h *limiterHarness) {
			h.allowed("v@x.test", a, 4)
			h.succeeded("v@x.test", a)
			h.allowed("v@x.test", a, 5)
			h.refused("v@x.test", a, 1, limitPair, time.Second)
		}},
		{"pair: forgotten a day after its last counted attempt", func(h *limiterHarness) {
			h.allowed("v@x.test", a, 5)
			h.now = h.now.Add(pairMemory - time.Millisecond)
			h.allowed("v@x.test", a, 1) // n = 6: the wait (2 s) has long passed
			h.refused("v@x.test", a, 1, limitPair, 2*time.Second)
			h.now = h.now.Add(pairMemory)
			h.allowed("v@x.test", a, 5)
			h.refused("v@x.test", a, 1, limitPair, time.Second)
		}},
		{"pair: an IPv6 /64 is one address", func(h *limiterHarness) {
			h.allowed("v@x.test", "2001:db8:1:2::1", 3)
			h.allowed("v@x.test", "2001:db8:1:2:ffff::9", 2)
			h.refused("v@x.test", "2001:db8:1:2:abcd::1", 1, limitPair, time.Second)
			h.allowed("v@x.test", "2001:db8:1:3::1", 5)
		}},
		{"pair: an IPv4-mapped address is the IPv4 address", func(h *limiterHarness) {
			h.allowed("v@x.test", "::ffff:192.0.2.1", 5)
			h.refused("v@x.test", a, 1, limitPair, time.Second)
		}},
		{"client: 50 attempts at once across emails, then one every 2 minutes", func(h *limiterHarness) {
			for i := range clientBurst {
				h.allowed(fmt.Sprintf("u%d@x.test", i), a, 1)
			}
			h.refused("late@x.test", a, 2, limitClient, clientInterval)
			h.allowed("late@x.test", b, 1)
			h.now = h.now.Add(clientInterval)
			h.allowed("late@x.test", a, 1)
			h.refused("later@x.test", a, 1, limitClient, clientInterval)
		}},
		{"client: successes are taken back", func(h *limiterHarness) {
			for i := range 100 {
				e := fmt.Sprintf("u%d@x.test", i)
				h.allowed(e, a, 1)
				h.succeeded(e, a)
			}
			for i := range clientBurst {
				h.allowed(fmt.Sprintf("w%d@x.test", i), a, 1)
			}
			h.refused("late@x.test", a, 1, limitClient, clientInterval)
		}},
		{"email: an empty bucket refuses addresses that failed, one a minute", func(h *limiterHarness) {
			h.spread("v@x.test", 1, 25, 4) // 100 failures from 25 addresses
			h.refused("v@x.test", "10.1.0.1", 2, limitEmail, emailInterval)
			h.now = h.now.Add(emailInterval)
			h.allowed("v@x.test", "10.1.0.1", 1)
			h.refused("v@x.test", "10.1.0.2", 1, limitEmail, emailInterval)
		}},
		{"email: an empty bucket does not refuse an address that has not failed", func(h *limiterHarness) {
			h.spread("v@x.test", 1, 25, 4)
			h.allowed("v@x.test", b, 1) // the right password would be checked
			// and having failed once, b pays like the others
			h.refused("v@x.test", b, 1, limitEmail, emailInterval+emailInterval)
		}},
		{"email: an address with a recent success is not refused by it", func(h *limiterHarness) {
			h.allowed("v@x.test", b, 1)
			h.succeeded("v@x.test", b)
			h.spread("v@x.test", 1, 25, 4)
			h.allowed("v@x.test", b, 5) // the user mistypes; only the pair slows b
			h.refused("v@x.test", b, 1, limitPair, time.Second)
			// 30 days on, b is known no more.
			h.now = h.now.Add(knownAddressTTL)
			h.allowed("v@x.test", b, 1)
			h.spread("v@x.test", 2, 33, 3)
			h.refused("v@x.test", b, 1, limitEmail, emailInterval)
		}},
		{"email: a flood from fresh addresses owes at most 15 minutes", func(h *limiterHarness) {
			h.spread("v@x.test", 1, 25, 4)
			h.spread("v@x.test", 2, 200, 1) // each passes once
			h.refused("v@x.test", "10.1.0.1", 1, limitEmail, emailMaxDelay)
			h.refused("v@x.test", "10.2.0.1", 1, limitEmail, emailMaxDelay)
		}},
		{"email: successes are taken back", func(h *limiterHarness) {
			for i := range 200 {
				ip := fmt.Sprintf("10.9.%d.%d", i/200, i%200)
				h.allowed("v@x.test", ip, 1)
				h.succeeded("v@x.test", ip)
			}
			h.spread("v@x.test", 1, 25, 4)
			h.refused("v@x.test", "10.1.0.1", 1, limitEmail, emailInterval)
		}},
		{"refusal waits for the slowest limit that refused", func(h *limiterHarness) {
			for i := range clientBurst - 5 {
				h.allowed(fmt.Sprintf("u%d@x.test", i), a, 1)
			}
			h.allowed("v@x.test", a, 5)
			h.refused("v@x.test", a, 1, limitPair|limitClient, clientInterval)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(newLimiterHarness(t, rdb))
		})
	}
}

// After the free attempts each attempt waits twice as long as the one
// before, up to 15 minutes; attempts made while waiting are refused and do
// not lengthen the wait.
func TestLoginBackoffGrows(t *testing.T) {
	t.Parallel()
	h := newLimiterHarness(t, testenv.Redis(t))
	const email, ip = "v@x.test", "192.0.2.1"
	h.allowed(email, ip, pairFreeFailures)
	var waits []time.Duration
	for range 14 {
		v := h.attempt(email, ip)
		require.Equal(t, limitPair, v.RefusedBy)
		waits = append(waits, v.RetryAfter)
		h.now = h.now.Add(v.RetryAfter - time.Millisecond)
		h.refused(email, ip, 3, limitPair, time.Millisecond)
		h.now = h.now.Add(time.Millisecond)
		h.allowed(email, ip, 1)
	}
	s := time.Second
	require.Equal(t, []time.Duration{1 * s, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s, 64 * s, 128 * s, 256 * s, 512 * s,
		15 * time.Minute, 15 * time.Minute, 15 * time.Minute, 15 * time.Minute}, waits)
}

// One address trying one password on many emails is held to the client
// limit, however few attempts each email gets; other addresses are not.
func TestLoginSprayingAcrossEmails(t *testing.T) {
	t.Parallel()
	h := newLimiterHarness(t, testenv.Redis(t))
	const sprayer = "203.0.113.66"
	refusedAt := 0
	for i := range 1000 {
		v := h.attempt(fmt.Sprintf("user%d@x.test", i), sprayer)
		if !v.allowed() {
			require.Equal(t, limitClient, v.RefusedBy)
			require.Equal(t, clientInterval, v.RetryAfter)
			if refusedAt == 0 {
				refusedAt = i
			}
		}
	}
	require.Equal(t, clientBurst, refusedAt, "the first refused attempt")
	// None of the refused emails were charged: each still has its whole
	// pair allowance from another address, and a whole bucket.
	h.allowed("user999@x.test", "203.0.113.67", pairFreeFailures)
	// An hour later, the sprayer has had 30 more tries.
	h.now = h.now.Add(time.Hour)
	for i := range 60 / int(clientInterval/time.Minute) {
		h.allowed(fmt.Sprintf("later%d@x.test", i), sprayer, 1)
	}
	h.refused("later@x.test", sprayer, 1, limitClient, clientInterval)
}

// An attempt one limit refuses counts toward no other: neither the wider
// ones nor the narrower ones.
func TestLoginRefusedAttemptsDoNotCount(t *testing.T) {
	t.Parallel()
	rdb := testenv.Redis(t)
	const a = "192.0.2.1"

	t.Run("refused by the pair", func(t *testing.T) {
		t.Parallel()
		h := newLimiterHarness(t, rdb)
		h.allowed("v@x.test", a, 5)
		h.refused("v@x.test", a, 1000, limitPair, time.Second)
		// The address spent 5 of its 50, the email 5 of its 100.
		for i := range clientBurst - 5 {
			h.allowed(fmt.Sprintf("u%d@x.test", i), a, 1)
		}
		h.refused("u@x.test", a, 1, limitClient, clientInterval)
		h.spread("v@x.test", 1, 19, 5)
		h.refused("v@x.test", "10.1.0.1", 1, limitPair|limitEmail, emailInterval)
	})
	t.Run("refused by the client", func(t *testing.T) {
		t.Parallel()
		h := newLimiterHarness(t, rdb)
		for i := range clientBurst {
			h.allowed(fmt.Sprintf("u%d@x.test", i), a, 1)
		}
		h.refused("v@x.test", a, 1000, limitClient, clientInterval)
		// The email's bucket is whole.
		h.spread("v@x.test", 1, 20, 5)
		h.refused("v@x.test", "10.1.0.1", 1, limitPair|limitEmail, emailInterval)
		// The pair is fresh. Once the client and the bucket have refilled
		// and the bucket is emptied again, a goes through as an address
		// that has not failed, and its next attempt is refused by the
		// bucket alone, not by a pair delay grown by 1,000 attempts.
		h.now = h.now.Add(clientBurst * clientInterval)
		h.spread("v@x.test", 2, 100, 1)
		h.allowed("v@x.test", a, 1)
		h.refused("v@x.test", a, 1, limitEmail, 2*emailInterval)
	})
	t.Run("refused by the email", func(t *testing.T) {
		t.Parallel()
		h := newLimiterHarness(t, rdb)
		h.spread("v@x.test", 1, 20, 5)
		h.allowed("v@x.test", a, 1)
		h.refused("v@x.test", a, 1000, limitEmail, 0)
		// a spent 1 of its client budget and 1 of its pair's free attempts.
		for i := range clientBurst - 1 {
			h.allowed(fmt.Sprintf("u%d@x.test", i), a, 1)
		}
		h.refused("u@x.test", a, 1, limitClient, clientInterval)
		h.now = h.now.Add(2 * time.Hour) // the bucket and the client refill
		h.allowed("v@x.test", a, 4)
		h.refused("v@x.test", a, 1, limitPair, time.Second)
	})
}

// The embedded mode runs Redis in process (miniredis): the scripts run
// there as they do on Redis.
func TestLoginLimiterOnEmbeddedRedis(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	h := newLimiterHarness(t, rdb)
	const a, b = "192.0.2.1", "198.51.100.7"
	h.allowed("v@x.test", a, 5)
	h.refused("v@x.test", a, 1, limitPair, time.Second)
	h.now = h.now.Add(time.Second)
	h.allowed("v@x.test", a, 1)
	h.refused("v@x.test", a, 1, limitPair, 2*time.Second)

	h.spread("e@x.test", 1, 25, 4)
	h.refused("e@x.test", "10.1.0.1", 1, limitEmail, emailInterval)
	h.allowed("e@x.test", b, 1)
	h.succeeded("e@x.test", b)
	h.allowed("e@x.test", b, 5)
	h.refused("e@x.test", b, 1, limitPair, time.Second)

	for i := range clientBurst - 6 {
		h.allowed(fmt.Sprintf("u%d@x.test", i), a, 1)
	}
	h.refused("u@x.test", a, 1, limitClient, clientInterval-time.Second) // a second has passed
}

func TestClientAddress(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"192.0.2.1":              "192.0.2.1",
		"::ffff:192.0.2.1":       "192.0.2.1",
		"2001:db8:1:2:3:4:5:6":   "2001:db8:1:2::/64",
		"2001:db8:1:2::1%eth0":   "2001:db8:1:2::/64",
		"::1":                    "::/64",
		"":                       "unknown",
		"@":                      "@",
		"2001:DB8:1:2:FFFF::abc": "2001:db8:1:2::/64",
	} {
		require.Equal(t, want, clientAddress(in), in)
	}
}

func TestRetrySeconds(t *testing.T) {
	t.Parallel()
	for in, want := range map[time.Duration]time.Duration{
		0:                       time.Second,
		time.Millisecond:        time.Second,
		time.Second:             time.Second,
		time.Second + 1:         2 * time.Second,
		15 * time.Minute:        15 * time.Minute,
		15*time.Minute - 999999: 15 * time.Minute,
	} {
		require.Equal(t, want, retrySeconds(in), in.String())
	}
}
