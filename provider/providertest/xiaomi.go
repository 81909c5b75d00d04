package providertest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf16"
)

// XiaomiOptions configure a fake MiPush server.
type XiaomiOptions struct {
	// AppSecret is the secret requests must carry; empty generates one.
	AppSecret string
	// PackageName is the app's package; empty means "com.example.pushd".
	PackageName string
	// ChannelIDs, when set, are the only extra.channel_id values accepted
	// (others are refused with 27001, channel information mismatch).
	ChannelIDs []string
	// ReceiptClient posts receipts to extra.callback; nil means a client
	// with a 10-second timeout.
	ReceiptClient *http.Client
}

// XiaomiRegState is what the fake does with one regid.
type XiaomiRegState int

// Regid states.
const (
	// XiaomiRegOK: delivered (the default); a type-1 receipt follows.
	XiaomiRegOK XiaomiRegState = iota
	// XiaomiRegDead: reported in data.bad_regids; a type-16 receipt
	// follows when the callback type asks for it.
	XiaomiRegDead
	// XiaomiRegDisabled: accepted, but the app disabled push on the
	// device; a type-32 receipt follows when the callback type asks for it.
	XiaomiRegDisabled
)

// XiaomiFault is one answer the fake gives instead of handling a request.
type XiaomiFault struct {
	// Status is the HTTP status (0: 200, as Xiaomi answers its errors).
	Status int
	// Code is Xiaomi's code. Zero with a Status of 500 or more answers a
	// plain-text gateway error instead of Xiaomi's JSON.
	Code int
	// Reason is the English reason; empty uses the code's usual words.
	Reason string
	// RetryAfter, when set, is sent as a Retry-After header.
	RetryAfter time.Duration
}

// XiaomiSend is one request the fake received.
type XiaomiSend struct {
	Path   string
	RegIDs []string
	Form   url.Values
	// Status and Code are the HTTP status and Xiaomi code the fake
	// answered (200 and 0: accepted), MessageID the data.id of an accepted
	// message and BadRegIDs the regids it reported dead.
	Status    int
	Code      int
	MessageID string
	BadRegIDs []string
	At        time.Time
}

// XiaomiReceiptPost is one receipt callback the fake posted.
type XiaomiReceiptPost struct {
	URL string
	// Data is the posted form field "data".
	Data string
	// Status is the callback's HTTP status, Err the error of a post that
	// got no answer.
	Status int
	Err    string
	At     time.Time
}

// XiaomiFake is a fake MiPush send API (/v3/message/regid and
// /v2/message/regid) over TLS, with receipts posted to extra.callback.
type XiaomiFake struct {
	Chaos
	// URL is the fake's base URL (https://127.0.0.1:port).
	URL string
	// Sends records every request that reached the send API.
	Sends Log[XiaomiSend]
	// Receipts records every receipt callback posted.
	Receipts Log[XiaomiReceiptPost]

	srv      *httptest.Server
	secret   string
	pkg      string
	channels []string
	receipt  *poster

	mu     sync.Mutex
	regs   map[string]XiaomiRegState
	faults faultQueue[XiaomiFault]

	seq      atomic.Uint64
	closeOne sync.Once
}

// xiaomiReceiptWorkers post receipts; xiaomiReceiptQueue bounds the posts
// waiting (more are dropped, never blocking an answer).
const (
	xiaomiReceiptWorkers = 4
	xiaomiReceiptQueue   = 4096
	xiaomiMaxRegIDs      = 1000
	xiaomiMaxPayload     = 4096
	xiaomiMaxParam       = 64
	xiaomiMaxCallbackURL = 512
	xiaomiMaxExtraPairs  = 10
	xiaomiMaxExtraValue  = 1024
)

// xiaomiKnownExtras are the documented extra.* keys; the others are the
// app's own key/values, limited in number and length.
var xiaomiKnownExtras = map[string]bool{
	"extra.sound_uri": true, "extra.ticker": true, "extra.notify_foreground": true, "extra.notify_effect": true,
	"extra.intent_uri": true, "extra.web_uri": true, "extra.channel_id": true, "extra.flow_control": true,
	"extra.layout_name": true, "extra.layout_value": true, "extra.jobkey": true, "extra.callback": true,
	"extra.callback.param": true, "extra.callback.type": true, "extra.locale": true, "extra.locale_not_in": true,
	"extra.model": true, "extra.model_not_in": true, "extra.app_version": true, "extra.app_version_not_in": true,
	"extra.connpt": true, "extra.only_send_once": true, "extra.notification_style_type": true,
	"extra.notification_large_icon_uri": true, "extra.notification_bigPic_uri": true,
}

var xiaomiJobKey = regexp.MustCompile(`^[0-9a-zA-Z-][0-9a-zA-Z_-]{0,19}$`)

// xiaomiWords are the usual reason and description of Xiaomi's codes.
var xiaomiWords = map[int][2]string{
	-1:     {"Unknown error", "未知错误"},
	1:      {"Internal error", "内部错误"},
	10001:  {"System error", "系统错误"},
	10002:  {"Service busy", "服务暂停"},
	10003:  {"Remote service error", "远程服务错误"},
	10008:  {"Parameter error", "参数错误"},
	10012:  {"Illegal request", "非法请求"},
	10016:  {"Required parameter missing", "缺失必选参数"},
	10017:  {"Illegal parameter value", "参数值非法"},
	10027:  {"API called too frequently", "应用对API的访问频率超限"},
	10029:  {"Illegal device", "此应用不能操作该设备"},
	10031:  {"App blacklisted", "应用被加入黑名单，不能发送消息"},
	10036:  {"App operation forbidden", "禁止应用进行该操作"},
	10037:  {"Request expired", "请求已过期"},
	20301:  {"Sending message failed", "发送消息失败"},
	21301:  {"Invalid application secret.", "认证失败"},
	21302:  {"Token authentication failed", "认证失败"},
	21303:  {"Restricted request", "受限的请求"},
	21305:  {"Must input one of: regid/topic/alias/userAccount/miid/geoId/groupId/region", "缺少必要的参数"},
	22000:  {"Illegal application", "非法应用"},
	22006:  {"Illegal app id", "非法的appId"},
	22007:  {"Illegal app key", "非法的appKey"},
	22022:  {"Invalid package name", "非法的包名"},
	22102:  {"Sending app notification failed", "发送应用通知失败"},
	26003:  {"Internal push call failed", "推送内部调用失败"},
	26004:  {"Broadcasts sent too frequently", "广播发送过于频繁"},
	26006:  {"Sending requires review", "发送需要审核"},
	27001:  {"Channel information mismatch", "通道信息不匹配"},
	65009:  {"Message content too long", "消息内容过长"},
	65011:  {"Parameter not provided", "参数未提供"},
	65014:  {"Too many key/value pairs", "键值对数量过多"},
	65015:  {"Key/value total length too long", "键值对总长度过长"},
	65029:  {"Remote service exception", "远程服务异常"},
	65036:  {"Callback parameter too long", "回执参数过长"},
	65037:  {"Callback URL too long", "回执地址过长"},
	65038:  {"Illegal callback URL", "非法的回执地址"},
	200001: {"exceed quota, quota: 10000, have acked: 10000", "超出每日推送额度"},
}

// StartXiaomi starts a fake MiPush server.
func StartXiaomi(o XiaomiOptions) (*XiaomiFake, error) {
	if o.AppSecret == "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("xiaomi fake: app secret: %w", err)
		}
		o.AppSecret = base64.StdEncoding.EncodeToString(b)
	}
	if o.PackageName == "" {
		o.PackageName = "com.example.pushd"
	}
	f := &XiaomiFake{
		secret: o.AppSecret, pkg: o.PackageName, channels: slices.Clone(o.ChannelIDs),
		regs: map[string]XiaomiRegState{},
	}
	f.receipt = startPoster(o.ReceiptClient, xiaomiReceiptWorkers, xiaomiReceiptQueue, func(p receiptPost) {
		data, _ := url.ParseQuery(p.Body)
		f.Receipts.Add(XiaomiReceiptPost{URL: p.URL, Data: data.Get("data"), Status: p.Status, Err: p.Err, At: p.At})
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/v3/message/regid", f.serveRegID)
	mux.HandleFunc("/v2/message/regid", f.serveRegID)
	f.srv = httptest.NewUnstartedServer(f.Wrap(mux))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // resets and closes are the point
	f.srv.StartTLS()
	f.URL = f.srv.URL
	return f, nil
}

// Close stops the server and the receipt posts still queued.
func (f *XiaomiFake) Close() {
	f.closeOne.Do(func() {
		f.srv.Close()
		f.receipt.close()
	})
}

// CAPEM returns the PEM certificate a client must trust to reach the fake.
func (f *XiaomiFake) CAPEM() []byte { return CAPEM(f.srv) }

// Client returns an HTTP client that trusts the fake.
func (f *XiaomiFake) Client() *http.Client { return f.srv.Client() }

// Credentials are what pushd must be configured with to send to the fake.
func (f *XiaomiFake) Credentials() XiaomiCredentials {
	return XiaomiCredentials{AppSecret: f.secret, PackageName: f.pkg}
}

// SetXiaomiRegID sets what the fake does with a regid.
func (f *XiaomiFake) SetXiaomiRegID(regid string, s XiaomiRegState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s == XiaomiRegOK {
		delete(f.regs, regid)
		return
	}
	f.regs[regid] = s
}

// FailNext answers the next n requests with fault, whatever they carry
// (after the faults already queued).
func (f *XiaomiFake) FailNext(n int, fault XiaomiFault) {
	f.faults.add(n, fault)
}

// DroppedReceipts is how many receipt posts were dropped because the
// queue was full.
func (f *XiaomiFake) DroppedReceipts() int64 { return f.receipt.dropped.Load() }

// WaitReceipts waits until at least n receipt posts were recorded, and
// returns them.
func (f *XiaomiFake) WaitReceipts(ctx context.Context, n int) ([]XiaomiReceiptPost, error) {
	return f.Receipts.Wait(ctx, n)
}

// xiaomiError is an answer that refuses a request.
type xiaomiError struct {
	code   int
	detail string
}

func (f *XiaomiFake) serveRegID(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Request method '"+r.Method+"' not supported", http.StatusMethodNotAllowed)
		return
	}
	send := XiaomiSend{Path: r.URL.Path, Status: http.StatusOK, At: time.Now()}
	formErr := readXiaomiForm(r, &send)
	if ft, ok := f.faults.next(); ok {
		send.Code = ft.Code
		if ft.Status != 0 {
			send.Status = ft.Status
		}
		f.Sends.Add(send)
		f.writeFault(w, ft)
		return
	}
	if r.Header.Get("Authorization") != "key="+f.secret {
		send.Code = 21301
		f.Sends.Add(send)
		f.writeError(w, xiaomiError{code: 21301})
		return
	}
	e := formErr
	if e == nil {
		e = f.validate(send)
	}
	if e != nil {
		send.Code = e.code
		f.Sends.Add(send)
		f.writeError(w, *e)
		return
	}
	var good, bad, disabled []string
	f.mu.Lock()
	for _, id := range send.RegIDs {
		switch f.regs[id] {
		case XiaomiRegDead:
			bad = append(bad, id)
		case XiaomiRegDisabled:
			disabled = append(disabled, id)
			good = append(good, id)
		default:
			good = append(good, id)
		}
	}
	f.mu.Unlock()
	n := f.seq.Add(1)
	send.MessageID = fmt.Sprintf("scm%016d%08x", n, n*2654435761&0xffffffff)
	send.BadRegIDs = bad
	f.Sends.Add(send)
	data := map[string]any{"id": send.MessageID}
	if len(bad) > 0 {
		data["bad_regids"] = strings.Join(bad, ",")
	}
	f.writeJSON(w, http.StatusOK, map[string]any{
		"result": "ok", "trace_id": fmt.Sprintf("Xdm%016d", n), "code": 0, "data": data,
		"description": "成功", "info": fmt.Sprintf("Received push messages for %d REGID", len(good)),
	})
	f.queueReceipts(send, good, bad, disabled)
}

// readXiaomiForm reads a request's form body and its regids.
func readXiaomiForm(r *http.Request, send *XiaomiSend) *xiaomiError {
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return &xiaomiError{code: 10012, detail: "content type must be application/x-www-form-urlencoded"}
	}
	if err := r.ParseForm(); err != nil {
		return &xiaomiError{code: 10008, detail: "unreadable form: " + err.Error()}
	}
	send.Form = r.PostForm
	for _, id := range strings.Split(send.Form.Get("registration_id"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			send.RegIDs = append(send.RegIDs, id)
		}
	}
	return nil
}

// validate checks a send the way MiPush does.
func (f *XiaomiFake) validate(send XiaomiSend) *xiaomiError {
	if err := f.checkTargets(send); err != nil {
		return err
	}
	for _, check := range []func(url.Values) *xiaomiError{
		xiaomiCheckNotification, xiaomiCheckNumbers, f.checkExtras, xiaomiCheckCustomExtras,
	} {
		if err := check(send.Form); err != nil {
			return err
		}
	}
	return nil
}

func xiaomiBad(code int, format string, args ...any) *xiaomiError {
	return &xiaomiError{code: code, detail: fmt.Sprintf(format, args...)}
}

// checkTargets: one target kind, 1 to xiaomiMaxRegIDs regids, the app's
// package.
func (f *XiaomiFake) checkTargets(send XiaomiSend) *xiaomiError {
	form := send.Form
	var kinds []string
	for _, k := range []string{"registration_id", "alias", "user_account", "topic", "topics", "miid"} {
		if strings.TrimSpace(form.Get(k)) != "" {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) > 1 {
		return xiaomiBad(10017, "only one target kind per request, got %s", strings.Join(kinds, ", "))
	}
	if len(send.RegIDs) == 0 {
		return &xiaomiError{code: 21305}
	}
	if len(send.RegIDs) > xiaomiMaxRegIDs {
		return xiaomiBad(10017, "at most %d regids per request, got %d", xiaomiMaxRegIDs, len(send.RegIDs))
	}
	if !slices.Contains(strings.Split(form.Get("restricted_package_name"), ","), f.pkg) {
		return xiaomiBad(22022, "restricted_package_name %q", form.Get("restricted_package_name"))
	}
	return nil
}

// xiaomiCheckNotification: a notification (not pass-through) needs a
// title and a description within MiPush's lengths.
func xiaomiCheckNotification(form url.Values) *xiaomiError {
	pass := form.Get("pass_through")
	if pass != "" && pass != "0" && pass != "1" {
		return xiaomiBad(10017, "pass_through %q", pass)
	}
	if pass != "1" {
		title, desc := form.Get("title"), form.Get("description")
		switch {
		case strings.TrimSpace(title) == "":
			return xiaomiBad(10016, "title is required for a notification message")
		case strings.TrimSpace(desc) == "":
			return xiaomiBad(10016, "description is required for a notification message")
		case xiaomiLen(title) >= 50:
			return xiaomiBad(10017, "title must be shorter than 50 characters")
		case xiaomiLen(desc) >= 128:
			return xiaomiBad(10017, "description must be shorter than 128 characters")
		}
	}
	return nil
}

func xiaomiCheckNumbers(form url.Values) *xiaomiError {
	if v := form.Get("notify_type"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < -1 || n > 7 {
			return xiaomiBad(10017, "notify_type %q", v)
		}
	}
	if v := form.Get("notify_id"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 0 || n > 1<<31-1 {
			return xiaomiBad(10017, "notify_id %q", v)
		}
	}
	if v := form.Get("time_to_live"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 0 {
			return xiaomiBad(10017, "time_to_live %q", v)
		}
	}
	if v := form.Get("time_to_send"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || time.UnixMilli(n).After(time.Now().Add(7*24*time.Hour)) {
			return xiaomiBad(10017, "time_to_send %q", v)
		}
	}
	if len(form.Get("payload")) > xiaomiMaxPayload {
		return &xiaomiError{code: 65009}
	}
	return nil
}

// checkExtras: the extras MiPush knows (click effect, job key, channel,
// receipt callback).
func (f *XiaomiFake) checkExtras(form url.Values) *xiaomiError {
	switch v := form.Get("extra.notify_effect"); v {
	case "", "1":
	case "2":
		if form.Get("extra.intent_uri") == "" {
			return xiaomiBad(10017, "notify_effect 2 needs extra.intent_uri")
		}
	case "3":
		if u, err := url.Parse(form.Get("extra.web_uri")); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return xiaomiBad(10017, "notify_effect 3 needs an http(s) extra.web_uri")
		}
	default:
		return xiaomiBad(10017, "extra.notify_effect %q", v)
	}
	if v := form.Get("extra.jobkey"); v != "" && !xiaomiJobKey.MatchString(v) {
		return xiaomiBad(10017, "extra.jobkey %q", v)
	}
	if v := form.Get("extra.channel_id"); v != "" && len(f.channels) > 0 && !slices.Contains(f.channels, v) {
		return xiaomiBad(27001, "extra.channel_id %q", v)
	}
	if cb := form.Get("extra.callback"); cb != "" {
		if len(cb) > xiaomiMaxCallbackURL {
			return &xiaomiError{code: 65037}
		}
		if u, err := url.Parse(cb); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &xiaomiError{code: 65038}
		}
	}
	if len(form.Get("extra.callback.param")) > xiaomiMaxParam {
		return &xiaomiError{code: 65036}
	}
	if v := form.Get("extra.callback.type"); v != "" {
		if _, err := strconv.Atoi(v); err != nil {
			return xiaomiBad(10017, "extra.callback.type %q", v)
		}
	}
	return nil
}

// xiaomiCheckCustomExtras: the app's own extra.* pairs, counted and sized.
func xiaomiCheckCustomExtras(form url.Values) *xiaomiError {
	custom := 0
	for k, vs := range form {
		if !strings.HasPrefix(k, "extra.") || xiaomiKnownExtras[k] {
			continue
		}
		custom++
		for _, v := range vs {
			if len(v) > xiaomiMaxExtraValue {
				return &xiaomiError{code: 65015}
			}
		}
	}
	if custom > xiaomiMaxExtraPairs {
		return &xiaomiError{code: 65014}
	}
	return nil
}

// xiaomiLen counts characters as Xiaomi's Java servers do (UTF-16 units).
func xiaomiLen(s string) int {
	n := 0
	for _, r := range s {
		if w := utf16.RuneLen(r); w > 0 {
			n += w
		} else {
			n++
		}
	}
	return n
}

func (f *XiaomiFake) writeFault(w http.ResponseWriter, ft XiaomiFault) {
	if ft.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((ft.RetryAfter+time.Second-1)/time.Second)))
	}
	status := ft.Status
	if status == 0 {
		status = http.StatusOK
	}
	if ft.Code == 0 && status >= 500 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	f.writeErrorStatus(w, status, xiaomiError{code: ft.Code}, ft.Reason)
}

func (f *XiaomiFake) writeError(w http.ResponseWriter, e xiaomiError) {
	f.writeErrorStatus(w, http.StatusOK, e, "")
}

func (f *XiaomiFake) writeErrorStatus(w http.ResponseWriter, status int, e xiaomiError, reason string) {
	words, ok := xiaomiWords[e.code]
	if !ok {
		words = [2]string{"Error", "失败"}
	}
	if reason == "" {
		reason = words[0]
		if e.detail != "" {
			reason += ": " + e.detail
		}
	}
	f.writeJSON(w, status, map[string]any{
		"result": "error", "reason": reason, "trace_id": fmt.Sprintf("Xcm%016d", f.seq.Add(1)),
		"code": e.code, "description": words[1],
	})
}

func (f *XiaomiFake) writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// queueReceipts queues the receipts of an accepted message with a
// callback, without blocking: one post per receipt type.
func (f *XiaomiFake) queueReceipts(send XiaomiSend, good, bad, disabled []string) {
	cb := send.Form.Get("extra.callback")
	if cb == "" {
		return
	}
	typ := 3 // delivered or clicked, the default
	if v, err := strconv.Atoi(send.Form.Get("extra.callback.type")); err == nil {
		typ = v
	}
	delivered := slices.DeleteFunc(slices.Clone(good), func(id string) bool { return slices.Contains(disabled, id) })
	for _, ev := range []struct {
		bit     int
		targets []string
	}{{1, delivered}, {16, bad}, {32, disabled}} {
		if typ&ev.bit == 0 || len(ev.targets) == 0 {
			continue
		}
		entry := map[string]any{
			"type": ev.bit, "targets": strings.Join(ev.targets, ","), "param": send.Form.Get("extra.callback.param"),
			"timestamp": time.Now().UnixMilli(),
		}
		if jk := send.Form.Get("extra.jobkey"); jk != "" {
			entry["jobkey"] = jk
		}
		b, _ := json.Marshal(map[string]any{send.MessageID: entry})
		f.receipt.post(cb, "application/x-www-form-urlencoded", url.Values{"data": {string(b)}}.Encode())
	}
}
