package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/pushclient"
)

// instance is a whole pushd (all roles) running in this process, on its
// own PostgreSQL schema and Redis namespace.
type instance struct {
	t      *testing.T
	base   string
	env    map[string]string
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan int
}

// testEnv is the environment of a pushd on a fresh schema and namespace.
func testEnv(t *testing.T) map[string]string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return map[string]string{
		"PUSHD_DATABASE_URL":     testenv.DatabaseURL(t),
		"PUSHD_REDIS_URL":        testenv.RedisURL(t),
		"PUSHD_REDIS_NAMESPACE":  "t" + hex.EncodeToString(b),
		"PUSHD_MASTER_KEY":       "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"PUSHD_HTTP_ADDR":        "127.0.0.1:0",
		"PUSHD_LOG_LEVEL":        "debug",
		"PUSHD_ADMIN_EMAIL":      "ops@example.com",
		"PUSHD_ADMIN_PASSWORD":   "ops-password-123",
		"PUSHD_RECONCILE_AFTER":  "3s",
		"PUSHD_SHUTDOWN_TIMEOUT": "10s",
		// Every simulated device registers and connects from one loopback
		// address, thousands in a few seconds: a population, not a client.
		// The frame limit stays on: devices acking everything must pass it.
		"PUSHD_LIMIT_REGISTER_ADDRESS_RPS": "0",
		"PUSHD_LIMIT_REGISTER_APP_RPS":     "0",
		"PUSHD_LIMIT_CONNECT_ADDRESS_RPS":  "0",
	}
}

// startInstance runs pushd with the given subcommand (serve, api, worker,
// gateway; default serve).
func startInstance(t *testing.T, env map[string]string, command ...string) *instance {
	t.Helper()
	if len(command) == 0 {
		command = []string{"serve"}
	}
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{t: t, env: maps.Clone(env), logs: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	exited := make(chan struct{})
	go func() {
		in.done <- run(ctx, command, func(k string) string { return in.env[k] }, io.Discard, in.logs)
		close(exited)
	}()
	in.base = waitListening(t, in.logs.String, exited)
	t.Cleanup(in.stop)
	return in
}

func (in *instance) stop() {
	in.cancel()
	select {
	case <-in.done:
	case <-time.After(30 * time.Second):
		in.t.Errorf("pushd did not stop; log:\n%s", in.logs.String())
	}
}

// backend is a backend of one app: signed GraphQL calls, and simulated
// devices of the same app.
type backend struct {
	t       *testing.T
	in      *instance
	gql     *pushclient.Client
	appID   string
	appKey  string
	devices *deviceclient.Client
	signer  signature.Signer
}

func newBackend(t *testing.T, in *instance) *backend {
	t.Helper()
	c := login(t, in.base, "ops@example.com", "ops-password-123")
	d := graphql(t, c, in.base, `mutation { createApp(input: {name: "e2e"}) { id appKey } }`)
	app := d["createApp"].(map[string]any)
	d = graphql(t, c, in.base, fmt.Sprintf(`mutation { createAPIKey(input: {appID: %q, name: "backend", algorithm: HMAC_SHA256}) { apiKey { keyID } secret } }`, app["id"]))
	key := d["createAPIKey"].(map[string]any)
	signer := signature.Signer{
		KeyID:     key["apiKey"].(map[string]any)["keyID"].(string),
		Algorithm: signature.HMACSHA256,
		Secret:    key["secret"].(string),
	}
	return &backend{
		t: t, in: in, gql: pushclient.New(in.base, signer, nil),
		appID: app["id"].(string), appKey: app["appKey"].(string),
		devices: deviceclient.New(in.base, nil), signer: signer,
	}
}

// do runs a signed operation and decodes its data into out.
func (b *backend) do(query string, vars map[string]any, out any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(b.t, b.gql.Do(ctx, query, vars, out))
}

// fails runs an operation that must fail and returns its first error.
func (b *backend) fails(query string, vars map[string]any) pushclient.Error {
	b.t.Helper()
	resp, err := b.gql.Raw(context.Background(), query, vars)
	require.NoError(b.t, err)
	require.NotEmpty(b.t, resp.Errors, "expected an error, got %s", resp.Data)
	return resp.Errors[0]
}

// device is a registered simulated device.
type device struct {
	id, token string
}

func (b *backend) register(install string, platform enum.Platform) device {
	b.t.Helper()
	r, err := b.devices.Register(context.Background(), gateway.RegisterRequest{
		AppKey: b.appKey, InstallationID: install, Platform: platform, AppVersion: "2.1.0",
	})
	require.NoError(b.t, err)
	return device{id: string(r.DeviceID), token: r.DeviceToken}
}

func (b *backend) connect(d device, afterSeq int64) *deviceclient.Conn {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := b.devices.Connect(ctx, d.token, afterSeq)
	require.NoError(b.t, err)
	b.t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

// nextPush reads frames until a push arrives (or the deadline).
func nextPush(t *testing.T, c *deviceclient.Conn) *gateway.Push {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		f, err := c.Next(ctx)
		require.NoError(t, err)
		if f.Push != nil {
			return f.Push
		}
		require.Nil(t, f.Error, "error frame: %+v", f.Error)
	}
}

// job is what the tests read of a push job.
type job struct {
	ID             string   `json:"id"`
	Kind           string   `json:"kind"`
	Status         string   `json:"status"`
	UnknownTargets []string `json:"unknownTargets"`
	Counts         struct {
		Targeted, Pending, Sent, Arrived, Opened, Ignored, Failed, Expired, Revoked int
	} `json:"counts"`
}

const jobFields = `id kind status unknownTargets counts { targeted pending sent arrived opened ignored failed expired revoked }`

func (b *backend) job(id string) job {
	b.t.Helper()
	var out struct {
		Node job `json:"node"`
	}
	b.do(`query($id: ID!) { node(id: $id) { ... on PushJob { `+jobFields+` } } }`, map[string]any{"id": id}, &out)
	return out.Node
}

// waitJob polls a job until cond holds.
func (b *backend) waitJob(id string, cond func(job) bool) job {
	b.t.Helper()
	return b.waitJobFor(id, 30*time.Second, cond)
}

func (b *backend) waitJobFor(id string, timeout time.Duration, cond func(job) bool) job {
	b.t.Helper()
	var last job
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		last = b.job(id)
		if cond(last) {
			return last
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("job %s never got there; last: %+v\nwarnings:\n%s", id, last, warnings(b.in.logs.String()))
	return last
}

// push runs one of the push mutations and returns its job.
func (b *backend) push(mutation string, input map[string]any) job {
	b.t.Helper()
	input["appID"] = b.appID
	var out map[string]job
	b.do(fmt.Sprintf(`mutation($in: %s!) { %s(input: $in) { %s } }`, inputType(mutation), mutation, jobFields), map[string]any{"in": input}, &out)
	return out[mutation]
}

// warnings are the WARN and ERROR lines of a log.
func warnings(log string) string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func inputType(mutation string) string {
	return map[string]string{
		"pushSimple": "PushSimpleInput", "pushTemplate": "PushTemplateInput",
		"pushMultiple": "PushMultipleInput", "pushBroadcast": "PushBroadcastInput",
	}[mutation]
}
