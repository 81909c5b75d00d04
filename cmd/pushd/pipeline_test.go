package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
)

func done(j job) bool { return j.Status == "DONE" }

// The four push modes, end to end: signed GraphQL to connected devices,
// each acked and ARRIVED.
func TestPushModesEndToEnd(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	b := newBackend(t, in)
	d1, d2, d3 := b.register("i-1", enum.PlatformAndroid), b.register("i-2", enum.PlatformIOS), b.register("i-3", enum.PlatformAndroid)
	b.do(`mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: "user-7"}) { id } }`, map[string]any{"d": d3.id}, nil)
	b.do(`mutation($app: ID!) { createTemplate(input: {appID: $app, name: "order", title: "Order {{id}}", body: "Hi {{name}}", defaults: {name: "there"}}) { id } }`,
		map[string]any{"app": b.appID}, nil)
	c1, c2, c3 := b.connect(d1, 0), b.connect(d2, 0), b.connect(d3, 0)
	ctx := context.Background()

	// Simple, to one device.
	j := b.push("pushSimple", map[string]any{
		"target":  map[string]any{"deviceIDs": []string{d1.id}},
		"message": map[string]any{"title": "Hello", "body": "simple", "payload": map[string]any{"k": "v"}},
	})
	require.Equal(t, "SIMPLE", j.Kind)
	p := nextPush(t, c1)
	require.Equal(t, "Hello", p.Title)
	require.Equal(t, map[string]any{"k": "v"}, p.Payload)
	require.NoError(t, c1.Ack(ctx, p.MessageID))
	got := b.waitJob(j.ID, func(j job) bool { return done(j) && j.Counts.Arrived == 1 })
	require.Equal(t, 1, got.Counts.Targeted)

	// Template, to a user: reaches the user's device.
	j = b.push("pushTemplate", map[string]any{
		"target": map[string]any{"userIDs": []string{"user-7"}}, "templateName": "order", "vars": map[string]any{"id": 42},
	})
	p = nextPush(t, c3)
	require.Equal(t, "Order 42", p.Title)
	require.Equal(t, "Hi there", p.Body, "the default fills a variable left out")
	require.NoError(t, c3.Ack(ctx, p.MessageID))
	b.waitJob(j.ID, func(j job) bool { return done(j) && j.Counts.Arrived == 1 })

	// Multiple: each target its own variables.
	j = b.push("pushMultiple", map[string]any{
		"templateName": "order",
		"items": []map[string]any{
			{"target": map[string]any{"deviceIDs": []string{d1.id}}, "vars": map[string]any{"id": "A", "name": "Ann"}},
			{"target": map[string]any{"deviceIDs": []string{d2.id}}, "vars": map[string]any{"id": "B", "name": "Bob"}},
		},
	})
	p1, p2 := nextPush(t, c1), nextPush(t, c2)
	require.Equal(t, "Order A", p1.Title)
	require.Equal(t, "Hi Ann", p1.Body)
	require.Equal(t, "Order B", p2.Title)
	require.Equal(t, "Hi Bob", p2.Body)
	require.NoError(t, c1.Ack(ctx, p1.MessageID))
	require.NoError(t, c2.Ack(ctx, p2.MessageID))
	b.waitJob(j.ID, func(j job) bool { return done(j) && j.Counts.Arrived == 2 })

	// Broadcast: every device of the app.
	var preview struct{ PreviewAudience int }
	b.do(`query($app: ID!) { previewAudience(appID: $app, audience: {platforms: [ANDROID]}) }`, map[string]any{"app": b.appID}, &preview)
	require.Equal(t, 2, preview.PreviewAudience)
	j = b.push("pushBroadcast", map[string]any{"message": map[string]any{"title": "To all"}})
	for _, c := range []*deviceclient.Conn{c1, c2, c3} {
		p := nextPush(t, c)
		require.Equal(t, "To all", p.Title)
		require.NoError(t, c.Ack(ctx, p.MessageID))
	}
	got = b.waitJob(j.ID, func(j job) bool { return done(j) && j.Counts.Arrived == 3 })
	require.Equal(t, 3, got.Counts.Targeted)
}

// An offline device gets a message when it connects within the TTL, once;
// after the TTL, never, and the delivery is EXPIRED.
func TestOfflineDeviceAndTTL(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	b := newBackend(t, in)
	d := b.register("offline-1", enum.PlatformAndroid)

	short := b.push("pushSimple", map[string]any{
		"target": map[string]any{"deviceIDs": []string{d.id}}, "message": map[string]any{"title": "short-lived"},
		"options": map[string]any{"ttlSeconds": 1},
	})
	kept := b.push("pushSimple", map[string]any{
		"target": map[string]any{"deviceIDs": []string{d.id}}, "message": map[string]any{"title": "kept"},
		"options": map[string]any{"ttlSeconds": 600},
	})
	// Both are attempted; the device is unreachable, so both wait.
	b.waitJob(kept.ID, func(j job) bool { return done(j) && j.Counts.Pending == 1 })
	b.waitJob(short.ID, func(j job) bool { return j.Counts.Expired == 1 })

	c := b.connect(d, 0)
	p := nextPush(t, c)
	require.Equal(t, "kept", p.Title, "the expired message is never sent")
	require.NoError(t, c.Ack(context.Background(), p.MessageID))
	b.waitJob(kept.ID, func(j job) bool { return j.Counts.Arrived == 1 })
	require.NoError(t, c.Close())

	// Reconnecting after the last seq replays nothing; a new push is next.
	c = b.connect(d, p.Seq)
	b.push("pushSimple", map[string]any{"target": map[string]any{"deviceIDs": []string{d.id}}, "message": map[string]any{"title": "after"}})
	require.Equal(t, "after", nextPush(t, c).Title)
}

// A push to a user with no device reaches a device bound to the user
// within the TTL; a second device bound later gets it too, each once.
func TestUserBoundLaterGetsMessage(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	b := newBackend(t, in)
	j := b.push("pushSimple", map[string]any{
		"target": map[string]any{"userIDs": []string{"late-user"}}, "message": map[string]any{"title": "welcome back"},
	})
	b.waitJob(j.ID, done)

	d1 := b.register("late-1", enum.PlatformAndroid)
	c1 := b.connect(d1, 0)
	b.do(`mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: "late-user"}) { id } }`, map[string]any{"d": d1.id}, nil)
	p := nextPush(t, c1)
	require.Equal(t, "welcome back", p.Title)

	// Binding again does not repeat it on the same device.
	b.do(`mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: "late-user"}) { id } }`, map[string]any{"d": d1.id}, nil)
	d2 := b.register("late-2", enum.PlatformIOS)
	c2 := b.connect(d2, 0)
	b.do(`mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: "late-user"}) { id } }`, map[string]any{"d": d2.id}, nil)
	require.Equal(t, "welcome back", nextPush(t, c2).Title)
	b.waitJob(j.ID, func(j job) bool { return j.Counts.Targeted == 2 && j.Counts.Sent == 2 })

	b.push("pushSimple", map[string]any{"target": map[string]any{"deviceIDs": []string{d1.id}}, "message": map[string]any{"title": "marker"}})
	require.Equal(t, "marker", nextPush(t, c1).Title, "nothing was sent twice to the first device")
}

// The same msgKey twice is one job and one message.
func TestMsgKeyIsIdempotent(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	b := newBackend(t, in)
	d := b.register("idem-1", enum.PlatformAndroid)
	c := b.connect(d, 0)
	in1 := map[string]any{
		"target": map[string]any{"deviceIDs": []string{d.id}}, "message": map[string]any{"title": "once"},
		"options": map[string]any{"msgKey": "order-42"},
	}
	first := b.push("pushSimple", in1)
	second := b.push("pushSimple", in1)
	require.Equal(t, first.ID, second.ID)
	require.Equal(t, "once", nextPush(t, c).Title)
	b.push("pushSimple", map[string]any{"target": map[string]any{"deviceIDs": []string{d.id}}, "message": map[string]any{"title": "marker"}})
	require.Equal(t, "marker", nextPush(t, c).Title)
}

// Revoke withdraws a delivered message from the device; cancel stops a
// scheduled push.
func TestRevokeAndCancel(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	b := newBackend(t, in)
	d := b.register("rev-1", enum.PlatformAndroid)
	c := b.connect(d, 0)
	j := b.push("pushSimple", map[string]any{"target": map[string]any{"deviceIDs": []string{d.id}}, "message": map[string]any{"title": "oops"}})
	p := nextPush(t, c)
	var out struct{ RevokePush job }
	b.do(`mutation($id: ID!) { revokePush(id: $id) { `+jobFields+` } }`, map[string]any{"id": j.ID}, &out)
	require.Equal(t, "REVOKED", out.RevokePush.Status)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f, err := c.Next(ctx)
	require.NoError(t, err)
	require.NotNil(t, f.Revoke)
	require.Equal(t, p.MessageID, f.Revoke.MessageID)
	b.waitJob(j.ID, func(j job) bool { return j.Counts.Revoked == 1 })

	later := b.push("pushSimple", map[string]any{
		"target": map[string]any{"deviceIDs": []string{d.id}}, "message": map[string]any{"title": "later"},
		"options": map[string]any{"scheduleAt": time.Now().Add(time.Hour).Format(time.RFC3339)},
	})
	require.Equal(t, "SCHEDULED", later.Status)
	var cancelled struct{ CancelPush job }
	b.do(`mutation($id: ID!) { cancelPush(id: $id) { `+jobFields+` } }`, map[string]any{"id": later.ID}, &cancelled)
	require.Equal(t, "CANCELLED", cancelled.CancelPush.Status)
	require.Equal(t, 1, cancelled.CancelPush.Counts.Revoked)
	e := b.fails(`mutation($id: ID!) { cancelPush(id: $id) { id } }`, map[string]any{"id": j.ID})
	require.Equal(t, "CONFLICT", e.Code())
}

// Bad inputs get a clear, coded error naming the field, and nothing is
// sent; unknown device IDs are reported, not fatal.
func TestPushBadInputs(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	b := newBackend(t, in)
	d := b.register("bad-1", enum.PlatformAndroid)
	b.do(`mutation($app: ID!) { createTemplate(input: {appID: $app, name: "greet", title: "{{a}}", body: "{{b}} {{c}}"}) { id } }`,
		map[string]any{"app": b.appID}, nil)
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf("user-%d", i)
	}
	target := map[string]any{"deviceIDs": []string{d.id}}
	cases := []struct {
		name, mutation string
		input          map[string]any
		code, says     string
	}{
		{"unknown template", "pushTemplate", map[string]any{"target": target, "templateName": "nope"}, "NOT_FOUND", `no template named "nope"`},
		{"missing variables", "pushTemplate", map[string]any{"target": target, "templateName": "greet", "vars": map[string]any{"b": "x"}}, "INVALID_ARGUMENT", "missing variables: a, c"},
		{"1,001 targets", "pushSimple", map[string]any{"target": map[string]any{"userIDs": many}, "message": map[string]any{"title": "x"}}, "INVALID_ARGUMENT", "at most 1000 targets"},
		{"4,097-byte payload", "pushSimple", map[string]any{"target": target, "message": map[string]any{"body": strings.Repeat("x", 4097)}}, "INVALID_ARGUMENT", "the limit is 4096"},
		{"TTL below range", "pushSimple", map[string]any{"target": target, "message": map[string]any{"title": "x"}, "options": map[string]any{"ttlSeconds": -1}}, "INVALID_ARGUMENT", "from 0 to 2592000"},
		{"TTL above range", "pushSimple", map[string]any{"target": target, "message": map[string]any{"title": "x"}, "options": map[string]any{"ttlSeconds": 2592001}}, "INVALID_ARGUMENT", "from 0 to 2592000"},
		{"devices and users", "pushSimple", map[string]any{"target": map[string]any{"deviceIDs": []string{d.id}, "userIDs": []string{"u"}}, "message": map[string]any{"title": "x"}}, "INVALID_ARGUMENT", "not both"},
		{"no target", "pushSimple", map[string]any{"target": map[string]any{}, "message": map[string]any{"title": "x"}}, "INVALID_ARGUMENT", "give deviceIDs or userIDs"},
		{"empty message", "pushSimple", map[string]any{"target": target, "message": map[string]any{}}, "INVALID_ARGUMENT", "needs a title, a body or a payload"},
		{"schedule in the past", "pushSimple", map[string]any{"target": target, "message": map[string]any{"title": "x"}, "options": map[string]any{"scheduleAt": "2020-01-01T00:00:00Z"}}, "INVALID_ARGUMENT", "in the past"},
		{"bad cron", "pushSimple", map[string]any{"target": target, "message": map[string]any{"title": "x"}, "options": map[string]any{"recurrence": map[string]any{"cron": "every day", "timeZone": "UTC"}}}, "INVALID_ARGUMENT", "expected exactly 5 fields"},
		{"bad time zone", "pushSimple", map[string]any{"target": target, "message": map[string]any{"title": "x"}, "options": map[string]any{"recurrence": map[string]any{"cron": "0 9 * * *", "timeZone": "Mars/Olympus"}}}, "INVALID_ARGUMENT", "unknown time zone"},
		{"broadcast template and message", "pushBroadcast", map[string]any{"templateName": "greet", "message": map[string]any{"title": "x"}}, "INVALID_ARGUMENT", "not both"},
	}
	for _, tc := range cases {
		tc.input["appID"] = b.appID
		e := b.fails(fmt.Sprintf(`mutation($in: %s!) { %s(input: $in) { id } }`, inputType(tc.mutation), tc.mutation), map[string]any{"in": tc.input})
		require.Equal(t, tc.code, e.Code(), "%s: %s", tc.name, e.Message)
		require.Contains(t, e.Message, tc.says, tc.name)
		if tc.code == "INVALID_ARGUMENT" {
			require.NotEmpty(t, e.Extensions["field"], "%s: the field at fault is named", tc.name)
		}
	}
	items := make([]map[string]any, 10_001)
	for i := range items {
		items[i] = map[string]any{"target": map[string]any{"userIDs": []string{"u"}}, "message": map[string]any{"title": "x"}}
	}
	e := b.fails(`mutation($in: PushMultipleInput!) { pushMultiple(input: $in) { id } }`, map[string]any{"in": map[string]any{"appID": b.appID, "items": items}})
	require.Equal(t, "INVALID_ARGUMENT", e.Code())
	require.Contains(t, e.Message, "at most 10000 items")

	var jobs struct{ PushJobs struct{ TotalCount int } }
	b.do(`{ pushJobs { totalCount } }`, nil, &jobs)
	require.Zero(t, jobs.PushJobs.TotalCount, "no bad request made a job")

	j := b.push("pushSimple", map[string]any{
		"target":  map[string]any{"deviceIDs": []string{d.id, "dev_01ZZZZZZZZZZZZZZZZZZZZZZZZ", "not-an-id"}},
		"message": map[string]any{"title": "partly known"},
	})
	require.ElementsMatch(t, []string{"dev_01ZZZZZZZZZZZZZZZZZZZZZZZZ", "not-an-id"}, j.UnknownTargets)
	require.Equal(t, 1, j.Counts.Targeted)
}

// One push to an online and an offline device: the online one gets it at
// once (claimed as it was written), the offline one when it connects.
func TestPushToOnlineAndOfflineDevices(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	b := newBackend(t, in)
	on, off := b.register("mixed-on", enum.PlatformAndroid), b.register("mixed-off", enum.PlatformIOS)
	c := b.connect(on, 0)
	j := b.push("pushSimple", map[string]any{
		"target": map[string]any{"deviceIDs": []string{on.id, off.id}}, "message": map[string]any{"title": "both"},
	})
	p := nextPush(t, c)
	require.Equal(t, "both", p.Title)
	require.NoError(t, c.Ack(context.Background(), p.MessageID))
	b.waitJob(j.ID, func(j job) bool { return done(j) && j.Counts.Arrived == 1 && j.Counts.Pending == 1 })

	c2 := b.connect(off, 0)
	p2 := nextPush(t, c2)
	require.Equal(t, "both", p2.Title)
	require.NotEqual(t, p.MessageID, p2.MessageID)
	require.NoError(t, c2.Ack(context.Background(), p2.MessageID))
	b.waitJob(j.ID, func(j job) bool { return j.Counts.Arrived == 2 && j.Counts.Pending == 0 })
}
