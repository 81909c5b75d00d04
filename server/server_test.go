package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/metrics"
	"github.com/pushd/pushd/server"
)

func get(t *testing.T, h http.Handler, path string) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

// With a metrics address, /metrics and the profiles leave the HTTP port
// for their own handler; without one they stay on it.
func TestMetricsMoveToTheirOwnListener(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		metricsAddr string
	}{
		{"on the HTTP port", ""},
		{"on a listener of their own", "127.0.0.1:0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.MetricsAddr, cfg.Pprof = tc.metricsAddr, true
			s := server.New(server.Deps{Config: cfg, Metrics: metrics.New(), Roles: server.Roles{Worker: true}})
			require.Equal(t, http.StatusOK, get(t, s, "/healthz"))
			if tc.metricsAddr == "" {
				require.Nil(t, s.Operations())
				require.Equal(t, http.StatusOK, get(t, s, "/metrics"))
				require.Equal(t, http.StatusOK, get(t, s, "/debug/pprof/"))
				return
			}
			require.Equal(t, http.StatusNotFound, get(t, s, "/metrics"))
			require.Equal(t, http.StatusNotFound, get(t, s, "/debug/pprof/"))
			ops := s.Operations()
			require.NotNil(t, ops)
			require.Equal(t, http.StatusOK, get(t, ops, "/metrics"))
			require.Equal(t, http.StatusOK, get(t, ops, "/debug/pprof/"))
			require.Equal(t, http.StatusNotFound, get(t, ops, "/healthz"), "only metrics and profiles")
		})
	}
}
