package providertest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// OPPOOptions configure a fake OPPO Push server.
type OPPOOptions struct {
	// AppKey and MasterSecret are what auth signatures are checked with;
	// empty generates them.
	AppKey, MasterSecret string
	// TokenLifetime is how long an issued auth_token lives (default 24 h).
	TokenLifetime time.Duration
	// DailyPublicLimit is how many content-and-marketing messages (and
	// messages without a category) one device gets a day; more are
	// accepted and then reported with a user_daily_limit receipt
	// (default 2, OPPO's rule for apps other than news).
	DailyPublicLimit int
	// Clock is the fake's time (default time.Now): auth timestamps are
	// checked against it, so a skewed Clock plays a server whose clock is
	// off.
	Clock func() time.Time
	// ReceiptClient posts receipts to call_back_url; nil means a client
	// with a 10-second timeout.
	ReceiptClient *http.Client
}

// OPPORegState is what the fake does with one registration ID.
type OPPORegState int

// Registration ID states.
const (
	// OPPORegOK: delivered (the default); a push_arrive receipt follows.
	OPPORegOK OPPORegState = iota
	// OPPORegInvalid: answered with errorCode 10000 in the batch result.
	OPPORegInvalid
	// OPPORegGone: accepted, then reported in a regid_invalid receipt.
	OPPORegGone
)

// OPPOFault is one answer the fake gives instead of handling a request.
type OPPOFault struct {
	// Status is the HTTP status (0: 200, as OPPO answers its errors).
	Status int
	// Code is OPPO's code. Zero with a Status of 500 or more answers a
	// plain-text gateway error.
	Code int
}

// OPPOResult is the fake's answer for one message of a batch.
type OPPOResult struct {
	RegID     string
	MessageID string
	ErrorCode int
	// Limited: accepted over the device's daily cap (not shown).
	Limited bool
}

// OPPOSend is one request that reached a send API.
type OPPOSend struct {
	Path     string
	Form     url.Values
	Messages []OPPOMessage
	// Code is the request's answer (0: taken), Results the per-message
	// answers of a taken batch.
	Code    int
	Results []OPPOResult
	At      time.Time
}

// OPPOMessage is one message as the fake read it.
type OPPOMessage struct {
	TargetType   int              `json:"target_type"`
	TargetValue  string           `json:"target_value"`
	Notification OPPONotification `json:"notification"`
}

// OPPONotification is the notification fields the fake checks.
type OPPONotification struct {
	AppMessageID        string `json:"app_message_id"`
	Style               int    `json:"style"`
	Title               string `json:"title"`
	SubTitle            string `json:"sub_title"`
	Content             string `json:"content"`
	ClickActionType     int    `json:"click_action_type"`
	ClickActionActivity string `json:"click_action_activity"`
	ClickActionURL      string `json:"click_action_url"`
	ActionParameters    string `json:"action_parameters"`
	OffLine             *bool  `json:"off_line"`
	OffLineTTL          int    `json:"off_line_ttl"`
	ChannelID           string `json:"channel_id"`
	Category            string `json:"category"`
	NotifyLevel         int    `json:"notify_level"`
	NotifyID            int    `json:"notify_id"`
	CallBackURL         string `json:"call_back_url"`
	CallBackParameter   string `json:"call_back_parameter"`
}

// OPPOReceiptPost is one receipt callback the fake posted.
type OPPOReceiptPost struct {
	URL  string
	Body string
	// Status is the callback's HTTP status, Err the error of a post that
	// got no answer.
	Status int
	Err    string
	At     time.Time
}

// OPPOFake is a fake OPPO Push server API over TLS: /server/v1/auth and
// the unicast and unicast_batch send APIs, with receipts posted to each
// message's call_back_url.
type OPPOFake struct {
	Chaos
	// URL is the fake's base URL (https://127.0.0.1:port).
	URL string
	// Sends records every request that reached a send API; Auths counts
	// the auth_tokens issued.
	Sends    Log[OPPOSend]
	Receipts Log[OPPOReceiptPost]
	Auths    atomic.Int64

	srv     *httptest.Server
	o       OPPOOptions
	receipt *poster

	mu     sync.Mutex
	tokens map[string]time.Time
	regs   map[string]OPPORegState
	faults faultQueue[OPPOFault]
	// daily counts public messages per registration ID and Beijing day.
	daily map[string]int

	seq      atomic.Uint64
	closeOne sync.Once
}

// The fake's limits (OPPO's documented ones).
const (
	oppoMaxBatch         = 1000
	oppoTimestampWindow  = 10 * time.Minute
	oppoReceiptWorkers   = 2
	oppoReceiptQueue     = 4096
	oppoDefaultDailyCap  = 2
	oppoMaxOfflineTTL    = 864000
	oppoMaxCallbackURL   = 200
	oppoMaxCallbackParam = 100
)

// StartOPPO starts a fake OPPO Push server.
func StartOPPO(o OPPOOptions) (*OPPOFake, error) {
	fillSecrets(&o.AppKey, &o.MasterSecret)
	if o.TokenLifetime <= 0 {
		o.TokenLifetime = 24 * time.Hour
	}
	if o.DailyPublicLimit <= 0 {
		o.DailyPublicLimit = oppoDefaultDailyCap
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	f := &OPPOFake{o: o, tokens: map[string]time.Time{}, regs: map[string]OPPORegState{}, daily: map[string]int{}}
	f.receipt = startPoster(o.ReceiptClient, oppoReceiptWorkers, oppoReceiptQueue, func(p receiptPost) {
		f.Receipts.Add(OPPOReceiptPost{URL: p.URL, Body: p.Body, Status: p.Status, Err: p.Err, At: p.At})
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/server/v1/auth", f.serveAuth)
	mux.HandleFunc("/server/v1/message/notification/unicast", f.serveSend)
	mux.HandleFunc("/server/v1/message/notification/unicast_batch", f.serveSend)
	f.srv = httptest.NewUnstartedServer(f.Wrap(mux))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	f.URL = f.srv.URL
	return f, nil
}

// Close stops the server and the receipt posts still queued.
func (f *OPPOFake) Close() {
	f.closeOne.Do(func() {
		f.srv.Close()
		f.receipt.close()
	})
}

// CAPEM returns the PEM certificate a client must trust to reach the fake.
func (f *OPPOFake) CAPEM() []byte { return CAPEM(f.srv) }

// Client returns an HTTP client that trusts the fake.
func (f *OPPOFake) Client() *http.Client { return f.srv.Client() }

// Credentials are what pushd must be configured with to send to the fake.
func (f *OPPOFake) Credentials() OPPOCredentials {
	return OPPOCredentials{AppKey: f.o.AppKey, MasterSecret: f.o.MasterSecret}
}

// SetRegID sets what the fake does with a registration ID.
func (f *OPPOFake) SetRegID(regid string, s OPPORegState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s == OPPORegOK {
		delete(f.regs, regid)
		return
	}
	f.regs[regid] = s
}

// ExpireTokens makes every auth_token issued so far invalid (code 11).
func (f *OPPOFake) ExpireTokens() {
	f.mu.Lock()
	clear(f.tokens)
	f.mu.Unlock()
}

// FailNext answers the next n send requests with fault (after the faults
// already queued).
func (f *OPPOFake) FailNext(n int, fault OPPOFault) {
	f.faults.add(n, fault)
}

// DroppedReceipts is how many receipt posts were dropped because the
// queue was full.
func (f *OPPOFake) DroppedReceipts() int64 { return f.receipt.dropped.Load() }

// oppoWords are OPPO's messages for the codes the fake answers.
var oppoWords = map[int]string{
	-2: "Service Flow Control", -1: "Service Currently Unavailable", 0: "Success",
	11: "Invalid AuthToken", 12: "Http Action Not Allowed", 13: "App Call Limited", 14: "Invalid App Key",
	15: "Missing App Key", 16: "Invalid Signature", 17: "Missing Signature", 18: "Missing Timestamp",
	19: "Invalid Timestamp", 29: "Missing AuthToken", 33: "The Number Of Messages Exceeds The Daily Limit",
	40: "Missing Required Arguments", 41: "Invalid Arguments", 55: "App Call Frequency Limited",
	67: "Invalid Category Or Notify Level", 10000: "Invalid Registration_id",
}

func (f *OPPOFake) answer(w http.ResponseWriter, status, code int, data any) {
	body := map[string]any{"code": code, "message": oppoWords[code]}
	if data != nil {
		body["data"] = data
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// serveAuth is POST /server/v1/auth: app_key, timestamp (ms, within ten
// minutes of the fake's clock) and sign = sha256hex(app_key + timestamp +
// master_secret).
func (f *OPPOFake) serveAuth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		f.answer(w, http.StatusOK, 12, nil)
		return
	}
	if err := r.ParseForm(); err != nil {
		f.answer(w, http.StatusOK, 41, nil)
		return
	}
	key, ts, sign := r.PostForm.Get("app_key"), r.PostForm.Get("timestamp"), r.PostForm.Get("sign")
	now := f.o.Clock()
	ms, tsErr := strconv.ParseInt(ts, 10, 64)
	sum := sha256.Sum256([]byte(key + ts + f.o.MasterSecret))
	switch {
	case key == "":
		f.answer(w, http.StatusOK, 15, nil)
	case key != f.o.AppKey:
		f.answer(w, http.StatusOK, 14, nil)
	case ts == "":
		f.answer(w, http.StatusOK, 18, nil)
	case tsErr != nil || now.Sub(time.UnixMilli(ms)).Abs() > oppoTimestampWindow:
		f.answer(w, http.StatusOK, 19, nil)
	case sign == "":
		f.answer(w, http.StatusOK, 17, nil)
	case sign != hex.EncodeToString(sum[:]):
		f.answer(w, http.StatusOK, 16, nil)
	default:
		tok := fmt.Sprintf("oppo-%x-%d", sum[:8], f.seq.Add(1))
		f.mu.Lock()
		f.tokens[tok] = now.Add(f.o.TokenLifetime)
		f.mu.Unlock()
		f.Auths.Add(1)
		f.answer(w, http.StatusOK, 0, map[string]any{"auth_token": tok, "create_time": now.UnixMilli()})
	}
}

// checkToken returns the code refusing a send's auth_token (the form
// field, or leniently the header), or 0.
func (f *OPPOFake) checkToken(r *http.Request) int {
	tok := r.PostForm.Get("auth_token")
	if tok == "" {
		tok = r.Header.Get("auth_token")
	}
	if tok == "" {
		return 29
	}
	f.mu.Lock()
	exp, ok := f.tokens[tok]
	f.mu.Unlock()
	if !ok || !f.o.Clock().Before(exp) {
		return 11
	}
	return 0
}

// serveSend is unicast (form field message) and unicast_batch (messages).
func (f *OPPOFake) serveSend(w http.ResponseWriter, r *http.Request) {
	send := OPPOSend{Path: r.URL.Path, At: time.Now()}
	reply := func(status, code int, data any) {
		send.Code = code
		f.Sends.Add(send)
		f.answer(w, status, code, data)
	}
	if r.Method != http.MethodPost {
		reply(http.StatusOK, 12, nil)
		return
	}
	if err := r.ParseForm(); err != nil {
		reply(http.StatusOK, 41, nil)
		return
	}
	send.Form = r.PostForm
	if ft, ok := f.faults.next(); ok {
		if ft.Code == 0 && ft.Status >= 500 {
			send.Code = -1
			f.Sends.Add(send)
			http.Error(w, http.StatusText(ft.Status), ft.Status)
			return
		}
		reply(max(ft.Status, http.StatusOK), ft.Code, nil)
		return
	}
	if code := f.checkToken(r); code != 0 {
		reply(http.StatusOK, code, nil)
		return
	}
	batch := strings.HasSuffix(r.URL.Path, "_batch")
	msgs, code := oppoDecode(r.PostForm, batch)
	send.Messages = msgs
	if code != 0 {
		reply(http.StatusOK, code, nil)
		return
	}
	send.Results = f.deliver(msgs)
	var data any = oppoBatchData(send.Results)
	if !batch {
		res := send.Results[0]
		if res.ErrorCode != 0 {
			reply(http.StatusOK, res.ErrorCode, nil)
			return
		}
		data = map[string]any{"messageId": res.MessageID}
	}
	reply(http.StatusOK, 0, data)
	f.queueReceipts(msgs, send.Results)
}

// oppoDecode reads the message(s) of a send and validates them; a code
// other than 0 refuses the whole request.
func oppoDecode(form url.Values, batch bool) ([]OPPOMessage, int) {
	var msgs []OPPOMessage
	if batch {
		raw := form.Get("messages")
		if raw == "" {
			return nil, 40
		}
		if json.Unmarshal([]byte(raw), &msgs) != nil || len(msgs) == 0 || len(msgs) > oppoMaxBatch {
			return nil, 41
		}
	} else {
		raw := form.Get("message")
		if raw == "" {
			return nil, 40
		}
		var m OPPOMessage
		if json.Unmarshal([]byte(raw), &m) != nil {
			return nil, 41
		}
		msgs = []OPPOMessage{m}
	}
	for _, m := range msgs {
		if code := oppoValidate(m); code != 0 {
			return msgs, code
		}
	}
	return msgs, 0
}

// deliver answers each message: its registration ID's state, and the
// device's daily cap for public messages.
func (f *OPPOFake) deliver(msgs []OPPOMessage) []OPPOResult {
	day := f.o.Clock().In(time.FixedZone("CST", 8*3600)).Format("20060102")
	out := make([]OPPOResult, len(msgs))
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, m := range msgs {
		res := OPPOResult{RegID: m.TargetValue}
		if f.regs[m.TargetValue] == OPPORegInvalid {
			res.ErrorCode = 10000
			out[i] = res
			continue
		}
		res.MessageID = fmt.Sprintf("%s-1-1-%016x", f.o.AppKey[:min(8, len(f.o.AppKey))], f.seq.Add(1))
		if oppoPublic(m.Notification.Category) {
			k := day + "/" + m.TargetValue
			f.daily[k]++
			res.Limited = f.daily[k] > f.o.DailyPublicLimit
		}
		out[i] = res
	}
	return out
}

func oppoBatchData(results []OPPOResult) []map[string]any {
	data := make([]map[string]any, len(results))
	for i, r := range results {
		if r.ErrorCode != 0 {
			data[i] = map[string]any{"registrationId": r.RegID, "errorCode": r.ErrorCode, "errorMessage": oppoWords[r.ErrorCode]}
		} else {
			data[i] = map[string]any{"registrationId": r.RegID, "messageId": r.MessageID}
		}
	}
	return data
}

// queueReceipts queues one post per callback URL with the events of the
// accepted messages that asked for receipts, without blocking.
func (f *OPPOFake) queueReceipts(msgs []OPPOMessage, results []OPPOResult) {
	byURL := map[string][]map[string]any{}
	var order []string
	f.mu.Lock()
	for i, m := range msgs {
		n, res := m.Notification, results[i]
		if n.CallBackURL == "" || res.ErrorCode != 0 {
			continue
		}
		ev := "push_arrive"
		switch {
		case f.regs[m.TargetValue] == OPPORegGone:
			ev = "regid_invalid"
		case res.Limited:
			ev = "user_daily_limit"
		}
		if _, ok := byURL[n.CallBackURL]; !ok {
			order = append(order, n.CallBackURL)
		}
		byURL[n.CallBackURL] = append(byURL[n.CallBackURL], map[string]any{
			"messageId": res.MessageID, "appId": "fake", "taskId": res.MessageID, "registrationIds": m.TargetValue,
			"eventTime": strconv.FormatInt(time.Now().UnixMilli(), 10), "param": n.CallBackParameter, "eventType": ev,
		})
	}
	f.mu.Unlock()
	for _, u := range order {
		b, _ := json.Marshal(byURL[u])
		f.receipt.post(u, "application/json", string(b))
	}
}
