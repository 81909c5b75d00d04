package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/deviceclient"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/internal/testenv"
)

func TestCommandLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		stdout string
		stderr string
	}{
		{"version", []string{"version"}, nil, 0, "pushd dev", ""},
		{"help", []string{"help"}, nil, 0, "Commands:", ""},
		{"-h lists the commands", []string{"-h"}, nil, 0, "Commands:", ""},
		{"--help lists the commands", []string{"--help"}, nil, 0, "Commands:", ""},
		{"sign takes flags after the URL", []string{"sign", "-key", "kid_x", "-secret", "s", "http://127.0.0.1:1/graphql", "-data", `{"a":1}`}, nil, 0, "X-Pushd-Signature: hmac-sha256=", ""},
		{"sign needs one URL", []string{"sign", "-key", "kid_x", "-secret", "s", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b"}, nil, 2, "", "need exactly one URL, got 2"},
		{"sign needs a key", []string{"sign", "http://127.0.0.1:1/a"}, nil, 2, "", "-key is required"},
		{"serve help lists variables", []string{"serve", "-h"}, nil, 0, "PUSHD_DATABASE_URL", ""},
		{"unknown command", []string{"launch"}, nil, 2, "", `unknown command "launch"`},
		{"bad env names the variable", []string{"serve"}, map[string]string{"PUSHD_LOG_FORMAT": "xml"}, 2, "", "PUSHD_LOG_FORMAT"},
		{"bad flag names the flag", []string{"api", "-shutdown-timeout=soon"}, nil, 2, "", "-shutdown-timeout"},
		{"postgres needs a master key", []string{"serve"}, map[string]string{"PUSHD_DATABASE_URL": "postgres://x@127.0.0.1/db"}, 2, "", "PUSHD_MASTER_KEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			getenv := func(k string) string { return tc.env[k] }
			code := run(context.Background(), tc.args, getenv, &stdout, &stderr)
			require.Equal(t, tc.code, code, "stderr: %s", stderr.String())
			require.Contains(t, stdout.String(), tc.stdout)
			require.Contains(t, stderr.String(), tc.stderr)
		})
	}
}

// syncBuffer is a log sink that tests read while pushd writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var (
	listenRE  = regexp.MustCompile(`msg="pushd listening" addr=(\S+)`)
	oneTimeRE = regexp.MustCompile(`email=admin@pushd.local password=(\S+)`)
)

// waitListening polls pushd's log for the address it bound.
func waitListening(t *testing.T, logs func() string, exited <-chan struct{}) string {
	t.Helper()
	deadline := time.After(60 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if m := listenRE.FindStringSubmatch(logs()); m != nil {
			return "http://" + m[1]
		}
		select {
		case <-deadline:
			t.Fatalf("pushd did not start listening; log:\n%s", logs())
		case <-exited:
			t.Fatalf("pushd exited before listening; log:\n%s", logs())
		case <-tick.C:
		}
	}
}

// console is a logged-in console user: its cookies and CSRF token.
type console struct {
	client *http.Client
	csrf   string
}

func login(t *testing.T, base, email, password string) console {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := console{client: &http.Client{Jar: jar}}
	graphql(t, c, base, fmt.Sprintf(`mutation { login(input: {email: %q, password: %q}) { account { id } } }`, email, password))
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "pushd_csrf" {
			c.csrf = ck.Value
		}
	}
	require.NotEmpty(t, c.csrf)
	return c
}

func graphql(t *testing.T, c console, base, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Pushd-CSRF", c.csrf)
	client := c.client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []any          `json:"errors"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Empty(t, out.Errors)
	return out.Data
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestEmbeddedModeKeepsDataAcrossRestarts runs the real binary the way a
// newcomer does, with no database or Redis configured: it serves, keeps an
// app across a restart, and stops cleanly on SIGTERM.
func TestEmbeddedModeKeepsDataAcrossRestarts(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "pushd")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	dataDir := t.TempDir()

	start := func() (string, *exec.Cmd, *syncBuffer, <-chan struct{}) {
		logs := &syncBuffer{}
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), "PUSHD_DATA_DIR="+dataDir, "PUSHD_HTTP_ADDR=127.0.0.1:0",
			"PUSHD_DATABASE_URL=", "PUSHD_REDIS_URL=", "PUSHD_MASTER_KEY=")
		cmd.Stderr = logs
		require.NoError(t, cmd.Start())
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		return waitListening(t, logs.String, exited), cmd, logs, exited
	}
	stop := func(cmd *exec.Cmd, logs *syncBuffer, exited <-chan struct{}) {
		require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			t.Fatalf("pushd did not stop on SIGTERM; log:\n%s", logs.String())
		}
		require.Equal(t, 0, cmd.ProcessState.ExitCode(), "log:\n%s", logs.String())
		require.Contains(t, logs.String(), "pushd stopped")
	}

	base, cmd, logs, exited := start()
	require.Equal(t, http.StatusOK, getStatus(t, base+"/healthz"))
	require.Equal(t, http.StatusOK, getStatus(t, base+"/readyz"))
	require.Contains(t, logs.String(), "NOT FOR PRODUCTION")
	m := oneTimeRE.FindStringSubmatch(logs.String())
	require.NotNil(t, m, "the embedded mode prints a one-time admin password; log:\n%s", logs.String())
	password := m[1]
	c := login(t, base, "admin@pushd.local", password)
	d := graphql(t, c, base, `mutation { createApp(input: {name: "survivor"}) { id appKey } }`)
	id := d["createApp"].(map[string]any)["id"].(string)
	appKey := d["createApp"].(map[string]any)["appKey"].(string)

	// The device side works on the embedded stores too: SQLite upserts,
	// and presence scripts on the in-process Redis.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	devices := deviceclient.New(base, nil)
	reg, err := devices.Register(ctx, gateway.RegisterRequest{AppKey: appKey, InstallationID: "embedded-1", Platform: enum.PlatformWeb})
	require.NoError(t, err)
	conn, err := devices.Connect(ctx, reg.DeviceToken, 0)
	require.NoError(t, err)
	require.Equal(t, reg.DeviceID, conn.Welcome.DeviceID)
	// So does the pipeline: Asynq on the in-process Redis, the bulk paths
	// on SQLite.
	d = graphql(t, c, base, fmt.Sprintf(`mutation { pushSimple(input: {appID: %q, target: {deviceIDs: [%q]}, message: {title: "embedded"}}) { id } }`, id, reg.DeviceID))
	jobID := d["pushSimple"].(map[string]any)["id"].(string)
	graphql(t, c, base, fmt.Sprintf(`mutation { pushBroadcast(input: {appID: %q, message: {title: "to all"}}) { id } }`, id))
	var titles []string
	for range 2 {
		f, err := conn.Next(ctx)
		require.NoError(t, err)
		require.NotNil(t, f.Push, "%+v", f)
		titles = append(titles, f.Push.Title)
	}
	require.ElementsMatch(t, []string{"embedded", "to all"}, titles)
	d = graphql(t, c, base, fmt.Sprintf(`{ node(id: %q) { ... on Device { online } } }`, reg.DeviceID))
	require.Equal(t, true, d["node"].(map[string]any)["online"], "the console sees the connected device online")
	require.Eventually(t, func() bool {
		d := graphql(t, c, base, fmt.Sprintf(`{ node(id: %q) { ... on PushJob { status counts { sent } } } }`, jobID))
		n := d["node"].(map[string]any)
		return n["status"] == "DONE" && n["counts"].(map[string]any)["sent"] == float64(1)
	}, 15*time.Second, 50*time.Millisecond, "the job's counts are kept on SQLite too")
	conn.CloseNow()
	require.Eventually(t, func() bool {
		d := graphql(t, c, base, fmt.Sprintf(`{ node(id: %q) { ... on Device { online } } }`, reg.DeviceID))
		return d["node"].(map[string]any)["online"] == false
	}, 10*time.Second, 20*time.Millisecond, "and offline once it closed")
	stop(cmd, logs, exited)

	info, err := os.Stat(filepath.Join(dataDir, "master.key"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	base, cmd, logs, exited = start()
	require.False(t, oneTimeRE.MatchString(logs.String()), "the one-time password is printed once")
	c = login(t, base, "admin@pushd.local", password)
	d = graphql(t, c, base, `{ apps { edges { node { id name } } } }`)
	edges := d["apps"].(map[string]any)["edges"].([]any)
	require.Len(t, edges, 1)
	require.Equal(t, id, edges[0].(map[string]any)["node"].(map[string]any)["id"])
	require.NotContains(t, logs.String(), "generated a master key", "the key is generated once")
	again, err := deviceclient.New(base, nil).RegisterAgain(ctx, reg.DeviceToken, gateway.RegisterRequest{AppKey: appKey, InstallationID: "embedded-1", Platform: enum.PlatformWeb})
	require.NoError(t, err)
	require.Equal(t, reg.DeviceID, again.DeviceID, "same installation, same device, after a restart")
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ apps { totalCount } }"}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "unauthenticated requests get 401")
	stop(cmd, logs, exited)
}

// TestServeOnPostgresAndRedis runs `serve` in-process on the real services:
// data goes to PostgreSQL and the worker registers itself in Redis.
func TestServeOnPostgresAndRedis(t *testing.T) {
	t.Parallel()
	dbURL, redisURL := testenv.DatabaseURL(t), testenv.RedisURL(t)
	env := map[string]string{
		"PUSHD_DATABASE_URL":   dbURL,
		"PUSHD_REDIS_URL":      redisURL,
		"PUSHD_MASTER_KEY":     "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"PUSHD_HTTP_ADDR":      "127.0.0.1:0",
		"PUSHD_LOG_LEVEL":      "debug",
		"PUSHD_ADMIN_EMAIL":    "ops@example.com",
		"PUSHD_ADMIN_PASSWORD": "ops-password-123",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncBuffer{}
	done := make(chan int, 1)
	exited := make(chan struct{})
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard, logs)
		close(exited)
	}()
	base := waitListening(t, logs.String, exited)
	require.NotContains(t, logs.String(), "EMBEDDED MODE")
	require.Equal(t, http.StatusOK, getStatus(t, base+"/readyz"))

	c := login(t, base, "ops@example.com", "ops-password-123")
	d := graphql(t, c, base, `mutation { createApp(input: {name: "in-postgres"}) { id } }`)
	appID := d["createApp"].(map[string]any)["id"].(string)

	// A fresh key, and a request signed by `pushd sign`, which succeeds.
	d = graphql(t, c, base, fmt.Sprintf(`mutation { createAPIKey(input: {appID: %q, name: "cli", algorithm: HMAC_SHA256}) { apiKey { keyID } secret } }`, appID))
	created := d["createAPIKey"].(map[string]any)
	keyID := created["apiKey"].(map[string]any)["keyID"].(string)
	var out, errOut bytes.Buffer
	// Flags after the URL, the body built from -query and -var.
	code := run(context.Background(), []string{"sign", "-key", keyID, "-send", base + "/graphql",
		"-query", `query($id: ID!) { node(id: $id) { id } }`, "-var", "id=" + appID},
		func(k string) string {
			if k == "PUSHD_SIGN_SECRET" {
				return created["secret"].(string)
			}
			return ""
		}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	require.Equal(t, fmt.Sprintf(`{"data":{"node":{"id":%q}}}`+"\n", appID), out.String())
	out.Reset()
	code = run(context.Background(), []string{"sign", "-key", keyID, "-secret", "sk_wrong", "-data", `{"query":"{ viewer { app { id } } }"}`, "-send", base + "/graphql"},
		func(string) string { return "" }, &out, &errOut)
	require.Equal(t, 1, code, "a wrongly signed request fails")
	require.Contains(t, out.String(), "UNAUTHENTICATED")
	db, err := sql.Open("postgres", dbURL)
	require.NoError(t, err)
	defer db.Close()
	var name string
	require.NoError(t, db.QueryRow("SELECT name FROM apps").Scan(&name))
	require.Equal(t, "in-postgres", name)

	opt, err := redis.ParseURL(redisURL)
	require.NoError(t, err)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	require.Eventually(t, func() bool {
		n, err := rdb.ZCard(context.Background(), "asynq:servers").Result()
		return err == nil && n > 0
	}, 10*time.Second, 50*time.Millisecond, "the worker registers with asynq in Redis")

	metrics := getBody(t, base+"/metrics")
	require.Contains(t, metrics, `pushd_graphql_operations_total{field="createApp",result="ok",type="mutation"} 1`)
	require.Contains(t, metrics, `pushd_http_requests_total{code="401",method="POST",route="/graphql"} 1`)
	require.Contains(t, metrics, "go_goroutines")

	cancel()
	select {
	case code := <-done:
		require.Equal(t, 0, code, "log:\n%s", logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func getBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	var sb strings.Builder
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		sb.WriteString(sc.Text() + "\n")
	}
	return sb.String()
}

func TestMigrateCommand(t *testing.T) {
	t.Parallel()
	env := map[string]string{"PUSHD_DATA_DIR": t.TempDir()}
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, io.Discard, &stderr)
	require.Equal(t, 0, code, stderr.String())
	require.Contains(t, stderr.String(), "schema is up to date")
	_, err := os.Stat(filepath.Join(env["PUSHD_DATA_DIR"], "pushd.db"))
	require.NoError(t, err)
}
