package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push"
)

// Close codes of the device channel (4000–4999 are the application's).
const (
	statusUnauthenticated websocket.StatusCode = 4401
	statusBadFrame        websocket.StatusCode = 4400
	statusReplaced        websocket.StatusCode = 4409
	statusTooSlow         websocket.StatusCode = 4408
)

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

	out  chan []byte
	done chan struct{}
	once sync.Once

	mu       sync.Mutex
	sent     map[nodeid.ID]struct{}
	sentList []nodeid.ID
}

func (c *conn) presence() presence { return presence{node: c.hub.cfg.NodeID, conn: c.id} }

// send queues a frame for the device unless this connection already
// carried that message.
func (c *conn) send(msgID nodeid.ID, frame []byte) {
	c.mu.Lock()
	if msgID != "" {
		if _, dup := c.sent[msgID]; dup {
			c.mu.Unlock()
			return
		}
		c.remember(msgID)
	}
	c.mu.Unlock()
	select {
	case c.out <- frame:
	case <-c.done:
	default:
		c.hub.cfg.Metrics.slowDrops.Inc()
		c.close(statusTooSlow, "too slow: reconnect and resume")
	}
}

func (c *conn) remember(id nodeid.ID) {
	if len(c.sentList) >= maxSentIDs {
		half := c.sentList[:maxSentIDs/2]
		for _, old := range half {
			delete(c.sent, old)
		}
		c.sentList = append(c.sentList[:0], c.sentList[maxSentIDs/2:]...)
	}
	c.sent[id] = struct{}{}
	c.sentList = append(c.sentList, id)
}

func (c *conn) close(code websocket.StatusCode, reason string) {
	c.once.Do(func() {
		close(c.done)
		go c.ws.Close(code, reason) // the close handshake may wait on the peer
	})
}

// serve runs one connection until it ends: authenticate, attach, welcome,
// then read frames while a writer goroutine writes and pings.
func (h *Hub) serve(ctx context.Context, ws *websocket.Conn, headerToken string) {
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
	d, err := h.cfg.Service.AuthenticateDevice(ctx, token)
	if err != nil {
		writeErrorAndClose(ctx, ws, statusUnauthenticated, "UNAUTHENTICATED", "invalid device token")
		return
	}
	c := &conn{
		hub: h, ws: ws, device: d.ID, id: randomID(),
		out:  make(chan []byte, h.cfg.SendBuffer),
		done: make(chan struct{}),
		sent: map[nodeid.ID]struct{}{},
	}
	if err := h.attach(ctx, c); err != nil {
		writeErrorAndClose(ctx, ws, websocket.StatusTryAgainLater, "INTERNAL", "presence unavailable")
		return
	}
	defer h.detach(c)
	defer c.close(websocket.StatusNormalClosure, "")
	h.cfg.Service.SeenDevice(ctx, d.ID)

	welcome, _ := json.Marshal(Welcome{Type: FrameWelcome, DeviceID: d.ID, Heartbeat: int(h.cfg.Heartbeat.Seconds())})
	c.send("", welcome)
	go c.writeLoop(ctx)
	c.readLoop(ctx)
}

func (c *conn) writeLoop(ctx context.Context) {
	h := c.hub
	ping := time.NewTicker(h.cfg.Heartbeat)
	defer ping.Stop()
	for {
		select {
		case <-c.done:
			return
		case frame := <-c.out:
			wctx, cancel := context.WithTimeout(ctx, h.cfg.WriteTimeout)
			err := c.ws.Write(wctx, websocket.MessageText, frame)
			cancel()
			if err != nil {
				c.close(statusTooSlow, "write failed")
				return
			}
			h.cfg.Metrics.framesOut.WithLabelValues(frameType(frame)).Inc()
		case <-ping.C:
			pctx, cancel := context.WithTimeout(ctx, h.cfg.WriteTimeout)
			err := c.ws.Ping(pctx)
			cancel()
			if err != nil {
				c.close(websocket.StatusGoingAway, "no pong")
				return
			}
		}
	}
}

func (c *conn) readLoop(ctx context.Context) {
	h := c.hub
	for {
		f, err := readFrame(ctx, c.ws)
		if err != nil {
			if errors.Is(err, errFrame) {
				c.writeError("INVALID_ARGUMENT", err.Error())
				c.close(statusBadFrame, "bad frame")
			}
			return
		}
		h.cfg.Metrics.framesIn.WithLabelValues(f.Type).Inc()
		switch f.Type {
		case FrameResume:
			msgs, err := h.cfg.Service.Resume(ctx, c.device, *f.AfterSeq)
			if err != nil {
				h.log.Warn("gateway: resume", "device", c.device, "err", err)
				c.writeError("INTERNAL", "resume failed; try again")
				continue
			}
			for _, m := range msgs {
				frame, err := json.Marshal(pushFrame(m))
				if err == nil {
					c.send(m.MessageID, frame)
				}
			}
		case FrameAck:
			c.event(ctx, f.MessageID, push.EventArrived)
		case FrameEvent:
			c.event(ctx, f.MessageID, push.DeviceEventType(f.Event))
		case FrameAuth:
			c.writeError("INVALID_ARGUMENT", "already authenticated")
		}
	}
}

func (c *conn) event(ctx context.Context, msgID nodeid.ID, t push.DeviceEventType) {
	d := c.hub.cfg.Service
	if _, err := d.RecordDeviceEventsFor(ctx, c.device, []push.DeviceEvent{{MessageID: msgID, Type: t}}); err != nil {
		c.hub.log.Warn("gateway: record event", "device", c.device, "err", err)
	}
}

func (c *conn) writeError(code, msg string) {
	b, _ := json.Marshal(ErrorFrame{Type: FrameError, Code: code, Message: msg})
	c.send("", b)
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

// frameType reads a frame's type for metrics without decoding it all.
func frameType(frame []byte) string {
	var t struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(frame, &t) != nil {
		return "unknown"
	}
	switch t.Type {
	case FrameWelcome, FramePush, FrameRevoke, FrameError:
		return t.Type
	}
	return "unknown"
}
