package provider

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"
)

// maxReceiptBody bounds a receipt callback's body (the largest vendor
// batch: 1,000 statuses of a few hundred bytes each).
const maxReceiptBody = 2 << 20

// ReceiptService is what the receipt callbacks need of the domain.
type ReceiptService interface {
	OpenChannelConfig(ctx context.Context, id nodeid.ID) (*ent.ChannelConfig, core.Credentials, error)
	RecordVendorReceipts(ctx context.Context, app nodeid.ID, ch enum.Channel, receipts []core.VendorReceipt) (int, error)
}

// Receipts serves the delivery-receipt callbacks of every vendor that
// posts them (a channel.ReceiptParser), at
// POST /vendor/v1/{key}/{config}/receipts (Registry.ReceiptPath).
type Receipts struct {
	Service  ReceiptService
	Registry *Registry
	Logger   *slog.Logger
	// Clock defaults to time.Now.
	Clock func() time.Time
}

// Routes registers the callbacks on mux, each wrapped by wrap (metrics).
func (h *Receipts) Routes(mux *http.ServeMux, wrap func(string, http.Handler) http.Handler) {
	for _, v := range h.Registry.Vendors() {
		p, ok := v.(channel.ReceiptParser)
		if !ok {
			continue
		}
		prefix := receiptPrefix(v.Channel())
		mux.Handle("POST "+prefix+"{config}/receipts", wrap(prefix+"receipts", h.handler(v.Channel(), p)))
	}
}

func (h *Receipts) now() time.Time {
	if h.Clock != nil {
		return h.Clock()
	}
	return time.Now()
}

// open loads the config a callback names; a wrong ID or channel is 404,
// like any unknown path, so IDs cannot be probed.
func (h *Receipts) open(w http.ResponseWriter, r *http.Request, want enum.Channel) (*ent.ChannelConfig, core.Credentials, bool) {
	cfg, creds, err := h.Service.OpenChannelConfig(r.Context(), nodeid.ID(r.PathValue("config")))
	if err == nil && cfg.Channel == want {
		return cfg, creds, true
	}
	if e, ok := core.AsError(err); err != nil && (!ok || e.Code != core.CodeNotFound) {
		h.Logger.ErrorContext(r.Context(), "receipts: cannot open channel config", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return nil, creds, false
	}
	http.NotFound(w, r)
	return nil, creds, false
}

func (h *Receipts) handler(ch enum.Channel, p channel.ReceiptParser) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cfg, creds, ok := h.open(w, r, ch)
		if !ok {
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxReceiptBody))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		receipts, reply, err := p.ParseReceipts(channel.ReceiptCallback{
			Header: r.Header, Body: body, Stored: creds.JSON, Now: h.now(),
			CheckTag: func(tag string) (string, bool) { return h.Registry.CheckReceiptTag(cfg.ID, tag) },
		})
		if err != nil {
			h.reject(w, r, cfg, err)
			return
		}
		h.record(w, r, cfg, ch, receipts, reply)
	}
}

// reject answers a callback that failed verification or parsing.
func (h *Receipts) reject(w http.ResponseWriter, r *http.Request, cfg *ent.ChannelConfig, err error) {
	if errors.Is(err, channel.ErrReceiptsOff) {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	h.Logger.WarnContext(r.Context(), "receipts: rejected a callback", "channel", cfg.Channel, "config", cfg.ID, "err", err)
	status := http.StatusUnauthorized
	if e, ok := core.AsError(err); ok && e.Code == core.CodeInvalidArgument {
		status = http.StatusBadRequest // verified, but not a receipt body
	}
	http.Error(w, "bad receipt", status)
}

func (h *Receipts) record(w http.ResponseWriter, r *http.Request, cfg *ent.ChannelConfig, ch enum.Channel, receipts []core.VendorReceipt, ok []byte) {
	if _, err := h.Service.RecordVendorReceipts(r.Context(), cfg.AppID, ch, receipts); err != nil {
		var e *core.Error
		if errors.As(err, &e) && e.Code == core.CodeInvalidArgument {
			http.Error(w, e.Message, http.StatusBadRequest)
			return
		}
		// 5xx: the vendor sends the receipts again.
		h.Logger.ErrorContext(r.Context(), "receipts: cannot record", "config", cfg.ID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if ok == nil {
		ok = []byte(`{"result":"ok"}`)
	}
	_, _ = w.Write(ok)
}
