package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
)

// verifyWebhook checks a receipt post the way docs/webhooks.md tells a
// receiver to: pushd-sig-v1 over the method, path, timestamp, nonce and
// the body's SHA-256, HMAC-SHA256 with the webhook's secret.
func verifyWebhook(secret string, r *http.Request, body []byte) bool {
	sum := sha256.Sum256(body)
	sts := strings.Join([]string{"pushd-sig-v1", r.Method, r.URL.RequestURI(),
		r.Header.Get("X-Pushd-Timestamp"), r.Header.Get("X-Pushd-Nonce"), hex.EncodeToString(sum[:])}, "\n")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(sts))
	want := "hmac-sha256=" + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(r.Header.Get("X-Pushd-Signature")))
}

// hookReceiver answers 503 to its first failures posts, then 200.
type hookReceiver struct {
	mu       sync.Mutex
	failures int
	secret   string
	posts    int
	accepted map[string]int // receipt ID -> times accepted
	bad      int            // posts whose signature did not verify
}

func (rc *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.posts++
	if !verifyWebhook(rc.secret, r, body) {
		rc.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if rc.posts <= rc.failures {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var batch struct {
		Receipts []struct{ ID, Status string }
	}
	if json.Unmarshal(body, &batch) != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	for _, rec := range batch.Receipts {
		rc.accepted[rec.ID]++
	}
}

func (rc *hookReceiver) snapshot() (map[string]int, int, int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := map[string]int{}
	for k, v := range rc.accepted {
		out[k] = v
	}
	return out, rc.posts, rc.bad
}

func TestWebhookReceiptsAfterFailuresExactlyOnceAndSigned(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["PUSHD_WEBHOOK_ALLOW_PRIVATE"] = "true"
	in := startInstance(t, env)
	b := newBackend(t, in)
	owner := login(t, in.base, "ops@example.com", "ops-password-123")
	rc := &hookReceiver{failures: 2, accepted: map[string]int{}}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)

	d := graphql(t, owner, in.base, fmt.Sprintf(`mutation { createWebhook(input: {appID: %q, url: %q, events: [SENT, ARRIVED]}) { webhook { id } secret } }`,
		b.appID, srv.URL+"/hooks/pushd?tenant=a"))
	created := d["createWebhook"].(map[string]any)
	rc.mu.Lock()
	rc.secret = created["secret"].(string)
	rc.mu.Unlock()
	require.True(t, strings.HasPrefix(rc.secret, "whsec_"))

	dev := b.register("wh-1", enum.PlatformAndroid)
	c := b.connect(dev, 0)
	j := b.push("pushSimple", map[string]any{"target": map[string]any{"deviceIDs": []string{dev.id}}, "message": map[string]any{"title": "w"}})
	p := nextPush(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, c.Ack(ctx, p.MessageID))
	b.waitJob(j.ID, func(j job) bool { return j.Counts.Arrived == 1 })

	want := []string{string(p.MessageID) + ":SENT", string(p.MessageID) + ":ARRIVED"}
	require.Eventually(t, func() bool {
		got, _, _ := rc.snapshot()
		return got[want[0]] >= 1 && got[want[1]] >= 1
	}, 45*time.Second, 50*time.Millisecond)
	got, posts, bad := rc.snapshot()
	require.Zero(t, bad, "every post is signed with the webhook's secret")
	for _, id := range want {
		require.Equal(t, 1, got[id], "%s accepted exactly once", id)
	}
	require.Len(t, got, 2)
	require.GreaterOrEqual(t, posts, 3)

	// The attempts are visible: every batch delivered, each with its
	// refused tries before the accepted one.
	type batch struct {
		Status     string
		Attempts   int
		AttemptLog []struct{ StatusCode *int }
	}
	batches := func() []batch {
		var out struct {
			WebhookDeliveries struct {
				Edges []struct{ Node batch }
			}
		}
		b.do(`{ webhookDeliveries { edges { node { status attempts attemptLog { statusCode } } } } }`, nil, &out)
		var bs []batch
		for _, e := range out.WebhookDeliveries.Edges {
			bs = append(bs, e.Node)
		}
		return bs
	}
	require.Eventually(t, func() bool {
		for _, bt := range batches() {
			if bt.Status != "DELIVERED" {
				return false
			}
		}
		return true
	}, 30*time.Second, 50*time.Millisecond)
	_, posts, _ = rc.snapshot()
	attempts, refused := 0, 0
	for _, bt := range batches() {
		attempts += bt.Attempts
		require.Len(t, bt.AttemptLog, bt.Attempts)
		require.Equal(t, 200, *bt.AttemptLog[len(bt.AttemptLog)-1].StatusCode)
		for _, a := range bt.AttemptLog[:len(bt.AttemptLog)-1] {
			require.Equal(t, 503, *a.StatusCode)
			refused++
		}
	}
	require.Equal(t, posts, attempts, "every post is recorded")
	require.Equal(t, 2, refused)
}

func TestWebhookURLsMustBePublic(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	b := newBackend(t, in)
	owner := login(t, in.base, "ops@example.com", "ops-password-123")
	for _, u := range []string{"http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data", "ftp://example.com/x"} {
		resp := graphqlRaw(t, owner, in.base, fmt.Sprintf(`mutation { createWebhook(input: {appID: %q, url: %q}) { secret } }`, b.appID, u))
		require.Contains(t, resp, `"code":"INVALID_ARGUMENT"`, u)
	}
}
