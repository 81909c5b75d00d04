package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/gateway"
)

// A node pings every connection once per heartbeat, spread over it rather
// than all at once: all at once, every device of the node must answer in
// the same seconds, which an overloaded node or network turns into mass
// drops.
func TestPingsAreSpreadOverTheHeartbeat(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const heartbeat = time.Second
	n := b.node(gateway.HubConfig{Heartbeat: heartbeat})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url := "ws" + n.url[len("http"):] + "/device/v1/connect"
	var mu sync.Mutex
	var since time.Time // set once every device is connected
	next := map[int]time.Time{}
	const devices = 20
	for i := range devices {
		reg := b.register(n, fmt.Sprintf("install-ping-%d", i))
		ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{
			Subprotocols: []string{gateway.Subprotocol},
			HTTPHeader:   http.Header{"Authorization": []string{"Bearer " + reg.DeviceToken}},
			OnPingReceived: func(context.Context, []byte) bool {
				mu.Lock()
				defer mu.Unlock()
				// Each device's first ping once a whole heartbeat has passed
				// with all of them connected.
				if now := time.Now(); !since.IsZero() && now.After(since.Add(heartbeat)) && next[i].IsZero() {
					next[i] = now
				}
				return true
			},
		})
		require.NoError(t, err)
		defer ws.CloseNow()
		go func() { // pings are answered while reading
			for {
				if _, _, err := ws.Read(ctx); err != nil {
					return
				}
			}
		}()
	}
	mu.Lock()
	since = time.Now()
	mu.Unlock()
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(next) == devices
	}, 10*time.Second, 10*time.Millisecond, "every device pinged once per heartbeat")
	mu.Lock()
	defer mu.Unlock()
	var earliest, latest time.Time
	for _, at := range next {
		if earliest.IsZero() || at.Before(earliest) {
			earliest = at
		}
		if at.After(latest) {
			latest = at
		}
	}
	require.Greater(t, latest.Sub(earliest), heartbeat/3, "the pings of one heartbeat spread over it")
}
