package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/egress"
)

func TestPosterRefusesPrivateAddressesUnlessAllowed(t *testing.T) {
	t.Parallel()
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		require.Equal(t, "pushd-webhook/1", r.UserAgent())
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)

	_, err := New(egress.Policy{}).Post(context.Background(), srv.URL, http.Header{}, []byte(`{}`))
	require.ErrorIs(t, err, ErrPrivateAddress, "checked at connect time, on the resolved address")
	require.Zero(t, hits)

	status, err := New(egress.Policy{Any: true}).Post(context.Background(), srv.URL, http.Header{}, []byte(`{}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, status)
}

func TestPosterDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.RedirectHandler("http://169.254.169.254/latest/meta-data", http.StatusFound))
	t.Cleanup(srv.Close)
	status, err := New(egress.Policy{Any: true}).Post(context.Background(), srv.URL, http.Header{}, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusFound, status, "a redirect is an answer, not a way elsewhere")
}
