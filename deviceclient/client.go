// Package deviceclient is a Go client of pushd's device protocol: the
// device HTTP API and the WebSocket channel (connect, authenticate,
// resume, acknowledge). The tests, the load tool and the docs' example
// use it; a device SDK in another language follows the same steps
// (docs/device-protocol.md).
package deviceclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/gateway"
)

// Client talks to one pushd's device API.
type Client struct {
	base string
	http *http.Client
}

// New returns a client for the pushd at baseURL. A nil httpClient means
// http.DefaultClient.
func New(baseURL string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), http: httpClient}
}

// APIError is an error answer of the device API.
type APIError struct {
	Status int
	// RetryAfter is the Retry-After of a 429 (RATE_LIMITED): how long to
	// wait before trying again.
	RetryAfter time.Duration
	gateway.ErrorBody
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.ErrorBody.Error.Code, e.ErrorBody.Error.Message)
}

func (c *Client) call(ctx context.Context, method, path, token string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		e := &APIError{Status: resp.StatusCode}
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
			e.RetryAfter = time.Duration(secs) * time.Second
		}
		_ = json.Unmarshal(raw, &e.ErrorBody)
		return e
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// Register registers a new installation.
func (c *Client) Register(ctx context.Context, req gateway.RegisterRequest) (gateway.RegisterResponse, error) {
	return c.RegisterAgain(ctx, "", req)
}

// RegisterAgain registers an installation that registered before, with the
// device token of its last registration as proof.
func (c *Client) RegisterAgain(ctx context.Context, deviceToken string, req gateway.RegisterRequest) (gateway.RegisterResponse, error) {
	var out gateway.RegisterResponse
	err := c.call(ctx, http.MethodPost, "/device/v1/register", deviceToken, req, &out)
	return out, err
}

// Bind binds the device to userID with a bind token its backend minted.
func (c *Client) Bind(ctx context.Context, deviceToken, userID, bindToken string) error {
	return c.call(ctx, http.MethodPost, "/device/v1/bind", deviceToken, gateway.BindRequest{UserID: userID, BindToken: bindToken}, nil)
}

// Unbind removes the device's user binding.
func (c *Client) Unbind(ctx context.Context, deviceToken string) error {
	return c.call(ctx, http.MethodPost, "/device/v1/unbind", deviceToken, struct{}{}, nil)
}

// SetTokens reports vendor tokens.
func (c *Client) SetTokens(ctx context.Context, deviceToken string, t gateway.Tokens) error {
	return c.call(ctx, http.MethodPut, "/device/v1/tokens", deviceToken, t, nil)
}

// Events reports arrived/opened/ignored events; it returns how many
// changed something.
func (c *Client) Events(ctx context.Context, deviceToken string, evs []gateway.Event) (int, error) {
	var out struct {
		Accepted int `json:"accepted"`
	}
	err := c.call(ctx, http.MethodPost, "/device/v1/events", deviceToken, gateway.EventsRequest{Events: evs}, &out)
	return out.Accepted, err
}

// Conn is a live device connection.
type Conn struct {
	ws      *websocket.Conn
	Welcome gateway.Welcome
	// LastSeq is the highest seq received; pass it to the next Connect to
	// resume without gaps or repeats.
	LastSeq int64
}

// Connect opens the WebSocket channel, authenticates with the Authorization
// header, reads the welcome and resumes after afterSeq.
func (c *Client) Connect(ctx context.Context, deviceToken string, afterSeq int64) (*Conn, error) {
	url := "ws" + strings.TrimPrefix(c.base, "http") + "/device/v1/connect"
	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		HTTPClient:   c.http,
		Subprotocols: []string{gateway.Subprotocol},
		HTTPHeader:   http.Header{"Authorization": []string{"Bearer " + deviceToken}},
	})
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(1 << 20)
	conn := &Conn{ws: ws, LastSeq: afterSeq}
	_, data, err := ws.Read(ctx)
	if err != nil {
		ws.CloseNow()
		return nil, err
	}
	if err := json.Unmarshal(data, &conn.Welcome); err != nil || conn.Welcome.Type != gateway.FrameWelcome {
		ws.CloseNow()
		return nil, fmt.Errorf("deviceclient: expected welcome, got %.200s", data)
	}
	if err := conn.write(ctx, map[string]any{"type": gateway.FrameResume, "afterSeq": afterSeq}); err != nil {
		ws.CloseNow()
		return nil, err
	}
	return conn, nil
}

// Frame is one server frame: exactly one field is set.
type Frame struct {
	Push   *gateway.Push
	Revoke *gateway.Revoke
	Error  *gateway.ErrorFrame
}

// anyFrame has the fields of every server frame, so a frame is decoded in
// one pass whatever its type.
type anyFrame struct {
	gateway.Push
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Next reads the next frame. Push frames advance LastSeq.
func (c *Conn) Next(ctx context.Context) (Frame, error) {
	_, data, err := c.ws.Read(ctx)
	if err != nil {
		return Frame{}, err
	}
	var a anyFrame
	if err := json.Unmarshal(data, &a); err != nil {
		return Frame{}, err
	}
	var f Frame
	switch a.Type {
	case gateway.FramePush:
		p := a.Push
		f.Push = &p
		if p.Seq > c.LastSeq {
			c.LastSeq = p.Seq
		}
	case gateway.FrameRevoke:
		f.Revoke = &gateway.Revoke{Type: a.Type, MessageID: a.MessageID}
	case gateway.FrameError:
		f.Error = &gateway.ErrorFrame{Type: a.Type, Code: a.Code, Message: a.Message}
	default:
		return Frame{}, fmt.Errorf("deviceclient: unknown frame %.100s", data)
	}
	return f, nil
}

// Ack reports a message as arrived.
func (c *Conn) Ack(ctx context.Context, id nodeid.ID) error {
	return c.write(ctx, map[string]any{"type": gateway.FrameAck, "messageID": id})
}

// Resume asks again for what the device missed after afterSeq (after an
// INTERNAL "resume failed; try again" error frame).
func (c *Conn) Resume(ctx context.Context, afterSeq int64) error {
	return c.write(ctx, map[string]any{"type": gateway.FrameResume, "afterSeq": afterSeq})
}

// Event reports opened or ignored (or arrived).
func (c *Conn) Event(ctx context.Context, id nodeid.ID, event string) error {
	return c.write(ctx, map[string]any{"type": gateway.FrameEvent, "messageID": id, "event": event})
}

func (c *Conn) write(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.ws.Write(ctx, websocket.MessageText, b)
}

// Close closes the connection.
func (c *Conn) Close() error { return c.ws.Close(websocket.StatusNormalClosure, "") }

// CloseNow drops the connection without the close handshake, as a device
// that loses its network would.
func (c *Conn) CloseNow() error { return c.ws.CloseNow() }
