package providertest

import (
	"crypto/md5" // vivo's auth signature is MD5 by its protocol
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// VivoOptions configure a fake vivo Push server.
type VivoOptions struct {
	// AppID, AppKey and AppSecret are what auth signatures are checked
	// with; empty generates them.
	AppID, AppKey, AppSecret string
	// TokenLifetime is how long an issued authToken lives (default 24 h).
	TokenLifetime time.Duration
	// DailyOperationalLimit is how many operational messages one device
	// gets a day; more are taken and not shown (default 5).
	DailyOperationalLimit int
	// DailyLimit is how many messages the app may send a day, after which
	// sends answer 10070 (0: no limit).
	DailyLimit int
	// Clock is the fake's time (default time.Now): auth timestamps are
	// checked against it, so a skewed Clock plays a server whose clock is
	// off.
	Clock func() time.Time
}

// VivoRegState is what the fake does with one regId.
type VivoRegState int

// RegId states.
const (
	// VivoRegOK: delivered (the default).
	VivoRegOK VivoRegState = iota
	// VivoRegUnknown: refused as invalidUser status 1.
	VivoRegUnknown
	// VivoRegUninstalled: refused as invalidUser status 2.
	VivoRegUninstalled
)

// VivoFault is one answer the fake gives instead of handling a request.
type VivoFault struct {
	// Status is the HTTP status (0: 200, as vivo answers its errors).
	Status int
	// Result is vivo's code. Zero with a Status of 500 or more answers
	// vivo's plain-text server error.
	Result int
}

// VivoSend is one request that reached a send API.
type VivoSend struct {
	Path string
	// Payload is the message of /message/send and /message/saveListPayload,
	// or the saved one a pushToList sent.
	Payload VivoPayload
	RegIDs  []string
	// Result is the request's answer (0: taken); Delivered the regIds the
	// fake delivered (Limited: taken over the device's daily cap).
	Result    int
	Delivered []string
	Limited   []string
	Duplicate bool
	At        time.Time
}

// VivoPayload is a message as the fake read it.
type VivoPayload struct {
	AppID           json.Number       `json:"appId"`
	RegID           string            `json:"regId"`
	NotifyType      int               `json:"notifyType"`
	Title           string            `json:"title"`
	Content         string            `json:"content"`
	TimeToLive      int               `json:"timeToLive"`
	SkipType        int               `json:"skipType"`
	SkipContent     string            `json:"skipContent"`
	NetworkType     int               `json:"networkType"`
	Classification  *int              `json:"classification"`
	Category        string            `json:"category"`
	ClientCustomMap map[string]string `json:"clientCustomMap"`
	NotifyID        int               `json:"notifyId"`
	RequestID       string            `json:"requestId"`
	PushMode        int               `json:"pushMode"`
	Extra           map[string]string `json:"extra"`
}

// VivoFake is a fake vivo Push server API over TLS: /message/auth,
// /message/send, /message/saveListPayload and /message/pushToList.
type VivoFake struct {
	Chaos
	// URL is the fake's base URL (https://127.0.0.1:port).
	URL string
	// Sends records every request that reached a send API; Auths counts
	// the authTokens issued.
	Sends Log[VivoSend]
	Auths atomic.Int64

	srv *httptest.Server
	o   VivoOptions

	mu       sync.Mutex
	tokens   map[string]time.Time
	regs     map[string]VivoRegState
	faults   faultQueue[VivoFault]
	tasks    map[string]VivoPayload
	requests map[string]string
	// daily counts operational messages per regId and Beijing day; sent
	// the app's messages per Beijing day.
	daily map[string]int
	sent  map[string]int

	seq      atomic.Uint64
	closeOne sync.Once
}

// The fake's limits (vivo's documented ones).
const (
	vivoTimestampWindow  = 10 * time.Minute
	vivoDefaultDailyCap  = 5
	vivoMaxList          = 1000
	vivoMaxTitleWeight   = 40
	vivoMaxContentWeight = 100
	vivoMaxSkipContent   = 2048
	vivoMaxRequestID     = 64
	vivoMaxCustom        = 1024
	vivoMaxCallback      = 128
	vivoMaxCallbackParam = 64
)

// StartVivo starts a fake vivo Push server.
func StartVivo(o VivoOptions) (*VivoFake, error) {
	if o.AppID == "" {
		o.AppID = strconv.Itoa(100000 + int(time.Now().UnixNano()%900000))
	}
	fillSecrets(&o.AppKey, &o.AppSecret)
	if o.TokenLifetime <= 0 {
		o.TokenLifetime = 24 * time.Hour
	}
	if o.DailyOperationalLimit <= 0 {
		o.DailyOperationalLimit = vivoDefaultDailyCap
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	f := &VivoFake{o: o, tokens: map[string]time.Time{}, regs: map[string]VivoRegState{},
		tasks: map[string]VivoPayload{}, requests: map[string]string{}, daily: map[string]int{}, sent: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/message/auth", f.serveAuth)
	mux.HandleFunc("/message/send", f.serveSend)
	mux.HandleFunc("/message/saveListPayload", f.serveSave)
	mux.HandleFunc("/message/pushToList", f.serveList)
	f.srv = httptest.NewUnstartedServer(f.Wrap(mux))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.StartTLS()
	f.URL = f.srv.URL
	return f, nil
}

// Close stops the server.
func (f *VivoFake) Close() { f.closeOne.Do(f.srv.Close) }

// CAPEM returns the PEM of the certificate the fake serves.
func (f *VivoFake) CAPEM() []byte { return CAPEM(f.srv) }

// Client returns an HTTP client that trusts the fake.
func (f *VivoFake) Client() *http.Client { return f.srv.Client() }

// Credentials returns what the fake accepts.
func (f *VivoFake) Credentials() VivoCredentials {
	return VivoCredentials{AppID: f.o.AppID, AppKey: f.o.AppKey, AppSecret: f.o.AppSecret}
}

// SetRegID sets what the fake does with a regId.
func (f *VivoFake) SetRegID(regid string, s VivoRegState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.regs[regid] = s
}

// ExpireTokens makes every issued authToken invalid.
func (f *VivoFake) ExpireTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.tokens)
}

// FailNext answers the next n send requests with fault.
func (f *VivoFake) FailNext(n int, fault VivoFault) {
	f.faults.add(n, fault)
}

// vivoWords are vivo's descriptions of the codes the fake answers.
var vivoWords = map[int]string{
	0: "请求成功", 10000: "权限认证失败", 10050: "参数不合法", 10070: "超过当日推送总量", 10072: "推送频率过快",
	10094: "appId与authToken不匹配", 10096: "category不合法", 10097: "category与classification不匹配",
	10200: "appId不能为空", 10201: "appKey不能为空", 10252: "超过当日批量消息体数量", 10302: "regId不合法",
}

func (f *VivoFake) answer(w http.ResponseWriter, status, result int, extra map[string]any) {
	if status >= 500 && result == 0 {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "Internet server error!")
		return
	}
	body := map[string]any{"result": result, "desc": vivoWords[result]}
	for k, v := range extra {
		body[k] = v
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// serveAuth is POST /message/auth: appId, appKey, timestamp (ms, within
// ten minutes of the fake's clock) and sign = md5hex(appId + appKey +
// timestamp + appSecret).
func (f *VivoFake) serveAuth(w http.ResponseWriter, r *http.Request) {
	var a struct {
		AppID     json.Number `json:"appId"`
		AppKey    string      `json:"appKey"`
		Timestamp json.Number `json:"timestamp"`
		Sign      string      `json:"sign"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&a) != nil {
		f.answer(w, http.StatusOK, 10050, nil)
		return
	}
	now := f.o.Clock()
	ms, tsErr := a.Timestamp.Int64()
	sum := md5.Sum([]byte(a.AppID.String() + a.AppKey + a.Timestamp.String() + f.o.AppSecret))
	switch {
	case a.AppID == "":
		f.answer(w, http.StatusOK, 10200, nil)
	case a.AppKey == "":
		f.answer(w, http.StatusOK, 10201, nil)
	case a.AppID.String() != f.o.AppID || a.AppKey != f.o.AppKey:
		f.answer(w, http.StatusOK, 10000, nil)
	case tsErr != nil || now.Sub(time.UnixMilli(ms)).Abs() > vivoTimestampWindow:
		// vivo publishes no code of its own for the clock window.
		f.answer(w, http.StatusOK, 10000, nil)
	case a.Sign != hex.EncodeToString(sum[:]):
		f.answer(w, http.StatusOK, 10000, nil)
	default:
		tok := fmt.Sprintf("vivo-%x-%d", sum[:8], f.seq.Add(1))
		f.mu.Lock()
		f.tokens[tok] = now.Add(f.o.TokenLifetime)
		f.mu.Unlock()
		f.Auths.Add(1)
		f.answer(w, http.StatusOK, 0, map[string]any{"authToken": tok})
	}
}

// admit checks a send request's method, fault and authToken and reads its
// body into v; it answers and returns false when the request goes no
// further.
func (f *VivoFake) admit(w http.ResponseWriter, r *http.Request, send *VivoSend, v any) bool {
	reply := func(status, result int) bool {
		f.refuseWith(w, send, status, result)
		return false
	}
	if ft, ok := f.faults.next(); ok {
		return reply(cmpStatus(ft.Status), ft.Result)
	}
	if r.Method != http.MethodPost {
		return reply(http.StatusMethodNotAllowed, 10050)
	}
	f.mu.Lock()
	exp, ok := f.tokens[r.Header.Get("authToken")]
	f.mu.Unlock()
	if !ok || !f.o.Clock().Before(exp) {
		return reply(http.StatusOK, 10000)
	}
	if json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v) != nil {
		return reply(http.StatusOK, 10050)
	}
	return true
}

// refuse records send as refused with result and answers it, as vivo
// does, with HTTP 200.
func (f *VivoFake) refuse(w http.ResponseWriter, send *VivoSend, result int) {
	f.refuseWith(w, send, http.StatusOK, result)
}

func (f *VivoFake) refuseWith(w http.ResponseWriter, send *VivoSend, status, result int) {
	send.Result = result
	f.Sends.Add(*send)
	f.answer(w, status, result, nil)
}

func cmpStatus(s int) int {
	if s == 0 {
		return http.StatusOK
	}
	return s
}

// serveSend is /message/send: one message to its regId.
func (f *VivoFake) serveSend(w http.ResponseWriter, r *http.Request) {
	send := VivoSend{Path: r.URL.Path, At: time.Now()}
	var p VivoPayload
	if !f.admit(w, r, &send, &p) {
		return
	}
	send.Payload, send.RegIDs = p, []string{p.RegID}
	code := vivoValidate(&p, f.o.AppID, true)
	if code == 0 && p.RegID == "" {
		code = 10050
	}
	if code != 0 {
		f.refuse(w, &send, code)
		return
	}
	f.deliver(w, &send, p, true)
}

// serveSave is /message/saveListPayload: a list's content, kept as a task.
func (f *VivoFake) serveSave(w http.ResponseWriter, r *http.Request) {
	send := VivoSend{Path: r.URL.Path, At: time.Now()}
	var p VivoPayload
	if !f.admit(w, r, &send, &p) {
		return
	}
	send.Payload = p
	code := vivoValidate(&p, f.o.AppID, true)
	if code == 0 && p.RegID != "" {
		code = 10050
	}
	if code != 0 {
		f.refuse(w, &send, code)
		return
	}
	f.Sends.Add(send)
	f.mu.Lock()
	task, seen := f.requests[p.RequestID]
	if !seen {
		task = strconv.FormatUint(1_000_000+f.seq.Add(1), 10)
		f.tasks[task], f.requests[p.RequestID] = p, task
	}
	f.mu.Unlock()
	f.answer(w, http.StatusOK, 0, map[string]any{"taskId": task})
}

// serveList is /message/pushToList: a saved task to 2 to 1,000 regIds.
func (f *VivoFake) serveList(w http.ResponseWriter, r *http.Request) {
	send := VivoSend{Path: r.URL.Path, At: time.Now()}
	var q struct {
		RegIDs    []string `json:"regIds"`
		TaskID    string   `json:"taskId"`
		RequestID string   `json:"requestId"`
	}
	if !f.admit(w, r, &send, &q) {
		return
	}
	f.mu.Lock()
	p, ok := f.tasks[q.TaskID]
	f.mu.Unlock()
	send.RegIDs, send.Payload = q.RegIDs, p
	code := 0
	switch {
	case !ok, len(q.RegIDs) < 2, len(q.RegIDs) > vivoMaxList:
		code = 10050
	case q.RequestID == "", len(q.RequestID) > vivoMaxRequestID:
		code = 10050
	}
	if code != 0 {
		f.refuse(w, &send, code)
		return
	}
	p.RequestID = q.RequestID
	f.deliver(w, &send, p, false)
}
