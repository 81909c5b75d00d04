package gateway

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/deliver"
)

// Close codes of the device channel (4000–4999 are the application's).
const (
	statusUnauthenticated websocket.StatusCode = 4401
	statusBadFrame        websocket.StatusCode = 4400
	statusReplaced        websocket.StatusCode = 4409
	statusTooSlow         websocket.StatusCode = 4408
	statusTooManyFrames   websocket.StatusCode = 4429
)

// tooManyFrames is the reason of a close with statusTooManyFrames.
const tooManyFrames = "too many frames"

// maxSentIDs bounds the per-connection memory of message IDs already
// written, which keeps a device from seeing a message twice on one
// connection; past it the oldest half is forgotten (by then their seqs are
// long behind the device's).
const maxSentIDs = 4096

// conn is one device's live connection. Frames reach it through send,
// which never blocks: a device that does not keep up is disconnected and
// resumes later, instead of slowing everyone routing to it.
type conn struct {
	hub    *Hub
	ws     *websocket.Conn
	device nodeid.ID
	id     string

	// out holds pointers, not frames: an idle connection's empty queue
	// then costs 8 bytes a slot instead of 40.
	out  chan *outFrame
	done chan struct{}
	once sync.Once
	// writing and pinging are set while a short-lived goroutine writes
	// queued frames or waits for a pong: an idle connection costs one
	// goroutine (its reader), not three.
	writing, pinging atomic.Bool
	// slice is the part of the heartbeat in which the hub pings it.
	slice int
	// frames is what the device may still send (nil: no limit).
	frames *frameBudget

	mu sync.Mutex
	// sent holds the messages this connection carried, with their expiry
	// (Unix microseconds): an ack names the message, and its expiry names
	// the partition of the history its delivery is in.
	sent     map[nodeid.ID]int64
	sentList []nodeid.ID
	// While resuming (from connect until the first resume is answered, and
	// during every later one), live frames wait in held, so that the
	// device sees messages in seq order: the backlog first, then what came
	// meanwhile.
	resuming bool
	held     []outFrame
}

func (c *conn) presence() presence { return presence{node: c.hub.cfg.NodeID, conn: c.id} }

// outFrame is an encoded frame and its type (for metrics, so the hot path
// never parses what it is about to write).
type outFrame struct {
	data []byte
	typ  string
}

// send queues a frame for the device unless this connection already
// carried that message (msgID, expiring at expiresAt in Unix
// microseconds). Live frames wait while a resume is in progress.
func (c *conn) send(msgID nodeid.ID, expiresAt int64, frame outFrame) {
	c.sendFrame(msgID, expiresAt, frame, false)
}

func (c *conn) sendFrame(msgID nodeid.ID, expiresAt int64, frame outFrame, fromResume bool) {
	c.mu.Lock()
	if msgID != "" {
		if _, dup := c.sent[msgID]; dup {
			c.mu.Unlock()
			return
		}
		c.remember(msgID, expiresAt)
	}
	if c.resuming && !fromResume && msgID != "" {
		if len(c.held) >= cap(c.out) {
			c.mu.Unlock()
			c.hub.cfg.Metrics.slowDrops.Inc()
			c.close(statusTooSlow, "too slow: reconnect and resume")
			return
		}
		c.held = append(c.held, frame)
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	if fromResume {
		// The backlog is the device's own request: it waits for room in
		// the queue rather than counting as falling behind.
		c.enqueueWait(frame)
		return
	}
	c.enqueue(frame)
}

// enqueueWait queues a frame, waiting while the queue is full, for at most
// the write timeout: a device that reads nothing for that long is dropped.
func (c *conn) enqueueWait(frame outFrame) {
	t := time.NewTimer(c.hub.cfg.WriteTimeout)
	defer t.Stop()
	select {
	case c.out <- &frame:
		c.kick()
	case <-c.done:
	case <-t.C:
		c.hub.cfg.Metrics.slowDrops.Inc()
		c.close(statusTooSlow, "too slow: reconnect and resume")
	}
}

func (c *conn) enqueue(frame outFrame) {
	select {
	case c.out <- &frame:
		c.kick()
	case <-c.done:
	default:
		c.hub.cfg.Metrics.slowDrops.Inc()
		c.close(statusTooSlow, "too slow: reconnect and resume")
	}
}

// kick starts a writer unless one runs.
func (c *conn) kick() {
	if c.writing.CompareAndSwap(false, true) {
		go c.drain()
	}
}

// drain writes queued frames and ends when the queue is empty.
func (c *conn) drain() {
	h := c.hub
	for {
		select {
		case <-c.done:
			c.writing.Store(false)
			return
		case frame := <-c.out:
			if frame.typ == frameClose {
				c.close(websocket.StatusCode(binary.BigEndian.Uint16(frame.data)), string(frame.data[2:]))
				c.writing.Store(false)
				return
			}
			if frame.typ == FramePush {
				// Before the write: the device may ack before it returns.
				c.frames.earn()
			}
			ctx, cancel := context.WithTimeout(context.Background(), h.cfg.WriteTimeout)
			err := c.ws.Write(ctx, websocket.MessageText, frame.data)
			cancel()
			if err != nil {
				c.close(statusTooSlow, "write failed")
				c.writing.Store(false)
				return
			}
			h.cfg.Metrics.framesOut.WithLabelValues(frame.typ).Inc()
		default:
			c.writing.Store(false)
			// A frame queued between the empty check and the store would
			// have seen writing still set: look once more.
			if len(c.out) > 0 && c.writing.CompareAndSwap(false, true) {
				continue
			}
			return
		}
	}
}

// ping checks that the device still answers; one that does not within the
// write timeout is dropped.
func (c *conn) ping() {
	if !c.pinging.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer c.pinging.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), c.hub.cfg.WriteTimeout)
		defer cancel()
		if err := c.ws.Ping(ctx); err != nil {
			c.close(websocket.StatusGoingAway, "no pong")
		}
	}()
}

func (c *conn) remember(id nodeid.ID, expiresAt int64) {
	if len(c.sentList) >= maxSentIDs {
		half := c.sentList[:maxSentIDs/2]
		for _, old := range half {
			delete(c.sent, old)
		}
		c.sentList = append(c.sentList[:0], c.sentList[maxSentIDs/2:]...)
	}
	c.sent[id] = expiresAt
	c.sentList = append(c.sentList, id)
}

// frameClose marks a queued close: its data is the status code (two
// bytes, big-endian) and the reason.
const frameClose = "close"

// closeAfterQueued closes the connection with code once the frames queued
// before it are written, waiting at most the write timeout.
func (c *conn) closeAfterQueued(code websocket.StatusCode, reason string) {
	data := binary.BigEndian.AppendUint16(nil, uint16(code))
	c.enqueueWait(outFrame{append(data, reason...), frameClose})
	t := time.NewTimer(c.hub.cfg.WriteTimeout)
	defer t.Stop()
	select {
	case <-c.done:
	case <-t.C:
		c.close(code, reason)
	}
}

func (c *conn) close(code websocket.StatusCode, reason string) {
	c.once.Do(func() {
		close(c.done)
		go c.ws.Close(code, reason) // the close handshake may wait on the peer
	})
}

// serve runs one connection until it ends: authenticate, attach, welcome,
// then read frames while a writer goroutine writes and pings.
func (h *Hub) serve(ctx context.Context, ws *websocket.Conn, headerToken string, budget *frameBudget) {
	token := headerToken
	if token == "" {
		// A read whose context ends tears the socket down without a close
		// frame, so the deadline closes it properly instead.
		timer := time.AfterFunc(h.cfg.AuthTimeout, func() {
			writeErrorAndClose(ctx, ws, statusUnauthenticated, "UNAUTHENTICATED", "authentication timeout")
		})
		f, err := readFrame(ctx, ws)
		if !timer.Stop() {
			return
		}
		if err != nil || f.Type != FrameAuth {
			writeErrorAndClose(ctx, ws, statusUnauthenticated, "UNAUTHENTICATED", "authenticate first: an auth frame or an Authorization header")
			return
		}
		token = f.Token
	}
	c, busy, err := h.handshake(ctx, ws, token, budget)
	switch {
	case busy:
		h.cfg.Metrics.busyRefusals.Inc()
		writeErrorAndClose(ctx, ws, websocket.StatusTryAgainLater, "UNAVAILABLE", "node busy: reconnect later")
		return
	case errors.Is(err, errInvalidToken):
		writeErrorAndClose(ctx, ws, statusUnauthenticated, "UNAUTHENTICATED", "invalid device token")
		return
	case err != nil:
		writeErrorAndClose(ctx, ws, websocket.StatusTryAgainLater, "INTERNAL", err.Error())
		return
	}
	welcome, _ := json.Marshal(Welcome{Type: FrameWelcome, DeviceID: c.device, Heartbeat: int(h.cfg.Heartbeat.Seconds())})
	c.send("", 0, outFrame{welcome, FrameWelcome})
	// Reading goes on in a goroutine of its own, started with a small
	// stack; database work for frames runs in short-lived goroutines, so
	// this one stays small for the life of an idle connection.
	go func() {
		defer h.detach(c)
		defer c.close(websocket.StatusNormalClosure, "")
		c.readLoop(ctx)
	}()
}

// newConn is a connection of device on ws, not yet attached.
func (h *Hub) newConn(ws *websocket.Conn, device nodeid.ID, budget *frameBudget) *conn {
	return &conn{
		hub: h, ws: ws, device: device, id: randomID(), slice: int(h.connected.Add(1) % pingSlices),
		out:    make(chan *outFrame, h.cfg.SendBuffer),
		done:   make(chan struct{}),
		sent:   map[nodeid.ID]int64{},
		frames: budget,
		// Nothing live goes out before the device's first resume.
		resuming: true,
	}
}

func (c *conn) readLoop(ctx context.Context) {
	for {
		typ, data, err := c.ws.Read(ctx)
		if err != nil {
			return
		}
		if !c.handleAside(ctx, typ, data) {
			return
		}
	}
}

// handleAside handles one frame on a short-lived goroutine and waits for
// it, so frames are still handled in order. Decoding and handling run
// deep (JSON, metrics, the database's hand-offs), and the reader's stack,
// which an idle connection keeps for its whole life, would grow to fit
// them for good: the reader only waits for the next frame, which fits in
// half the stack (4 KB less per idle connection).
func (c *conn) handleAside(ctx context.Context, typ websocket.MessageType, data []byte) bool {
	done := make(chan bool, 1)
	go func() { done <- c.handle(ctx, typ, data) }()
	return <-done
}

// handle acts on one frame from the device; false ends the connection.
func (c *conn) handle(ctx context.Context, typ websocket.MessageType, data []byte) bool {
	h := c.hub
	frame, err := ClientFrame{}, errFrame
	if typ == websocket.MessageText {
		frame, err = DecodeClientFrame(data)
	}
	if err != nil {
		if errors.Is(err, errFrame) {
			c.writeError("INVALID_ARGUMENT", err.Error())
			c.close(statusBadFrame, "bad frame")
		}
		return false
	}
	h.cfg.Metrics.framesIn.WithLabelValues(frame.Type).Inc()
	if !c.frames.spend(frame.Type) {
		h.cfg.Metrics.throttled.WithLabelValues("frames").Inc()
		// Reading stops; what was answered so far, and why, is written
		// before the close.
		c.writeError("RATE_LIMITED", tooManyFrames)
		c.closeAfterQueued(statusTooManyFrames, tooManyFrames)
		return false
	}
	switch frame.Type {
	case FrameResume:
		go c.resume(ctx, *frame.AfterSeq)
	case FrameAck:
		c.report(ctx, frame.MessageID, push.EventArrived)
	case FrameEvent:
		c.report(ctx, frame.MessageID, push.DeviceEventType(frame.Event))
	case FrameAuth:
		c.writeError("INVALID_ARGUMENT", "already authenticated")
	}
	return true
}

// resume sends the device what it missed after afterSeq. Frames that also
// arrive live are written once: send skips message IDs already written.
func (c *conn) resume(ctx context.Context, afterSeq int64) {
	c.mu.Lock()
	c.resuming = true
	c.mu.Unlock()
	defer c.endResume()
	c.hub.backlogBegin()
	defer c.hub.backlogEnd()
	it := c.hub.resumes.push(&resumeWait{req: deliver.ResumeRequest{Device: c.device, AfterSeq: afterSeq}})
	run := func(batch []*queued[*resumeWait]) { c.hub.resumeBatch(context.WithoutCancel(ctx), batch) }
	if !c.hub.resumes.await(it, c.hub.backlogSlots, deliver.MaxResumeBatch, run, ctx.Done(), c.done) {
		return
	}
	msgs, err := it.v.msgs, it.v.err
	if err != nil {
		c.hub.log.Warn("gateway: resume", "device", c.device, "err", err)
		c.writeError("INTERNAL", "resume failed; try again")
		return
	}
	for _, m := range msgs {
		if frame, err := json.Marshal(pushFrame(m)); err == nil {
			c.sendFrame(m.MessageID, unixMicro(m.ExpiresAt), outFrame{frame, FramePush}, true)
		}
	}
}

// resumeWait is one connection's resume, read in a batch (batches.go).
type resumeWait struct {
	req  deliver.ResumeRequest
	msgs []core.SelfMessage
	err  error
}

// resumeBatch reads the backlogs of a batch of resumes together, sets
// each one's outcome and closes its done.
func (h *Hub) resumeBatch(ctx context.Context, batch []*queued[*resumeWait]) {
	h.cfg.Metrics.resumeBatch.Observe(float64(len(batch)))
	reqs := make([]deliver.ResumeRequest, len(batch))
	for i, it := range batch {
		reqs[i] = it.v.req
	}
	got, err := h.cfg.Service.Delivery().ResumeAll(ctx, reqs)
	for i, it := range batch {
		if err != nil {
			it.v.err = err
		} else {
			it.v.msgs = got[i]
		}
		close(it.done)
	}
}

// deliverPending sends the device what waited for it while it could not
// be reached (its presence was lost).
func (c *conn) deliverPending(ctx context.Context) {
	c.hub.backlogBegin()
	defer c.hub.backlogEnd()
	if !c.hub.backlogSlots.take(ctx, c.done) {
		return
	}
	msgs, err := c.hub.cfg.Service.Delivery().ClaimPending(ctx, c.device)
	c.hub.backlogSlots.give()
	if err != nil {
		c.hub.log.Warn("gateway: deliver pending", "device", c.device, "err", err)
		return
	}
	for _, m := range msgs {
		if frame, err := json.Marshal(pushFrame(m)); err == nil {
			c.sendFrame(m.MessageID, unixMicro(m.ExpiresAt), outFrame{frame, FramePush}, true)
		}
	}
}

// endResume lets the frames held during a resume go, in arrival order:
// live frames that come meanwhile keep joining the held ones until none
// is left, so none overtakes another.
func (c *conn) endResume() {
	for {
		c.mu.Lock()
		if len(c.held) == 0 {
			c.held, c.resuming = nil, false
			c.mu.Unlock()
			return
		}
		f := c.held[0]
		c.held = c.held[1:]
		c.mu.Unlock()
		c.enqueueWait(f)
		select {
		case <-c.done:
			return
		default:
		}
	}
}

// eventRetryFor bounds how long the gateway keeps trying to record a
// device's report while the database is unreachable (a restart).
const eventRetryFor = 2 * time.Minute

// report hands a device's report to the hub's writers, or records it on
// its own when they cannot take it.
func (c *conn) report(ctx context.Context, msgID nodeid.ID, t push.DeviceEventType) {
	ev := push.DeviceEvent{MessageID: msgID, Type: t, ExpiresAt: c.expiryOf(msgID)}
	if !c.hub.reports.add(push.DeviceReport{DeviceID: c.device, DeviceEvent: ev}) {
		go c.event(ctx, ev)
	}
}

// event records a device's report. The report is a fact the device will
// not repeat (this connection never carries the message again), so a
// failed write is retried, with backoff, even after the connection ends,
// rather than leaving an acknowledged message SENT.
func (c *conn) event(ctx context.Context, ev push.DeviceEvent) {
	d := c.hub.cfg.Service
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), eventRetryFor)
	defer cancel()
	wait := 200 * time.Millisecond
	for {
		_, err := d.RecordDeviceEventsFor(ctx, c.device, []push.DeviceEvent{ev})
		if err == nil {
			return
		}
		if _, coded := core.AsError(err); coded {
			return // refused (not this device's message): retrying will not help
		}
		c.hub.log.Warn("gateway: record event; retrying", "device", c.device, "err", err, "in", wait.String())
		select {
		case <-ctx.Done():
			c.hub.log.Error("gateway: gave up recording a device event", "device", c.device, "message", ev.MessageID, "event", string(ev.Type))
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// expiryOf is the expiry of a message this connection carried; the zero
// time if it did not (or no longer remembers it), which names no
// partition: the event is then recorded against all of them.
func (c *conn) expiryOf(msgID nodeid.ID) time.Time {
	c.mu.Lock()
	us := c.sent[msgID]
	c.mu.Unlock()
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us)
}

func (c *conn) writeError(code, msg string) {
	b, _ := json.Marshal(ErrorFrame{Type: FrameError, Code: code, Message: msg})
	c.send("", 0, outFrame{b, FrameError})
}

func readFrame(ctx context.Context, ws *websocket.Conn) (ClientFrame, error) {
	typ, data, err := ws.Read(ctx)
	if err != nil {
		return ClientFrame{}, err
	}
	if typ != websocket.MessageText {
		return ClientFrame{}, errFrame
	}
	return DecodeClientFrame(data)
}

func writeErrorAndClose(ctx context.Context, ws *websocket.Conn, code websocket.StatusCode, errCode, msg string) {
	b, _ := json.Marshal(ErrorFrame{Type: FrameError, Code: errCode, Message: msg})
	wctx, cancel := context.WithTimeout(ctx, time.Second)
	_ = ws.Write(wctx, websocket.MessageText, b)
	cancel()
	ws.Close(code, msg)
}
