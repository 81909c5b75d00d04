package providertest

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// --- delivery receipts the fake posts back, signed as Huawei does ---

// receipts posts the V1 receipts of one send, up to 100 tokens a post,
// without holding up the send's answer.
func (f *HuaweiFake) receipts(tokens []string, biTag, requestID string) {
	f.rmu.Lock()
	if f.closed {
		f.rmu.Unlock()
		return
	}
	f.rwg.Add(1)
	f.rmu.Unlock()
	go func() {
		defer f.rwg.Done()
		for len(tokens) > 0 {
			batch := tokens[:min(len(tokens), 100)]
			tokens = tokens[len(batch):]
			select {
			case f.rsem <- struct{}{}:
			case <-f.rctx.Done():
				return
			}
			f.postReceipt(batch, biTag, requestID)
			<-f.rsem
		}
	}()
}

type huaweiReceiptStatus struct {
	BiTag     string `json:"biTag"`
	AppID     string `json:"appid"`
	Token     string `json:"token"`
	Status    int    `json:"status"`
	Timestamp int64  `json:"timestamp"`
	RequestID string `json:"requestId"`
}

func (f *HuaweiFake) postReceipt(tokens []string, biTag, requestID string) {
	now := time.Now()
	statuses := make([]huaweiReceiptStatus, len(tokens))
	f.mu.RLock()
	for i, t := range tokens {
		statuses[i] = huaweiReceiptStatus{
			BiTag: biTag, AppID: f.o.AppID, Token: t, Status: f.tokens[t].ReceiptStatus,
			Timestamp: now.UnixMilli(), RequestID: requestID,
		}
	}
	url, user, key := f.o.ReceiptURL, f.o.ReceiptUserName, f.o.ReceiptKey
	f.mu.RUnlock()
	body, _ := json.Marshal(map[string]any{"statuses": statuses})
	post := HuaweiReceiptPost{Tokens: tokens, At: now}
	defer func() { f.Receipts.Add(post) }()
	req, err := http.NewRequestWithContext(f.rctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		post.Err = err
		return
	}
	req.Header.Set("Content-Type", "application/json")
	if user != "" || key != "" {
		post.Header = HuaweiSignReceipt(user, key, now)
		req.Header.Set("X-HUAWEI-CALLBACK-ID", post.Header)
	}
	resp, err := f.o.ReceiptClient.Do(req)
	if err != nil {
		post.Err = err
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	post.Status, post.Answer = resp.StatusCode, string(answer)
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
