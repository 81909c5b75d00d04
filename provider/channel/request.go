package channel

import (
	"context"
	"hash/fnv"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/pushd/pushd/push/core"
)

// NotSent is the start of a send's results: every message a retry, so
// that one whose request never ran (a panic, a send cut short) is sent
// again rather than counted as sent. vendor names the vendor in the
// reason.
func NotSent(vendor string, n int) []core.Result {
	res := make([]core.Result, n)
	for i := range res {
		res[i] = core.Result{Outcome: core.OutcomeRetry, Reason: vendor + ": not sent"}
	}
	return res
}

// EachRequest is Each for a sender's requests: a request that panics is
// logged as the vendor's, its messages keep the results they had
// (NotSent's retry), and the other requests go on.
func EachRequest(ctx context.Context, log *slog.Logger, vendor string, n, limit int, send func(i int)) {
	Each(n, limit, func(i int) {
		defer func() {
			if r := recover(); r != nil {
				log.ErrorContext(ctx, strings.ToLower(vendor)+": request panicked", "panic", r)
			}
		}()
		send(i)
	})
}

// NotifyID turns a collapse key into a stable notification ID in
// 1..2^31-1, for the vendors whose phones replace a notification with
// the same ID.
func NotifyID(key string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32()&0x7fffffff) | 1
}

// Cut shortens s to n characters, ending with … when cut.
func Cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
