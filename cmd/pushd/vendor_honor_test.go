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

// TestVendorHonorEndToEnd: credentials saved through the API, a classified
// push through the Honor fake (which checks the OAuth token, the
// timestamp header and every field), left SENT (Honor publishes no
// receipt format), a phone with Honor and FCM tokens reached through
// Honor, and a token Honor names expired: the token dies and the delivery
// fails.
func TestVendorHonorEndToEnd(t *testing.T) {
	t.Parallel()
	v, _ := startWithReceipts(t)
	f := v.fakes

	c := f.Honor.Credentials()
	cfg := v.setChannel(t, fmt.Sprintf(`honor: {appID: %q, clientID: %q, clientSecret: %q}`, c.AppID, c.ClientID, c.ClientSecret))
	require.Equal(t, "HONOR", cfg["channel"])
	require.NotContains(t, fmt.Sprint(cfg["summary"]), c.ClientSecret, "the secret is never returned")
	fc := f.FCM.Credentials()
	v.setChannel(t, fmt.Sprintf(`fcm: {serviceAccountJSON: %q}`, fc.ServiceAccountJSON))

	goodToken, deadToken := "h-"+strings.Repeat("a1", 16), "h-"+strings.Repeat("d2", 16)
	f.Honor.SetToken(deadToken, providertest.HonorTokenExpired)
	good := v.b.registerWith("honor-ok", enum.PlatformAndroid, gateway.Tokens{"honor": ptr(goodToken), "fcm": ptr("fcm-of-an-honor-phone")})
	dead := v.b.registerWith("honor-dead", enum.PlatformAndroid, gateway.Tokens{"honor": ptr(deadToken)})

	j := v.b.simple(good, 600, ", classification: IM")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Sent)
	sends := waitLog(t, &f.Honor.Sends, 1)
	require.Len(t, sends, 1)
	require.Equal(t, []string{goodToken}, sends[0].Delivered)
	require.Equal(t, "NORMAL", sends[0].Request.Android.Notification.Importance)
	require.Equal(t, j.ID, sends[0].Request.Android.BiTag)
	require.Contains(t, *sends[0].Request.Data, j.ID)
	require.Empty(t, f.FCM.Sends.All(), "an Honor phone goes through Honor, not FCM")

	j = v.b.simple(dead, 600, ", classification: IM")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Failed)
	status, channel, lastError := v.b.deliveryOf(j.ID)
	require.Equal(t, "FAILED", status)
	require.Equal(t, "HONOR", channel)
	require.Contains(t, lastError, "expireTokens")
}
