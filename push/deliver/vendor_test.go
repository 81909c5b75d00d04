package deliver

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/credentials"
)

// The routing rules as tables; the sends, leases and answers they lead to
// are tested end to end through push.Service (push/vendor_test.go,
// push/lease_test.go) on both databases.

func TestPickVendor(t *testing.T) {
	t.Parallel()
	const a, b, c = enum.Channel("A"), enum.Channel("B"), enum.Channel("C")
	order := []enum.Channel{a, b, c}
	working := credentials.StandIn(b, nil)
	broken := brokenRoute(t, a, "wrong key")
	tok := func(ch enum.Channel, st devicetoken.Status) *ent.DeviceToken {
		return &ent.DeviceToken{Channel: ch, Token: "tok-" + string(ch), Status: st}
	}
	for _, tc := range []struct {
		name     string
		tokens   []*ent.DeviceToken
		routes   map[enum.Channel]*credentials.Route
		channels []enum.Channel
		want     enum.Channel // "" when no route is picked
		blocked  string       // substring of the reason, "" for none
	}{
		{name: "no token waits", routes: map[enum.Channel]*credentials.Route{b: working}},
		{name: "token without credentials waits", tokens: []*ent.DeviceToken{tok(c, devicetoken.StatusACTIVE)},
			routes: map[enum.Channel]*credentials.Route{b: working}},
		{name: "live token on a working route", tokens: []*ent.DeviceToken{tok(b, devicetoken.StatusACTIVE)},
			routes: map[enum.Channel]*credentials.Route{b: working}, want: b},
		{name: "dead token is skipped", tokens: []*ent.DeviceToken{tok(b, devicetoken.StatusDEAD)},
			routes: map[enum.Channel]*credentials.Route{b: working}},
		{name: "broken route only blocks", tokens: []*ent.DeviceToken{tok(a, devicetoken.StatusACTIVE)},
			routes: map[enum.Channel]*credentials.Route{a: broken}, blocked: "A channel is misconfigured: wrong key"},
		{name: "broken first, working next", tokens: []*ent.DeviceToken{tok(a, devicetoken.StatusACTIVE), tok(b, devicetoken.StatusACTIVE)},
			routes: map[enum.Channel]*credentials.Route{a: broken, b: working}, want: b},
		{name: "the job's channels exclude the working one", tokens: []*ent.DeviceToken{tok(b, devicetoken.StatusACTIVE)},
			routes: map[enum.Channel]*credentials.Route{b: working}, channels: []enum.Channel{c}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			job := &ent.PushJob{Options: jsontype.Options{Channels: tc.channels}}
			dev := &ent.Device{Edges: ent.DeviceEdges{Tokens: tc.tokens}}
			p := pickVendor(order, job, dev, tc.routes)
			if tc.want == "" {
				require.Nil(t, p.route)
			} else {
				require.NotNil(t, p.route)
				require.Equal(t, tc.want, p.route.Channel())
				require.Equal(t, "tok-"+string(tc.want), p.token)
			}
			if tc.blocked == "" {
				require.Empty(t, p.blocked)
			} else {
				require.Contains(t, p.blocked, tc.blocked)
			}
		})
	}
}

func TestSuspectBatch(t *testing.T) {
	t.Parallel()
	dead := func(n int, reason string) []core.Result {
		out := make([]core.Result, n)
		for i := range out {
			out[i] = core.Result{Outcome: core.OutcomeTokenDead, Reason: reason}
		}
		return out
	}
	mixed := append(dead(MassKillThreshold, "BadDeviceToken"), core.Result{Outcome: core.OutcomeSent})
	other := append(dead(MassKillThreshold, "BadDeviceToken"), core.Result{Outcome: core.OutcomeTokenDead, Reason: "Unregistered"})
	for _, tc := range []struct {
		name    string
		results []core.Result
		suspect bool
	}{
		{"too few to judge", dead(MassKillThreshold-1, "BadDeviceToken"), false},
		{"a whole batch of an environment error", dead(MassKillThreshold, "400 BadDeviceToken"), true},
		{"a whole batch of a project mismatch", dead(MassKillThreshold+3, "SENDER_ID_MISMATCH"), true},
		{"one accepted", mixed, false},
		{"reasons differ", other, false},
		{"a whole batch of uninstalls is real", dead(MassKillThreshold*2, "Unregistered"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			why := suspectBatch(tc.results)
			require.Equal(t, tc.suspect, why != "", why)
			if tc.suspect {
				require.True(t, strings.Contains(why, "no token was marked dead"), why)
			}
		})
	}
}

// brokenRoute is a stand-in route flagged as misconfigured, as a vendor's
// configuration error leaves it.
func brokenRoute(t *testing.T, c enum.Channel, why string) *credentials.Route {
	t.Helper()
	r := credentials.StandIn(c, nil)
	flagged, err := credentials.New(credentials.Config{}).Flag(context.Background(), "", r, why)
	require.NoError(t, err)
	require.True(t, flagged)
	return r
}
