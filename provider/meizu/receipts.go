package meizu

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
)

// receiptEntry is one entry of a receipt's cb: the callback.param pushd
// sent, the event (1 delivered, 2 clicked) and the pushIds it is about.
type receiptEntry struct {
	Param   string   `json:"param"`
	Type    int      `json:"type"`
	Targets []string `json:"targets"`
}

// ParseReceipts reads one receipt callback Meizu posted to extra.callback:
// a form whose cb field is a JSON object keyed "<msgId>-<type>", each entry
// naming its callback.param, its type and its pushIds.
//
// verify turns a param back into the job ID it was made for, or rejects
// it. Entries it rejects, and of other types, are skipped; the error is
// non-nil only when the body is not such a form or no entry could be used.
func ParseReceipts(body []byte, verify func(param string) (job string, ok bool), now time.Time) ([]core.VendorReceipt, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("cb") == "" {
		return nil, errors.New("meizu receipts: the body is not a form with cb")
	}
	var entries map[string]receiptEntry
	if err := json.Unmarshal([]byte(form.Get("cb")), &entries); err != nil {
		return nil, fmt.Errorf("meizu receipts: cb is not a JSON object of entries: %w", err)
	}
	var out []core.VendorReceipt
	used := 0
	for _, e := range entries {
		job, ok := verify(e.Param)
		if !ok || job == "" {
			continue
		}
		used++
		var ev core.ReceiptEvent
		switch e.Type {
		case 1:
			ev = core.ReceiptArrived
		case 2:
			ev = core.ReceiptOpened
		default:
			continue
		}
		for _, id := range e.Targets {
			if id != "" {
				out = append(out, core.VendorReceipt{JobID: nodeid.ID(job), Token: id, Event: ev, At: now})
			}
		}
	}
	if used == 0 {
		return nil, fmt.Errorf("meizu receipts: none of %d entries has a param pushd made", len(entries))
	}
	return out, nil
}
