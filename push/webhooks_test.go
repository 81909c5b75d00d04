package push

import (
	"net"
	"testing"

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
	for _, tc := range []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://hooks.example.com/pushd", false, true},
		{"http://hooks.example.com:8080/p?x=1", false, true},
		{"ftp://hooks.example.com/", false, false},
		{"/relative", false, false},
		{"https://user:pw@hooks.example.com/", false, false},
		{"http://localhost:8080/", false, false},
		{"http://api.localhost/", false, false},
		{"http://127.0.0.1/", false, false},
		{"http://[::1]/", false, false},
		{"http://10.0.0.8/", false, false},
		{"http://192.168.1.1/", false, false},
		{"http://169.254.169.254/", false, false},
		{"http://100.64.1.1/", false, false},
		{"http://127.0.0.1/", true, true},
	} {
		err := CheckWebhookURL(tc.url, tc.allowPrivate)
		require.Equal(t, tc.ok, err == nil, "%s: %v", tc.url, err)
	}
	require.False(t, PrivateAddress(net.ParseIP("93.184.216.34")))
}
