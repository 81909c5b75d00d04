package providertest

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestChaosResetForAbortsEveryRequestUntilItEnds(t *testing.T) {
	t.Parallel()
	var c Chaos
	srv := httptest.NewServer(c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})))
	t.Cleanup(srv.Close)
	get := func() error {
		resp, err := srv.Client().Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}

	c.ResetFor(time.Hour)
	for range 3 {
		require.Error(t, get(), "aborted during the outage")
	}
	c.ResetFor(0) // the outage is over
	require.NoError(t, get())
}
