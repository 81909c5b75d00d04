package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/metrics"
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
	stores *store.Stores
	// sys is a context acting as pushd itself, for arranging data.
	sys context.Context
}

func setup(t *testing.T, mutate ...func(*config.Config)) *bundle {
	t.Helper()
	stores := testenv.Stores(t)
	cfg := config.Default()
	cfg.WebSocketInitTimeout = time.Second
	for _, m := range mutate {
		m(&cfg)
	}
	log := testenv.Logger(t)
	svc := push.NewService(push.Config{
		Client: stores.Ent,
		Broker: pubsub.NewRedis(stores.Redis, "pushdtest:"),
		Logger: log,
	})
	srv := httptest.NewServer(server.New(server.Deps{
		Config:  cfg,
		Logger:  log,
		Stores:  stores,
		Service: svc,
		Metrics: metrics.New(),
		Roles:   server.Roles{API: true},
		Version: "test",
	}))
	t.Cleanup(srv.Close)
	return &bundle{
		t:      t,
		url:    srv.URL,
		svc:    svc,
		stores: stores,
		sys:    tenant.NewContext(context.Background(), tenant.System()),
	}
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

func (b *bundle) post(body []byte) gqlResponse {
	b.t.Helper()
	resp, err := http.Post(b.url+"/graphql", "application/json", bytes.NewReader(body))
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
