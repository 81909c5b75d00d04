package providertest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"
)

// --- delivery receipts the fake posts back, signed as Huawei does ---

// receipts posts the V1 receipts of one send, up to 100 tokens a post,
// without holding up the send's answer.
func (f *HuaweiFake) receipts(tokens []string, biTag, requestID string) {
	now := time.Now()
	f.mu.RLock()
	url, user, key := f.o.ReceiptURL, f.o.ReceiptUserName, f.o.ReceiptKey
	var batches []receiptBatch
	for len(tokens) > 0 {
		part := tokens[:min(len(tokens), 100)]
		tokens = tokens[len(part):]
		statuses := make([]huaweiReceiptStatus, len(part))
		for i, t := range part {
			statuses[i] = huaweiReceiptStatus{
				BiTag: biTag, AppID: f.o.AppID, Token: t, Status: f.tokens[t].ReceiptStatus,
				Timestamp: now.UnixMilli(), RequestID: requestID,
			}
		}
		body, _ := json.Marshal(map[string]any{"statuses": statuses})
		b := receiptBatch{tokens: part, body: body, contentType: "application/json"}
		if user != "" || key != "" {
			b.header = func(at time.Time) (string, string) { return "X-HUAWEI-CALLBACK-ID", HuaweiSignReceipt(user, key, at) }
		}
		batches = append(batches, b)
	}
	f.mu.RUnlock()
	f.posts.post(batches, url, &f.Receipts)
}

type huaweiReceiptStatus struct {
	BiTag     string `json:"biTag"`
	AppID     string `json:"appid"`
	Token     string `json:"token"`
	Status    int    `json:"status"`
	Timestamp int64  `json:"timestamp"`
	RequestID string `json:"requestId"`
}

// HuaweiSignReceipt returns the X-HUAWEI-CALLBACK-ID header Huawei sends
// with a receipt signed at t: "timestamp=<ms>;nonce=<n>;value=<b64
// HMAC-SHA256(key, timestamp+nonce+userName)>", the key Base64-decoded
// when it is Base64.
func HuaweiSignReceipt(userName, key string, t time.Time) string {
	ts := strconv.FormatInt(t.UnixMilli(), 10)
	nonce := huaweiUUID()
	k, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(k) == 0 {
		k = []byte(key)
	}
	m := hmac.New(sha256.New, k)
	m.Write([]byte(ts + nonce + userName))
	return "timestamp=" + ts + ";nonce=" + nonce + ";value=" + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// HuaweiReceiptKey returns a new receipt key as AppGallery Connect makes
// one: 32 random bytes, Base64.
func HuaweiReceiptKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}
