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
	"github.com/pushd/pushd/provider/huawei"
	"github.com/pushd/pushd/provider/xiaomi"
	"github.com/pushd/pushd/push/core"
)

// maxReceiptBody bounds a receipt callback's body (Huawei: up to 1,000
// statuses of a few hundred bytes each).
const maxReceiptBody = 2 << 20

// ReceiptService is what the receipt callbacks need of the domain.
type ReceiptService interface {
	OpenChannelConfig(ctx context.Context, id nodeid.ID) (*ent.ChannelConfig, core.ChannelCredentials, error)
	CheckReceiptTag(configID nodeid.ID, tag string) (string, bool)
	RecordVendorReceipts(ctx context.Context, app nodeid.ID, ch enum.Channel, receipts []core.VendorReceipt) (int, error)
}

// Receipts serves the vendors' delivery-receipt callbacks:
// POST /vendor/v1/huawei/{config}/receipts and
// POST /vendor/v1/xiaomi/{config}/receipts (push.ReceiptPath).
type Receipts struct {
	Service ReceiptService
	Logger  *slog.Logger
	// Clock defaults to time.Now.
	Clock func() time.Time
}

// Routes registers the callbacks on mux, each wrapped by wrap (metrics).
func (h *Receipts) Routes(mux *http.ServeMux, wrap func(string, http.Handler) http.Handler) {
	mux.Handle("POST /vendor/v1/huawei/{config}/receipts", wrap("/vendor/v1/huawei/receipts", http.HandlerFunc(h.huawei)))
	mux.Handle("POST /vendor/v1/xiaomi/{config}/receipts", wrap("/vendor/v1/xiaomi/receipts", http.HandlerFunc(h.xiaomi)))
}

func (h *Receipts) now() time.Time {
	if h.Clock != nil {
		return h.Clock()
	}
	return time.Now()
}

// open loads the config a callback names; a wrong ID or channel is 404,
// like any unknown path, so IDs cannot be probed.
func (h *Receipts) open(w http.ResponseWriter, r *http.Request, want enum.Channel) (*ent.ChannelConfig, core.ChannelCredentials, bool) {
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

func (h *Receipts) huawei(w http.ResponseWriter, r *http.Request) {
	cfg, creds, ok := h.open(w, r, enum.ChannelHuawei)
	if !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxReceiptBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	c := creds.Huawei
	if c == nil || c.ReceiptUserName == "" {
		// Unsigned receipts would let anyone who learns the URL fail
		// deliveries and kill tokens.
		http.Error(w, "receipts need a receipt user name and key in the channel config", http.StatusForbidden)
		return
	}
	receipts, err := huawei.ParseReceipts(r.Header, body, c.ReceiptUserName, c.ReceiptKey, h.now())
	if err != nil {
		h.Logger.WarnContext(r.Context(), "receipts: rejected a Huawei callback", "config", cfg.ID, "err", err)
		status := http.StatusUnauthorized
		if e, ok := core.AsError(err); ok && e.Code == core.CodeInvalidArgument {
			status = http.StatusBadRequest // signed, but not a receipt body
		}
		http.Error(w, "bad receipt", status)
		return
	}
	h.record(w, r, cfg, enum.ChannelHuawei, receipts, huawei.ReceiptResponse())
}

func (h *Receipts) xiaomi(w http.ResponseWriter, r *http.Request) {
	cfg, _, ok := h.open(w, r, enum.ChannelXiaomi)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxReceiptBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	verify := func(param string) (string, bool) { return h.Service.CheckReceiptTag(cfg.ID, param) }
	receipts, err := xiaomi.ParseReceipts(r.PostForm, verify, h.now())
	if err != nil {
		h.Logger.WarnContext(r.Context(), "receipts: rejected a Xiaomi callback", "config", cfg.ID, "err", err)
		http.Error(w, "bad receipt", http.StatusBadRequest)
		return
	}
	h.record(w, r, cfg, enum.ChannelXiaomi, receipts, nil)
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
