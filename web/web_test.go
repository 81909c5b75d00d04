package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

func get(t *testing.T, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(body)
}

func TestConsoleServesTheAppWithFallbackAndCSP(t *testing.T) {
	t.Parallel()
	h := Handler(fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><div id=app></div>")},
		"assets/app-1a2b.js": {Data: []byte("console.log(1)")},
	})
	for _, p := range []string{"/", "/apps/app_1/jobs/job_2", "/login"} {
		resp, body := get(t, h, p)
		require.Equal(t, http.StatusOK, resp.StatusCode, p)
		require.Contains(t, body, `<div id=app>`, "%s: deep links get the app", p)
		require.Equal(t, CSP, resp.Header.Get("Content-Security-Policy"))
		require.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
	}
	resp, body := get(t, h, "/assets/app-1a2b.js")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "console.log(1)", body)
	require.Contains(t, resp.Header.Get("Cache-Control"), "immutable")
	resp, _ = get(t, h, "/assets/missing.js")
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "a missing file is not the app")
}

func TestConsoleNotBuiltSaysHowToBuildIt(t *testing.T) {
	t.Parallel()
	resp, body := get(t, Handler(fstest.MapFS{}), "/anything")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, body, "make run")
	require.Equal(t, CSP, resp.Header.Get("Content-Security-Policy"))
}

func TestEmbeddedBuildLoads(t *testing.T) {
	t.Parallel()
	resp, _ := get(t, Handler(nil), "/")
	require.Equal(t, http.StatusOK, resp.StatusCode, "built or not, the console answers")
}
