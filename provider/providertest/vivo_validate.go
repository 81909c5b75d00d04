package providertest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// vivo's categories by classification: system (1) and operational (0).
var vivoCategories = map[string]int{
	"IM": 1, "ACCOUNT": 1, "TODO": 1, "DEVICE_REMINDER": 1, "ORDER": 1, "SUBSCRIPTION": 1,
	"CONTENT": 0, "MARKETING": 0, "SOCIAL": 0,
}

// vivoWeight counts as vivo's older rule does: a character outside ASCII
// weighs 2.
func vivoWeight(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= utf8.RuneSelf {
			n++
		}
	}
	return n
}

// vivoValidate checks a message as vivo does and returns the code of the
// first problem, or 0.
func vivoValidate(p *VivoPayload, appID string, requestID bool) int {
	switch {
	case p.AppID.String() != appID:
		return 10094
	case p.Title == "" || vivoWeight(p.Title) > vivoMaxTitleWeight:
		return 10050
	case p.Content == "" || vivoWeight(p.Content) > vivoMaxContentWeight:
		return 10050
	case p.NotifyType < 1 || p.NotifyType > 4:
		return 10050
	case p.SkipType < 1 || p.SkipType > 4:
		return 10050
	case p.SkipType != 1 && (p.SkipContent == "" || len(p.SkipContent) > vivoMaxSkipContent):
		return 10050
	case p.TimeToLive != 0 && p.TimeToLive < 60:
		return 10050
	case p.NetworkType != -1 && p.NetworkType != 1:
		return 10050
	case requestID && (p.RequestID == "" || len(p.RequestID) > vivoMaxRequestID):
		return 10050
	case p.PushMode != 0 && p.PushMode != 1:
		return 10050
	case p.NotifyID < 0:
		return 10050
	}
	if p.Classification != nil && *p.Classification != 0 && *p.Classification != 1 {
		return 10050
	}
	if p.Category != "" {
		class, ok := vivoCategories[p.Category]
		switch {
		case !ok:
			return 10096
		case p.Classification != nil && *p.Classification != class:
			return 10097
		}
	}
	if custom, _ := json.Marshal(p.ClientCustomMap); len(p.ClientCustomMap) > 0 && utf8.RuneCount(custom) > vivoMaxCustom {
		return 10050
	}
	if len(p.Extra["callback"]) > vivoMaxCallback || len(p.Extra["callback.param"]) > vivoMaxCallbackParam {
		return 10050
	}
	return 0
}

// operational reports whether vivo counts p as an operational message:
// classification 0, or absent without a system category.
func (p VivoPayload) operational() bool {
	if p.Category != "" {
		return vivoCategories[p.Category] == 0
	}
	return p.Classification == nil || *p.Classification == 0
}

// deliver takes a validated message for send.RegIDs: a requestId seen
// before answers the first task again and delivers nothing; the app's
// daily limit answers 10070; refused regIds are invalidUser(s); the
// others are delivered, operational messages within the device's daily
// cap.
func (f *VivoFake) deliver(w http.ResponseWriter, send *VivoSend, p VivoPayload, single bool) {
	now := f.o.Clock()
	day := now.In(time.FixedZone("CST", 8*60*60)).Format(time.DateOnly)
	f.mu.Lock()
	task, dup := f.requests[p.RequestID]
	var refused []map[string]any
	code := 0
	switch {
	case dup:
		send.Duplicate = true
	case f.o.DailyLimit > 0 && f.sent[day]+len(send.RegIDs) > f.o.DailyLimit:
		code = 10070
	default:
		task = strconv.FormatUint(1_000_000+f.seq.Add(1), 10)
		f.requests[p.RequestID] = task
		for _, regid := range send.RegIDs {
			if st := f.regs[regid]; st != VivoRegOK {
				refused = append(refused, map[string]any{"userid": regid, "status": int(st)})
				continue
			}
			f.sent[day]++
			key := regid + "/" + day
			if p.operational() {
				if f.daily[key]++; f.daily[key] > f.o.DailyOperationalLimit {
					send.Limited = append(send.Limited, regid)
					continue
				}
			}
			send.Delivered = append(send.Delivered, regid)
		}
	}
	f.mu.Unlock()
	extra := map[string]any{}
	if code == 0 {
		extra["taskId"] = task
	}
	if single && len(refused) > 0 {
		// vivo answers an invalid regId of a single send with 10302.
		code, extra["invalidUser"] = 10302, refused[0]
	} else if len(refused) > 0 {
		extra["invalidUsers"] = refused
	}
	send.Result = code
	f.Sends.Add(*send)
	f.answer(w, http.StatusOK, code, extra)
}
