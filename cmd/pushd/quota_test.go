package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/worker"
)

// TestQuotaHoldsAndFails: Honor shows a device 2 marketing messages a day.
// pushd counts them: with the app's quotaPolicy FAIL the third fails with a
// clear reason and never reaches Honor; with HOLD the fourth waits, PENDING,
// for midnight in Beijing; a service message is not counted. The fake
// counts what reached it, and channelConfigs shows the day's numbers.
func TestQuotaHoldsAndFails(t *testing.T) {
	t.Parallel()
	v, _ := startWithReceipts(t)
	f := v.fakes
	c := f.Honor.Credentials()
	cfg := v.setChannel(t, fmt.Sprintf(`honor: {appID: %q, clientID: %q, clientSecret: %q}`, c.AppID, c.ClientID, c.ClientSecret))
	dev := v.b.registerWith("quota", enum.PlatformAndroid, gateway.Tokens{"honor": ptr("h-quota-device")})
	setPolicy := func(p string) {
		d := graphql(t, v.owner, v.in.base, fmt.Sprintf(`mutation { updateApp(id: %q, input: {quotaPolicy: %s}) { quotaPolicy } }`, v.b.appID, p))
		require.Equal(t, p, d["updateApp"].(map[string]any)["quotaPolicy"])
	}
	setPolicy("FAIL")
	for range 2 {
		j := v.b.simple(dev, 3*86400, ", classification: MARKETING")
		require.Equal(t, 1, v.b.waitJob(j.ID, final).Counts.Sent)
	}
	j := v.b.simple(dev, 3*86400, ", classification: NEWS")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Failed)
	status, _, lastError := v.b.deliveryOf(j.ID)
	require.Equal(t, "FAILED", status)
	require.Contains(t, lastError, "HONOR: the device's daily cap of 2 content and marketing messages is spent")

	j = v.b.simple(dev, 3*86400, ", classification: IM")
	require.Equal(t, 1, v.b.waitJob(j.ID, final).Counts.Sent, "a service message is not counted")

	setPolicy("HOLD")
	j = v.b.simple(dev, 3*86400, "")
	v.b.waitJob(j.ID, func(j job) bool {
		_, _, lastError = v.b.deliveryOf(j.ID)
		return strings.HasPrefix(lastError, "held:")
	})
	status, _, lastError = v.b.deliveryOf(j.ID)
	require.Equal(t, "PENDING", status)
	require.True(t, strings.HasPrefix(lastError, "held: HONOR: the device's daily cap"), lastError)

	// The held delivery's send is queued for midnight in Beijing (spread
	// over its first minutes), not for now.
	later := 0
	for _, ti := range scheduledSends(t, v.in.env) {
		if ti.NextProcessAt.After(time.Now().Add(time.Minute)) && ti.NextProcessAt.Before(time.Now().Add(24*time.Hour+11*time.Minute)) {
			later++
		}
	}
	require.Equal(t, 1, later)

	delivered := 0
	for _, s := range f.Honor.Sends.All() {
		delivered += len(s.Delivered) + len(s.Limited)
	}
	require.Equal(t, 3, delivered, "two marketing messages and the service one reached Honor")

	d := graphql(t, v.owner, v.in.base, fmt.Sprintf(`{ node(id: %q) { ... on ChannelConfig { quota { marketingPerDevice day sent held failed devicesAtCap } } } }`, cfg["id"]))
	q := d["node"].(map[string]any)["quota"].(map[string]any)
	require.Equal(t, map[string]any{"marketingPerDevice": float64(2), "day": q["day"], "sent": float64(2), "held": float64(1),
		"failed": float64(1), "devicesAtCap": float64(1)}, q)

	// A news app sets its own cap on the channel.
	creds := fmt.Sprintf(`honor: {appID: %q, clientID: %q, clientSecret: %q}`, c.AppID, c.ClientID, c.ClientSecret)
	cfg = v.setChannel(t, creds+", marketingPerDevice: 5")
	d = graphql(t, v.owner, v.in.base, fmt.Sprintf(`{ node(id: %q) { ... on ChannelConfig { quota { marketingPerDevice } } } }`, cfg["id"]))
	require.Equal(t, float64(5), d["node"].(map[string]any)["quota"].(map[string]any)["marketingPerDevice"])
	raw := graphqlRaw(t, v.owner, v.in.base, fmt.Sprintf(`mutation { setChannelConfig(input: {appID: %q, %s, marketingPerDevice: 101}) { id } }`, v.b.appID, creds))
	require.Contains(t, raw, "INVALID_ARGUMENT")
	require.Contains(t, raw, "marketingPerDevice")
}

// scheduledSends lists the send tasks a pushd of env has queued for later.
func scheduledSends(t *testing.T, env map[string]string) []*asynq.TaskInfo {
	t.Helper()
	opt, err := redis.ParseURL(env["PUSHD_REDIS_URL"])
	require.NoError(t, err)
	ins := asynq.NewInspector(asynq.RedisClientOpt{Addr: opt.Addr, Username: opt.Username, Password: opt.Password, DB: opt.DB})
	defer ins.Close()
	var out []*asynq.TaskInfo
	for _, name := range []string{push.QueueCritical, push.QueueDefault, push.QueueLow} {
		ts, err := ins.ListScheduledTasks(worker.QueueName(env["PUSHD_REDIS_NAMESPACE"], name), asynq.PageSize(1000))
		if errors.Is(err, asynq.ErrQueueNotFound) {
			continue
		}
		require.NoError(t, err)
		for _, ti := range ts {
			if ti.Type == push.TaskSend {
				out = append(out, ti)
			}
		}
	}
	return out
}
