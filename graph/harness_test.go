package graph_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/metrics"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/pubsub"
	"github.com/pushd/pushd/push"
	"github.com/pushd/pushd/server"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// bundle is what a GraphQL test needs: the API over HTTP on real
// PostgreSQL and Redis, and direct access for arranging and checking.
type bundle struct {
	t      *testing.T
	url    string
	svc    *push.Service
	auth   *auth.Service
	stores *store.Stores
	// admin is logged in to the console as an admin account: a cookie jar
	// plus the CSRF token it echoes.
	admin *http.Client
	csrf  string
	// sys is a context acting as pushd itself, for arranging data.
	sys context.Context
	// What replicas share.
	cfg    config.Config
	log    *slog.Logger
	sealer *seal.Sealer
	prefix string
}

func setup(t *testing.T, mutate ...func(*config.Config)) *bundle {
	t.Helper()
	stores := testenv.Stores(t)
	cfg := config.Default()
	cfg.WebSocketInitTimeout = time.Second
	for _, m := range mutate {
		m(&cfg)
	}
	key, err := seal.NewKey()
	require.NoError(t, err)
	sealer, err := seal.New(key)
	require.NoError(t, err)
	b := &bundle{
		t:      t,
		stores: stores,
		sys:    tenant.NewContext(context.Background(), tenant.System()),
		cfg:    cfg,
		log:    testenv.Logger(t),
		sealer: sealer,
		prefix: "pushdtest:" + key16(t) + ":",
	}
	b.url, b.svc, b.auth = b.replica()
	authn := b.auth
	_, err = authn.EnsureAdmin(context.Background(), testAdminEmail, testAdminPassword)
	require.NoError(t, err)
	b.admin, b.csrf = b.login(testAdminEmail, testAdminPassword)
	return b
}

// replica starts a pushd API process on the bundle's stores: services and
// an HTTP server of its own, sharing the database, Redis and master key
// with the others, as replicas behind a load balancer do.
func (b *bundle) replica() (url string, svc *push.Service, authn *auth.Service) {
	b.t.Helper()
	svc = push.NewService(push.Config{
		Client: b.stores.Ent,
		Sealer: b.sealer,
		Broker: pubsub.NewRedis(b.stores.Redis, "pushdtest:"),
		Self:   gateway.NewRouter(b.stores.Redis, b.prefix+"gateway:"),
		Logger: b.log,
		// Saving credentials checks them without dialing the vendor.
		Channels: provider.New(provider.Config{Logger: b.log}),
	})
	authn, err := auth.NewService(auth.Config{Client: b.stores.Ent, Sealer: b.sealer, Redis: b.stores.Redis, Logger: b.log,
		RedisPrefix: b.prefix})
	require.NoError(b.t, err)
	srv := httptest.NewServer(server.New(server.Deps{
		Config:              b.cfg,
		Logger:              b.log,
		Stores:              b.stores,
		Service:             svc,
		Auth:                authn,
		Metrics:             metrics.New(),
		Roles:               server.Roles{API: true},
		Version:             "test",
		SubscriptionRecheck: 100 * time.Millisecond,
	}))
	b.t.Cleanup(srv.Close)
	return srv.URL, svc, authn
}

const (
	testAdminEmail    = "admin@test.local"
	testAdminPassword = "admin-password-1"
)

// login signs in to the console and returns a client holding the
// session cookie, and the CSRF token to echo.
func (b *bundle) login(email, password string) (*http.Client, string) {
	b.t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(b.t, err)
	c := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { account { id email } } }`,
		"variables": map[string]any{"e": email, "p": password},
	})
	resp, err := c.Post(b.url+"/graphql", "application/json", bytes.NewReader(body))
	require.NoError(b.t, err)
	defer resp.Body.Close()
	var out gqlResponse
	require.NoError(b.t, json.NewDecoder(resp.Body).Decode(&out))
	require.Empty(b.t, out.Errors)
	u, _ := url.Parse(b.url)
	var csrf string
	for _, ck := range jar.Cookies(u) {
		if ck.Name == auth.CSRFCookie {
			csrf = ck.Value
		}
	}
	require.NotEmpty(b.t, csrf)
	return c, csrf
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Status int
	Data   map[string]any `json:"data"`
	Errors []gqlError     `json:"errors"`
}

// code returns the first error's extensions.code, or "".
func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// post sends a body as the logged-in admin.
func (b *bundle) post(body []byte) gqlResponse {
	b.t.Helper()
	return b.postAs(b.admin, b.csrf, body)
}

func (b *bundle) postAs(c *http.Client, csrf string, body []byte) gqlResponse {
	b.t.Helper()
	return b.postTo(b.url, c, csrf, body)
}

// postTo sends a body to the pushd at base (a replica's URL).
func (b *bundle) postTo(base string, c *http.Client, csrf string, body []byte) gqlResponse {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set(auth.CSRFHeader, csrf)
	}
	resp, err := c.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	var out gqlResponse
	require.NoError(b.t, json.NewDecoder(resp.Body).Decode(&out))
	out.Status = resp.StatusCode
	return out
}

// do runs a GraphQL operation over HTTP.
func (b *bundle) do(query string, vars map[string]any) gqlResponse {
	b.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(b.t, err)
	return b.post(body)
}

// ok runs an operation that must succeed and returns its data.
func (b *bundle) ok(query string, vars map[string]any) map[string]any {
	b.t.Helper()
	r := b.do(query, vars)
	require.Empty(b.t, r.Errors, "query %s", query)
	require.Equal(b.t, http.StatusOK, r.Status)
	return r.Data
}

// path walks decoded JSON by keys and indexes.
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

func (b *bundle) createApp(name string) string {
	b.t.Helper()
	d := b.ok(`mutation($n: String!) { createApp(input: {name: $n}) { id } }`, map[string]any{"n": name})
	return path(d, "createApp", "id").(string)
}

// newDevice arranges a device directly in the database.
func (b *bundle) newDevice(app string, install string, mut ...func(*ent.DeviceCreate)) *ent.Device {
	b.t.Helper()
	c := b.stores.Ent.Device.Create().
		SetAppID(idOf(app)).
		SetInstallationID(install).
		SetPlatform("ANDROID")
	for _, m := range mut {
		m(c)
	}
	d, err := c.Save(b.sys)
	require.NoError(b.t, err)
	return d
}

type cfgT = config.Config

// key16 is a random prefix that isolates a test's Redis keys.
func key16(t *testing.T) string {
	b := make([]byte, 8)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}
