package gateway_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// node is one gateway node: its hub behind its own HTTP server.
type node struct {
	hub    *gateway.Hub
	url    string
	client *deviceclient.Client
}

type bundle struct {
	t      *testing.T
	stores *store.Stores
	svc    *push.Service
	router *gateway.Router
	// prefix starts the router's Redis keys.
	prefix string
	sys    context.Context
	app    *ent.App
}

func setup(t *testing.T) *bundle {
	t.Helper()
	return setupWith(t, testenv.Stores(t))
}

// setupWith builds the bundle on migrated stores.
func setupWith(t *testing.T, stores *store.Stores) *bundle {
	t.Helper()
	key, err := seal.NewKey()
	require.NoError(t, err)
	sealer, err := seal.New(key)
	require.NoError(t, err)
	prefix := "gwtest:" + string(nodeid.New("t")) + ":"
	router := gateway.NewRouter(stores.Redis, prefix)
	svc := push.NewService(push.Config{Client: stores.Ent, Sealer: sealer, Self: router, Logger: testenv.Logger(t)})
	sys := tenant.NewContext(context.Background(), tenant.System())
	app, err := stores.Ent.App.Create().SetName("gw").SetAppKey("ak_" + string(nodeid.New("k"))).Save(sys)
	require.NoError(t, err)
	return &bundle{t: t, stores: stores, svc: svc, router: router, prefix: prefix, sys: sys, app: app}
}

func (b *bundle) node(cfg gateway.HubConfig) *node {
	b.t.Helper()
	cfg.Service, cfg.Router, cfg.Redis, cfg.Logger = b.svc, b.router, b.stores.Redis, testenv.Logger(b.t)
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 5 * time.Second
	}
	hub := gateway.NewHub(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = hub.Run(ctx); close(done) }()
	mux := http.NewServeMux()
	gateway.NewAPI(b.svc, hub, cfg.Heartbeat, testenv.Logger(b.t)).Routes(mux, func(_ string, h http.Handler) http.Handler { return h })
	srv := httptest.NewServer(mux)
	b.t.Cleanup(func() { srv.Close(); cancel(); <-done })
	waitSubscribed(b.t, b, hub)
	return &node{hub: hub, url: srv.URL, client: deviceclient.New(srv.URL, nil)}
}

// waitSubscribed waits until the hub's node channel has its subscriber, so
// that nothing routed to it is published into the void.
func waitSubscribed(t *testing.T, b *bundle, hub *gateway.Hub) {
	ctx := context.Background()
	channel := gateway.NodeChannel(b.router, hub.NodeID())
	require.Eventually(t, func() bool {
		// A cluster node counts only its own subscribers, and a cluster
		// client subscribes on the master of the channel's slot.
		var rdb redis.Cmdable = b.stores.Redis
		if cc, ok := b.stores.Redis.(*redis.ClusterClient); ok {
			master, err := cc.MasterForKey(ctx, channel)
			if err != nil {
				return false
			}
			rdb = master
		}
		n, err := rdb.PubSubNumSub(ctx, channel).Result()
		return err == nil && n[channel] > 0
	}, 5*time.Second, 10*time.Millisecond)
}

func (b *bundle) register(n *node, install string) gateway.RegisterResponse {
	b.t.Helper()
	return b.registerWith(n, install, nil)
}

// registerWith registers a new installation reporting tokens.
func (b *bundle) registerWith(n *node, install string, tokens gateway.Tokens) gateway.RegisterResponse {
	b.t.Helper()
	r, err := n.client.Register(context.Background(), gateway.RegisterRequest{
		AppKey: b.app.AppKey, InstallationID: install, Platform: enum.PlatformAndroid, AppVersion: "1.0", Tokens: tokens,
	})
	require.NoError(b.t, err)
	return r
}

// message arranges a job with one delivery to dev, as the pipeline would.
func (b *bundle) message(dev nodeid.ID, title string) nodeid.ID {
	b.t.Helper()
	job, err := b.stores.Ent.PushJob.Create().SetAppID(b.app.ID).SetKind(enum.PushKindSimple).SetTTLSeconds(600).
		SetMessage(jsontype.Message{Title: title, Body: "b"}).SetOptions(jsontype.Options{TTLSeconds: 600}).Save(b.sys)
	require.NoError(b.t, err)
	d, err := b.stores.Ent.Delivery.Create().SetAppID(b.app.ID).SetJobID(job.ID).SetDeviceID(dev).
		SetExpiresAt(time.Now().Add(10 * time.Minute)).Save(b.sys)
	require.NoError(b.t, err)
	return d.ID
}

func nextPush(t *testing.T, ctx context.Context, c *deviceclient.Conn) *gateway.Push {
	t.Helper()
	f, err := c.Next(ctx)
	require.NoError(t, err)
	require.NotNil(t, f.Push, "%+v", f)
	return f.Push
}

func TestRegisterAgainWithProofKeepsTheDevice(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{})
	first := b.register(n, "install-1")
	second, err := n.client.RegisterAgain(context.Background(), first.DeviceToken, gateway.RegisterRequest{
		AppKey: b.app.AppKey, InstallationID: "install-1", Platform: enum.PlatformAndroid, AppVersion: "1.1",
	})
	require.NoError(t, err)
	require.Equal(t, first.DeviceID, second.DeviceID)
	require.NotEqual(t, first.DeviceToken, second.DeviceToken, "each registration rotates the token")

	ctx := context.Background()
	err = n.client.SetTokens(ctx, first.DeviceToken, gateway.Tokens{})
	var apiErr *deviceclient.APIError
	require.ErrorAs(t, err, &apiErr, "the old token no longer works")
	require.Equal(t, http.StatusUnauthorized, apiErr.Status)

	fcm := "fcm-token-1"
	require.NoError(t, n.client.SetTokens(ctx, second.DeviceToken, gateway.Tokens{"fcm": &fcm}))
	toks, err := b.stores.Ent.DeviceToken.Query().All(b.sys)
	require.NoError(t, err)
	require.Len(t, toks, 1)
	require.Equal(t, enum.ChannelFCM, toks[0].Channel)
}

// The public app key and a victim's installation ID used to be enough to
// re-register the victim's device: a new bearer token (the victim logged
// out), its vendor token replaced, its pending messages on resume. Without
// the current device token the registration is refused and changes
// nothing.
func TestRegisterCannotTakeOverAnInstallation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{})
	ctx := context.Background()
	victimFCM := "victim-fcm"
	victim := b.registerWith(n, "victim-install", gateway.Tokens{"fcm": &victimFCM})
	b.message(victim.DeviceID, "for the victim only")

	attackerFCM := "attacker-fcm"
	for name, proof := range map[string]string{"no proof": "", "a made-up token": "dt_" + strings.Repeat("A", 43), "another device's token": b.register(n, "attacker-install").DeviceToken} {
		_, err := n.client.RegisterAgain(ctx, proof, gateway.RegisterRequest{
			AppKey: b.app.AppKey, InstallationID: "victim-install", Platform: enum.PlatformAndroid, Tokens: gateway.Tokens{"fcm": &attackerFCM},
		})
		var apiErr *deviceclient.APIError
		require.ErrorAs(t, err, &apiErr, name)
		require.Equal(t, http.StatusConflict, apiErr.Status, name)
		require.Equal(t, "CONFLICT", string(apiErr.ErrorBody.Error.Code), name)
	}

	// The victim is still signed in, with its own vendor token, and its
	// message is still its own.
	require.NoError(t, n.client.SetTokens(ctx, victim.DeviceToken, gateway.Tokens{"fcm": &victimFCM}))
	tok, err := b.stores.Ent.DeviceToken.Query().Where(devicetoken.DeviceID(victim.DeviceID)).Only(b.sys)
	require.NoError(t, err)
	require.Equal(t, victimFCM, tok.Token)
	c, err := n.client.Connect(ctx, victim.DeviceToken, 0)
	require.NoError(t, err)
	defer c.Close()
	require.Equal(t, "for the victim only", nextPush(t, ctx, c).Title)
}

func TestDeviceAPIRejectsBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{})
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		req   gateway.RegisterRequest
		field string
	}{
		{"unknown app key", gateway.RegisterRequest{AppKey: "nope", InstallationID: "i", Platform: enum.PlatformIOS}, "appKey"},
		{"no installation", gateway.RegisterRequest{AppKey: b.app.AppKey, Platform: enum.PlatformIOS}, "installationID"},
		{"bad platform", gateway.RegisterRequest{AppKey: b.app.AppKey, InstallationID: "i", Platform: "SYMBIAN"}, "platform"},
		{"long model", gateway.RegisterRequest{AppKey: b.app.AppKey, InstallationID: "i", Platform: enum.PlatformIOS, Model: string(make([]byte, 200))}, "model"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := n.client.Register(ctx, tc.req)
			var apiErr *deviceclient.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, http.StatusBadRequest, apiErr.Status)
			require.Equal(t, core.CodeInvalidArgument, apiErr.ErrorBody.Error.Code)
			require.Equal(t, tc.field, apiErr.ErrorBody.Error.Field)
		})
	}
	// Unknown fields, wrong types, case variants and repeated keys are
	// named too.
	for body, field := range map[string]string{
		`{"appKey":"x","installationID":"i","platform":"IOS","color":"red"}`: "color",
		`{"appKey":"x","installationID":7,"platform":"IOS"}`:                 "installationID",
		// Keys match field names exactly and appear once.
		`{"appKey":"x","InstallationID":"i","platform":"IOS"}`:                                "InstallationID",
		`{"appKey":"x","appKey":"y","installationID":"i","platform":"IOS"}`:                   "appKey",
		`{"appKey":"x","installationID":"i","platform":"IOS","tokens":{"fcm":"a","fcm":"b"}}`: "tokens.fcm",
	} {
		resp, err := http.Post(n.url+"/device/v1/register", "application/json", stringsReader(body))
		require.NoError(t, err)
		var eb gateway.ErrorBody
		require.NoError(t, jsonDecode(resp, &eb))
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.Equal(t, field, eb.Error.Field)
	}
}

func TestBindTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{})
	ctx := context.Background()
	dev := b.register(n, "install-bind")
	other := b.register(n, "install-other")

	tok, exp, err := b.svc.Devices().MintBindToken(b.sys, dev.DeviceID, "user-42", time.Minute)
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(time.Minute), exp, 2*time.Second)

	forbidden := func(err error) {
		t.Helper()
		var apiErr *deviceclient.APIError
		require.ErrorAs(t, err, &apiErr)
		require.Equal(t, http.StatusForbidden, apiErr.Status)
	}
	forbidden(n.client.Bind(ctx, dev.DeviceToken, "user-43", tok))                   // another user
	forbidden(n.client.Bind(ctx, other.DeviceToken, "user-42", tok))                 // another device
	forbidden(n.client.Bind(ctx, dev.DeviceToken, "user-42", tok[:len(tok)-2]+"xx")) // forged
	forbidden(n.client.Bind(ctx, dev.DeviceToken, "user-42", "bt_garbage"))

	short, _, err := b.svc.Devices().MintBindToken(b.sys, dev.DeviceID, "user-42", time.Second)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		var apiErr *deviceclient.APIError
		err := n.client.Bind(ctx, dev.DeviceToken, "user-42", short)
		return err != nil && asAPI(err, &apiErr) && apiErr.Status == http.StatusForbidden
	}, 5*time.Second, 200*time.Millisecond, "an expired token is refused")

	require.NoError(t, n.client.Bind(ctx, dev.DeviceToken, "user-42", tok))
	got, err := b.stores.Ent.Device.Get(b.sys, dev.DeviceID)
	require.NoError(t, err)
	require.NotNil(t, got.UserID)
	u, err := b.stores.Ent.AppUser.Get(b.sys, *got.UserID)
	require.NoError(t, err)
	require.Equal(t, "user-42", u.ExternalID)

	require.NoError(t, n.client.Unbind(ctx, dev.DeviceToken))
	got, err = b.stores.Ent.Device.Get(b.sys, dev.DeviceID)
	require.NoError(t, err)
	require.Nil(t, got.UserID)
}

func TestMessageReachesDeviceOnAnotherNode(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, bn := b.node(gateway.HubConfig{}), b.node(gateway.HubConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	reg := b.register(a, "install-route")
	conn, err := bn.client.Connect(ctx, reg.DeviceToken, 0) // held by node B
	require.NoError(t, err)
	defer conn.CloseNow()
	require.Equal(t, reg.DeviceID, conn.Welcome.DeviceID)
	waitOnline(t, b, reg.DeviceID)

	id := b.message(reg.DeviceID, "hello")
	// From any process. The connection's first resume, if it is still
	// running, may claim the message first: either way it arrives once.
	_, err = b.svc.Delivery().DeliverSelf(ctx, []nodeid.ID{id})
	require.NoError(t, err)
	p := nextPush(t, ctx, conn)
	require.Equal(t, id, p.MessageID)
	require.Equal(t, "hello", p.Title)
	require.EqualValues(t, 1, p.Seq)

	// Sent once: a second attempt finds it claimed.
	left, err := b.svc.Delivery().DeliverSelf(ctx, []nodeid.ID{id})
	require.NoError(t, err)
	require.Equal(t, []nodeid.ID{id}, left)

	require.NoError(t, conn.Ack(ctx, id))
	require.Eventually(t, func() bool {
		d, err := b.stores.Ent.Delivery.Get(b.sys, id)
		return err == nil && d.Status == delivery.StatusARRIVED
	}, 5*time.Second, 20*time.Millisecond)
}

func waitOnline(t *testing.T, b *bundle, dev nodeid.ID) {
	t.Helper()
	require.Eventually(t, func() bool {
		on, err := b.router.Online(context.Background(), []nodeid.ID{dev})
		return err == nil && on[dev]
	}, 5*time.Second, 10*time.Millisecond)
}

// A device that hops from node A to node B and resumes after the last seq
// it saw gets every message it has not acknowledged, once, in order.
func TestResumeAcrossNodesHasNoGapsOrRepeats(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, bn := b.node(gateway.HubConfig{}), b.node(gateway.HubConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	reg := b.register(a, "install-hop")
	conn, err := a.client.Connect(ctx, reg.DeviceToken, 0)
	require.NoError(t, err)
	waitOnline(t, b, reg.DeviceID)

	m1, m2 := b.message(reg.DeviceID, "m1"), b.message(reg.DeviceID, "m2")
	_, err = b.svc.Delivery().DeliverSelf(ctx, []nodeid.ID{m1, m2})
	require.NoError(t, err)
	require.Equal(t, m1, nextPush(t, ctx, conn).MessageID)
	require.Equal(t, m2, nextPush(t, ctx, conn).MessageID)
	require.NoError(t, conn.Ack(ctx, m1))
	require.Eventually(t, func() bool {
		d, err := b.stores.Ent.Delivery.Get(b.sys, m1)
		return err == nil && d.Status == delivery.StatusARRIVED
	}, 5*time.Second, 20*time.Millisecond)
	// The device saw m2 (seq 2) but crashed before processing it: it
	// resumes after seq 1. Meanwhile m3 is sent while it is offline.
	conn.CloseNow()
	require.Eventually(t, func() bool {
		on, err := b.router.Online(context.Background(), []nodeid.ID{reg.DeviceID})
		return err == nil && !on[reg.DeviceID]
	}, 5*time.Second, 10*time.Millisecond)
	m3 := b.message(reg.DeviceID, "m3")
	left, err := b.svc.Delivery().DeliverSelf(ctx, []nodeid.ID{m3})
	require.NoError(t, err)
	require.Equal(t, []nodeid.ID{m3}, left, "offline: stays pending")

	conn2, err := bn.client.Connect(ctx, reg.DeviceToken, 1)
	require.NoError(t, err)
	defer conn2.CloseNow()
	var got []string
	var seqs []int64
	for range 2 {
		p := nextPush(t, ctx, conn2)
		got = append(got, p.Title)
		seqs = append(seqs, p.Seq)
	}
	require.Equal(t, []string{"m2", "m3"}, got)
	// Seqs never repeat and only grow; they may have gaps (a seq reserved
	// by a claim that another claim beat is not used).
	require.Equal(t, int64(2), seqs[0])
	require.Greater(t, seqs[1], seqs[0])

	// Nothing else arrives (no repeat of m2 from any path).
	shortCtx, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelShort()
	_, err = conn2.Next(shortCtx)
	require.Error(t, err)
}

// A newer connection of the same device wins, also across nodes.
func TestNewConnectionReplacesOld(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, bn := b.node(gateway.HubConfig{}), b.node(gateway.HubConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	reg := b.register(a, "install-twice")
	old, err := a.client.Connect(ctx, reg.DeviceToken, 0)
	require.NoError(t, err)
	waitOnline(t, b, reg.DeviceID)
	fresh, err := bn.client.Connect(ctx, reg.DeviceToken, 0)
	require.NoError(t, err)
	defer fresh.CloseNow()
	_, err = old.Next(ctx)
	require.Equal(t, websocket.StatusCode(4409), websocket.CloseStatus(err), "%v", err)
	require.Eventually(t, func() bool { return a.hub.Connections() == 0 && bn.hub.Connections() == 1 }, 5*time.Second, 10*time.Millisecond)
}

func TestConnectNeedsAuthentication(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{AuthTimeout: 300 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws" + n.url[len("http"):] + "/device/v1/connect"

	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{gateway.Subprotocol}})
	require.NoError(t, err)
	defer ws.CloseNow()
	// It sends nothing: closed after the auth timeout.
	require.Equal(t, websocket.StatusCode(4401), websocket.CloseStatus(readUntilClosed(ctx, ws)))

	ws2, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{gateway.Subprotocol}})
	require.NoError(t, err)
	defer ws2.CloseNow()
	require.NoError(t, ws2.Write(ctx, websocket.MessageText, []byte(`{"type":"auth","token":"dt_forged"}`)))
	require.Equal(t, websocket.StatusCode(4401), websocket.CloseStatus(readUntilClosed(ctx, ws2)))

	// The first-frame form works with a real token.
	reg := b.register(n, "install-frame-auth")
	ws3, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{gateway.Subprotocol}})
	require.NoError(t, err)
	defer ws3.CloseNow()
	require.NoError(t, ws3.Write(ctx, websocket.MessageText, []byte(fmt.Sprintf(`{"type":"auth","token":%q}`, reg.DeviceToken))))
	_, data, err := ws3.Read(ctx)
	require.NoError(t, err)
	require.Contains(t, string(data), `"welcome"`)
}

// A node with no handshake turn free within the auth timeout tells the
// device to come back later, rather than keeping it waiting behind a
// reconnect storm; once turns are free again the device gets in.
func TestBusyNodeTellsDevicesToComeBackLater(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{AuthTimeout: 300 * time.Millisecond})
	reg := b.register(n, "install-busy")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws" + n.url[len("http"):] + "/device/v1/connect"
	dial := func() *websocket.Conn {
		ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{
			Subprotocols: []string{gateway.Subprotocol},
			HTTPHeader:   http.Header{"Authorization": {"Bearer " + reg.DeviceToken}},
		})
		require.NoError(t, err)
		t.Cleanup(func() { ws.CloseNow() })
		return ws
	}

	release := gateway.HoldHandshakes(n.hub)
	ws := dial()
	_, data, err := ws.Read(ctx)
	require.NoError(t, err)
	require.Contains(t, string(data), `"code":"UNAVAILABLE"`)
	require.Equal(t, websocket.StatusTryAgainLater, websocket.CloseStatus(readUntilClosed(ctx, ws)))

	release()
	_, data, err = dial().Read(ctx)
	require.NoError(t, err)
	require.Contains(t, string(data), `"welcome"`)
}

// A device that stops reading is disconnected; the others keep getting
// their messages.
func TestSlowDeviceIsDroppedWithoutSlowingOthers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// No ping within the test: the fast device reads only once its
	// messages are out, and arranging 50 large messages on a loaded machine
	// can take longer than a ping's 5 s to be answered ("no pong").
	n := b.node(gateway.HubConfig{SendBuffer: 16, WriteTimeout: 5 * time.Second, Heartbeat: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	slowReg, fastReg := b.register(n, "install-slow"), b.register(n, "install-fast")
	slow, err := n.client.Connect(ctx, slowReg.DeviceToken, 0)
	require.NoError(t, err)
	defer slow.CloseNow()
	fast, err := n.client.Connect(ctx, fastReg.DeviceToken, 0)
	require.NoError(t, err)
	defer fast.CloseNow()
	waitOnline(t, b, slowReg.DeviceID)
	waitOnline(t, b, fastReg.DeviceID)

	// Big frames fill the slow device's socket buffers, then its queue.
	big := fmt.Sprintf("%0200000d", 0)
	var slowIDs, fastIDs []nodeid.ID
	for i := range 40 {
		slowIDs = append(slowIDs, b.message(slowReg.DeviceID, big))
		if i < 10 {
			fastIDs = append(fastIDs, b.message(fastReg.DeviceID, fmt.Sprint("fast-", i)))
		}
	}
	start := time.Now()
	_, err = b.svc.Delivery().DeliverSelf(ctx, append(slowIDs, fastIDs...))
	require.NoError(t, err)
	for range 10 {
		nextPush(t, ctx, fast)
	}
	t.Logf("the fast device got its 10 messages in %s beside a stalled one", time.Since(start))
	require.Eventually(t, func() bool { return n.hub.Connections() == 1 }, 10*time.Second, 20*time.Millisecond, "the slow device was dropped")
}

func TestRevokeReachesOnlineDevice(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, bn := b.node(gateway.HubConfig{}), b.node(gateway.HubConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	reg := b.register(a, "install-revoke")
	conn, err := bn.client.Connect(ctx, reg.DeviceToken, 0)
	require.NoError(t, err)
	defer conn.CloseNow()
	waitOnline(t, b, reg.DeviceID)
	id := b.message(reg.DeviceID, "oops")
	_, err = b.svc.Delivery().DeliverSelf(ctx, []nodeid.ID{id})
	require.NoError(t, err)
	require.Equal(t, id, nextPush(t, ctx, conn).MessageID)

	require.NoError(t, b.router.RevokeSelf(ctx, []core.SelfRevoke{{MessageID: id, DeviceID: reg.DeviceID}}))
	f, err := conn.Next(ctx)
	require.NoError(t, err)
	require.NotNil(t, f.Revoke)
	require.Equal(t, id, f.Revoke.MessageID)
}

// A client may send its first frame in the same packet as its upgrade
// request; those bytes reach net/http's buffer before the upgrade, and the
// gateway's smaller buffers must start with them.
func TestFrameRightBehindUpgradeRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{})
	reg := b.register(n, "install-early-frame")
	nc, err := net.Dial("tcp", strings.TrimPrefix(n.url, "http://"))
	require.NoError(t, err)
	defer nc.Close()
	require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))

	payload := []byte(fmt.Sprintf(`{"type":"auth","token":%q}`, reg.DeviceToken))
	require.Less(t, len(payload), 126)
	mask := [4]byte{1, 2, 3, 4}
	frame := append([]byte{0x81, 0x80 | byte(len(payload))}, mask[:]...)
	for i, c := range payload {
		frame = append(frame, c^mask[i%4])
	}
	req := "GET /device/v1/connect HTTP/1.1\r\nHost: pushd\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " + gateway.Subprotocol + "\r\n\r\n"
	_, err = nc.Write(append([]byte(req), frame...))
	require.NoError(t, err)

	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	head := make([]byte, 2)
	_, err = io.ReadFull(br, head)
	require.NoError(t, err)
	require.Equal(t, byte(0x81), head[0], "a text frame, not a close frame")
	size := int(head[1] & 0x7f)
	switch size {
	case 126:
		ext := make([]byte, 2)
		_, err = io.ReadFull(br, ext)
		require.NoError(t, err)
		size = int(ext[0])<<8 | int(ext[1])
	case 127:
		t.Fatal("welcome frame too large")
	}
	body := make([]byte, size)
	_, err = io.ReadFull(br, body)
	require.NoError(t, err)
	require.Contains(t, string(body), `"welcome"`)
}

// An installation that lost its device token registers anew; its vendor
// token moves to the new record, so a broadcast reaches the phone once.
func TestVendorTokenMovesToTheNewestRegistration(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{})
	fcm := "same-phone-fcm"
	old := b.registerWith(n, "lost-token-install", gateway.Tokens{"fcm": &fcm})
	fresh := b.registerWith(n, "new-install", gateway.Tokens{"fcm": &fcm})
	toks, err := b.stores.Ent.DeviceToken.Query().Where(devicetoken.Token(fcm)).All(b.sys)
	require.NoError(t, err)
	require.Len(t, toks, 1)
	require.Equal(t, fresh.DeviceID, toks[0].DeviceID)
	require.NotEqual(t, old.DeviceID, fresh.DeviceID)
}

// A device that stays connected has its last seen refreshed by its node,
// in one batch for every connected device; one that is not connected keeps
// the time it was last seen.
func TestLastSeenMovesWhileConnected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{SeenEvery: 50 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	online, offline := b.register(n, "install-seen-online"), b.register(n, "install-seen-offline")
	conn, err := n.client.Connect(ctx, online.DeviceToken, 0)
	require.NoError(t, err)
	defer conn.CloseNow()
	waitOnline(t, b, online.DeviceID)

	long := time.Now().Add(-time.Hour)
	for _, id := range []nodeid.ID{online.DeviceID, offline.DeviceID} {
		require.NoError(t, b.stores.Ent.Device.UpdateOneID(id).SetLastSeenAt(long).Exec(b.sys))
	}
	require.Eventually(t, func() bool {
		d, err := b.stores.Ent.Device.Get(b.sys, online.DeviceID)
		return err == nil && d.LastSeenAt != nil && d.LastSeenAt.After(long.Add(59*time.Minute))
	}, 10*time.Second, 20*time.Millisecond)
	d, err := b.stores.Ent.Device.Get(b.sys, offline.DeviceID)
	require.NoError(t, err)
	require.WithinDuration(t, long, *d.LastSeenAt, time.Second, "a device not connected is not seen")
}

// A broadcast's deliveries to devices online on the WebSocket channel are
// written numbered by the fan-out and reach each connected device once,
// with the device's next seq; a device that is not connected keeps a
// PENDING delivery. Their acks are recorded against the right rows.
func TestBroadcastReachesConnectedDevicesOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.node(gateway.HubConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var conns []*deviceclient.Conn
	var online []nodeid.ID
	for i := range 2 {
		reg := b.register(n, fmt.Sprint("install-broadcast-", i))
		conn, err := n.client.Connect(ctx, reg.DeviceToken, 0)
		require.NoError(t, err)
		defer conn.CloseNow()
		waitOnline(t, b, reg.DeviceID)
		conns, online = append(conns, conn), append(online, reg.DeviceID)
	}
	offline := b.register(n, "install-broadcast-offline")

	job, err := b.svc.Push(b.sys, push.PushRequest{AppID: b.app.ID, Kind: enum.PushKindBroadcast, Message: &jsontype.Message{Title: "to all"}})
	require.NoError(t, err)
	require.NoError(t, b.svc.Dispatch(b.sys, job.ID))
	for i, conn := range conns {
		p := nextPush(t, ctx, conn)
		require.Equal(t, "to all", p.Title)
		require.EqualValues(t, 1, p.Seq, "the device's first seq")
		d, err := b.stores.Ent.Delivery.Get(b.sys, p.MessageID)
		require.NoError(t, err)
		require.Equal(t, online[i], *d.DeviceID)
		require.Equal(t, delivery.StatusSENT, d.Status)
		require.Equal(t, enum.ChannelSelf, *d.Channel)
		require.NoError(t, conn.Ack(ctx, p.MessageID))
	}
	left, err := b.stores.Ent.Delivery.Query().Where(delivery.JobID(job.ID), delivery.DeviceID(offline.DeviceID)).Only(b.sys)
	require.NoError(t, err)
	require.Equal(t, delivery.StatusPENDING, left.Status, "not connected: it waits")
	require.Eventually(t, func() bool {
		n, err := b.stores.Ent.Delivery.Query().Where(delivery.JobID(job.ID), delivery.StatusEQ(delivery.StatusARRIVED)).Count(b.sys)
		return err == nil && n == 2
	}, 5*time.Second, 20*time.Millisecond)
	// Once: a resume from the start finds the one message, with its seq.
	again, err := n.client.Connect(ctx, offline.DeviceToken, 0)
	require.NoError(t, err)
	defer again.CloseNow()
	p := nextPush(t, ctx, again)
	require.Equal(t, left.ID, p.MessageID, "the waiting delivery, once its device connects")
}
