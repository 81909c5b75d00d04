package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/provider/providertest"
)

// A real pushd against the vendor fakes: the fakes
// check what arrives the way the vendors do.

type vendorBundle struct {
	fakes *providertest.Set
	in    *instance
	b     *backend
	owner console
}

// startFakes starts the vendor fakes, answering after latency, and
// returns them with a pushd environment that points at them.
func startFakes(t *testing.T, latency time.Duration) (*providertest.Set, map[string]string) {
	t.Helper()
	f, err := providertest.StartSet(latency)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, f.CAPEM(), 0o600))
	env := testEnv(t)
	for k, v := range f.Env(ca) {
		env[k] = v
	}
	return f, env
}

func startWithFakes(t *testing.T) vendorBundle {
	t.Helper()
	f, env := startFakes(t, 0)
	in := startInstance(t, env)
	b := newBackend(t, in)
	return vendorBundle{fakes: f, in: in, b: b, owner: login(t, in.base, "ops@example.com", "ops-password-123")}
}

// setChannel saves credentials through the console (owners set them).
func (v vendorBundle) setChannel(t *testing.T, creds string) map[string]any {
	t.Helper()
	d := graphql(t, v.owner, v.in.base, fmt.Sprintf(`mutation { setChannelConfig(input: {appID: %q, %s}) { id channel environment summary configError } }`, v.b.appID, creds))
	return d["setChannelConfig"].(map[string]any)
}

func apnsInput(c providertest.APNsCredentials) string {
	return fmt.Sprintf(`apns: {environment: %s, topic: %q, keyP8: %q, keyID: %q, teamID: %q}`, c.Environment, c.Topic, c.KeyP8, c.KeyID, c.TeamID)
}

// registerWith registers a device with vendor tokens.
func (b *backend) registerWith(install string, platform enum.Platform, tokens gateway.Tokens) device {
	b.t.Helper()
	r, err := b.devices.Register(context.Background(), gateway.RegisterRequest{
		AppKey: b.appKey, InstallationID: install, Platform: platform, AppVersion: "2.1.0", Tokens: tokens,
	})
	require.NoError(b.t, err)
	return device{id: string(r.DeviceID), token: r.DeviceToken}
}

func ptr(s string) *string { return &s }

func (b *backend) simple(d device, ttl int, extra string) job {
	b.t.Helper()
	var out map[string]job
	b.do(fmt.Sprintf(`mutation($app: ID!, $dev: ID!) { pushSimple(input: {appID: $app, target: {deviceIDs: [$dev]},
		message: {title: "Hello", body: "from pushd", payload: {order: 42}%s}, options: {ttlSeconds: %d}}) { %s } }`, extra, ttl, jobFields),
		map[string]any{"app": b.appID, "dev": d.id}, &out)
	return out["pushSimple"]
}

func final(j job) bool { return j.Counts.Pending == 0 && j.Status == "DONE" }

// deliveryError reads a job's only delivery's status and error.
func (b *backend) deliveryOf(jobID string) (status, channel, lastError string) {
	b.t.Helper()
	var out struct {
		Deliveries struct {
			Edges []struct {
				Node struct{ Status, Channel, LastError string }
			}
		}
	}
	b.do(`query($job: ID!) { deliveries(where: {jobID: $job}) { edges { node { status channel lastError } } } }`, map[string]any{"job": jobID}, &out)
	require.Len(b.t, out.Deliveries.Edges, 1)
	n := out.Deliveries.Edges[0].Node
	return n.Status, n.Channel, n.LastError
}

func TestVendorAPNsSandboxAndProduction(t *testing.T) {
	t.Parallel()
	v := startWithFakes(t)
	sandbox, production := v.fakes.APNsSandbox, v.fakes.APNsProduction
	cfg := v.setChannel(t, apnsInput(sandbox.Credentials()))
	require.Equal(t, "SANDBOX", cfg["environment"])
	require.Empty(t, cfg["configError"])
	require.NotContains(t, fmt.Sprint(cfg["summary"]), "PRIVATE KEY", "no secret in the summary")
	ios := v.b.registerWith("ios-1", enum.PlatformIOS, gateway.Tokens{"apns": ptr("a1b2c3d4e5f60718")})

	before := time.Now()
	j := v.b.simple(ios, 600, `, badge: 3, sound: "ping.caf", collapseKey: "order-42"`)
	v.b.waitJob(j.ID, final)
	reqs := waitLog(t, &sandbox.Log, 1)
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, 200, r.Status)
	require.Equal(t, "a1b2c3d4e5f60718", r.Token)
	require.Equal(t, "token", r.Auth, "a valid ES256 provider token")
	require.Equal(t, sandbox.Credentials().Topic, r.Topic)
	require.Equal(t, "alert", r.PushType)
	require.Equal(t, "10", r.Priority)
	require.Equal(t, "order-42", r.CollapseID)
	exp, err := strconv.ParseInt(r.Expiration, 10, 64)
	require.NoError(t, err)
	require.InDelta(t, before.Add(600*time.Second).Unix(), exp, 5, "apns-expiration is the absolute end of the TTL")
	aps := r.Payload["aps"].(map[string]any)
	require.Equal(t, map[string]any{"title": "Hello", "body": "from pushd"}, aps["alert"])
	require.EqualValues(t, 3, aps["badge"])
	require.EqualValues(t, 42, r.Payload["order"], "custom data beside aps")
	require.Equal(t, 0, production.Log.Len())

	// Saved for production: the next push goes to the production host.
	cfg = v.setChannel(t, apnsInput(production.Credentials()))
	require.Equal(t, "PRODUCTION", cfg["environment"])
	j = v.b.simple(ios, 600, `, silent: true`)
	v.b.waitJob(j.ID, final)
	reqs = waitLog(t, &production.Log, 1)
	require.Len(t, reqs, 1)
	require.Equal(t, "background", reqs[0].PushType)
	require.Equal(t, "5", reqs[0].Priority)
	require.Equal(t, 1, sandbox.Log.Len())

	scrape := func() string {
		resp, err := http.Get(v.in.base + "/metrics")
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return string(b)
	}
	// Counted once the send that made the request returns.
	require.Eventually(t, func() bool {
		return strings.Contains(scrape(), `pushd_vendor_deliveries_total{channel="APNS",outcome="sent"} 2`)
	}, 10*time.Second, 20*time.Millisecond)
	metrics := scrape()
	require.Contains(t, string(metrics), `pushd_queue_lag_seconds{queue="critical"}`)
	require.Contains(t, string(metrics), `pushd_jobs_awaiting_refresh`)
	require.Contains(t, string(metrics), `pushd_deliveries{state="sending"} 0`, "nothing is left in flight")
	require.Contains(t, string(metrics), `pushd_vendor_resends_total 0`)
}

func TestVendorFCMAndroid(t *testing.T) {
	t.Parallel()
	v := startWithFakes(t)
	v.setChannel(t, fmt.Sprintf(`fcm: {serviceAccountJSON: %q}`, v.fakes.FCM.Credentials().ServiceAccountJSON))
	d := v.b.registerWith("android-1", enum.PlatformAndroid, gateway.Tokens{"fcm": ptr("fcm-token-1")})
	j := v.b.simple(d, 3600, `, priority: NORMAL`)
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Sent)
	sends := waitLog(t, &v.fakes.FCM.Sends, 1)
	require.Len(t, sends, 1)
	require.Equal(t, "fcm-token-1", sends[0].Token)
	require.Equal(t, http.StatusOK, sends[0].Status)
	require.Contains(t, string(sends[0].Message), `"ttl":"`)
	require.Contains(t, string(sends[0].Message), `"priority":"normal"`)
	_, ch, _ := v.b.deliveryOf(j.ID)
	require.Equal(t, "FCM", ch)
}

func TestVendorHuaweiBatches(t *testing.T) {
	t.Parallel()
	v := startWithFakes(t)
	h := v.fakes.Huawei.Credentials()
	v.setChannel(t, fmt.Sprintf(`huawei: {appID: %q, clientSecret: %q}`, h.AppID, h.ClientSecret))
	const n = 2500
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			v.b.registerWith("hw-"+strconv.Itoa(i), enum.PlatformAndroid, gateway.Tokens{"huawei": ptr(fmt.Sprintf("hw-token-%05d", i))})
		}()
	}
	wg.Wait()
	j := v.b.push("pushBroadcast", map[string]any{"message": map[string]any{"title": "sale", "body": "now"}})
	j = v.b.waitJobFor(j.ID, time.Minute, final)
	require.Equal(t, n, j.Counts.Sent)
	reqs := waitLog(t, &v.fakes.Huawei.Requests, 3)
	require.Len(t, reqs, 3, "1,000 tokens per request")
	total := 0
	for _, r := range reqs {
		require.Equal(t, "80000000", r.Code)
		total += len(r.Tokens)
	}
	require.Equal(t, n, total)
}

func TestVendorDeadTokenFallsBackOrFails(t *testing.T) {
	t.Parallel()
	v := startWithFakes(t)
	apns := v.fakes.APNsProduction
	v.setChannel(t, apnsInput(apns.Credentials()))
	v.setChannel(t, fmt.Sprintf(`fcm: {serviceAccountJSON: %q}`, v.fakes.FCM.Credentials().ServiceAccountJSON))
	// 410 with the time of the answer: the tokens died after they were registered.
	apns.SetAPNsToken("dead01", providertest.APNsFault{Status: 410, Reason: "Unregistered"})
	apns.SetAPNsToken("dead02", providertest.APNsFault{Status: 410, Reason: "Unregistered"})

	only := v.b.registerWith("ios-only", enum.PlatformIOS, gateway.Tokens{"apns": ptr("dead01")})
	j := v.b.simple(only, 600, "")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Failed)
	status, _, lastError := v.b.deliveryOf(j.ID)
	require.Equal(t, "FAILED", status)
	require.Equal(t, "APNs: 410 Unregistered", lastError)

	both := v.b.registerWith("ios-both", enum.PlatformIOS, gateway.Tokens{"apns": ptr("dead02"), "fcm": ptr("fcm-ios")})
	j = v.b.simple(both, 600, "")
	j = v.b.waitJob(j.ID, final)
	status, channel, lastError := v.b.deliveryOf(j.ID)
	require.Equal(t, 1, j.Counts.Sent, "%s %s %s", status, channel, lastError)
	require.Equal(t, "FCM", channel, "fell back to FCM")

	// Never used again, never retried: APNs saw each dead token once.
	j = v.b.simple(both, 600, "")
	v.b.waitJob(j.ID, final)
	seen := map[string]int{}
	for _, r := range apns.Log.All() {
		seen[r.Token]++
	}
	require.Equal(t, map[string]int{"dead01": 1, "dead02": 1}, seen)
	require.Len(t, waitLog(t, &v.fakes.FCM.Sends, 2), 2)
}

func TestVendorRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	v := startWithFakes(t)
	h := v.fakes.Huawei.Credentials()
	v.setChannel(t, fmt.Sprintf(`huawei: {appID: %q, clientSecret: %q}`, h.AppID, h.ClientSecret))
	d := v.b.registerWith("hw-retry", enum.PlatformAndroid, gateway.Tokens{"huawei": ptr("hw-retry-token")})
	v.fakes.Huawei.FailNext(1, providertest.HuaweiFault{Status: http.StatusServiceUnavailable, RetryAfter: "2"})
	j := v.b.simple(d, 600, "")
	v.b.waitJob(j.ID, final)
	reqs := waitLog(t, &v.fakes.Huawei.Requests, 2)
	require.Len(t, reqs, 2)
	require.GreaterOrEqual(t, reqs[1].At.Sub(reqs[0].At), 2*time.Second, "retried no sooner than Retry-After")
}

func TestVendorCredentialsCheckedAtSave(t *testing.T) {
	t.Parallel()
	v := startWithFakes(t)
	c := v.fakes.APNsSandbox.Credentials()
	c.KeyP8 = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"
	resp := graphqlRaw(t, v.owner, v.in.base, fmt.Sprintf(`mutation { setChannelConfig(input: {appID: %q, %s}) { id } }`, v.b.appID, apnsInput(c)))
	require.Contains(t, resp, `"code":"INVALID_ARGUMENT"`)
	require.Contains(t, resp, "apns.keyP8")

	// A configuration the vendor refuses is flagged and visible.
	x := v.fakes.Xiaomi.Credentials()
	v.setChannel(t, fmt.Sprintf(`xiaomi: {appSecret: "wrong-secret", packageName: %q}`, x.PackageName))
	d := v.b.registerWith("mi-1", enum.PlatformAndroid, gateway.Tokens{"xiaomi": ptr("mi-regid-1")})
	j := v.b.simple(d, 600, "")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Failed)
	var out struct {
		ChannelConfigs struct {
			Edges []struct {
				Node struct{ Channel, ConfigError string }
			}
		}
	}
	v.b.do(`{ channelConfigs { edges { node { channel configError } } } }`, nil, &out)
	require.Len(t, out.ChannelConfigs.Edges, 1)
	require.Contains(t, out.ChannelConfigs.Edges[0].Node.ConfigError, "21301")
}

// An app owner used to save a key file whose token_uri was a host of
// their choosing inside the network: a push made pushd post there, and
// the answer came back as the channel's error. The save is refused now,
// and the target hears nothing.
func TestVendorFCMKeyFileCannotPointPushdInside(t *testing.T) {
	t.Parallel()
	trap := providertest.StartTrap()
	t.Cleanup(trap.Close)
	v := startWithFakes(t)
	keyFile := v.fakes.FCM.CredentialsWithTokenURI(trap.URL + "/token").ServiceAccountJSON

	resp := graphqlRaw(t, v.owner, v.in.base, fmt.Sprintf(`mutation { setChannelConfig(input: {appID: %q, fcm: {serviceAccountJSON: %q}}) { id } }`, v.b.appID, keyFile))
	require.Contains(t, resp, `"code":"INVALID_ARGUMENT"`)
	require.Contains(t, resp, "fcm.serviceAccountJSON")
	require.Contains(t, resp, "token_uri")

	// With a valid key file, a push reaches the configured endpoints only.
	v.setChannel(t, fmt.Sprintf(`fcm: {serviceAccountJSON: %q}`, v.fakes.FCM.Credentials().ServiceAccountJSON))
	d := v.b.registerWith("fcm-ssrf", enum.PlatformAndroid, gateway.Tokens{"fcm": ptr("fcm-ssrf-token")})
	j := v.b.waitJob(v.b.simple(d, 600, "").ID, final)
	require.Equal(t, 1, j.Counts.Sent)
	require.Zero(t, trap.Hits())
}

// graphqlRaw runs a console operation and returns the raw answer.
func graphqlRaw(t *testing.T, c console, base, query string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Pushd-CSRF", c.csrf)
	resp, err := c.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func TestVendorReceiptsArriveThroughPushd(t *testing.T) {
	t.Parallel()
	v, env := startWithReceipts(t)
	f, in := v.fakes, v.in

	// Huawei: the receipt configuration names pushd's URL for this config.
	h := f.Huawei.Credentials()
	key := providertest.HuaweiReceiptKey()
	cfg := v.setChannel(t, fmt.Sprintf(`huawei: {appID: %q, clientSecret: %q, receiptUserName: "pushd", receiptKey: %q}`, h.AppID, h.ClientSecret, key))
	d := graphql(t, v.owner, in.base, fmt.Sprintf(`{ node(id: %q) { ... on ChannelConfig { receiptURL } } }`, cfg["id"]))
	receiptURL := d["node"].(map[string]any)["receiptURL"].(string)
	require.Equal(t, env["PUSHD_PUBLIC_URL"]+"/vendor/v1/huawei/"+cfg["id"].(string)+"/receipts", receiptURL)
	f.Huawei.SetReceipts(receiptURL, "pushd", key)
	hw := v.b.registerWith("hw-r", enum.PlatformAndroid, gateway.Tokens{"huawei": ptr("hw-receipt-token")})
	j := v.b.simple(hw, 600, "")
	j = v.b.waitJob(j.ID, func(j job) bool { return j.Counts.Arrived == 1 })
	posts := f.Huawei.Receipts.All()
	require.NotEmpty(t, posts)
	require.Equal(t, http.StatusOK, posts[0].Status, "pushd verified the signature")

	// A forged Huawei receipt is refused.
	resp, err := http.Post(receiptURL, "application/json", strings.NewReader(`{"statuses":[{"biTag":"`+j.ID+`","token":"hw-receipt-token","status":5}]}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// Xiaomi: the callback URL and a verifiable tag travel with the message.
	x := f.Xiaomi.Credentials()
	v.setChannel(t, fmt.Sprintf(`xiaomi: {appSecret: %q, packageName: %q}`, x.AppSecret, x.PackageName))
	mi := v.b.registerWith("mi-r", enum.PlatformAndroid, gateway.Tokens{"xiaomi": ptr("mi-receipt-regid")})
	j = v.b.simple(mi, 600, "")
	v.b.waitJob(j.ID, func(j job) bool { return j.Counts.Arrived == 1 })
	sends := f.Xiaomi.Sends.All()
	require.Len(t, sends, 1)
	require.Equal(t, env["PUSHD_PUBLIC_URL"], sends[0].Form.Get("extra.callback")[:len(env["PUSHD_PUBLIC_URL"])])
	require.NotEqual(t, j.ID, sends[0].Form.Get("extra.callback.param"), "a MAC-tagged job ID")
}

// startWithReceipts is startWithFakes with PUSHD_PUBLIC_URL set, so that
// vendors post receipts back to this pushd; it returns pushd's settings.
func startWithReceipts(t *testing.T) (vendorBundle, map[string]string) {
	t.Helper()
	f, err := providertest.StartSet(0)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, f.CAPEM(), 0o600))
	env := testEnv(t)
	for k, val := range f.Env(ca) {
		env[k] = val
	}
	// The public URL is only known once pushd listens: pick the port first.
	port := freePort(t)
	env["PUSHD_HTTP_ADDR"] = "127.0.0.1:" + port
	env["PUSHD_PUBLIC_URL"] = "http://127.0.0.1:" + port
	in := startInstance(t, env)
	return vendorBundle{fakes: f, in: in, b: newBackend(t, in), owner: login(t, in.base, "ops@example.com", "ops-password-123")}, env
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	require.NoError(t, ln.Close())
	return port
}

// waitLog waits until a fake recorded at least n requests and returns
// them. A delivery counts as sent once it is claimed, before the vendor
// answers, so a finished job does not mean the fake has seen its request.
func waitLog[T any](t *testing.T, log *providertest.Log[T], n int) []T {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := log.Wait(ctx, n)
	require.NoError(t, err, "the fake saw %d of %d requests", len(got), n)
	return got
}
