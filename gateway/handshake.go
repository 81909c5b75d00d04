package gateway

import (
	"context"
	"errors"

	"github.com/coder/websocket"
	"github.com/redis/go-redis/v9"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/devices"
)

// maxHandshakeBatch bounds the devices one handshake batch admits (see
// batches.go): one token lookup, one presence pipeline, one publish of
// kicks and one last-seen write for all of them.
const maxHandshakeBatch = devices.MaxAuthenticateBatch

// handshake is one device's wait to be admitted.
type handshake struct {
	token  string
	ws     *websocket.Conn
	budget *frameBudget
	// conn and err are the outcome.
	conn *conn
	err  error
}

// Why a handshake failed, for the close the device is sent.
var (
	errInvalidToken        = errors.New("invalid device token")
	errPresenceUnavailable = errors.New("presence unavailable")
	errLookupFailed        = errors.New("device lookup failed")
)

// handshake admits one device, in a batch of its own or of another
// handshake's; busy is true when no batch took it within the auth
// timeout.
func (h *Hub) handshake(ctx context.Context, ws *websocket.Conn, token string, budget *frameBudget) (c *conn, busy bool, err error) {
	it := h.handshakes.push(&handshake{token: token, ws: ws, budget: budget})
	wait, cancel := context.WithTimeout(ctx, h.cfg.AuthTimeout)
	defer cancel()
	run := func(batch []*queued[*handshake]) { h.admitBatch(context.WithoutCancel(ctx), batch) }
	if !h.handshakes.await(it, h.handshakeSlots, maxHandshakeBatch, run, wait.Done(), nil) {
		return nil, true, nil
	}
	return it.v.conn, false, it.v.err
}

// admitBatch authenticates a batch of handshakes and makes each found
// device's connection its one: one lookup, one presence pipeline, one
// publish for the connections on other nodes it replaces, and one write
// of last seen. Each handshake's outcome is set and its done closed.
func (h *Hub) admitBatch(ctx context.Context, batch []*queued[*handshake]) {
	h.cfg.Metrics.handshakeBatch.Observe(float64(len(batch)))
	ctx, cancel := context.WithTimeout(ctx, h.cfg.AuthTimeout)
	defer cancel()
	hss := make([]*handshake, len(batch))
	for i, it := range batch {
		hss[i] = it.v
	}
	h.admit(ctx, hss)
	var seen []nodeid.ID
	for _, it := range batch {
		if it.v.conn != nil {
			seen = append(seen, it.v.conn.device)
		}
		close(it.done)
	}
	// The devices' last seen, one statement for the batch, once they are
	// told: on its own pool, and within the turn, so that a storm's writes
	// are as few as its batches.
	h.cfg.Service.Devices().SeenDevices(ctx, seen)
}

// admit sets the outcome of each handshake of batch.
func (h *Hub) admit(ctx context.Context, batch []*handshake) {
	tokens := make([]string, len(batch))
	for i, hs := range batch {
		tokens[i] = hs.token
	}
	found, err := h.cfg.Service.Devices().AuthenticateDevices(ctx, tokens)
	if err != nil {
		h.log.Warn("gateway: device lookup", "devices", len(batch), "err", err)
		for _, hs := range batch {
			hs.err = errLookupFailed
		}
		return
	}
	var admitted []*handshake
	for i, hs := range batch {
		if found[i] == nil {
			hs.err = errInvalidToken
			continue
		}
		hs.conn = h.newConn(hs.ws, found[i].ID, hs.budget)
		admitted = append(admitted, hs)
	}
	h.attachAll(ctx, admitted)
}

// attachAll writes the presence of the admitted handshakes' connections
// in one pipeline and makes each its device's connection here; a
// connection whose presence could not be written is dropped with
// errPresenceUnavailable.
func (h *Hub) attachAll(ctx context.Context, admitted []*handshake) {
	if len(admitted) == 0 {
		return
	}
	pipe := h.cfg.Redis.Pipeline()
	prev := make([]*redis.StatusCmd, len(admitted))
	for i, hs := range admitted {
		prev[i] = pipe.SetArgs(ctx, h.cfg.Router.presenceKey(hs.conn.device), hs.conn.presence().String(), redis.SetArgs{Get: true, TTL: h.presenceTTL()})
	}
	_, _ = pipe.Exec(ctx) // each command's own error is read below
	kicks := map[string]*envelope{}
	for i, hs := range admitted {
		was, err := prev[i].Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			h.cfg.Metrics.presenceErrors.Inc()
			hs.conn, hs.err = nil, errPresenceUnavailable
			continue
		}
		h.attachLocal(hs.conn)
		if p, ok := parsePresence(was); ok && p.node != h.cfg.NodeID {
			env := kicks[p.node]
			if env == nil {
				env = &envelope{}
				kicks[p.node] = env
			}
			env.Kick = append(env.Kick, kick{DeviceID: hs.conn.device, ConnID: p.conn})
		}
	}
	if err := h.cfg.Router.publish(ctx, kicks); err != nil {
		h.log.Warn("gateway: kick previous connections", "nodes", len(kicks), "err", err)
	}
}
