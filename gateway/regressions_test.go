package gateway_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/gateway"
)

// A device with a backlog larger than its send queue gets all of it.
func TestResumeBacklogLargerThanSendBuffer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	reg := b.register(n, "install-backlog")
	for i := range 200 {
		b.message(reg.DeviceID, "m"+string(rune('a'+i%26)))
	}
	conn, err := n.client.Connect(ctx, reg.DeviceToken, 0)
	require.NoError(t, err)
	defer conn.CloseNow()
	got := 0
	for got < 200 {
		f, err := conn.Next(ctx)
		if err != nil {
			t.Fatalf("after %d pushes: %v", got, err)
		}
		if f.Push != nil {
			got++
		}
	}
}

// A message whose hand-off was lost, overtaken by a later one, reaches the
// device after it reconnects past it: redelivery hands it again.
func TestLostHandOffOvertakenIsRedelivered(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	reg := b.register(n, "install-gap")
	conn, err := n.client.Connect(ctx, reg.DeviceToken, 0)
	require.NoError(t, err)
	waitOnline(t, b, reg.DeviceID)
	// A first message, handed live, arrives only once the connection's
	// resume is over: from then on nothing hands over a backlog, so the
	// lost message below can only come back through redelivery.
	first := b.message(reg.DeviceID, "first")
	_, err = b.svc.Delivery().DeliverSelf(ctx, []nodeid.ID{first})
	require.NoError(t, err)
	require.Equal(t, first, nextPush(t, ctx, conn).MessageID)
	require.NoError(t, conn.Ack(ctx, first))
	x := b.message(reg.DeviceID, "x")
	lost, err := b.svc.Delivery().ClaimPending(ctx, reg.DeviceID) // claimed, numbered, hand-off lost (worker killed)
	require.NoError(t, err)
	require.Len(t, lost, 1)
	y := b.message(reg.DeviceID, "y")
	_, err = b.svc.Delivery().DeliverSelf(ctx, []nodeid.ID{y})
	require.NoError(t, err)
	p := nextPush(t, ctx, conn)
	require.Equal(t, y, p.MessageID)
	require.NoError(t, conn.Ack(ctx, y))
	conn.CloseNow()
	// The device reconnects with the highest seq it processed, as documented.
	conn2, err := n.client.Connect(ctx, reg.DeviceToken, p.Seq)
	require.NoError(t, err)
	defer conn2.CloseNow()
	waitOnline(t, b, reg.DeviceID)
	_, err = b.svc.Delivery().RedeliverSelf(ctx, 0, 100)
	require.NoError(t, err)
	short, c2 := context.WithTimeout(ctx, 2*time.Second)
	defer c2()
	f, err := conn2.Next(short)
	require.NoError(t, err, "message %s (seq %d) never reaches the device", x, lost[0].Seq)
	require.Equal(t, x, f.Push.MessageID)
}
