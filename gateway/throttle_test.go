package gateway_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/go-redis/redis_rate/v10"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/core"
)

// hourly is a limit of burst requests, then one an hour: within a test,
// exactly burst pass and the next is refused.
func hourly(burst int) redis_rate.Limit {
	return redis_rate.Limit{Rate: 1, Burst: burst, Period: time.Hour}
}

// fromAddress is an HTTP client whose connections come from ip, another
// loopback address than the test server's clients usually have.
func fromAddress(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// deviceAPI is n's device API as a handler, for requests that claim a
// client address no test can dial from (IPv6, mapped addresses).
func (b *bundle) deviceAPI(n *node) http.Handler {
	mux := http.NewServeMux()
	gateway.NewAPI(b.svc, n.hub, time.Second, testenv.Logger(b.t)).Routes(mux, func(_ string, h http.Handler) http.Handler { return h })
	return mux
}

// registerAs posts a registration of install as if from remote (host:port).
func (b *bundle) registerAs(h http.Handler, appKey, remote, install string) *httptest.ResponseRecorder {
	body := fmt.Sprintf(`{"appKey":%q,"installationID":%q,"platform":"ANDROID"}`, appKey, install)
	r := httptest.NewRequest(http.MethodPost, "/device/v1/register", stringsReader(body))
	r.RemoteAddr = remote
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// requireRateLimited checks a 429 answer: RATE_LIMITED in the usual body,
// and a Retry-After of whole seconds, at least 1.
func requireRateLimited(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusTooManyRequests, w.Code, w.Body.String())
	secs, err := strconv.Atoi(w.Header().Get("Retry-After"))
	require.NoError(t, err)
	require.Positive(t, secs)
	var eb gateway.ErrorBody
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &eb))
	require.Equal(t, core.CodeRateLimited, eb.Error.Code)
}

func TestRegistrationThrottledPerAddress(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const burst = 3
	n := b.node(gateway.HubConfig{Throttles: gateway.Throttles{RegisterPerAddress: hourly(burst)}})
	ctx := context.Background()

	// From the test's own address: burst pass, the next is 429.
	for i := range burst {
		b.register(n, fmt.Sprintf("addr-%d", i))
	}
	_, err := n.client.Register(ctx, gateway.RegisterRequest{AppKey: b.app.AppKey, InstallationID: "addr-over", Platform: enum.PlatformAndroid})
	var apiErr *deviceclient.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, http.StatusTooManyRequests, apiErr.Status)
	require.Equal(t, core.CodeRateLimited, apiErr.ErrorBody.Error.Code)
	require.Greater(t, apiErr.RetryAfter, 50*time.Minute, "one an hour: wait about an hour")
	n2, err := b.stores.Ent.Device.Query().Count(b.sys)
	require.NoError(t, err)
	require.Equal(t, burst, n2, "the refused registration wrote nothing")

	// Another address is not affected.
	other := deviceclient.New(n.url, fromAddress("127.0.0.2"))
	_, err = other.Register(ctx, gateway.RegisterRequest{AppKey: b.app.AppKey, InstallationID: "addr-other", Platform: enum.PlatformAndroid})
	require.NoError(t, err)

	// An IPv6 client address is its /64; an IPv4-mapped address is the
	// IPv4 address it carries.
	api := b.deviceAPI(n)
	for i := range burst {
		require.Equal(t, http.StatusOK, b.registerAs(api, b.app.AppKey, fmt.Sprintf("[2001:db8:1:2::%x]:4000", i+1), fmt.Sprintf("v6-%d", i)).Code)
	}
	requireRateLimited(t, b.registerAs(api, b.app.AppKey, "[2001:db8:1:2:ffff:ffff:ffff:ffff]:4000", "v6-over"))
	require.Equal(t, http.StatusOK, b.registerAs(api, b.app.AppKey, "[2001:db8:1:3::1]:4000", "v6-next-64").Code)
	for i := range burst {
		require.Equal(t, http.StatusOK, b.registerAs(api, b.app.AppKey, "198.51.100.9:4000", fmt.Sprintf("v4-%d", i)).Code)
	}
	requireRateLimited(t, b.registerAs(api, b.app.AppKey, "[::ffff:198.51.100.9]:4000", "v4-mapped"))
}

// The app's limit counts registrations from every address; one refused
// by its address's limit does not spend the app's.
func TestRegistrationThrottledPerApp(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const burst = 3
	n := b.node(gateway.HubConfig{Throttles: gateway.Throttles{RegisterPerAddress: hourly(1), RegisterPerApp: hourly(burst)}})
	api := b.deviceAPI(n)
	other, err := b.stores.Ent.App.Create().SetName("gw2").SetAppKey("ak_" + string(nodeid.New("k"))).Save(b.sys)
	require.NoError(t, err)

	require.Equal(t, http.StatusOK, b.registerAs(api, b.app.AppKey, "192.0.2.1:1", "app-0").Code)
	// Refused by the address: the app keeps its allowance.
	requireRateLimited(t, b.registerAs(api, b.app.AppKey, "192.0.2.1:1", "app-0b"))
	for i := 1; i < burst; i++ {
		require.Equal(t, http.StatusOK, b.registerAs(api, b.app.AppKey, fmt.Sprintf("192.0.2.%d:1", i+1), fmt.Sprintf("app-%d", i)).Code)
	}
	w := b.registerAs(api, b.app.AppKey, "192.0.2.100:1", "app-over")
	requireRateLimited(t, w)
	require.Contains(t, w.Body.String(), "for this app")
	// Another app is not affected.
	require.Equal(t, http.StatusOK, b.registerAs(api, other.AppKey, "192.0.2.101:1", "other-app").Code)
}

// Upgrades are counted per address before any token is looked at: an
// unauthenticated one counts as much as one with a device token, and one
// over the limit is refused 429 without an upgrade.
func TestConnectThrottledPerAddress(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const burst = 3
	n := b.node(gateway.HubConfig{Throttles: gateway.Throttles{ConnectPerAddress: hourly(burst)}})
	reg := b.register(n, "install-connect")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws" + n.url[len("http"):] + "/device/v1/connect"
	dial := func(client *http.Client, header http.Header) (*websocket.Conn, *http.Response, error) {
		ws, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{gateway.Subprotocol}, HTTPHeader: header, HTTPClient: client})
		if err == nil {
			t.Cleanup(func() { ws.CloseNow() })
		}
		return ws, resp, err
	}
	authed := http.Header{"Authorization": {"Bearer " + reg.DeviceToken}}

	_, _, err := dial(nil, nil) // no token at all
	require.NoError(t, err)
	_, _, err = dial(nil, http.Header{"Authorization": {"Bearer dt_forged"}})
	require.NoError(t, err, "upgraded: the token is checked after")
	ws, _, err := dial(nil, authed)
	require.NoError(t, err)
	_, data, err := ws.Read(ctx)
	require.NoError(t, err)
	require.Contains(t, string(data), `"welcome"`)

	_, resp, err := dial(nil, authed)
	require.Error(t, err)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.Greater(t, secs, 3000)

	// Another address connects.
	ws, _, err = dial(fromAddress("127.0.0.2"), authed)
	require.NoError(t, err)
	_, data, err = ws.Read(ctx)
	require.NoError(t, err)
	require.Contains(t, string(data), `"welcome"`)
}

// frameNode is a node whose connections may send frameBurst frames and
// then one an hour, besides what their messages earn.
func frameNode(b *bundle) *node {
	return b.node(gateway.HubConfig{Throttles: gateway.Throttles{FramesPerSecond: rate.Every(time.Hour), FrameBurst: frameBurst}})
}

const frameBurst = 5

// sendAuthFrames sends n frames that the server answers with an error
// frame and nothing else ("already authenticated").
func sendAuthFrames(t *testing.T, ctx context.Context, ws *websocket.Conn, n int) {
	t.Helper()
	for range n {
		require.NoError(t, ws.Write(ctx, websocket.MessageText, []byte(`{"type":"auth","token":"dt_x"}`)))
	}
}

// readFrames reads until the connection closes or want frames came (0:
// until it closes), and returns the error frames' messages and the close.
func readFrames(ctx context.Context, ws *websocket.Conn, want int) (msgs []string, closed error) {
	for want == 0 || len(msgs) < want {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return msgs, err
		}
		var f gateway.ErrorFrame
		if json.Unmarshal(data, &f) == nil && f.Type == gateway.FrameError {
			msgs = append(msgs, f.Code+" "+f.Message)
		}
	}
	return msgs, nil
}

func dialDevice(t *testing.T, ctx context.Context, n *node, token string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.Dial(ctx, "ws"+n.url[len("http"):]+"/device/v1/connect", &websocket.DialOptions{
		Subprotocols: []string{gateway.Subprotocol}, HTTPHeader: http.Header{"Authorization": {"Bearer " + token}},
	})
	require.NoError(t, err)
	t.Cleanup(func() { ws.CloseNow() })
	_, data, err := ws.Read(ctx)
	require.NoError(t, err)
	require.Contains(t, string(data), `"welcome"`)
	return ws
}

func TestFramesThrottledPerConnection(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := frameNode(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws := dialDevice(t, ctx, n, b.register(n, "install-frames").DeviceToken)

	sendAuthFrames(t, ctx, ws, frameBurst+1)
	msgs, err := readFrames(ctx, ws, 0)
	require.Equal(t, websocket.StatusCode(4429), websocket.CloseStatus(err), "%v", err)
	answered := 0
	for _, m := range msgs {
		if m == "INVALID_ARGUMENT already authenticated" {
			answered++
		}
	}
	require.Equal(t, frameBurst, answered, "the burst is served, the frame past it closes: %v", msgs)
	require.Equal(t, "RATE_LIMITED too many frames", msgs[len(msgs)-1], "and says why before the close")

	// The device's next connection has a budget of its own.
	ws = dialDevice(t, ctx, n, b.register(n, "install-frames-2").DeviceToken)
	sendAuthFrames(t, ctx, ws, 1)
	msgs, err = readFrames(ctx, ws, 1)
	require.NoError(t, err)
	require.Equal(t, []string{"INVALID_ARGUMENT already authenticated"}, msgs)
}

// Pings count as frames: one past the budget gets no pong, and the socket
// closes with 4429.
func TestPingsThrottledPerConnection(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := frameNode(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws := dialDevice(t, ctx, n, b.register(n, "install-pings").DeviceToken)
	closed := make(chan error, 1)
	go func() { _, err := readFrames(ctx, ws, 0); closed <- err }() // a reader receives the pongs

	for i := range frameBurst {
		require.NoError(t, ws.Ping(ctx), "ping %d", i)
	}
	pingCtx, cancelPing := context.WithTimeout(ctx, 5*time.Second)
	defer cancelPing()
	require.Error(t, ws.Ping(pingCtx))
	require.Equal(t, websocket.StatusCode(4429), websocket.CloseStatus(<-closed))
}

// A device acknowledging and reporting every message it is sent, far
// more than the frame bucket holds and all at once, never spends the
// bucket: each message written earns its ack and events.
func TestAcksOfMessagesSentAreNotThrottled(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := frameNode(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reg := b.register(n, "install-acks")
	const messages = 40 // each acked, then reported arrived and opened: 120 frames
	for i := range messages {
		b.message(reg.DeviceID, fmt.Sprintf("m%d", i))
	}
	c, err := n.client.Connect(ctx, reg.DeviceToken, 0) // its resume spends one of the bucket
	require.NoError(t, err)
	defer c.CloseNow()
	for range messages {
		p := nextPush(t, ctx, c)
		require.NoError(t, c.Ack(ctx, p.MessageID))
		require.NoError(t, c.Event(ctx, p.MessageID, "arrived"))
		require.NoError(t, c.Event(ctx, p.MessageID, "opened"))
	}
	// The bucket is whole but for the resume: that many more frames are
	// answered, and the one after closes the socket.
	for range frameBurst - 1 {
		require.NoError(t, c.Resume(ctx, c.LastSeq))
	}
	require.NoError(t, c.Ack(ctx, "dlv_not_sent_here"))
	for {
		f, err := c.Next(ctx)
		if err != nil {
			require.Equal(t, websocket.StatusCode(4429), websocket.CloseStatus(err), "%v", err)
			break
		}
		require.Nil(t, f.Push, "everything was acknowledged")
	}
	require.Eventually(t, func() bool {
		opened, err := b.stores.Ent.Delivery.Query().Where(delivery.StatusEQ(delivery.StatusOPENED)).Count(b.sys)
		return err == nil && opened == messages
	}, 10*time.Second, 20*time.Millisecond)
}
