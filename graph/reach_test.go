package graph_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
)

// The composer asks before sending how many targets the chosen channels
// can reach; a WEB device pushed "only through APNs" is the case that
// used to wait out its TTL unannounced.
func TestReachabilityCountsWhatTheChannelsCanReach(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("reach")
	b.ok(`mutation($app: ID!) { setChannelConfig(input: {appID: $app, xiaomi: {appSecret: "very-secret-value", packageName: "com.example"}}) { id } }`,
		map[string]any{"app": app})
	token := func(d *ent.Device, c enum.Channel) {
		_, err := b.stores.Ent.DeviceToken.Create().SetAppID(d.AppID).SetDeviceID(d.ID).SetChannel(c).SetToken(string(c) + "-" + d.InstallationID).Save(b.sys)
		require.NoError(t, err)
	}
	xiaomi := b.newDevice(app, "i-xiaomi")
	token(xiaomi, enum.ChannelXiaomi)
	web := b.newDevice(app, "i-web", func(c *ent.DeviceCreate) { c.SetPlatform("WEB") })
	// An APNs token without APNs credentials in the app is no way in.
	iphone := b.newDevice(app, "i-iphone", func(c *ent.DeviceCreate) { c.SetPlatform("IOS") })
	token(iphone, enum.ChannelAPNs)
	off := b.newDevice(app, "i-off", func(c *ent.DeviceCreate) { c.SetPushEnabled(false) })
	token(off, enum.ChannelXiaomi)
	b.ok(`mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: "u-1"}) { id } }`, map[string]any{"d": string(xiaomi.ID)})

	all := []string{string(xiaomi.ID), string(web.ID), string(iphone.ID), string(off.ID)}
	q := `query($app: ID!, $target: PushTarget, $audience: AudienceInput, $channels: [Channel!]) {
		reachability(appID: $app, target: $target, audience: $audience, channels: $channels) { targeted reachable pushDisabled } }`
	for _, tc := range []struct {
		name                           string
		target, audience               map[string]any
		channels                       []string
		targeted, reachable, pushedOff int
	}{
		{"every channel", map[string]any{"deviceIDs": all}, nil, nil, 4, 3, 1},
		{"pushd's own channel", map[string]any{"deviceIDs": all}, nil, []string{"SELF"}, 4, 3, 1},
		{"only APNs, which the app has no credentials for", map[string]any{"deviceIDs": all}, nil, []string{"APNS"}, 4, 0, 1},
		{"only Xiaomi", map[string]any{"deviceIDs": all}, nil, []string{"XIAOMI"}, 4, 1, 1},
		{"Xiaomi or APNs", map[string]any{"deviceIDs": all}, nil, []string{"APNS", "XIAOMI"}, 4, 1, 1},
		{"a user's devices", map[string]any{"userIDs": []string{"u-1", "nobody"}}, nil, []string{"XIAOMI"}, 1, 1, 0},
		{"a broadcast leaves out push-disabled devices", nil, map[string]any{}, []string{"XIAOMI"}, 3, 1, 0},
		{"a broadcast to the web only", nil, map[string]any{"platforms": []string{"WEB"}}, []string{"APNS"}, 1, 0, 0},
	} {
		d := b.ok(q, map[string]any{"app": app, "target": tc.target, "audience": tc.audience, "channels": tc.channels})
		require.Equal(t, map[string]any{"targeted": float64(tc.targeted), "reachable": float64(tc.reachable), "pushDisabled": float64(tc.pushedOff)},
			path(d, "reachability"), tc.name)
	}

	for name, vars := range map[string]map[string]any{
		"neither":       {"app": app},
		"both":          {"app": app, "target": map[string]any{"deviceIDs": all}, "audience": map[string]any{}},
		"devices+users": {"app": app, "target": map[string]any{"deviceIDs": all, "userIDs": []string{"u-1"}}},
	} {
		require.Equal(t, "INVALID_ARGUMENT", b.do(q, vars).code(), name)
	}
}

// A push's page shows whom it targeted: the target of a simple push, the
// filters of a broadcast.
func TestPushJobShowsItsTargetOrAudience(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("targets")
	dev := b.newDevice(app, "i-target")
	d := b.ok(`mutation($app: ID!, $d: ID!) { pushSimple(input: {appID: $app, target: {deviceIDs: [$d]}, message: {title: "t"}}) { target { deviceIDs userIDs } audience { tags } } }`,
		map[string]any{"app": app, "d": string(dev.ID)})
	require.Equal(t, map[string]any{"deviceIDs": []any{string(dev.ID)}, "userIDs": []any{}}, path(d, "pushSimple", "target"))
	require.Nil(t, path(d, "pushSimple", "audience"))

	d = b.ok(`mutation($app: ID!) { pushBroadcast(input: {appID: $app, message: {title: "t"}, audience: {tags: ["城市:上海"], bound: BOUND, activeWithinSeconds: 3600}}) {
		target { deviceIDs } audience { platforms appVersions tags groups bound activeWithinSeconds } } }`, map[string]any{"app": app})
	require.Nil(t, path(d, "pushBroadcast", "target"))
	require.Equal(t, map[string]any{"platforms": []any{}, "appVersions": []any{}, "tags": []any{"城市:上海"}, "groups": []any{}, "bound": "BOUND", "activeWithinSeconds": float64(3600)},
		path(d, "pushBroadcast", "audience"))
}
