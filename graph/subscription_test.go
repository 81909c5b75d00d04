package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
)

// wsClient speaks graphql-transport-ws, as a console or backend would.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (b *bundle) dialWS(ctx context.Context, header http.Header) (*websocket.Conn, *http.Response, error) {
	return websocket.Dial(ctx, "ws"+strings.TrimPrefix(b.url, "http")+"/graphql", &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"},
		HTTPHeader:   header,
	})
}

// adminCookies is the Cookie header of the logged-in admin.
func (b *bundle) adminCookies() http.Header {
	u, _ := url.Parse(b.url)
	h := http.Header{}
	for _, c := range b.admin.Jar.Cookies(u) {
		h.Add("Cookie", c.String())
	}
	return h
}

// ws opens a subscription socket as the logged-in admin.
func (b *bundle) ws(ctx context.Context) *wsClient {
	b.t.Helper()
	return b.wsWith(ctx, b.adminCookies(), nil)
}

// wsWith opens a socket with the given upgrade headers and init payload.
func (b *bundle) wsWith(ctx context.Context, header http.Header, init json.RawMessage) *wsClient {
	b.t.Helper()
	conn, _, err := b.dialWS(ctx, header)
	require.NoError(b.t, err)
	b.t.Cleanup(func() { conn.CloseNow() })
	c := &wsClient{t: b.t, conn: conn}
	c.send(ctx, wsMessage{Type: "connection_init", Payload: init})
	require.Equal(b.t, "connection_ack", c.read(ctx).Type)
	return c
}

func (c *wsClient) send(ctx context.Context, m wsMessage) {
	c.t.Helper()
	b, err := json.Marshal(m)
	require.NoError(c.t, err)
	require.NoError(c.t, c.conn.Write(ctx, websocket.MessageText, b))
}

// read returns the next message that is not a keep-alive ping.
func (c *wsClient) read(ctx context.Context) wsMessage {
	c.t.Helper()
	for {
		_, b, err := c.conn.Read(ctx)
		require.NoError(c.t, err)
		var m wsMessage
		require.NoError(c.t, json.Unmarshal(b, &m))
		if m.Type == "ping" || m.Type == "pong" {
			continue
		}
		return m
	}
}

func (c *wsClient) subscribe(ctx context.Context, id, query string, vars map[string]any) {
	c.t.Helper()
	p, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(c.t, err)
	c.send(ctx, wsMessage{ID: id, Type: "subscribe", Payload: p})
}

func TestPushJobUpdatedSubscription(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	app := b.createApp("subs")
	job, err := b.stores.Ent.PushJob.Create().SetAppID(idOf(app)).SetKind(enum.PushKindBroadcast).
		SetTTLSeconds(60).SetMessage(jsontype.Message{Body: "b"}).SetOptions(jsontype.Options{TTLSeconds: 60}).Save(b.sys)
	require.NoError(t, err)

	c := b.ws(ctx)
	c.subscribe(ctx, "1", `subscription($id: ID!) { pushJobUpdated(id: $id) { id status kind } }`, map[string]any{"id": string(job.ID)})

	next := func() map[string]any {
		m := c.read(ctx)
		require.Equal(t, "next", m.Type, "payload %s", m.Payload)
		require.Equal(t, "1", m.ID)
		var p struct {
			Data map[string]any `json:"data"`
		}
		require.NoError(t, json.Unmarshal(m.Payload, &p))
		return p.Data
	}
	first := next()
	require.Equal(t, "QUEUED", path(first, "pushJobUpdated", "status"), "the current state comes first")
	require.Equal(t, "BROADCAST", path(first, "pushJobUpdated", "kind"))

	_, err = b.svc.SetJobStatus(b.sys, job.ID, pushjob.StatusSENDING)
	require.NoError(t, err)
	require.Equal(t, "SENDING", path(next(), "pushJobUpdated", "status"))
	_, err = b.svc.SetJobStatus(b.sys, job.ID, pushjob.StatusDONE)
	require.NoError(t, err)
	require.Equal(t, "DONE", path(next(), "pushJobUpdated", "status"))

	c.send(ctx, wsMessage{ID: "1", Type: "complete"})

	// A job that does not exist is an error on the subscription, not a hang.
	c.subscribe(ctx, "2", `subscription { pushJobUpdated(id: "job_01ARZ3NDEKTSV4RRFFQ69G5FAV") { id } }`, nil)
	m := c.read(ctx)
	if m.ID == "1" {
		require.Equal(t, "complete", m.Type)
		m = c.read(ctx)
	}
	require.Equal(t, "2", m.ID)
	require.Contains(t, []string{"error", "next"}, m.Type)
	require.Contains(t, string(m.Payload), "NOT_FOUND")
}

func TestWebSocketInitTimeout(t *testing.T) {
	t.Parallel()
	b := setup(t) // init timeout of 1 s
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := b.dialWS(ctx, nil)
	require.NoError(t, err)
	defer conn.CloseNow()
	start := time.Now()
	_, _, err = conn.Read(ctx) // send nothing: the server must hang up
	require.Error(t, err)
	require.Less(t, time.Since(start), 5*time.Second)
	require.Equal(t, websocket.StatusProtocolError, websocket.CloseStatus(err), "closed by the server: %v", err)
}

func TestWebSocketOriginCheck(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := b.dialWS(ctx, http.Header{"Origin": []string{"https://evil.example"}})
	require.Error(t, err, "a browser page of another origin may not subscribe")
	require.Equal(t, http.StatusForbidden, resp.StatusCode)

	b2 := setup(t, func(c *cfgT) { c.AllowedOrigins = []string{"console.example.com"} })
	conn, _, err := b2.dialWS(ctx, http.Header{"Origin": []string{"https://console.example.com"}})
	require.NoError(t, err, "an allowed origin may")
	conn.CloseNow()
}

// signedInit is a connection_init payload carrying pushd-sig-v1 headers,
// signed over GET and the socket's URI with an empty body.
func signedInit(t *testing.T, s signature.Signer) json.RawMessage {
	h, err := s.Headers(http.MethodGet, "/graphql", nil)
	require.NoError(t, err)
	p := map[string]string{}
	for k := range h {
		p[k] = h.Get(k)
	}
	raw, err := json.Marshal(p)
	require.NoError(t, err)
	return raw
}

func TestSubscriptionAuthentication(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	app := b.createApp("ws-auth")
	s, keyID := b.newKey(app, "HMAC_SHA256")
	job, err := b.stores.Ent.PushJob.Create().SetAppID(idOf(app)).SetKind(enum.PushKindSimple).
		SetTTLSeconds(60).SetMessage(jsontype.Message{Body: "b"}).SetOptions(jsontype.Options{TTLSeconds: 60}).Save(b.sys)
	require.NoError(t, err)
	sub := `subscription($id: ID!) { pushJobUpdated(id: $id) { status } }`

	t.Run("no credentials", func(t *testing.T) {
		conn, _, err := b.dialWS(ctx, nil)
		require.NoError(t, err)
		defer conn.CloseNow()
		c := &wsClient{t: t, conn: conn}
		c.send(ctx, wsMessage{Type: "connection_init"})
		require.Equal(t, websocket.StatusCode(4403), websocket.CloseStatus(readUntilClosed(ctx, conn)))
	})

	t.Run("forged signature", func(t *testing.T) {
		forged := s
		forged.Secret = "sk_not-the-secret"
		conn, _, err := b.dialWS(ctx, nil)
		require.NoError(t, err)
		defer conn.CloseNow()
		c := &wsClient{t: t, conn: conn}
		c.send(ctx, wsMessage{Type: "connection_init", Payload: signedInit(t, forged)})
		require.Equal(t, websocket.StatusCode(4403), websocket.CloseStatus(readUntilClosed(ctx, conn)))
	})

	t.Run("signed init, then the key is revoked", func(t *testing.T) {
		c := b.wsWith(ctx, nil, signedInit(t, s))
		c.subscribe(ctx, "1", sub, map[string]any{"id": string(job.ID)})
		require.Equal(t, "next", c.read(ctx).Type)
		b.ok(`mutation($id: ID!) { revokeAPIKey(id: $id) { id } }`, map[string]any{"id": keyID})
		start := time.Now()
		err := readUntilClosed(ctx, c.conn)
		require.NoError(t, ctx.Err(), "closed by the server, not by the test's deadline: %v", err)
		require.Less(t, time.Since(start), 10*time.Second, "closed within 10 s: %v", err)
	})

	t.Run("cookie session, then logout", func(t *testing.T) {
		client, csrf := b.login(testAdminEmail, testAdminPassword)
		u, _ := url.Parse(b.url)
		h := http.Header{}
		for _, ck := range client.Jar.Cookies(u) {
			h.Add("Cookie", ck.String())
		}
		c := b.wsWith(ctx, h, nil)
		c.subscribe(ctx, "1", sub, map[string]any{"id": string(job.ID)})
		require.Equal(t, "next", c.read(ctx).Type)
		body, _ := json.Marshal(map[string]any{"query": `mutation { logout }`})
		require.Empty(t, b.postAs(client, csrf, body).Errors)
		err := readUntilClosed(ctx, c.conn)
		require.NoError(t, ctx.Err(), "closed by the server, not by the test's deadline: %v", err)
	})

	t.Run("a key of another app sees nothing", func(t *testing.T) {
		other := b.createApp("other")
		os, _ := b.newKey(other, "HMAC_SHA256")
		c := b.wsWith(ctx, nil, signedInit(t, os))
		c.subscribe(ctx, "1", sub, map[string]any{"id": string(job.ID)})
		m := c.read(ctx)
		require.Contains(t, []string{"error", "next"}, m.Type)
		require.Contains(t, string(m.Payload), "NOT_FOUND")
		require.NotContains(t, string(m.Payload), "SIMPLE")
	})
}

// readUntilClosed reads until the connection ends and returns why.
func readUntilClosed(ctx context.Context, conn *websocket.Conn) error {
	for {
		if _, _, err := conn.Read(ctx); err != nil {
			return err
		}
	}
}
