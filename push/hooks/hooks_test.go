package hooks

import (
	"net/netip"
	"testing"

	"github.com/pushd/pushd/egress"
	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

func TestImpliedStatuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		notified, status string
		want             []string
	}{
		{"", "SENT", []string{"SENT"}},
		{"", "ARRIVED", []string{"SENT", "ARRIVED"}},
		{"", "OPENED", []string{"SENT", "ARRIVED", "OPENED"}},
		{"SENT", "IGNORED", []string{"ARRIVED", "IGNORED"}},
		{"ARRIVED", "OPENED", []string{"OPENED"}},
		{"SENT", "FAILED", []string{"FAILED"}},
		{"", "EXPIRED", []string{"EXPIRED"}},
		{"ARRIVED", "REVOKED", []string{"REVOKED"}},
	} {
		require.Equal(t, tc.want, impliedStatuses(tc.notified, tc.status), "%s -> %s", tc.notified, tc.status)
	}
}

func TestCheckWebhookURL(t *testing.T) {
	t.Parallel()
	lan := egress.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}}
	for _, tc := range []struct {
		url    string
		policy egress.Policy
		ok     bool
	}{
		{"https://hooks.example.com/pushd", egress.Policy{}, true},
		{"http://hooks.example.com:8080/p?x=1", egress.Policy{}, true},
		{"http://93.184.216.34/", egress.Policy{}, true},
		{"ftp://hooks.example.com/", egress.Policy{}, false},
		{"/relative", egress.Policy{}, false},
		{"https://user:pw@hooks.example.com/", egress.Policy{}, false},
		{"http://localhost:8080/", egress.Policy{}, false},
		{"http://api.localhost/", egress.Policy{}, false},
		{"http://127.0.0.1/", egress.Policy{}, false},
		{"http://[::1]/", egress.Policy{}, false},
		{"http://10.0.0.8/", egress.Policy{}, false},
		{"http://192.168.1.1/", egress.Policy{}, false},
		{"http://169.254.169.254/", egress.Policy{}, false},
		{"http://100.64.1.1/", egress.Policy{}, false},
		// Blocks a hand-made list used to miss.
		{"http://198.18.0.1/", egress.Policy{}, false},
		{"http://192.0.0.8/", egress.Policy{}, false},
		{"http://240.0.0.1/", egress.Policy{}, false},
		{"http://[64:ff9b::7f00:1]/", egress.Policy{}, false},
		{"http://[2002:7f00:1::]/", egress.Policy{}, false},
		{"http://[::7f00:1]/", egress.Policy{}, false},
		{"http://[::ffff:127.0.0.1]/", egress.Policy{}, false},
		// Numbers that resolvers read as 127.0.0.1: refused even when
		// private addresses are allowed, since no check can read them.
		{"http://2130706433/", egress.Policy{}, false},
		{"http://127.1/", egress.Policy{}, false},
		{"http://0x7f000001/", egress.Policy{}, false},
		{"http://0x7f000001/", egress.Policy{Any: true}, false},
		{"http://10.20.1.1/", lan, true},
		{"http://10.21.1.1/", lan, false},
		{"http://127.0.0.1/", egress.Policy{Any: true}, true},
	} {
		err := CheckURL(tc.url, tc.policy)
		require.Equal(t, tc.ok, err == nil, "%s: %v", tc.url, err)
		if err != nil {
			pe, ok := core.AsError(err)
			require.True(t, ok)
			require.Equal(t, core.CodeInvalidArgument, pe.Code, tc.url)
			require.Equal(t, "url", pe.Field, tc.url)
		}
	}
}
