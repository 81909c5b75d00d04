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

// TestVendorHarmonyEndToEnd: a service account saved through the API, a
// classified push to a HarmonyOS 5 device through the Push Kit v3 fake
// (which checks the PS256 JWT, the push-type and every field), its signed
// V2 receipt through pushd's receipt URL (ARRIVED), and a token Push Kit
// refuses as malformed: the token dies and the delivery fails.
func TestVendorHarmonyEndToEnd(t *testing.T) {
	t.Parallel()
	v, env := startWithReceipts(t)
	f := v.fakes

	key := providertest.HuaweiReceiptKey()
	c := f.Harmony.Credentials()
	cfg := v.setChannel(t, fmt.Sprintf(`harmony: {serviceAccountJSON: %q, receiptUserName: "pushd", receiptKey: %q}`, c.ServiceAccountJSON, key))
	require.Equal(t, "HARMONY", cfg["channel"])
	require.NotContains(t, fmt.Sprint(cfg["summary"]), "PRIVATE KEY", "the key is never returned")
	require.Empty(t, cfg["configError"])
	d := graphql(t, v.owner, v.in.base, fmt.Sprintf(`{ node(id: %q) { ... on ChannelConfig { receiptURL } } }`, cfg["id"]))
	receiptURL := d["node"].(map[string]any)["receiptURL"].(string)
	require.Equal(t, env["PUSHD_PUBLIC_URL"]+"/vendor/v1/harmony/"+cfg["id"].(string)+"/receipts", receiptURL)
	f.Harmony.SetReceipts(receiptURL, "pushd", key)

	good := v.b.registerWith("hm-ok", enum.PlatformHarmony, gateway.Tokens{"harmony": ptr("MAAALgE4-good")})
	dead := v.b.registerWith("hm-dead", enum.PlatformHarmony, gateway.Tokens{"harmony": ptr("MAAALgE4-dead")})
	f.Harmony.SetToken("MAAALgE4-dead", "tokenFormatError")

	j := v.b.simple(good, 600, ", classification: IM")
	j = v.b.waitJob(j.ID, func(j job) bool { return j.Counts.Arrived == 1 })
	sends := waitLog(t, &f.Harmony.Sends, 1)
	require.Equal(t, []string{"MAAALgE4-good"}, sends[0].Delivered)
	n := sends[0].Request.Payload.Notification
	require.Equal(t, "IM", n.Category)
	require.Equal(t, j.ID, sends[0].Request.PushOptions.BiTag)
	require.Contains(t, fmt.Sprint(n.ClickAction.Data["pushd"]), j.ID)
	posts := waitLog(t, &f.Harmony.Receipts, 1)
	require.Equal(t, http.StatusOK, posts[0].Status, "pushd verified the signature")

	// A test message, for the app's test devices: Push Kit's testMessage.
	var out map[string]job
	v.b.do(`mutation($app: ID!, $dev: ID!) { pushSimple(input: {appID: $app, target: {deviceIDs: [$dev]},
		message: {title: "Test", body: "from pushd", classification: MARKETING}, options: {testMessage: true}}) { `+jobFields+` } }`,
		map[string]any{"app": v.b.appID, "dev": good.id}, &out)
	v.b.waitJob(out["pushSimple"].ID, final)
	sends = waitLog(t, &f.Harmony.Sends, 2)
	require.True(t, sends[1].Request.PushOptions.TestMessage)

	j = v.b.simple(dead, 600, ", classification: IM")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Failed)
	status, channel, lastError := v.b.deliveryOf(j.ID)
	require.Equal(t, "FAILED", status)
	require.Equal(t, "HARMONY", channel)
	require.Contains(t, lastError, "tokenFormatError")
}
