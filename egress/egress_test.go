package egress_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/egress"
)

func TestSpecialPurposeRefusesAnAddressOfEveryBlock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ addr, block string }{
		{"0.1.2.3", "0.0.0.0/8"},
		{"10.20.30.40", "10.0.0.0/8"},
		{"100.100.1.1", "100.64.0.0/10"},
		{"127.0.0.1", "127.0.0.0/8"},
		{"127.255.255.254", "127.0.0.0/8"},
		{"169.254.169.254", "169.254.0.0/16"}, // cloud metadata
		{"172.31.0.1", "172.16.0.0/12"},
		{"192.0.0.170", "192.0.0.0/24"},
		{"192.0.2.1", "192.0.2.0/24"},
		{"192.31.196.1", "192.31.196.0/24"},
		{"192.52.193.1", "192.52.193.0/24"},
		{"192.88.99.1", "192.88.99.0/24"},
		{"192.168.1.1", "192.168.0.0/16"},
		{"192.175.48.1", "192.175.48.0/24"},
		{"198.19.0.1", "198.18.0.0/15"},
		{"198.51.100.7", "198.51.100.0/24"},
		{"203.0.113.9", "203.0.113.0/24"},
		{"239.1.1.1", "224.0.0.0/4"},
		{"240.0.0.1", "240.0.0.0/4"},
		{"255.255.255.255", "240.0.0.0/4"},
		{"::", "::/128"},
		{"::1", "::1/128"},
		{"::7f00:1", "::/96"},
		{"::ffff:127.0.0.1", "127.0.0.0/8"}, // IPv4-mapped: checked as IPv4
		{"::ffff:10.0.0.1", "10.0.0.0/8"},
		{"64:ff9b::7f00:1", "64:ff9b::/96"},
		{"64:ff9b:1::1", "64:ff9b:1::/48"},
		{"100::1", "100::/64"},
		{"2001::1", "2001::/23"},
		{"2001:2::1", "2001::/23"},
		{"2001:db8::1", "2001:db8::/32"},
		{"2002:7f00:1::1", "2002::/16"},
		{"3fff::1", "3fff::/20"},
		{"5f00::1", "5f00::/16"},
		{"fd00::1", "fc00::/7"},
		{"fe80::1", "fe80::/10"},
		{"fec0::1", "fec0::/10"},
		{"ff02::1", "ff00::/8"},
	} {
		r, refused := egress.SpecialPurpose(netip.MustParseAddr(tc.addr))
		require.True(t, refused, tc.addr)
		require.Equal(t, tc.block, r.Prefix.String(), tc.addr)
		require.NotEmpty(t, r.Name)
	}
	for _, public := range []string{"8.8.8.8", "17.253.144.10", "142.250.74.42", "1.1.1.1", "2607:f8b0:4004:c07::5f", "2a00:1450:4001:80b::200e"} {
		_, refused := egress.SpecialPurpose(netip.MustParseAddr(public))
		require.False(t, refused, public)
	}
}

func TestPolicyAllowsWhatTheOperatorOpened(t *testing.T) {
	t.Parallel()
	lan := netip.MustParseAddr("10.1.2.3")
	require.Error(t, egress.Policy{}.Check(lan))
	require.NoError(t, egress.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}}.Check(lan))
	require.Error(t, egress.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("10.2.0.0/16")}}.Check(lan))
	require.NoError(t, egress.Policy{Any: true}.Check(lan))
	var refused *egress.RefusedError
	require.ErrorAs(t, egress.Policy{}.Check(netip.MustParseAddr("::ffff:127.0.0.1")), &refused)
	require.Equal(t, "127.0.0.1", refused.Addr.String())
}

func TestNumericHostSpellings(t *testing.T) {
	t.Parallel()
	for host, numeric := range map[string]bool{
		"2130706433": true, "127.1": true, "0x7f000001": true, "0x7F.1": true, "0177.0.0.1": true,
		"127.0.0.1.": true, "1.2.3.4.5": true,
		"127.0.0.1": false, "::1": false, "example.com": false, "push.example.cn": false,
		"0x7f.example.com": false, "a1": false, "1a": false, "": false,
	} {
		require.Equal(t, numeric, egress.NumericHost(host), host)
	}
}

func FuzzNumericHost(f *testing.F) {
	for _, s := range []string{"2130706433", "127.1", "0x7f000001", "example.com", "1.2.3.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		// A host that parses as an address is never "numeric in another
		// spelling", and the check never panics.
		if _, err := netip.ParseAddr(host); err == nil {
			require.False(t, egress.NumericHost(host))
		}
	})
}

// The dial-time check, reached through a name: "localhost" resolves to
// loopback, so only the check on the dialled address can refuse it.
func TestClientChecksTheDialledAddress(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	require.NoError(t, err)
	byName := "http://localhost:" + port + "/"

	_, err = egress.Policy{}.Client(egress.ClientOptions{}).Get(byName)
	var refused *egress.RefusedError
	require.ErrorAs(t, err, &refused)
	require.True(t, refused.Addr.IsLoopback())

	for name, p := range map[string]egress.Policy{
		"allowed block":     {Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}},
		"configured host":   {Hosts: []string{"localhost"}},
		"everything (devs)": {Any: true},
	} {
		resp, err := p.Client(egress.ClientOptions{}).Get(byName)
		require.NoError(t, err, name)
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		require.Equal(t, "ok", string(body), name)
	}
}

func TestClientFollowsNoRedirectAndCapsAnswers(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/exact":
			_, _ = io.WriteString(w, strings.Repeat("x", 100))
		default:
			_, _ = io.WriteString(w, strings.Repeat("x", 101))
		}
	}))
	t.Cleanup(srv.Close)
	c := egress.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}.Client(egress.ClientOptions{MaxAnswer: 100})

	resp, err := c.Get(srv.URL + "/redirect")
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode, "the redirect is the answer, not followed")

	resp, err = c.Get(srv.URL + "/exact")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.NoError(t, err)
	require.Len(t, body, 100)

	resp, err = c.Get(srv.URL + "/long")
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.True(t, errors.Is(err, egress.ErrAnswerTooLarge), "%v", err)
}
