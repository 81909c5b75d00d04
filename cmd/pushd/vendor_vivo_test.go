package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/provider/providertest"
)

// TestVendorVivoEndToEnd: credentials saved through the API, a classified
// push through the vivo fake (which checks the signature, the token and
// every field), left SENT (vivo has no receipts pushd can read), and a
// regId vivo refuses: the token dies and the delivery fails.
func TestVendorVivoEndToEnd(t *testing.T) {
	t.Parallel()
	v, _ := startWithReceipts(t)
	f := v.fakes

	c := f.Vivo.Credentials()
	cfg := v.setChannel(t, fmt.Sprintf(`vivo: {appID: %q, appKey: %q, appSecret: %q}`, c.AppID, c.AppKey, c.AppSecret))
	require.Equal(t, "VIVO", cfg["channel"])
	require.NotContains(t, fmt.Sprint(cfg["summary"]), c.AppSecret, "the secret is never returned")

	goodToken, deadToken := "v-"+strings.Repeat("a1", 12), "v-"+strings.Repeat("d2", 12)
	f.Vivo.SetRegID(deadToken, providertest.VivoRegUninstalled)
	good := v.b.registerWith("vivo-ok", enum.PlatformAndroid, gateway.Tokens{"vivo": ptr(goodToken)})
	dead := v.b.registerWith("vivo-dead", enum.PlatformAndroid, gateway.Tokens{"vivo": ptr(deadToken)})

	// A system message goes at any hour; an operational one would wait for
	// vivo's daytime window.
	j := v.b.simple(good, 600, ", classification: IM")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Sent)
	sends := f.Vivo.Sends.All()
	require.Len(t, sends, 1)
	p := sends[0].Payload
	require.Equal(t, []string{goodToken}, sends[0].Delivered)
	require.Equal(t, "IM", p.Category)
	require.Equal(t, 1, *p.Classification)
	require.NotEmpty(t, p.RequestID, "the delivery ID, vivo's de-duplication key")
	require.Contains(t, p.ClientCustomMap["pushd"], j.ID)

	j = v.b.simple(dead, 600, ", classification: IM")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Failed)
	status, channel, lastError := v.b.deliveryOf(j.ID)
	require.Equal(t, "FAILED", status)
	require.Equal(t, "VIVO", channel)
	require.Contains(t, lastError, "vivo: ")
}
