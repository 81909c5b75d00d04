package huawei

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

const (
	receiptUser = "pushd-receipts"
	receiptKey  = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=" // Base64 of 32 bytes
)

var receiptNow = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// signed returns the callback header for a receipt signed at t with key
// bytes k.
func signed(t time.Time, nonce string, k []byte, user string) http.Header {
	ts := strconv.FormatInt(t.UnixMilli(), 10)
	m := hmac.New(sha256.New, k)
	m.Write([]byte(ts + nonce + user))
	v := base64.StdEncoding.EncodeToString(m.Sum(nil))
	h := http.Header{}
	h.Set(CallbackHeader, "timestamp="+ts+";nonce="+nonce+";value="+v)
	return h
}

func decodedKey(t *testing.T) []byte {
	k, err := base64.StdEncoding.DecodeString(receiptKey)
	require.NoError(t, err)
	return k
}

const receiptJSON = `{"statuses":[
	{"biTag":"job_1","appid":"10086","token":"t0","status":0,"timestamp":1741064767000,"requestId":"r1"},
	{"biTag":"job_1","appid":"10086","token":"t2","status":2,"timestamp":1741064767001,"requestId":"r1"},
	{"biTag":"job_1","appid":"10086","token":"t5","status":"5","timestamp":1741064767002,"requestId":"r1"},
	{"biTag":"job_1","appid":"10086","token":"t6","status":6,"timestamp":1741064767003,"requestId":"r1"},
	{"biTag":"job_1","appid":"10086","token":"t10","status":10,"timestamp":1741064767004,"requestId":"r1"},
	{"biTag":"job_1","appid":"10086","token":"t201","status":201,"timestamp":1741064767005,"requestId":"r1"},
	{"biTag":"job_2","appid":"10086","token":"t999","status":999,"requestId":"r2"}
]}`

func TestParseReceipts(t *testing.T) {
	t.Parallel()
	h := signed(receiptNow.Add(-time.Minute), "b1f3c1de-8c4c-4c1e-9d1a-0d1d1d1d1d1d", decodedKey(t), receiptUser)
	rs, err := ParseReceipts(h, []byte(receiptJSON), receiptUser, receiptKey, receiptNow)
	require.NoError(t, err)
	require.Len(t, rs, 7)
	at := time.UnixMilli(1741064767000)
	require.Equal(t, core.VendorReceipt{JobID: "job_1", Token: "t0", Event: core.ReceiptArrived, At: at}, rs[0])
	want := []struct {
		event  core.ReceiptEvent
		reason string
	}{
		{core.ReceiptArrived, ""},
		{core.ReceiptTokenDead, "Huawei receipt 2: app not installed"},
		{core.ReceiptTokenDead, "Huawei receipt 5: token not valid on the device"},
		{core.ReceiptFailed, "Huawei receipt 6: notifications are off"},
		{core.ReceiptTokenDead, "Huawei receipt 10: device inactive for 30 days"},
		{core.ReceiptTokenDead, "Huawei receipt 201: held under send control"},
		{core.ReceiptFailed, "Huawei receipt 999: not delivered"},
	}
	for i, w := range want {
		require.Equal(t, w.event, rs[i].Event, rs[i].Token)
		require.Equal(t, w.reason, rs[i].Reason, rs[i].Token)
	}
	require.Equal(t, receiptNow, rs[6].At, "no timestamp: now")
	require.Equal(t, "job_2", string(rs[6].JobID))
}

func TestParseReceiptsSignature(t *testing.T) {
	t.Parallel()
	body := []byte(`{"statuses":[{"biTag":"job_1","token":"t0","status":0,"timestamp":1741064767000}]}`)
	nonce := "0f8fad5b-d9cb-469f-a165-70867728950e"
	good := signed(receiptNow, nonce, decodedKey(t), receiptUser)
	for _, tc := range []struct {
		name      string
		h         http.Header
		user, key string
		ok        bool
	}{
		{"Base64-decoded key", good, receiptUser, receiptKey, true},
		{"UTF-8 key", signed(receiptNow, nonce, []byte("plain key, not base64"), receiptUser), receiptUser, "plain key, not base64", true},
		{"Base64 key used as text", signed(receiptNow, nonce, []byte(receiptKey), receiptUser), receiptUser, receiptKey, true},
		{"in the past, within skew", signed(receiptNow.Add(-9*time.Minute), nonce, decodedKey(t), receiptUser), receiptUser, receiptKey, true},
		{"in the future, within skew", signed(receiptNow.Add(9*time.Minute), nonce, decodedKey(t), receiptUser), receiptUser, receiptKey, true},
		{"spaces around parts", http.Header{CallbackHeader: {strings.ReplaceAll(good.Get(CallbackHeader), ";", "; ")}}, receiptUser, receiptKey, true},
		{"not configured: not checked", nil, "", "", true},
		{"wrong key", good, receiptUser, "c2VjcmV0", false},
		{"wrong user", good, "someone", receiptKey, false},
		{"stale", signed(receiptNow.Add(-11*time.Minute), nonce, decodedKey(t), receiptUser), receiptUser, receiptKey, false},
		{"from the future", signed(receiptNow.Add(11*time.Minute), nonce, decodedKey(t), receiptUser), receiptUser, receiptKey, false},
		{"no header", nil, receiptUser, receiptKey, false},
		{"tampered nonce", http.Header{CallbackHeader: {strings.Replace(good.Get(CallbackHeader), nonce, "x"+nonce[1:], 1)}}, receiptUser, receiptKey, false},
		{"no value", http.Header{CallbackHeader: {"timestamp=1;nonce=2"}}, receiptUser, receiptKey, false},
		{"value not Base64", http.Header{CallbackHeader: {fmt.Sprintf("timestamp=%d;nonce=n;value=***", receiptNow.UnixMilli())}}, receiptUser, receiptKey, false},
		{"timestamp not a number", http.Header{CallbackHeader: {"timestamp=soon;nonce=n;value=AA=="}}, receiptUser, receiptKey, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rs, err := ParseReceipts(tc.h, body, tc.user, tc.key, receiptNow)
			if tc.ok {
				require.NoError(t, err)
				require.Len(t, rs, 1)
				return
			}
			require.Error(t, err)
			pe, ok := core.AsError(err)
			require.True(t, ok)
			require.Equal(t, core.CodeUnauthenticated, pe.Code)
		})
	}
}

func TestParseReceiptsSecondsTimestamp(t *testing.T) {
	t.Parallel()
	ts := strconv.FormatInt(receiptNow.Unix(), 10)
	m := hmac.New(sha256.New, decodedKey(t))
	m.Write([]byte(ts + "n" + receiptUser))
	h := http.Header{CallbackHeader: {"timestamp=" + ts + ";nonce=n;value=" + base64.StdEncoding.EncodeToString(m.Sum(nil))}}
	_, err := ParseReceipts(h, []byte(`{"statuses":[{"token":"t","status":0}]}`), receiptUser, receiptKey, receiptNow)
	require.NoError(t, err)
}

func TestParseReceiptsBody(t *testing.T) {
	t.Parallel()
	many := `{"statuses":[` + strings.Repeat(`{"token":"t","status":0},`, MaxReceipts) + `{"token":"t","status":0}]}`
	for _, tc := range []struct{ name, body string }{
		{"not JSON", `statuses`},
		{"no statuses", `{}`},
		{"empty statuses", `{"statuses":[]}`},
		{"too many", many},
		{"no status", `{"statuses":[{"token":"t"}]}`},
		{"status not a number", `{"statuses":[{"token":"t","status":"ok"}]}`},
		{"no token", `{"statuses":[{"status":0}]}`},
	} {
		_, err := ParseReceipts(nil, []byte(tc.body), "", "", receiptNow)
		require.Error(t, err, tc.name)
		pe, ok := core.AsError(err)
		require.True(t, ok, tc.name)
		require.Equal(t, core.CodeInvalidArgument, pe.Code, tc.name)
	}
}

func TestReceiptResponse(t *testing.T) {
	t.Parallel()
	require.JSONEq(t, `{"code":"0","message":"success","errno":0,"errmsg":"success"}`, string(ReceiptResponse()))
}

func FuzzParseReceipts(f *testing.F) {
	now := receiptNow
	k, _ := base64.StdEncoding.DecodeString(receiptKey)
	good := signed(now, "nonce", k, receiptUser).Get(CallbackHeader)
	f.Add(good, receiptJSON)
	f.Add(good, `{"statuses":[{"token":"t","status":0}]}`)
	f.Add("", `{"statuses":[{"token":"t","status":1e400}]}`)
	f.Add("timestamp=;nonce=;value=", `{"statuses":null}`)
	f.Add("timestamp=99999999999999999999;nonce=a;value=b", `{"statuses":[{"token":"t","status":-1,"timestamp":-5}]}`)
	f.Add(good, `{"statuses":[{"token":"t","status":"7","timestamp":"1"}]}`)
	f.Fuzz(func(t *testing.T, header, body string) {
		h := http.Header{CallbackHeader: {header}}
		for _, creds := range [][2]string{{receiptUser, receiptKey}, {"", ""}} {
			rs, err := ParseReceipts(h, []byte(body), creds[0], creds[1], now)
			if err != nil {
				_, ok := core.AsError(err)
				require.True(t, ok)
				require.Nil(t, rs)
				continue
			}
			require.NotEmpty(t, rs)
			require.LessOrEqual(t, len(rs), MaxReceipts)
			for _, r := range rs {
				require.NotEmpty(t, r.Token)
				require.GreaterOrEqual(t, r.Event, core.ReceiptArrived)
				require.LessOrEqual(t, r.Event, core.ReceiptFailed)
				require.False(t, r.At.IsZero())
			}
		}
	})
}

// TestParseReceiptsV2: the V2 form (HarmonyOS 5's v3 API) carries the
// result in deliveryStatus; a service widget's formStatus is skipped.
func TestParseReceiptsV2(t *testing.T) {
	t.Parallel()
	body := `{"statuses":[
		{"token":"t0","pushType":0,"biTag":"job_1","requestId":"r1","appPackageName":"com.example","deliveryStatus":{"result":0,"timestamp":1741064767000}},
		{"token":"t5","pushType":0,"biTag":"job_1","requestId":"r1","deliveryStatus":{"result":5,"timestamp":1741064767001}},
		{"token":"t256","pushType":0,"biTag":"job_1","requestId":"r1","deliveryStatus":{"result":256,"timestamp":1741064767002}},
		{"token":"tw","pushType":1,"requestId":"r1","formStatus":{"formId":"7","result":0,"timestamp":1741064767003}}
	]}`
	h := signed(receiptNow, "n-v2", decodedKey(t), receiptUser)
	rs, err := ParseReceipts(h, []byte(body), receiptUser, receiptKey, receiptNow)
	require.NoError(t, err)
	require.Len(t, rs, 3)
	require.Equal(t, core.VendorReceipt{JobID: "job_1", Token: "t0", Event: core.ReceiptArrived, At: time.UnixMilli(1741064767000)}, rs[0])
	require.Equal(t, core.ReceiptTokenDead, rs[1].Event)
	require.Equal(t, core.ReceiptFailed, rs[2].Event)
	require.Equal(t, "Huawei receipt 256: scenario frequency limit", rs[2].Reason)
}
