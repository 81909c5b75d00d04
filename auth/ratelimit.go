package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Login throttling. docs/security.md ("Login throttling") and the limits
// table of docs/api.md state every number below; change them together.
//
// Three limits, narrowest first. An attempt is counted before its password
// is checked, atomically, so parallel guesses cannot slip past the count,
// and a successful login takes its own attempt back.
//
//   - Pair: one email from one client address. The first pairFreeFailures
//     attempts go through at once; after that each further attempt must
//     wait pairBaseDelay after the previous one, doubling with every
//     attempt, up to pairMaxDelay. The count is forgotten pairMemory after
//     the pair's last counted attempt, or at once on a successful login.
//     This is what stops a guesser at one address.
//   - Client: one address, any email (password spraying). A token bucket
//     (GCRA) of clientBurst attempts, refilled by one every clientInterval.
//   - Email: one email, any address (guessing spread over many addresses).
//     A token bucket of emailBurst, refilled by one every emailInterval.
//     An empty bucket refuses only addresses that have themselves failed
//     for that email since their last success (their pair count is not
//     zero) and that have not logged in to it successfully within
//     knownAddressTTL. So a correct password from an address that has not
//     failed is never refused by it, and neither is the user's usual
//     address when they mistype in the middle of an attack: the
//     failing addresses of a guesser pay, not the account. The price is
//     that each fresh address of a guesser gets one attempt past an empty
//     bucket (after it, the address has failed); grouping IPv6 addresses
//     by /64 (see clientAddress) keeps fresh addresses from being free.
//     Any design that never refuses an address that has not failed has
//     that price. Attempts that pass an empty bucket still count, but the
//     bucket never owes more than emailMaxDelay, so a flood cannot refuse
//     a failed address for longer than that.
//
// An attempt that any limit refuses counts toward none of them: the three
// are decided and updated together in one Lua script, all or nothing. So
// a guesser hammering a refused pair spends nothing of its address's or
// the email's budget, and cannot use refused attempts to exhaust them.
//
// A refusal says how long to wait: the longest wait among the limits that
// refused (RATE_LIMITED with extensions.retryAfterSeconds).
//
// The state lives in Redis, so the limits hold across replicas. Time is
// the Service's clock (tests inject one), not Redis's: replicas already
// agree on time for sessions.
//
// Why not github.com/go-redis/redis_rate (used for push admission): its
// calls decide and spend one key each, so "refused by one limit, counted
// by none" would need refunds racing other attempts; it has no growing
// per-failure delay and no refund on success; and it reads Redis's clock,
// which tests cannot move. The token bucket below is the same GCRA it
// implements.
//
// Behind a reverse proxy every client shares the proxy's address
// (forwarded headers are not trusted), so the pair and client limits
// apply to all of them together.
const (
	pairFreeFailures = 5
	pairBaseDelay    = time.Second
	pairMaxDelay     = 15 * time.Minute
	pairMemory       = 24 * time.Hour

	clientBurst    = 50
	clientInterval = 2 * time.Minute

	emailBurst    = 100
	emailInterval = time.Minute
	emailMaxDelay = 15 * time.Minute

	knownAddressTTL = 30 * 24 * time.Hour
)

// loginLimit names the limits that refused an attempt, as bits.
type loginLimit int

const (
	limitPair loginLimit = 1 << iota
	limitClient
	limitEmail
)

func (l loginLimit) String() string {
	s := ""
	for _, b := range []struct {
		bit  loginLimit
		name string
	}{{limitPair, "pair"}, {limitClient, "client"}, {limitEmail, "email"}} {
		if l&b.bit != 0 {
			if s != "" {
				s += "+"
			}
			s += b.name
		}
	}
	if s == "" {
		return "none"
	}
	return s
}

// loginVerdict is the answer to one attempt: allowed when RefusedBy is 0.
type loginVerdict struct {
	RefusedBy  loginLimit
	RetryAfter time.Duration
}

func (v loginVerdict) allowed() bool { return v.RefusedBy == 0 }

type loginLimiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// clientAddress is the unit the per-address limits count: an IPv4 address
// (IPv4-mapped IPv6 included), or the /64 of an IPv6 address, which is
// what one subscriber gets at the least: its 2^64 addresses cost an
// attacker nothing to rotate through.
func clientAddress(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		if ip == "" {
			return "unknown"
		}
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64) // cannot fail for an IPv6 address and 64
		return p.String()
	}
	return a.String()
}

// ClientAddress is the client address of r as the per-address limits
// count it (see clientAddress), from the address the listener saw:
// forwarded headers are not trusted, anyone can send them.
func ClientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return clientAddress(host)
}

// keys returns the Redis keys of an attempt, in the order the scripts take
// them. Emails are hashed: keys stay short and hold no addresses of people.
//
// One script reads and writes all four, and on a Redis Cluster the keys
// of one script must share a slot: the hash tag {login} puts every login
// key in one. An attempt's keys span an email and an address, so no
// narrower tag would do; logins are few enough for one slot.
func (l loginLimiter) keys(email, ip string) []string {
	h := sha256.Sum256([]byte(email))
	e := hex.EncodeToString(h[:16])
	a := clientAddress(ip)
	return []string{
		l.prefix + loginKeyTag + ":pair:" + e + ":" + a,
		l.prefix + loginKeyTag + ":known:" + e + ":" + a,
		l.prefix + loginKeyTag + ":client:" + a,
		l.prefix + loginKeyTag + ":email:" + e,
	}
}

// loginKeyTag is the hash tag of the login limiter's keys.
const loginKeyTag = "{login}"

// attemptScript decides an attempt on the pair (KEYS[1]: count and time of
// the last counted attempt), known-address (KEYS[2]: time of the last
// success), client (KEYS[3]) and email (KEYS[4]) keys (bucket times), and
// counts it only when no limit refuses. Times are integer milliseconds of
// the caller's clock; the script decides by them alone, and key expiry
// only clears what no longer matters. Returns {refused limits as bits,
// wait in ms}.
var attemptScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local free, base, maxd, memory = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local cT, cBurst = tonumber(ARGV[6]), tonumber(ARGV[7])
local eT, eBurst, eMax = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local knownTTL = tonumber(ARGV[11])

local refused, wait = 0, 0
local function refuse(bit, w)
  refused = refused + bit
  if w > wait then wait = w end
end
local function int(x) return string.format("%d", x) end

-- the pair: free attempts, then a doubling delay after the last one
local p = redis.call("HMGET", KEYS[1], "n", "last")
local n, last = tonumber(p[1]) or 0, tonumber(p[2]) or 0
if now - last >= memory then n = 0 end
if n >= free then
  local d = maxd
  if n - free < 40 then d = math.min(base * 2 ^ (n - free), maxd) end
  if now < last + d then refuse(1, last + d - now) end
end

-- the buckets (GCRA): the theoretical arrival time after this attempt, and
-- the attempt is early when that is more than a burst ahead of now
local function after(key, T)
  local t = tonumber(redis.call("GET", key))
  if not t or t < now then t = now end
  return t + T
end
local cTat = after(KEYS[3], cT)
if cTat - cT * cBurst > now then refuse(2, cTat - cT * cBurst - now) end
local eTat = after(KEYS[4], eT)
local since = tonumber(redis.call("GET", KEYS[2]))
local known = since ~= nil and now - since < knownTTL
if n > 0 and not known and eTat - eT * eBurst > now then
  refuse(4, eTat - eT * eBurst - now)
end

if refused > 0 then return {refused, math.ceil(wait)} end

redis.call("HSET", KEYS[1], "n", int(n + 1), "last", int(now))
redis.call("PEXPIRE", KEYS[1], int(memory))
redis.call("SET", KEYS[3], int(cTat), "PX", int(cTat - now))
eTat = math.min(eTat, now + eT * (eBurst - 1) + eMax)
redis.call("SET", KEYS[4], int(eTat), "PX", int(eTat - now))
return {0, 0}
`)

// successScript forgets the pair's count, remembers the address as known
// for the email, and takes the attempt back from both buckets.
var successScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local function int(x) return string.format("%d", x) end
redis.call("DEL", KEYS[1])
redis.call("SET", KEYS[2], int(now), "PX", ARGV[2])
local function refund(key, T)
  local t = tonumber(redis.call("GET", key))
  if not t then return end
  t = t - T
  if t <= now then redis.call("DEL", key) else redis.call("SET", key, int(t), "PX", int(t - now)) end
end
refund(KEYS[3], tonumber(ARGV[3]))
refund(KEYS[4], tonumber(ARGV[4]))
return 0
`)

func ms(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

// attempt counts one login attempt at now, unless a limit refuses it.
func (l loginLimiter) attempt(ctx context.Context, email, ip string, now time.Time) (loginVerdict, error) {
	res, err := attemptScript.Run(ctx, l.rdb, l.keys(email, ip),
		strconv.FormatInt(now.UnixMilli(), 10),
		pairFreeFailures, ms(pairBaseDelay), ms(pairMaxDelay), ms(pairMemory),
		ms(clientInterval), clientBurst,
		ms(emailInterval), emailBurst, ms(emailMaxDelay), ms(knownAddressTTL),
	).Int64Slice()
	if err != nil {
		return loginVerdict{}, fmt.Errorf("login limits: %w", err)
	}
	if len(res) != 2 {
		return loginVerdict{}, fmt.Errorf("login limits: unexpected reply %v", res)
	}
	return loginVerdict{RefusedBy: loginLimit(res[0]), RetryAfter: time.Duration(res[1]) * time.Millisecond}, nil
}

// succeeded records a successful login at now: the pair starts afresh, the
// address is known to the email, and the attempt is not held against the
// address or the email.
func (l loginLimiter) succeeded(ctx context.Context, email, ip string, now time.Time) error {
	err := successScript.Run(ctx, l.rdb, l.keys(email, ip),
		strconv.FormatInt(now.UnixMilli(), 10), ms(knownAddressTTL), ms(clientInterval), ms(emailInterval)).Err()
	if err != nil {
		return fmt.Errorf("login limits: %w", err)
	}
	return nil
}

// retrySeconds is a wait in whole seconds, rounded up, at least 1.
func retrySeconds(d time.Duration) time.Duration {
	s := (d + time.Second - 1) / time.Second
	if s < 1 {
		s = 1
	}
	return s * time.Second
}
