package metrics

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor/testexecutor"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
)

func TestHTTPCountsRequest(t *testing.T) {
	t.Parallel()
	m := New()
	h := m.HTTP("/things/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/things/42", nil))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("BREW", "/things/43", nil))

	require.Equal(t, http.StatusCreated, rec.Code)
	require.InDelta(t, 1, testutil.ToFloat64(m.httpRequests.WithLabelValues("/things/{id}", "POST", "201")), 0)
	require.InDelta(t, 1, testutil.ToFloat64(m.httpRequests.WithLabelValues("/things/{id}", "OTHER", "201")), 0)
	require.Equal(t, 2, testutil.CollectAndCount(m.Registry, "pushd_http_requests_total"))
	require.Equal(t, 2, testutil.CollectAndCount(m.Registry, "pushd_http_request_duration_seconds"))
	require.InDelta(t, 0, testutil.ToFloat64(m.httpInFlight.WithLabelValues("/things/{id}")), 0)
}

func TestHTTPImplicitOKAndFlush(t *testing.T) {
	t.Parallel()
	m := New()
	h := m.HTTP("/stream", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "data\n")
		_, isFlusher := w.(http.Flusher)
		if !isFlusher {
			t.Error("wrapped writer lost http.Flusher")
		}
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush: %v", err)
		}
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/stream", nil))

	require.True(t, rec.Flushed)
	require.InDelta(t, 1, testutil.ToFloat64(m.httpRequests.WithLabelValues("/stream", "GET", "200")), 0)
}

func TestHTTPPanicCountsAs500(t *testing.T) {
	t.Parallel()
	m := New()
	h := m.HTTP("/boom", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))

	require.PanicsWithValue(t, http.ErrAbortHandler, func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/boom", nil))
	})
	require.InDelta(t, 1, testutil.ToFloat64(m.httpRequests.WithLabelValues("/boom", "GET", "500")), 0)
	require.InDelta(t, 0, testutil.ToFloat64(m.httpInFlight.WithLabelValues("/boom")), 0)
}

func TestHTTPPreservesHijacker(t *testing.T) {
	t.Parallel()
	m := New()
	hijackErr := make(chan error, 1)
	srv := httptest.NewServer(m.HTTP("/ws", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(http.Hijacker); !ok {
			hijackErr <- http.ErrNotSupported
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		hijackErr <- err
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = brw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
		_ = brw.Flush()
	})))
	t.Cleanup(srv.Close)

	resp, err := srv.Client().Get(srv.URL + "/ws")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, "hi", string(body))
	require.NoError(t, <-hijackErr)

	// The counter is updated after the handler returns, which can be after
	// the client has read the hijacked connection's response.
	require.Eventually(t, func() bool {
		return testutil.ToFloat64(m.httpRequests.WithLabelValues("/ws", "GET", "101")) == 1
	}, 5*time.Second, 10*time.Millisecond)
	// A hijacked connection's lifetime is not request latency.
	require.Equal(t, 0, testutil.CollectAndCount(m.Registry, "pushd_http_request_duration_seconds"))
}

func TestHandlerServesRegistry(t *testing.T) {
	t.Parallel()
	m := New()
	m.HTTP("/", http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))

	// Calling Handler twice must not panic on promhttp's own collectors.
	_ = m.Handler()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))

	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	require.Contains(t, body, "go_goroutines")
	require.Contains(t, body, `pushd_http_requests_total{code="404",method="GET",route="/"} 1`)
	require.Contains(t, body, "promhttp_metric_handler_requests_total")
}

func postGraphQL(t *testing.T, h http.Handler, query string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(query))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), req)
}

func TestGraphQLCountsOperations(t *testing.T) {
	t.Parallel()
	m := New()
	srv := handler.New(testexecutor.New().Schema())
	srv.AddTransport(transport.POST{})
	srv.Use(m.GraphQL())

	postGraphQL(t, srv, `{"query":"{ alias: name }"}`)
	postGraphQL(t, srv, `{"query":"query Q { ...F } fragment F on Query { find(id: 1) }"}`)
	postGraphQL(t, srv, `{"query":"mutation { name }"}`)
	postGraphQL(t, srv, `{"query":"{ name"}`)
	postGraphQL(t, srv, `{"query":"{ doesNotExist }"}`)
	postGraphQL(t, srv, `{"query":"mutation { doesNotExist }"}`)
	postGraphQL(t, srv, `{"query":"query($id: Int!) { find(id: $id) }"}`)
	postGraphQL(t, srv, `{"query":"mutation($x: Boolean!) { name @skip(if: $x) }"}`)
	postGraphQL(t, srv, `not json`)

	ops := func(typ, field, result string) float64 {
		return testutil.ToFloat64(m.gqlOperations.WithLabelValues(typ, field, result))
	}
	require.InDelta(t, 1, ops("query", "name", "ok"), 0)
	require.InDelta(t, 1, ops("query", "find", "ok"), 0)
	// testexecutor answers every mutation with an error response.
	require.InDelta(t, 1, ops("mutation", "name", "error"), 0)
	// Syntax error, schema validation failure, undecodable body: gqlgen keeps
	// no document, so the type is unknown.
	require.InDelta(t, 4, ops("unknown", "invalid", "error"), 0)
	// Valid document rejected on its variables: the type is known, the field
	// is still not counted as executed.
	require.InDelta(t, 1, ops("query", "invalid", "error"), 0)
	require.InDelta(t, 1, ops("mutation", "invalid", "error"), 0)
	require.Equal(t, 6, testutil.CollectAndCount(m.Registry, "pushd_graphql_operations_total"))
	// Only dispatched operations have a latency: query x2, mutation x1.
	require.Equal(t, 2, testutil.CollectAndCount(m.Registry, "pushd_graphql_operation_duration_seconds"))
}

func TestGraphQLCountsSubscriptionOnce(t *testing.T) {
	t.Parallel()
	m := New()
	exec := testexecutor.New()
	exec.Use(m.GraphQL())

	ctx, cancel := context.WithCancel(graphql.StartOperationTrace(context.Background()))
	defer cancel()
	opCtx, errs := exec.CreateOperationContext(ctx, &graphql.RawParams{Query: "subscription { name }"})
	require.Empty(t, errs)
	responses, ctx := exec.DispatchOperation(ctx, opCtx)

	sent := make(chan struct{})
	go func() {
		defer close(sent)
		exec.SendNextSubscriptionMessage()
		exec.SendNextSubscriptionMessage()
		exec.SendNextSubscriptionMessage()
	}()
	for range 3 {
		resp := responses(ctx)
		require.NotNil(t, resp)
		require.Empty(t, resp.Errors)
	}
	<-sent
	cancel()
	require.Nil(t, responses(ctx))

	require.InDelta(t, 1, testutil.ToFloat64(m.gqlOperations.WithLabelValues("subscription", "name", "ok")), 0)
	require.Equal(t, 1, testutil.CollectAndCount(m.Registry, "pushd_graphql_operations_total"))
	require.Equal(t, 1, testutil.CollectAndCount(m.Registry, "pushd_graphql_operation_duration_seconds"))
}
