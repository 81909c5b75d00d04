package gateway_test

import (
	"context"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/store"
)

// Presence, routing between nodes, the replacement of a connection, the
// presence refresh script and the throttles work on a Sentinel-managed
// master and on a cluster, where presence keys spread over the shards.
func TestGatewayOnRedisTopologies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		topology string
		url      func(testing.TB) string
	}{
		{"sentinel", store.RedisSentinel, func(t testing.TB) string { return testenv.StartRedisSentinel(t).URL }},
		{"cluster", store.RedisCluster, testenv.RedisClusterURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st, err := store.Open(ctx, store.Options{DatabaseURL: testenv.DatabaseURL(t), RedisURL: tc.url(t)}, testenv.Logger(t))
			require.NoError(t, err)
			t.Cleanup(func() { _ = st.Close() })
			require.NoError(t, st.Migrate(ctx))
			require.Equal(t, tc.topology, st.RedisTopology)
			exerciseGateway(t, setupWith(t, st))
		})
	}
}

// exerciseGateway routes a message to a device held by another node, moves
// the device to the first node, and lets a refresh restore lost presence.
func exerciseGateway(t *testing.T, b *bundle) {
	throttled := gateway.HubConfig{Heartbeat: 300 * time.Millisecond, Throttles: gateway.Throttles{
		RegisterPerAddress: gateway.PerSecond(100), RegisterPerApp: gateway.PerSecond(100), ConnectPerAddress: gateway.PerSecond(100),
	}}
	a, bn := b.node(throttled), b.node(throttled)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	reg := b.register(a, "install-topology")
	conn, err := bn.client.Connect(ctx, reg.DeviceToken, 0)
	require.NoError(t, err)
	defer conn.CloseNow()
	waitOnline(t, b, reg.DeviceID)

	// Many devices at once, their keys in different slots: only one is on.
	many := []nodeid.ID{reg.DeviceID}
	for range 50 {
		many = append(many, nodeid.New("dev"))
	}
	on, err := b.router.Online(ctx, many)
	require.NoError(t, err)
	require.Equal(t, map[nodeid.ID]bool{reg.DeviceID: true}, on)

	// The connection's resume, answered in a batch at a moment of its
	// own, may claim the message first: either way it is sent once.
	id := b.message(reg.DeviceID, "hello")
	sendSelf(t, ctx, b, id)
	require.Equal(t, id, nextPush(t, ctx, conn).MessageID)
	require.NoError(t, conn.Ack(ctx, id))
	require.Eventually(t, func() bool {
		d, err := b.stores.Ent.Delivery.Get(b.sys, id)
		return err == nil && d.Status == delivery.StatusARRIVED
	}, 5*time.Second, 20*time.Millisecond)

	// The device connects to node A: node B's connection is told to close.
	fresh, err := a.client.Connect(ctx, reg.DeviceToken, 1)
	require.NoError(t, err)
	defer fresh.CloseNow()
	_, err = conn.Next(ctx)
	require.Equal(t, websocket.StatusCode(4409), websocket.CloseStatus(err), "%v", err)

	// Redis loses the presence key: the next refresh (a script, on the
	// key's shard) puts it back.
	require.NoError(t, b.stores.Redis.Del(ctx, b.prefix+"presence:"+string(reg.DeviceID)).Err())
	waitOnline(t, b, reg.DeviceID)
	id2 := b.message(reg.DeviceID, "again")
	// The node that restored the presence also claims what waited for the
	// device meanwhile, at a moment of its own: whichever of it and
	// DeliverSelf claims the message first sends it. A delivery left
	// PENDING (presence read as offline between the refresh and the send)
	// is sent by the next try, as the pipeline's next send would.
	sendSelf(t, ctx, b, id2)
	require.Equal(t, id2, nextPush(t, ctx, fresh).MessageID)
}

// sendSelf sends a PENDING message through DeliverSelf until it is no
// longer PENDING: sent by it, or claimed first by the node that holds
// the device.
func sendSelf(t *testing.T, ctx context.Context, b *bundle, id nodeid.ID) {
	t.Helper()
	require.Eventually(t, func() bool {
		left, err := b.svc.Delivery().DeliverSelf(ctx, []nodeid.ID{id})
		require.NoError(t, err)
		if len(left) == 0 {
			return true
		}
		d, err := b.stores.Ent.Delivery.Get(b.sys, id)
		require.NoError(t, err)
		return d.Status != delivery.StatusPENDING
	}, 5*time.Second, 50*time.Millisecond)
}
