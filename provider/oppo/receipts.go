package oppo

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
)

// receiptEntry is one event of a receipt callback.
type receiptEntry struct {
	MessageID       string `json:"messageId"`
	RegistrationIDs string `json:"registrationIds"`
	EventTime       string `json:"eventTime"`
	Param           string `json:"param"`
	EventType       string `json:"eventType"`
}

// ParseReceipts reads one receipt callback OPPO posted to call_back_url:
// a JSON array of events, each with the comma-separated registration IDs
// it is about, the call_back_parameter pushd sent (param), the time in ms
// and the event type: push_arrive (delivered), regid_invalid (uninstalled,
// unregistered or offline for over 30 days) or user_daily_limit (the
// device's daily cap for the message's class was reached).
//
// verify turns a param back into the job ID it was made for, or rejects
// it: OPPO does not sign its callbacks. Events it rejects, and events of
// other types, are skipped; the error is non-nil only when the body is
// not an array or no event could be used.
func ParseReceipts(body []byte, verify func(param string) (job string, ok bool), now time.Time) ([]core.VendorReceipt, error) {
	var entries []json.RawMessage
	if err := json.Unmarshal(body, &entries); err != nil {
		return nil, fmt.Errorf("oppo receipts: the body is not a JSON array: %w", err)
	}
	if len(entries) == 0 {
		return nil, errors.New("oppo receipts: no events")
	}
	var out []core.VendorReceipt
	var used, rejected, unreadable int
	for _, raw := range entries {
		var e receiptEntry
		if json.Unmarshal(raw, &e) != nil {
			unreadable++
			continue
		}
		job, ok := verify(e.Param)
		if !ok || job == "" {
			rejected++
			continue
		}
		used++
		ev, why, known := receiptEvent(e.EventType)
		if !known {
			continue
		}
		at := now
		if ms, err := strconv.ParseInt(e.EventTime, 10, 64); err == nil && ms > 0 && ms < 1<<53 {
			at = time.UnixMilli(ms)
		}
		for _, regid := range strings.Split(e.RegistrationIDs, ",") {
			if regid = strings.TrimSpace(regid); regid != "" {
				out = append(out, core.VendorReceipt{JobID: nodeid.ID(job), Token: regid, Event: ev, Reason: why, At: at})
			}
		}
	}
	if used == 0 {
		return nil, fmt.Errorf("oppo receipts: none of %d events could be used (%d with an unverifiable param, %d unreadable)",
			len(entries), rejected, unreadable)
	}
	return out, nil
}

// receiptEvent maps an OPPO event type to a receipt.
func receiptEvent(typ string) (core.ReceiptEvent, string, bool) {
	switch typ {
	case "push_arrive":
		return core.ReceiptArrived, "", true
	case "regid_invalid":
		return core.ReceiptTokenDead, "OPPO: regid_invalid (uninstalled, unregistered or offline over 30 days)", true
	case "user_daily_limit":
		return core.ReceiptFailed, "OPPO: user_daily_limit (the device's daily cap for this message class was reached)", true
	}
	return 0, "", false
}
