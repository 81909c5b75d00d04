package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/gateway"
	"github.com/pushd/pushd/provider/providertest"
)

// TestVendorMeizuEndToEnd: credentials saved through the API, a classified
// push through the Meizu fake (which checks the signature and every
// field), the delivered receipt Meizu posts to pushd's receipt URL with
// the verifiable tag (ARRIVED), and a pushId Meizu says is not registered:
// the token dies and the delivery fails.
func TestVendorMeizuEndToEnd(t *testing.T) {
	t.Parallel()
	v, env := startWithReceipts(t)
	f := v.fakes

	c := f.Meizu.Credentials()
	cfg := v.setChannel(t, fmt.Sprintf(`meizu: {appID: %q, appSecret: %q}`, c.AppID, c.AppSecret))
	require.Equal(t, "MEIZU", cfg["channel"])
	require.NotContains(t, fmt.Sprint(cfg["summary"]), c.AppSecret, "the secret is never returned")

	good := v.b.registerWith("mz-ok", enum.PlatformAndroid, gateway.Tokens{"meizu": ptr("ULY6c5966617e5a7e6d4c6f")})
	dead := v.b.registerWith("mz-dead", enum.PlatformAndroid, gateway.Tokens{"meizu": ptr("ULY6c-unregistered")})
	f.Meizu.SetPushID("ULY6c-unregistered", providertest.MeizuPushIDNotRegistered)

	j := v.b.simple(good, 600, ", classification: IM")
	j = v.b.waitJob(j.ID, func(j job) bool { return j.Counts.Arrived == 1 })
	sends := waitLog(t, &f.Meizu.Sends, 1)
	m := sends[0].Message
	require.Equal(t, 1, m.NoticeBarInfo.NoticeMsgType, "a service message is private")
	require.Equal(t, env["PUSHD_PUBLIC_URL"]+"/vendor/v1/meizu/"+cfg["id"].(string)+"/receipts", m.Extra["callback"])
	require.NotEqual(t, j.ID, m.Extra["callback.param"], "a MAC-tagged job ID")
	require.Contains(t, m.ClickTypeInfo.Parameters["pushd"], j.ID)
	require.Equal(t, http.StatusOK, waitLog(t, &f.Meizu.Receipts, 1)[0].Status)

	j = v.b.simple(dead, 600, ", classification: IM")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Failed)
	status, channel, lastError := v.b.deliveryOf(j.ID)
	require.Equal(t, "FAILED", status)
	require.Equal(t, "MEIZU", channel)
	require.Contains(t, lastError, "110002")
}
