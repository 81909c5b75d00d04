package main

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
)

// A graphql-transport-ws client, signed like the backend.
type gqlWS struct {
	t    *testing.T
	conn *websocket.Conn
}

type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (b *backend) subscribe(ctx context.Context, query string, vars map[string]any) *gqlWS {
	b.t.Helper()
	url := "ws" + strings.TrimPrefix(b.in.base, "http") + "/graphql"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	require.NoError(b.t, err)
	b.t.Cleanup(func() { _ = conn.CloseNow() })
	c := &gqlWS{t: b.t, conn: conn}
	h, err := b.signer.Headers(http.MethodGet, "/graphql", nil)
	require.NoError(b.t, err)
	init := map[string]string{}
	for k := range h {
		init[k] = h.Get(k)
	}
	c.send(ctx, "connection_init", "", init)
	require.Equal(b.t, "connection_ack", c.next(ctx).Type)
	c.send(ctx, "subscribe", "1", map[string]any{"query": query, "variables": vars})
	return c
}

func (c *gqlWS) send(ctx context.Context, typ, id string, payload any) {
	c.t.Helper()
	raw, err := json.Marshal(payload)
	require.NoError(c.t, err)
	msg, err := json.Marshal(wsMsg{ID: id, Type: typ, Payload: raw})
	require.NoError(c.t, err)
	require.NoError(c.t, c.conn.Write(ctx, websocket.MessageText, msg))
}

func (c *gqlWS) next(ctx context.Context) wsMsg {
	c.t.Helper()
	for {
		_, b, err := c.conn.Read(ctx)
		require.NoError(c.t, err)
		var m wsMsg
		require.NoError(c.t, json.Unmarshal(b, &m))
		if m.Type != "ping" && m.Type != "pong" {
			return m
		}
	}
}

type liveFrame struct {
	At     time.Time
	Minute []struct {
		Channel *string
		Counts  struct{ Sent, Arrived int }
	}
	Totals struct{ Sent, Arrived, Opened, Failed int }
}

// frame reads the next liveStats frame.
func (c *gqlWS) frame(ctx context.Context) liveFrame {
	c.t.Helper()
	m := c.next(ctx)
	require.Equal(c.t, "next", m.Type, "%s", m.Payload)
	var p struct {
		Data struct {
			LiveStats liveFrame `json:"liveStats"`
		}
		Errors []any
	}
	require.NoError(c.t, json.Unmarshal(m.Payload, &p))
	require.Empty(c.t, p.Errors)
	return p.Data.LiveStats
}

const liveQuery = `subscription($app: ID!) { liveStats(appID: $app, groupBy: [CHANNEL]) {
	at minute { channel counts { sent arrived } } totals { sent arrived opened failed } } }`

func TestStatsAndLiveStatsEndToEnd(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	a, other := newBackend(t, in), newBackend(t, in)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	live := a.subscribe(ctx, liveQuery, map[string]any{"app": a.appID})
	require.Zero(t, live.frame(ctx).Totals.Sent)
	events := a.subscribe(ctx, `subscription($app: ID!) { deliveryEvents(appID: $app) { deliveryID jobID status channel } }`, map[string]any{"app": a.appID})

	// App B's pushes are none of A's business.
	db := other.register("b-1", enum.PlatformAndroid)
	bc := other.connect(db, 0)
	jb := other.push("pushSimple", map[string]any{"target": map[string]any{"deviceIDs": []string{db.id}}, "message": map[string]any{"title": "b"}})
	require.NoError(t, bc.Ack(ctx, nextPush(t, bc).MessageID))
	other.waitJob(jb.ID, func(j job) bool { return j.Counts.Arrived == 1 })

	d := a.register("a-1", enum.PlatformIOS)
	c := a.connect(d, 0)
	j := a.push("pushSimple", map[string]any{"target": map[string]any{"deviceIDs": []string{d.id}}, "message": map[string]any{"title": "a"}})
	p := nextPush(t, c)
	require.NoError(t, c.Ack(ctx, p.MessageID))
	acked := time.Now()
	var f liveFrame
	for f.Totals.Arrived == 0 {
		f = live.frame(ctx)
		require.LessOrEqual(t, f.Totals.Sent, 1, "only app A's counts")
	}
	t.Logf("live frame with the arrival %s after the ack", time.Since(acked).Round(time.Millisecond))
	require.Len(t, f.Minute, 1)
	require.Equal(t, "SELF", *f.Minute[0].Channel)

	// The delivery's own events, and none of app B's.
	var seen []string
	for !slices.Contains(seen, "ARRIVED") {
		m := events.next(ctx)
		require.Equal(t, "next", m.Type, "%s", m.Payload)
		var e struct {
			Data struct {
				DeliveryEvents struct{ DeliveryID, JobID, Status, Channel string }
			}
		}
		require.NoError(t, json.Unmarshal(m.Payload, &e))
		require.Equal(t, j.ID, e.Data.DeliveryEvents.JobID)
		require.Equal(t, string(p.MessageID), e.Data.DeliveryEvents.DeliveryID)
		seen = append(seen, e.Data.DeliveryEvents.Status)
	}

	// The same counts through stats, by platform and channel.
	var out struct {
		Stats []struct {
			Platform, Channel string
			Counts            struct{ Targeted, Sent, Arrived int }
			ArrivalRate       float64
		}
		CoreIndex struct {
			Pushes int
			Counts struct{ Sent, Arrived int }
		}
	}
	now := time.Now().UTC()
	a.do(`query($app: ID!, $from: Time!, $to: Time!) {
		stats(input: {appID: $app, from: $from, to: $to, granularity: MINUTE, groupBy: [PLATFORM, CHANNEL]}) {
			platform channel counts { targeted sent arrived } arrivalRate }
		coreIndex(appID: $app, from: $from, to: $to) { pushes counts { sent arrived } } }`,
		map[string]any{"app": a.appID, "from": now.Add(-time.Hour), "to": now.Add(time.Minute)}, &out)
	require.Len(t, out.Stats, 1)
	require.Equal(t, "IOS", out.Stats[0].Platform)
	require.Equal(t, "SELF", out.Stats[0].Channel)
	require.Equal(t, 1, out.Stats[0].Counts.Arrived)
	require.InDelta(t, 1.0, out.Stats[0].ArrivalRate, 1e-9)
	require.Equal(t, 1, out.CoreIndex.Pushes)

	var rep struct {
		Node struct {
			Report []struct{ Counts struct{ Arrived int } }
		}
	}
	a.do(`query($id: ID!) { node(id: $id) { ... on PushJob { report(groupBy: [CHANNEL]) { counts { arrived } } } } }`,
		map[string]any{"id": j.ID}, &rep)
	require.Len(t, rep.Node.Report, 1)
	require.Equal(t, 1, rep.Node.Report[0].Counts.Arrived)
}
