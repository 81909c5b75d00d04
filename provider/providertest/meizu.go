package providertest

import (
	"crypto/md5" // Meizu's request signature is MD5 by its protocol
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MeizuOptions configure a fake Meizu Push server.
type MeizuOptions struct {
	// AppID and AppSecret are what signatures are checked with; empty
	// generates them.
	AppID, AppSecret string
	// DailyPublicLimit is how many public messages one device gets a day;
	// more are refused for that pushId with 110011 (default 3, Meizu's cap
	// for apps other than news).
	DailyPublicLimit int
	// DailyLimit is how many messages the app may send a day, after which
	// calls answer 110019 (0: no limit).
	DailyLimit int
	// PassThrough lets the app send pass-through messages (Meizu restricts
	// them: 110053 otherwise).
	PassThrough bool
	// ReceiptClient posts receipts (default: a client with a 10 s timeout).
	ReceiptClient *http.Client
	// Clock is the fake's time (default time.Now).
	Clock func() time.Time
}

// MeizuPushIDState is what the fake does with one pushId.
type MeizuPushIDState string

// PushId states: delivered (""), or refused with Meizu's per-target code.
const (
	MeizuPushIDOK            MeizuPushIDState = ""
	MeizuPushIDNotRegistered MeizuPushIDState = "110002"
	MeizuPushIDIllegal       MeizuPushIDState = "110003"
	MeizuPushIDSwitchedOff   MeizuPushIDState = "110010"
)

// MeizuFault is one answer the fake gives instead of handling a request.
type MeizuFault struct {
	// Status is the HTTP status (0: 200); Code the top-level code ("" with
	// a Status of 500 or more answers a gateway's plain-text error).
	Status int
	Code   string
}

// MeizuSend is one call that reached a push API.
type MeizuSend struct {
	Path    string
	PushIDs []string
	// Message is the notification's messageJson (nil for pass-through);
	// PassThrough the pass-through one's.
	Message     *MeizuMessage
	PassThrough *MeizuPassThrough
	// Code is the top-level answer; Refused the per-target codes;
	// Delivered the pushIds the fake delivered.
	Code      string
	Refused   map[string][]string
	Delivered []string
	At        time.Time
}

// MeizuFake is a fake Meizu Push server over TLS: pushByPushId for
// notifications and pass-through messages, with receipts posted to the
// message's extra.callback.
type MeizuFake struct {
	Chaos
	// URL is the fake's base URL (https://127.0.0.1:port).
	URL string
	// Sends records every call that reached a push API, Receipts every
	// receipt post.
	Sends    Log[MeizuSend]
	Receipts Log[ReceiptPost]

	srv *httptest.Server
	o   MeizuOptions

	mu     sync.Mutex
	states map[string]MeizuPushIDState
	faults faultQueue[MeizuFault]
	// daily counts public messages per pushId and Beijing day; sent the
	// app's messages per day; recent each pushId's messages of the last
	// minute.
	daily  map[string]int
	sent   map[string]int
	recent map[string][]time.Time

	posts receiptPoster
}

// The fake's limits (Meizu's documented ones).
const (
	meizuMaxTargets      = 100
	meizuMaxTitle        = 32
	meizuMaxContent      = 100
	meizuMaxValidTime    = 72
	meizuMaxCallback     = 128
	meizuMaxCallbackPara = 64
	meizuMaxPassThrough  = 2000
	meizuPerMinute       = 5
)

// StartMeizu starts a fake Meizu Push server.
func StartMeizu(o MeizuOptions) (*MeizuFake, error) {
	if o.AppID == "" {
		o.AppID = strconv.Itoa(110000 + int(time.Now().UnixNano()%800000))
	}
	fillSecrets(&o.AppSecret)
	if o.DailyPublicLimit <= 0 {
		o.DailyPublicLimit = 3
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	f := &MeizuFake{o: o, states: map[string]MeizuPushIDState{}, daily: map[string]int{}, sent: map[string]int{}, recent: map[string][]time.Time{}}
	f.posts.start(o.ReceiptClient)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /garcia/api/server/push/varnished/pushByPushId", f.serveSend)
	mux.HandleFunc("POST /garcia/api/server/push/unvarnished/pushByPushId", f.serveSend)
	f.srv = httptest.NewUnstartedServer(f.Wrap(mux))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	f.URL = f.srv.URL
	return f, nil
}

// Close stops the server and the receipt posts in flight.
func (f *MeizuFake) Close() {
	f.posts.stop()
	f.srv.Close()
}

// CAPEM returns the PEM of the certificate the fake serves.
func (f *MeizuFake) CAPEM() []byte { return CAPEM(f.srv) }

// Client returns an HTTP client that trusts the fake.
func (f *MeizuFake) Client() *http.Client { return f.srv.Client() }

// Credentials returns what the fake accepts.
func (f *MeizuFake) Credentials() MeizuCredentials {
	return MeizuCredentials{AppID: f.o.AppID, AppSecret: f.o.AppSecret}
}

// SetPushID sets what the fake does with a pushId.
func (f *MeizuFake) SetPushID(id string, s MeizuPushIDState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states[id] = s
}

// FailNext answers the next n calls with fault.
func (f *MeizuFake) FailNext(n int, fault MeizuFault) { f.faults.add(n, fault) }

// meizuSign is the fake's own reading of Meizu's signature.
func meizuSign(form url.Values, secret string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(form)) {
		if k != "sign" {
			b.WriteString(k + "=" + form.Get(k))
		}
	}
	sum := md5.Sum([]byte(b.String() + secret))
	return hex.EncodeToString(sum[:])
}

// answer writes Meizu's envelope and records send.
func (f *MeizuFake) answer(w http.ResponseWriter, send *MeizuSend, status int, code string, value any) {
	send.Code = code
	f.Sends.Add(*send)
	if status >= 500 && code == "" {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "Internal Server Error")
		return
	}
	if value == nil {
		value = ""
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": "", "value": value, "redirect": "", "msgId": hex.EncodeToString([]byte(rand.Text())[:16])})
}

// serveSend is pushByPushId, notification or pass-through.
func (f *MeizuFake) serveSend(w http.ResponseWriter, r *http.Request) {
	send := MeizuSend{Path: r.URL.Path, At: time.Now()}
	if ft, ok := f.faults.next(); ok {
		f.answer(w, &send, cmpStatus(ft.Status), ft.Code, nil)
		return
	}
	if r.ParseForm() != nil {
		f.answer(w, &send, http.StatusOK, "1005", nil)
		return
	}
	form := r.PostForm
	switch {
	case form.Get("appId") != f.o.AppID:
		f.answer(w, &send, http.StatusOK, "110000", nil)
		return
	case form.Get("sign") != meizuSign(form, f.o.AppSecret):
		f.answer(w, &send, http.StatusOK, "1006", nil)
		return
	}
	send.PushIDs = strings.Split(form.Get("pushIds"), ",")
	code := meizuReadMessage(&send, form.Get("messageJson"), strings.Contains(r.URL.Path, "/unvarnished/"))
	if code == "" && send.PassThrough != nil && !f.o.PassThrough {
		code = "110053"
	}
	if code != "" {
		f.answer(w, &send, http.StatusOK, code, nil)
		return
	}
	f.deliver(w, &send)
}

// deliver sends a valid call to its pushIds.
func (f *MeizuFake) deliver(w http.ResponseWriter, send *MeizuSend) {
	now := f.o.Clock()
	day := now.In(time.FixedZone("CST", 8*60*60)).Format(time.DateOnly)
	public := send.Message != nil && send.Message.NoticeBarInfo.NoticeMsgType == 0
	send.Refused = map[string][]string{}
	f.mu.Lock()
	if f.o.DailyLimit > 0 && f.sent[day]+len(send.PushIDs) > f.o.DailyLimit {
		f.mu.Unlock()
		f.answer(w, send, http.StatusOK, "110019", nil)
		return
	}
	for _, id := range send.PushIDs {
		code := string(f.states[id])
		if code == "" {
			code = f.admit(id, day, public, now)
		}
		if code != "" {
			send.Refused[code] = append(send.Refused[code], id)
			continue
		}
		f.sent[day]++
		send.Delivered = append(send.Delivered, id)
	}
	f.mu.Unlock()
	f.answer(w, send, http.StatusOK, "200", send.Refused)
	if m := send.Message; m != nil && m.Extra["callback"] != "" && len(send.Delivered) > 0 {
		f.postReceipt(send, m.Extra["callback"], m.Extra["callback.param"])
	}
}

// admit counts one message to id: "" when it goes, else the per-target
// code (520: more than 5 a minute; 110011: the day's public messages are
// spent). f.mu is held.
func (f *MeizuFake) admit(id, day string, public bool, now time.Time) string {
	recent := slices.DeleteFunc(f.recent[id], func(t time.Time) bool { return now.Sub(t) >= time.Minute })
	if len(recent) >= meizuPerMinute {
		f.recent[id] = recent
		return "520"
	}
	if public {
		if f.daily[id+"/"+day] >= f.o.DailyPublicLimit {
			return "110011"
		}
		f.daily[id+"/"+day]++
	}
	f.recent[id] = append(recent, now)
	return ""
}

// postReceipt posts the delivered receipt of a call, as Meizu does: a form
// with cb (JSON keyed "<msgId>-<type>") and an access_token.
func (f *MeizuFake) postReceipt(send *MeizuSend, callback, param string) {
	cb, _ := json.Marshal(map[string]any{"m" + hex.EncodeToString([]byte(rand.Text())[:8]) + "-1": map[string]any{
		"param": param, "type": 1, "targets": send.Delivered,
	}})
	body := url.Values{"cb": {string(cb)}, "access_token": {rand.Text()}}.Encode()
	f.posts.post([]receiptBatch{{tokens: send.Delivered, body: []byte(body), contentType: "application/x-www-form-urlencoded"}}, callback, &f.Receipts)
}
