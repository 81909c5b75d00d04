package webhook

import (
	"bufio"
	"context"
	"net"
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

// A receiver that answers garbage is not quoted in the error the attempt
// log keeps.
func TestPostErrorQuotesNothingOfTheReceiver(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		_, _ = bufio.NewReader(c).ReadString('\n')
		_, _ = c.Write([]byte("RECEIVER-SECRET\r\n\r\n"))
		_ = c.Close()
	}()
	_, err = New(egress.Policy{Any: true}).Post(context.Background(), "http://"+l.Addr().String()+"/", http.Header{}, []byte(`{}`))
	require.Error(t, err)
	require.NotContains(t, err.Error(), "RECEIVER-SECRET")
	require.Contains(t, err.Error(), "post: ")
}
