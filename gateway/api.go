// Package gateway is the device side of pushd: the device HTTP API
// (/device/v1), the WebSocket channel devices hold while the app is open,
// and presence and routing across gateway nodes on Redis. Handlers decode,
// authenticate and call the push domain; they hold no push logic.
package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/devices"
)

// MaxRequestBytes bounds every device API body.
const MaxRequestBytes = 64 << 10

// API serves /device/v1.
type API struct {
	svc       *push.Service
	log       *slog.Logger
	heartbeat time.Duration
	hub       *Hub
}

// NewAPI returns the device API. hub may be nil when this process runs no
// WebSocket channel; registrations are throttled by the hub's Throttles.
func NewAPI(svc *push.Service, hub *Hub, heartbeat time.Duration, log *slog.Logger) *API {
	return &API{svc: svc, hub: hub, heartbeat: heartbeat, log: log}
}

// Routes registers the device API on mux under /device/v1.
func (a *API) Routes(mux *http.ServeMux, wrap func(route string, h http.Handler) http.Handler) {
	handle := func(pattern, route string, h http.HandlerFunc) { mux.Handle(pattern, wrap(route, h)) }
	handle("POST /device/v1/register", "/device/v1/register", a.register)
	handle("POST /device/v1/bind", "/device/v1/bind", a.authed(a.bind))
	handle("POST /device/v1/unbind", "/device/v1/unbind", a.authed(a.unbind))
	handle("PUT /device/v1/tokens", "/device/v1/tokens", a.authed(a.tokens))
	handle("POST /device/v1/events", "/device/v1/events", a.authed(a.events))
	if a.hub != nil {
		handle("GET /device/v1/connect", "/device/v1/connect", a.hub.ServeHTTP)
	}
}

// Tokens are a device's vendor tokens by their vendor's key (its channel
// in lower case, as docs/device-protocol.md lists them). A missing key
// leaves that token as it is; an empty string removes it.
type Tokens map[string]*string

// byChannel reads the tokens by channel; field prefixes a bad key's name
// in the error.
func (t Tokens) byChannel(field string) (map[enum.Channel]string, error) {
	out := map[enum.Channel]string{}
	for _, k := range slices.Sorted(maps.Keys(t)) {
		ch := core.ChannelOfKey(k)
		if core.ChannelKey(ch) != k || !ch.Vendor() {
			return nil, core.Invalid(field+k, "is not a vendor channel's key")
		}
		if v := t[k]; v != nil {
			out[ch] = *v
		}
	}
	return out, nil
}

// RegisterRequest is the body of POST /device/v1/register.
type RegisterRequest struct {
	AppKey         string        `json:"appKey"`
	InstallationID string        `json:"installationID"`
	Platform       enum.Platform `json:"platform"`
	AppVersion     string        `json:"appVersion,omitempty"`
	OSVersion      string        `json:"osVersion,omitempty"`
	Model          string        `json:"model,omitempty"`
	Brand          string        `json:"brand,omitempty"`
	Locale         string        `json:"locale,omitempty"`
	Timezone       string        `json:"timezone,omitempty"`
	Tokens         Tokens        `json:"tokens,omitempty"`
}

// RegisterResponse answers a registration.
type RegisterResponse struct {
	DeviceID nodeid.ID `json:"deviceID"`
	// DeviceToken is the device's bearer credential; each registration
	// makes a new one and the previous stops working.
	DeviceToken      string `json:"deviceToken"`
	HeartbeatSeconds int    `json:"heartbeatSeconds"`
}

func (a *API) register(w http.ResponseWriter, r *http.Request) {
	th := a.throttle()
	if !th.registerByAddress(w, r) {
		return
	}
	var req RegisterRequest
	if !decode(w, r, &req) || !th.registerByApp(w, r, req.AppKey) {
		return
	}
	tokens, err := req.Tokens.byChannel("tokens.")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d, token, err := a.svc.Devices().RegisterDevice(r.Context(), devices.Registration{
		AppKey: req.AppKey, InstallationID: req.InstallationID, Platform: req.Platform,
		AppVersion: req.AppVersion, OSVersion: req.OSVersion, Model: req.Model, Brand: req.Brand,
		Locale: req.Locale, Timezone: req.Timezone, Tokens: tokens,
		DeviceToken: bearer(r), // the proof an installation that registered before must give
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, RegisterResponse{DeviceID: d.ID, DeviceToken: token, HeartbeatSeconds: int(a.heartbeat.Seconds())})
}

// throttle is the hub's: registrations count toward the same Redis
// throttles as the node's connections (none without a hub).
func (a *API) throttle() *throttle {
	if a.hub == nil {
		return nil
	}
	return a.hub.throttle
}

// BindRequest is the body of POST /device/v1/bind.
type BindRequest struct {
	UserID    string `json:"userID"`
	BindToken string `json:"bindToken"`
}

func (a *API) bind(w http.ResponseWriter, r *http.Request, d *ent.Device) {
	var req BindRequest
	if !decode(w, r, &req) {
		return
	}
	if _, err := a.svc.Devices().BindWithToken(r.Context(), d, req.UserID, req.BindToken); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deviceID": d.ID, "userID": req.UserID})
}

func (a *API) unbind(w http.ResponseWriter, r *http.Request, d *ent.Device) {
	if !decode(w, r, &struct{}{}) {
		return
	}
	if _, err := a.svc.Devices().UnbindDevice(r.Context(), d); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deviceID": d.ID})
}

func (a *API) tokens(w http.ResponseWriter, r *http.Request, d *ent.Device) {
	var req Tokens
	if !decode(w, r, &req) {
		return
	}
	tokens, err := req.byChannel("")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.svc.Devices().SetDeviceTokens(r.Context(), d, tokens); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deviceID": d.ID})
}

// EventsRequest is the body of POST /device/v1/events.
type EventsRequest struct {
	Events []Event `json:"events"`
}

// Event is one device report about a message.
type Event struct {
	MessageID nodeid.ID `json:"messageID"`
	Type      string    `json:"type"`
	At        time.Time `json:"at,omitzero"`
}

func (a *API) events(w http.ResponseWriter, r *http.Request, d *ent.Device) {
	var req EventsRequest
	if !decode(w, r, &req) {
		return
	}
	evs := make([]push.DeviceEvent, len(req.Events))
	for i, e := range req.Events {
		evs[i] = push.DeviceEvent{MessageID: e.MessageID, Type: push.DeviceEventType(e.Type), At: e.At}
	}
	n, err := a.svc.RecordDeviceEvents(r.Context(), d, evs)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"accepted": n})
}

// authed authenticates the device by its bearer token.
func (a *API) authed(h func(http.ResponseWriter, *http.Request, *ent.Device)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := a.svc.Devices().AuthenticateDevice(r.Context(), bearer(r))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		h(w, r, d)
	}
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// decode reads a strict JSON body (decodeBody): a body over
// MaxRequestBytes is a 413, anything decodeBody refuses a 400 naming the
// problem.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRequestBytes+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, core.Invalid("", "could not read the body"))
		return false
	}
	if len(body) > MaxRequestBytes {
		writeError(w, http.StatusRequestEntityTooLarge, core.Invalid("", "body exceeds %d bytes", MaxRequestBytes))
		return false
	}
	if e := decodeBody(body, v); e != nil {
		writeError(w, http.StatusBadRequest, e)
		return false
	}
	return true
}

// decodeBody decodes body into v strictly: unknown fields, keys that
// match a field only case-insensitively, a key repeated in an object,
// trailing data and wrong types are refused. An empty body reads as {}.
func decodeBody(body []byte, v any) *core.Error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if trailing(body, dec) {
		return core.Invalid("", "trailing data after the JSON object")
	}
	return checkKeys(body, reflect.TypeOf(v))
}

func decodeError(err error) *core.Error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return core.Invalid(typeErr.Field, "must be %s", typeErr.Type)
	case errors.As(err, &syntaxErr):
		return core.Invalid("", "malformed JSON at byte %d", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return core.Invalid(field, "unknown field")
	}
	if e, ok := core.AsError(err); ok {
		return e
	}
	return core.Invalid("", "malformed JSON: %v", err)
}

// fail answers a domain error with its code; anything else is INTERNAL
// and its detail goes only to the log.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := core.AsError(err)
	if !ok {
		a.log.ErrorContext(r.Context(), "device api: internal error", "path", r.URL.Path, "err", err)
		e = &core.Error{Code: core.CodeInternal, Message: "internal error"}
	}
	writeError(w, statusOf(e.Code), e)
}

func statusOf(c core.Code) int {
	switch c {
	case core.CodeUnauthenticated:
		return http.StatusUnauthorized
	case core.CodeForbidden:
		return http.StatusForbidden
	case core.CodeNotFound:
		return http.StatusNotFound
	case core.CodeInvalidArgument:
		return http.StatusBadRequest
	case core.CodeConflict:
		return http.StatusConflict
	case core.CodeRateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// ErrorBody is every device API error.
type ErrorBody struct {
	Error struct {
		Code    core.Code `json:"code"`
		Message string    `json:"message"`
		Field   string    `json:"field,omitempty"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, status int, e *core.Error) {
	var b ErrorBody
	b.Error.Code, b.Error.Message, b.Error.Field = e.Code, e.Message, e.Field
	writeJSON(w, status, b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
