package egress_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/egress"
)

// rawServer answers every connection with answer and closes it: a
// receiver that does not speak HTTP, or not well.
func rawServer(t *testing.T, answer string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_, _ = bufio.NewReader(c).ReadString('\n')
			_, _ = c.Write([]byte(answer))
			_ = c.Close()
		}
	}()
	return "http://" + l.Addr().String() + "/"
}

func TestDescribeNeverQuotesTheRemoteEnd(t *testing.T) {
	t.Parallel()
	const secret = "INTERNAL-SECRET-7f3a"
	client := egress.Policy{Any: true}.Client(egress.ClientOptions{})
	for name, answer := range map[string]string{
		"not HTTP":           secret + "\r\n\r\n",
		"bad status code":    "HTTP/1.1 2" + secret + " OK\r\n\r\n",
		"bad header":         "HTTP/1.1 200 OK\r\n" + secret + "\r\n\r\n",
		"bad content-length": "HTTP/1.1 200 OK\r\nContent-Length: " + secret + "\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			resp, err := client.Post(rawServer(t, answer), "application/json", strings.NewReader("{}"))
			if resp != nil {
				_ = resp.Body.Close()
			}
			require.Error(t, err)
			require.Contains(t, err.Error(), secret, "the raw error quotes the remote end, which is why Describe exists")
			d := egress.Describe(err)
			require.NotEmpty(t, d)
			require.NotContains(t, d, secret)
		})
	}
}

func TestDescribeNamesCommonFailures(t *testing.T) {
	t.Parallel()
	refusing := egress.Policy{}.Client(egress.ClientOptions{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	_, err := refusing.Get(srv.URL)
	require.Contains(t, egress.Describe(err), "refusing to connect to 127.0.0.1")

	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(tlsSrv.Close)
	open := egress.Policy{Any: true}.Client(egress.ClientOptions{})
	_, err = open.Get(tlsSrv.URL)
	require.Equal(t, "TLS: the server's certificate is not trusted", egress.Describe(err))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	_, err = open.Get("http://" + addr + "/")
	require.Equal(t, "connection refused", egress.Describe(err))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	_, err = open.Do(req)
	require.Equal(t, "cancelled", egress.Describe(err))
	require.Empty(t, egress.Describe(nil))
}
