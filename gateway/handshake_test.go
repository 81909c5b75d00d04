package gateway_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/gateway"
)

// Devices that connect while every handshake turn is taken, as after a
// node restart, are admitted together: one batch (one token lookup, one
// presence pipeline) for all of them, a token that names no device
// refused in the same batch.
func TestHandshakesQueuedTogetherAreAdmittedInOneBatch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	reg := prometheus.NewRegistry()
	n := b.node(gateway.HubConfig{Metrics: gateway.NewMetrics(reg), AuthTimeout: 20 * time.Second})
	const devices = 40
	tokens := make([]string, devices)
	for i := range tokens {
		tokens[i] = b.register(n, fmt.Sprintf("install-batch-%d", i)).DeviceToken
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	release := gateway.HoldHandshakes(n.hub)
	var g errgroup.Group
	conns := connectAll(ctx, &g, n, tokens)
	refused := make(chan error, 1)
	go func() {
		_, err := n.client.Connect(ctx, "dt_names-no-device", 0)
		refused <- err
	}()
	require.Eventually(t, func() bool { return gateway.QueuedHandshakes(n.hub) == devices+1 }, 10*time.Second, 5*time.Millisecond)
	release()

	require.NoError(t, g.Wait())
	for _, c := range conns {
		defer c.CloseNow()
	}
	err := <-refused
	require.Error(t, err)
	require.Contains(t, err.Error(), "invalid device token")
	count, sum := histogram(t, reg, "pushd_gateway_handshake_batch_size")
	require.Equal(t, uint64(1), count, "one batch admitted every queued handshake")
	require.Equal(t, float64(devices+1), sum)
	for _, c := range conns {
		waitOnline(t, b, c.Welcome.DeviceID)
	}
}

// connectAll connects a device for each token at once, in g; the
// connections are in place once g.Wait returns.
func connectAll(ctx context.Context, g *errgroup.Group, n *node, tokens []string) []*deviceclient.Conn {
	conns := make([]*deviceclient.Conn, len(tokens))
	for i, token := range tokens {
		g.Go(func() (err error) {
			conns[i], err = n.client.Connect(ctx, token, 0)
			return err
		})
	}
	return conns
}

func histogram(t *testing.T, reg *prometheus.Registry, name string) (count uint64, sum float64) {
	t.Helper()
	families, err := reg.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() == name {
			h := f.GetMetric()[0].GetHistogram()
			return h.GetSampleCount(), h.GetSampleSum()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0, 0
}

// Devices whose resumes queue while every backlog turn is taken have
// their backlogs read in one batch, and each gets its own message.
func TestResumesQueuedTogetherAreReadInOneBatch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	reg := prometheus.NewRegistry()
	n := b.node(gateway.HubConfig{Metrics: gateway.NewMetrics(reg)})
	const devices = 30
	tokens := make([]string, devices)
	want := make(map[string]bool, devices)
	for i := range tokens {
		r := b.register(n, fmt.Sprintf("install-resume-%d", i))
		tokens[i] = r.DeviceToken
		want[string(b.message(r.DeviceID, "waiting"))] = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	release := gateway.HoldBacklogReads(n.hub)
	var g errgroup.Group
	conns := connectAll(ctx, &g, n, tokens)
	require.NoError(t, g.Wait())
	for _, c := range conns {
		defer c.CloseNow()
	}
	require.Eventually(t, func() bool { return gateway.QueuedResumes(n.hub) == devices }, 10*time.Second, 5*time.Millisecond)
	release()

	for _, c := range conns {
		p := nextPush(t, ctx, c)
		require.True(t, want[string(p.MessageID)], "a message of the device's own, once: %s", p.MessageID)
		delete(want, string(p.MessageID))
	}
	count, sum := histogram(t, reg, "pushd_gateway_resume_batch_size")
	require.Equal(t, uint64(1), count, "one batch read every queued resume")
	require.Equal(t, float64(devices), sum)
}
