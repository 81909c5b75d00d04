package xiaomi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
)

// Receipt types (extra.callback.type bits) Xiaomi reports.
const (
	receiptDelivered = 1
	receiptClicked   = 2
	receiptInvalid   = 16
	receiptDisabled  = 32
	receiptFiltered  = 64
	receiptQuota     = 128
)

// receiptEntry is one message's events in a callback.
type receiptEntry struct {
	Type      flexInt         `json:"type"`
	Targets   json.RawMessage `json:"targets"`
	Param     string          `json:"param"`
	Timestamp flexInt         `json:"timestamp"`
	Extra     struct {
		Ack   json.RawMessage `json:"ack"`
		Quota json.RawMessage `json:"quota"`
	} `json:"extra"`
}

// ParseReceipts reads one receipt callback Xiaomi posted to
// extra.callback: the form field "data" holds a JSON object keyed by
// Xiaomi message ID, each value with the event type (bits: 1 delivered, 2
// clicked, 16 invalid target, 32 push disabled, 64 filtered, 128 quota),
// the comma-separated targets, our callback.param and the time in ms. It
// returns one receipt per event and regid.
//
// verify turns a callback.param back into the job ID it was made for, or
// rejects it: Xiaomi does not sign its callbacks, so the param is what
// proves a receipt is about a message pushd sent. Entries it rejects, and
// entries that cannot be read, are skipped; the error is non-nil only when
// the form is unreadable or no entry could be used.
func ParseReceipts(form url.Values, verify func(param string) (job string, ok bool), now time.Time) ([]core.VendorReceipt, error) {
	data := form.Get("data")
	if strings.TrimSpace(data) == "" {
		return nil, errors.New("xiaomi receipts: no data field")
	}
	var entries map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &entries); err != nil {
		return nil, fmt.Errorf("xiaomi receipts: data is not a JSON object: %w", err)
	}
	ids := make([]string, 0, len(entries))
	for id := range entries {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []core.VendorReceipt
	var used, rejected, unreadable int
	for _, id := range ids {
		var e receiptEntry
		if err := json.Unmarshal(entries[id], &e); err != nil {
			unreadable++
			continue
		}
		job, ok := verify(e.Param)
		if !ok || job == "" {
			rejected++
			continue
		}
		used++
		at := now
		if e.Timestamp > 0 && e.Timestamp < 1<<53 {
			at = time.UnixMilli(int64(e.Timestamp))
		}
		for _, ev := range receiptEvents(int64(e.Type), e) {
			for _, t := range splitList(e.Targets) {
				out = append(out, core.VendorReceipt{JobID: nodeid.ID(job), Token: t, Event: ev.event, Reason: ev.reason, At: at})
			}
		}
	}
	if used == 0 && rejected+unreadable > 0 {
		return nil, fmt.Errorf("xiaomi receipts: none of %d entries could be used (%d with an unverifiable callback.param, %d unreadable)",
			rejected+unreadable, rejected, unreadable)
	}
	return out, nil
}

type receiptEvent struct {
	event  core.ReceiptEvent
	reason string
}

// receiptEvents maps a receipt type (a sum of bits) to events.
func receiptEvents(typ int64, e receiptEntry) []receiptEvent {
	var out []receiptEvent
	if typ&receiptDelivered != 0 {
		out = append(out, receiptEvent{event: core.ReceiptArrived})
	}
	if typ&receiptClicked != 0 {
		out = append(out, receiptEvent{event: core.ReceiptOpened})
	}
	if typ&receiptInvalid != 0 {
		out = append(out, receiptEvent{core.ReceiptTokenDead, "Xiaomi: 16 invalid target (offline over 90 days, unregistered or uninstalled)"})
	}
	if typ&receiptDisabled != 0 {
		out = append(out, receiptEvent{core.ReceiptFailed, "Xiaomi: 32 push disabled on the device"})
	}
	if typ&receiptFiltered != 0 {
		out = append(out, receiptEvent{core.ReceiptFailed, "Xiaomi: 64 filtered out"})
	}
	if typ&receiptQuota != 0 {
		r := "Xiaomi: 128 daily quota exceeded"
		if ack, quota := rawString(e.Extra.Ack), rawString(e.Extra.Quota); ack != "" || quota != "" {
			r += fmt.Sprintf(" (acked %s of quota %s)", ack, quota)
		}
		out = append(out, receiptEvent{core.ReceiptFailed, r})
	}
	return out
}
