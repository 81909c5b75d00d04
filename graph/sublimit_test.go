package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
)

const jobSubscription = `subscription($id: ID!) { pushJobUpdated(id: $id) { status } }`

// subscriptionGoroutines counts gqlgen's goroutines of live subscriptions
// in this process (one per subscription it runs).
func subscriptionGoroutines(t *testing.T) int {
	var buf bytes.Buffer
	require.NoError(t, pprof.Lookup("goroutine").WriteTo(&buf, 2))
	return strings.Count(buf.String(), "(*wsConnection).subscribe.func")
}

// newJob is a push job of app to subscribe to.
func (b *bundle) newJob(app string) string {
	b.t.Helper()
	job, err := b.stores.Ent.PushJob.Create().SetAppID(idOf(app)).SetKind(enum.PushKindSimple).
		SetTTLSeconds(60).SetMessage(jsontype.Message{Body: "b"}).SetOptions(jsontype.Options{TTLSeconds: 60}).Save(b.sys)
	require.NoError(b.t, err)
	return string(job.ID)
}

// answers reads until every id in want has its first answer: true for
// data, false for a refusal (RATE_LIMITED), which it checks.
func (c *wsClient) answers(ctx context.Context, want int) map[string]bool {
	c.t.Helper()
	got := map[string]bool{}
	for len(got) < want {
		m := c.read(ctx)
		if m.Type == "complete" {
			continue
		}
		require.Equal(c.t, "next", m.Type, "id %s: %s", m.ID, m.Payload)
		var p struct {
			Data   map[string]any `json:"data"`
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		require.NoError(c.t, json.Unmarshal(m.Payload, &p))
		if _, seen := got[m.ID]; seen {
			continue // a later event of a live one
		}
		if len(p.Errors) == 0 {
			got[m.ID] = true
			continue
		}
		require.Len(c.t, p.Errors, 1, "%s", m.Payload)
		require.Equal(c.t, "RATE_LIMITED", p.Errors[0].Extensions["code"], "%s", m.Payload)
		require.Equal(c.t, "SUBSCRIPTION_LIMIT_EXCEEDED", p.Errors[0].Extensions["reason"], "%s", m.Payload)
		got[m.ID] = false
	}
	return got
}

func count(m map[string]bool, v bool) int {
	n := 0
	for _, x := range m {
		if x == v {
			n++
		}
	}
	return n
}

// 1,000 subscriptions on one socket: the ones past the limit are refused
// before gqlgen starts anything for them, and the socket goes on serving.
func TestSubscriptionsLimitedPerSocket(t *testing.T) {
	t.Parallel()
	const limit, tries = 20, 1000
	b := setup(t, func(c *cfgT) { c.LimitSubscriptionsPerSocket = limit })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	job := b.newJob(b.createApp("sub-limit"))
	c := b.ws(ctx)

	before := subscriptionGoroutines(t)
	for i := range tries {
		c.subscribe(ctx, fmt.Sprint(i), jobSubscription, map[string]any{"id": job})
	}
	got := c.answers(ctx, tries)
	require.Equal(t, limit, count(got, true))
	require.Equal(t, tries-limit, count(got, false))
	for i := range limit {
		require.True(t, got[fmt.Sprint(i)], "the first %d are served, in order", limit)
	}
	// Other tests of the package may run subscriptions meanwhile, a few.
	require.LessOrEqual(t, subscriptionGoroutines(t)-before, limit+10, "one goroutine per live subscription, none for refused ones")

	// The socket stays usable: completing one makes room for one.
	c.subscribe(ctx, "again-1", jobSubscription, map[string]any{"id": job})
	require.False(t, c.answers(ctx, 1)["again-1"])
	c.send(ctx, wsMessage{ID: "0", Type: "complete"})
	require.Eventually(t, func() bool {
		id := fmt.Sprint("again-", time.Now().UnixNano())
		c.subscribe(ctx, id, jobSubscription, map[string]any{"id": job})
		return c.answers(ctx, 1)[id]
	}, 10*time.Second, 20*time.Millisecond, "the completed subscription is counted off")
}

// An account's subscriptions count together over its sockets; a closed
// socket gives back what it held.
func TestSubscriptionsLimitedPerAccount(t *testing.T) {
	t.Parallel()
	const perSocket, perAccount = 20, 30
	b := setup(t, func(c *cfgT) { c.LimitSubscriptionsPerSocket, c.LimitSubscriptionsPerAccount = perSocket, perAccount })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	job := b.newJob(b.createApp("account-limit"))
	first, second := b.ws(ctx), b.ws(ctx)

	for i := range perSocket {
		first.subscribe(ctx, fmt.Sprint(i), jobSubscription, map[string]any{"id": job})
	}
	require.Equal(t, perSocket, count(first.answers(ctx, perSocket), true))
	for i := range perAccount - perSocket + 1 {
		second.subscribe(ctx, fmt.Sprint(i), jobSubscription, map[string]any{"id": job})
	}
	got := second.answers(ctx, perAccount-perSocket+1)
	require.Equal(t, perAccount-perSocket, count(got, true))
	require.False(t, got[fmt.Sprint(perAccount-perSocket)], "the account's limit, though this socket has room")

	require.NoError(t, first.conn.CloseNow())
	require.Eventually(t, func() bool {
		id := fmt.Sprint("after-", time.Now().UnixNano())
		second.subscribe(ctx, id, jobSubscription, map[string]any{"id": job})
		return second.answers(ctx, 1)[id]
	}, 10*time.Second, 20*time.Millisecond, "the closed socket's subscriptions are counted off")
}
