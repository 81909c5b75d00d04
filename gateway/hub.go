package gateway

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/redis/go-redis/v9"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push"
)

// HubConfig configures a node's WebSocket channel.
type HubConfig struct {
	Service *push.Service
	Router  *Router
	Redis   redis.UniversalClient
	// NodeID names this gateway node; unique per process.
	NodeID string
	// Heartbeat is the interval of server pings and presence refreshes
	// (default 30 s); presence lives three heartbeats.
	Heartbeat time.Duration
	// SeenEvery is how often the devices connected here get their last
	// seen time written (default 5 minutes): one batched write for all of
	// them, not one per ping, so last seen is accurate to this for a device
	// that stays connected.
	SeenEvery time.Duration
	// AuthTimeout is how long a device has to authenticate (default 5 s).
	AuthTimeout time.Duration
	// SendBuffer is how many frames may wait for a device before it is
	// dropped as too slow (default 32).
	SendBuffer int
	// WriteTimeout bounds one frame write or ping (default 10 s).
	WriteTimeout time.Duration
	Logger       *slog.Logger
	Metrics      *Metrics
	// Throttles bound registrations, upgrades and frames; zero fields
	// throttle nothing (pushd's defaults come from its configuration).
	Throttles Throttles
}

// Hub holds this node's device connections: one per device, the newest
// winning, across nodes too.
type Hub struct {
	cfg HubConfig
	log *slog.Logger

	mu    sync.RWMutex
	conns map[nodeid.ID]*conn

	refreshScript, releaseScript *redis.Script

	// throttle counts registrations and upgrades per address and app.
	throttle *throttle

	// backlogSlots bounds the resume batches and pending-claims that run
	// at once: after a node restart every device reconnects together, and
	// without a bound their backlog queries would hold every database
	// connection while API requests on the same process wait behind them.
	backlogSlots turns
	// handshakeSlots bounds the handshake batches (handshake.go) that
	// look up devices at once, for the same reason: together with the
	// backlog reads they leave most of the connection pool to the API. A
	// device that no batch takes within the auth timeout is told to come
	// back later, so a reconnect storm turns into devices backing off
	// instead of queued handshakes whose devices gave up long ago.
	handshakeSlots turns
	// handshakes are the devices waiting to be admitted in a batch.
	handshakes batchQueue[*handshake]
	// resumes are the connections waiting for their backlog, read in
	// batches within the backlog turns.
	resumes batchQueue[*resumeWait]
	// reports gathers the devices' acks and events for the database.
	reports *reporter
	// backlogs counts the backlog reads, to release memory after storms.
	backlogs *backlogTracker
	// seenRunning is set while a last-seen round writes; Run waits for
	// seenDone before it returns, so no round outlives the hub.
	seenRunning atomic.Bool
	// connected counts the connections ever admitted, to deal them into
	// ping slices in turn.
	connected atomic.Uint64
	seenDone  sync.WaitGroup
}

// DefaultSeenEvery is how often connected devices' last seen is written.
const DefaultSeenEvery = 5 * time.Minute

// maxBacklogQueries is how many device backlogs one node reads at once,
// and maxHandshakes how many batches of devices it authenticates at once:
// together a fraction of the process's 20 database connections.
const (
	maxBacklogQueries = 6
	maxHandshakes     = 6
)

// NewHub returns a hub; Run must be running for it to receive frames
// routed from other nodes (and itself).
func NewHub(cfg HubConfig) *Hub {
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 30 * time.Second
	}
	if cfg.SeenEvery <= 0 {
		cfg.SeenEvery = DefaultSeenEvery
	}
	if cfg.AuthTimeout <= 0 {
		cfg.AuthTimeout = 5 * time.Second
	}
	if cfg.SendBuffer <= 0 {
		cfg.SendBuffer = 32
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	if cfg.NodeID == "" {
		cfg.NodeID = randomID()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(nil)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{
		cfg:            cfg,
		log:            cfg.Logger.With("node", cfg.NodeID),
		conns:          map[nodeid.ID]*conn{},
		backlogSlots:   make(turns, maxBacklogQueries),
		handshakeSlots: make(turns, maxHandshakes),
		backlogs:       newBacklogTracker(),
		reports:        newReporter(cfg.Service, cfg.Logger.With("node", cfg.NodeID), cfg.Metrics.reportBatch),
		throttle:       newThrottle(cfg.Redis, cfg.Router.prefix, cfg.Throttles, cfg.Logger, cfg.Metrics),
		// Refresh and release touch the key only while it still names this
		// connection: a newer connection elsewhere must not be undone.
		// Refresh extends this connection's presence; when the key is gone
		// (Redis lost its data) it puts it back and answers 2, so that the
		// connection is reachable again without a reconnect.
		refreshScript: redis.NewScript(`local v = redis.call("GET", KEYS[1])
if v == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
if not v then redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) return 2 end
return 0`),
		releaseScript: redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`),
	}
}

// turns bounds how much of one kind of database work a node runs at once.
type turns chan struct{}

// take waits for a turn; false when ctx ended or stop closed first. A
// turn taken is given back with give.
func (t turns) take(ctx context.Context, stop <-chan struct{}) bool {
	select {
	case t <- struct{}{}:
		return true
	case <-stop:
	case <-ctx.Done():
	}
	return false
}

func (t turns) give() { <-t }

// NodeID is this node's name in presence records.
func (h *Hub) NodeID() string { return h.cfg.NodeID }

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (h *Hub) presenceTTL() time.Duration { return 3 * h.cfg.Heartbeat }

// Run receives frames routed to this node and refreshes presence, until
// ctx ends; then it closes every connection.
func (h *Hub) Run(ctx context.Context) error {
	sub := h.cfg.Redis.Subscribe(ctx, h.cfg.Router.nodeChannel(h.cfg.NodeID))
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		return fmt.Errorf("subscribe to the node channel: %w", err)
	}
	msgs := sub.Channel(redis.WithChannelSize(1024))
	// Refreshes run in a pipeline as EVALSHA: load the script first (and
	// again if Redis restarts and forgets it; see refreshPresence).
	if err := h.refreshScript.Load(ctx, h.cfg.Redis).Err(); err != nil {
		return fmt.Errorf("load the presence script: %w", err)
	}
	tick := time.NewTicker(h.cfg.Heartbeat)
	defer tick.Stop()
	pings := time.NewTicker(h.cfg.Heartbeat / pingSlices)
	defer pings.Stop()
	slice := 0
	seen := time.NewTicker(h.cfg.SeenEvery)
	defer seen.Stop()
	defer h.seenDone.Wait()
	defer h.reports.start(ctx)()
	defer h.closeAll()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-msgs:
			if !ok {
				return errors.New("gateway: node channel closed")
			}
			h.dispatch([]byte(m.Payload))
		case <-tick.C:
			h.refreshPresence(ctx)
		case <-pings.C:
			h.pingSlice(slice)
			slice = (slice + 1) % pingSlices
		case <-seen.C:
			h.recordSeen(ctx)
		}
	}
}

func (h *Hub) dispatch(payload []byte) {
	env, err := decodeEnvelope(payload)
	if err != nil {
		h.log.Warn("gateway: bad envelope", "err", err)
		return
	}
	for _, k := range env.Kick {
		h.mu.RLock()
		c := h.conns[k.DeviceID]
		h.mu.RUnlock()
		if c != nil && c.id == k.ConnID {
			c.close(statusReplaced, "replaced by a newer connection")
		}
	}
	for _, f := range env.Frames {
		h.mu.RLock()
		c := h.conns[f.DeviceID]
		h.mu.RUnlock()
		if c == nil {
			continue
		}
		if f.MessageID == "" {
			c.send("", 0, outFrame{f.Frame, FrameRevoke})
		} else {
			c.send(f.MessageID, f.ExpiresAt, outFrame{f.Frame, FramePush})
		}
	}
}

// recordSeen writes the connected devices' last seen off the hub's loop:
// at 100,000 connections it is 100 statements, which must not hold up the
// frames the loop hands to devices. A round still running when the next is
// due makes that one skip.
func (h *Hub) recordSeen(ctx context.Context) {
	if !h.seenRunning.CompareAndSwap(false, true) {
		return
	}
	ids := h.connectedDevices()
	h.seenDone.Add(1)
	go func() {
		defer h.seenDone.Done()
		defer h.seenRunning.Store(false)
		h.cfg.Service.Devices().SeenDevices(ctx, ids)
	}()
}

// connectedDevices lists the devices connected to this node now.
func (h *Hub) connectedDevices() []nodeid.ID {
	h.mu.RLock()
	defer h.mu.RUnlock()
	ids := make([]nodeid.ID, 0, len(h.conns))
	for id := range h.conns {
		ids = append(ids, id)
	}
	return ids
}

// pingSlices spreads the pings over the heartbeat: every connection is
// pinged once per heartbeat, a tenth of them at a time. Pinging all at
// once made every device answer in the same 10 s, which an overloaded
// node or network turned into mass drops (at 16,000 connections per node
// on two cores shared with 100,000 simulated devices) and then into a
// reconnection storm.
const pingSlices = 10

// pingSlice pings the local connections of one slice.
func (h *Hub) pingSlice(slice int) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, c := range h.conns {
		if c.slice == slice {
			c.ping()
		}
	}
}

// refreshPresence extends every local connection's presence in one
// pipeline per heartbeat.
func (h *Hub) refreshPresence(ctx context.Context) {
	h.mu.RLock()
	list := make([]*conn, 0, len(h.conns))
	for _, c := range h.conns {
		list = append(list, c)
	}
	h.mu.RUnlock()
	if len(list) == 0 {
		return
	}
	pipe := h.cfg.Redis.Pipeline()
	ttl := h.presenceTTL().Milliseconds()
	cmds := make([]*redis.Cmd, len(list))
	for i, c := range list {
		cmds[i] = h.refreshScript.EvalSha(ctx, pipe, []string{h.cfg.Router.presenceKey(c.device)}, c.presence().String(), ttl)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		h.cfg.Metrics.presenceErrors.Inc()
		h.log.Warn("gateway: refresh presence", "err", err)
		if redis.HasErrorPrefix(err, "NOSCRIPT") {
			_ = h.refreshScript.Load(ctx, h.cfg.Redis).Err()
		}
	}
	for i, cmd := range cmds {
		select {
		case <-list[i].done:
			continue // closed since the snapshot: nothing to deliver to
		default:
		}
		if n, err := cmd.Int(); err == nil && n == 2 {
			// While it was unreachable, pushes for it waited as PENDING.
			go list[i].deliverPending(ctx)
		}
	}
}

// attachLocal makes c its device's connection on this node, once its
// presence is written; a connection the device had here is told to close.
func (h *Hub) attachLocal(c *conn) {
	h.mu.Lock()
	old := h.conns[c.device]
	h.conns[c.device] = c
	h.mu.Unlock()
	h.cfg.Metrics.connections.Inc()
	if old != nil {
		old.close(statusReplaced, "replaced by a newer connection")
	}
}

// detach forgets c if it is still the device's connection.
func (h *Hub) detach(c *conn) {
	h.mu.Lock()
	if h.conns[c.device] == c {
		delete(h.conns, c.device)
	}
	h.mu.Unlock()
	h.cfg.Metrics.connections.Dec()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := h.releaseScript.Run(ctx, h.cfg.Redis, []string{h.cfg.Router.presenceKey(c.device)}, c.presence().String()).Err(); err != nil && !errors.Is(err, redis.Nil) {
		h.cfg.Metrics.presenceErrors.Inc()
	}
}

func (h *Hub) closeAll() {
	h.mu.RLock()
	list := make([]*conn, 0, len(h.conns))
	for _, c := range h.conns {
		list = append(list, c)
	}
	h.mu.RUnlock()
	for _, c := range list {
		c.close(websocket.StatusGoingAway, "server shutting down")
	}
}

// backlogBegin and backlogEnd bracket a connection's backlog read
// (resume or waiting messages), from the wait for its turn to the answer.
func (h *Hub) backlogBegin() {
	h.cfg.Metrics.backlogs.Inc()
	h.backlogs.begin()
}

func (h *Hub) backlogEnd() {
	h.cfg.Metrics.backlogs.Dec()
	h.backlogs.end()
}

// Connections is how many devices this node holds.
func (h *Hub) Connections() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.conns)
}

// ServeHTTP accepts a device's WebSocket on /device/v1/connect. An
// address over its upgrade throttle is answered 429 without an upgrade,
// before any token is looked at.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.throttle.connectByAddress(w, r) {
		return
	}
	budget := newFrameBudget(h.cfg.Throttles)
	var ws *websocket.Conn
	opts := &websocket.AcceptOptions{
		Subprotocols: []string{Subprotocol},
		// Devices authenticate with their own token, never a cookie, so a
		// page of another origin gains nothing by connecting.
		InsecureSkipVerify: true,
	}
	if budget != nil {
		// Pings are frames too: one over the budget gets no pong, and the
		// connection is closed as for any other frame.
		opts.OnPingReceived = func(context.Context, []byte) bool {
			if budget.spend("") {
				return true
			}
			h.cfg.Metrics.throttled.WithLabelValues("frames").Inc()
			go ws.Close(statusTooManyFrames, tooManyFrames)
			return false
		}
	}
	ws, err := websocket.Accept(smallBuffers{w}, r, opts)
	if err != nil {
		return
	}
	if ws.Subprotocol() != Subprotocol {
		ws.Close(websocket.StatusPolicyViolation, "subprotocol "+Subprotocol+" required")
		return
	}
	ws.SetReadLimit(MaxClientFrame)
	// The connection outlives this handler: returning frees the request
	// and the handler's grown stack, which would otherwise stay with every
	// idle device.
	h.serve(context.WithoutCancel(r.Context()), ws, bearer(r), budget)
}
