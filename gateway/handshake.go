package gateway

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"
	"github.com/redis/go-redis/v9"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/devices"
)

// After a node restarts, every device it held reconnects within seconds.
// Each handshake is a token lookup in the database and a presence write in
// Redis, two round trips, and a node runs a few at a time (maxHandshakes)
// so as not to take its process's database pool from the API. One by
// one, the round trips' latency bounds the node: at 30 ms a round trip
// (two busy cores shared with everything else), six turns admitted about
// 50 devices a second, and 12,000 devices took three minutes to come back.
// So a handshake queues, and whoever holds a turn admits everything
// queued by then, up to maxHandshakeBatch: one lookup and one pipelined
// presence write for all of them. When a node is quiet a handshake is a
// batch of one, as before.
const maxHandshakeBatch = devices.MaxAuthenticateBatch

// handshake is one device's wait to be admitted.
type handshake struct {
	token  string
	ws     *websocket.Conn
	budget *frameBudget
	// state moves from queued to taken (by a batch) or abandoned (by its
	// device, tired of waiting); whichever comes first wins.
	state atomic.Int32
	done  chan struct{}
	// conn and err are the outcome, set before done is closed.
	conn *conn
	err  error
}

const (
	handshakeQueued int32 = iota
	handshakeTaken
	handshakeAbandoned
)

// Why a handshake failed, for the close the device is sent.
var (
	errInvalidToken        = errors.New("invalid device token")
	errPresenceUnavailable = errors.New("presence unavailable")
	errLookupFailed        = errors.New("device lookup failed")
)

// handshakeQueue holds the handshakes waiting for a batch.
type handshakeQueue struct {
	mu      sync.Mutex
	waiting []*handshake
}

func (q *handshakeQueue) push(hs *handshake) {
	q.mu.Lock()
	q.waiting = append(q.waiting, hs)
	q.mu.Unlock()
}

// take removes up to n queued handshakes and marks them taken, dropping
// the abandoned ones it passes.
func (q *handshakeQueue) take(n int) []*handshake {
	q.mu.Lock()
	defer q.mu.Unlock()
	var batch []*handshake
	i := 0
	for ; i < len(q.waiting) && len(batch) < n; i++ {
		if hs := q.waiting[i]; hs.state.CompareAndSwap(handshakeQueued, handshakeTaken) {
			batch = append(batch, hs)
		}
	}
	rest := copy(q.waiting, q.waiting[i:])
	clear(q.waiting[rest:])
	q.waiting = q.waiting[:rest]
	return batch
}

// Len is how many handshakes wait (abandoned ones included until a batch
// passes them).
func (q *handshakeQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting)
}

// handshake admits one device, in a batch of its own or of another
// handshake's; busy is true when no batch took it within the auth
// timeout.
func (h *Hub) handshake(ctx context.Context, ws *websocket.Conn, token string, budget *frameBudget) (c *conn, busy bool, err error) {
	hs := &handshake{token: token, ws: ws, budget: budget, done: make(chan struct{})}
	h.handshakes.push(hs)
	wait, cancel := context.WithTimeout(ctx, h.cfg.AuthTimeout)
	defer cancel()
	turns := h.handshakeSlots
	for {
		select {
		case <-hs.done:
			return hs.conn, false, hs.err
		case turns <- struct{}{}:
			batch := h.handshakes.take(maxHandshakeBatch)
			if len(batch) > 0 {
				h.admitBatch(context.WithoutCancel(ctx), batch)
			}
			h.handshakeSlots.give()
			if len(batch) == 0 {
				// The queue was empty, so hs is in a batch already: only
				// its outcome is left to wait for.
				turns = nil
			}
		case <-wait.Done():
			if hs.state.CompareAndSwap(handshakeQueued, handshakeAbandoned) {
				return nil, true, nil
			}
			<-hs.done // a batch has it and will not be long
			return hs.conn, false, hs.err
		}
	}
}

// admitBatch authenticates a batch of handshakes and makes each found
// device's connection its one: one lookup, one presence pipeline, one
// publish for the connections on other nodes it replaces, and one write
// of last seen. Each handshake's outcome is set and its done closed.
func (h *Hub) admitBatch(ctx context.Context, batch []*handshake) {
	h.cfg.Metrics.handshakeBatch.Observe(float64(len(batch)))
	ctx, cancel := context.WithTimeout(ctx, h.cfg.AuthTimeout)
	defer cancel()
	h.admit(ctx, batch)
	var seen []nodeid.ID
	for _, hs := range batch {
		if hs.conn != nil {
			seen = append(seen, hs.conn.device)
		}
		close(hs.done)
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
