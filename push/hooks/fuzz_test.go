package hooks

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/idna"
)

// FuzzCheckWebhookURL checks what the save-time check lets through: an
// absolute http(s) URL without credentials whose host, read as the HTTP
// client reads it (net/http maps a non-ASCII name through IDNA), is not a
// refused block (the egress list, and the standard library's own idea of
// loopback, private, link-local, multicast and unspecified), not a number
// in another spelling and not this machine's name. A wider policy accepts
// at least what a narrower one does.
func FuzzCheckWebhookURL(f *testing.F) {
	for _, s := range []string{
		"https://hooks.example.com/pushd", "http://hooks.example.com:8080/p?x=1", "http://93.184.216.34/",
		"http://127.0.0.1/", "http://[::1]/", "http://10.20.1.1/", "http://169.254.169.254/latest",
		"http://[::ffff:127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[2606:4700::1111]/",
		"http://2130706433/", "http://0x7f.1/", "http://localhost:8080/", "http://api.localhost/",
		"https://user:pw@hooks.example.com/", "ftp://x/", "//hooks.example.com", " http://example.com/ ",
		"http://xn--bcher-kva.example/", "http://bücher.example/",
	} {
		f.Add(s)
	}
	lan := egress.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}}
	policies := []egress.Policy{{}, lan, {Any: true}} // each at least as wide as the one before
	f.Fuzz(func(t *testing.T, raw string) {
		accepted := false
		for _, p := range policies {
			err := CheckURL(raw, p)
			if err != nil {
				require.False(t, accepted, "a wider policy %+v refused %q: %v", p, raw, err)
				e, ok := core.AsError(err)
				require.True(t, ok)
				require.Equal(t, core.CodeInvalidArgument, e.Code)
				require.Equal(t, "url", e.Field)
				continue
			}
			accepted = true
			checkAcceptedWebhookURL(t, raw, p)
		}
	})
}

func checkAcceptedWebhookURL(t *testing.T, raw string, p egress.Policy) {
	require.LessOrEqual(t, len(raw), 2048)
	u, err := url.Parse(strings.TrimSpace(raw))
	require.NoError(t, err)
	require.Contains(t, []string{"http", "https"}, u.Scheme, raw)
	require.NotEmpty(t, u.Host, raw)
	require.Nil(t, u.User, raw)

	host := u.Hostname()
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		host = ascii // what net/http dials and resolves
	}
	require.False(t, egress.NumericHost(host), "accepted %q: host %q is a number", raw, host)
	if p.Any {
		return
	}
	name := strings.ToLower(strings.TrimRight(host, "."))
	require.False(t, name == "localhost" || strings.HasSuffix(name, ".localhost"), "accepted %q: host %q is this machine", raw, host)
	a, err := netip.ParseAddr(host)
	if err != nil {
		return // a name: checked at dial time, after DNS
	}
	allowed := func() bool {
		for _, pr := range p.Allow {
			if pr.Contains(a.WithZone("").Unmap()) {
				return true
			}
		}
		return false
	}()
	if allowed {
		return
	}
	_, special := egress.SpecialPurpose(a.WithZone(""))
	require.False(t, special, "accepted %q: %s is in a refused block", raw, a)
	require.False(t, a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified(), "accepted %q: %s is not a public address", raw, a)
}
