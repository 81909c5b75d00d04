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

// TestVendorOPPOEndToEnd: credentials saved through the API, a push
// through the OPPO fake (which checks the signature, the token and every
// field), its receipt back through pushd to ARRIVED, and a registration
// ID OPPO refuses: the token dies and the delivery fails with OPPO's code.
func TestVendorOPPOEndToEnd(t *testing.T) {
	t.Parallel()
	v, env := startWithReceipts(t)
	f := v.fakes

	o := f.OPPO.Credentials()
	cfg := v.setChannel(t, fmt.Sprintf(`oppo: {appKey: %q, masterSecret: %q, channelID: "news"}`, o.AppKey, o.MasterSecret))
	require.Equal(t, "OPPO", cfg["channel"])
	require.NotContains(t, fmt.Sprint(cfg["summary"]), o.MasterSecret, "the secret is never returned")

	goodToken, deadToken := "CN_"+strings.Repeat("a1", 16), "CN_"+strings.Repeat("d2", 16)
	f.OPPO.SetRegID(deadToken, providertest.OPPORegInvalid)
	good := v.b.registerWith("oppo-ok", enum.PlatformAndroid, gateway.Tokens{"oppo": ptr(goodToken)})
	dead := v.b.registerWith("oppo-dead", enum.PlatformAndroid, gateway.Tokens{"oppo": ptr(deadToken)})

	j := v.b.simple(good, 600, "")
	j = v.b.waitJob(j.ID, func(j job) bool { return j.Counts.Arrived == 1 })
	require.Equal(t, 1, j.Counts.Targeted)
	sends := f.OPPO.Sends.All()
	require.Len(t, sends, 1)
	require.Len(t, sends[0].Messages, 1)
	n := sends[0].Messages[0].Notification
	require.Equal(t, goodToken, sends[0].Messages[0].TargetValue)
	require.Equal(t, "news", n.ChannelID, "the credentials' default channel")
	require.NotEmpty(t, n.AppMessageID, "the delivery ID, OPPO's de-duplication key")
	require.True(t, strings.HasPrefix(n.CallBackURL, env["PUSHD_PUBLIC_URL"]+"/vendor/v1/oppo/"), n.CallBackURL)
	require.NotEqual(t, j.ID, n.CallBackParameter, "a MAC-tagged job ID")
	require.LessOrEqual(t, len(n.CallBackParameter), 50)

	// A classified message: OPPO's category and the reminder level that
	// goes with it, and the fake, which checks the pair, takes it.
	j = v.b.simple(good, 600, ", classification: VOIP")
	v.b.waitJob(j.ID, func(j job) bool { return j.Counts.Arrived == 1 })
	sends = f.OPPO.Sends.All()
	require.Len(t, sends, 2)
	n = sends[1].Messages[0].Notification
	require.Equal(t, "IM", n.Category)
	require.Equal(t, 2, n.NotifyLevel)

	j = v.b.simple(dead, 600, "")
	j = v.b.waitJob(j.ID, final)
	require.Equal(t, 1, j.Counts.Failed)
	var out struct {
		Deliveries struct {
			Edges []struct {
				Node struct{ Status, LastError string }
			}
		}
	}
	v.b.do(fmt.Sprintf(`{ deliveries(where: {jobID: %q}) { edges { node { status lastError } } } }`, j.ID), nil, &out)
	require.Len(t, out.Deliveries.Edges, 1)
	require.Contains(t, out.Deliveries.Edges[0].Node.LastError, "OPPO: 10000")
}
