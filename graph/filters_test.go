package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/graph"
)

// repeat returns n copies of item, for building filters.
func repeat(n int, item any) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = item
	}
	return out
}

// nested wraps leaf in n levels of key: {key: {key: … leaf}}.
func nested(n int, key string, leaf map[string]any) map[string]any {
	for range n {
		leaf = map[string]any{key: leaf}
	}
	return leaf
}

func strs(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = fmt.Sprintf("inst-%d", i)
	}
	return out
}

// The filter limits, at and just past each, in variables and inline.
func TestFilterLimits(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const devices = `query($w: DeviceWhereInput) { devices(where: $w) { totalCount } }`
	android := map[string]any{"platform": "ANDROID"}
	join := func(inner map[string]any) map[string]any {
		return map[string]any{"hasDeliveriesWith": []any{inner}}
	}
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		want  string // "" means the request succeeds
	}{
		{"a plain filter", devices, map[string]any{"w": android}, ""},
		{"terms at the limit", devices, map[string]any{"w": map[string]any{"or": repeat(graph.MaxFilterTerms-1, android)}}, ""},
		{"terms past the limit", devices, map[string]any{"w": map[string]any{"or": repeat(graph.MaxFilterTerms, android)}}, "more than 100 terms"},
		{"empty objects are terms", devices, map[string]any{"w": map[string]any{"or": repeat(graph.MaxFilterTerms, map[string]any{})}}, "more than 100 terms"},
		{"terms inline", "{ devices(where: {or: [" + strings.Repeat("{platform: ANDROID} ", graph.MaxFilterTerms) + "]}) { totalCount } }", nil, "more than 100 terms"},
		{"a variable inside a literal", `query($o: [DeviceWhereInput!]) { devices(where: {or: $o}) { totalCount } }`,
			map[string]any{"o": repeat(graph.MaxFilterTerms, android)}, "more than 100 terms"},
		{"terms summed over aliases", `query($w: DeviceWhereInput) { a: devices(where: $w) { totalCount } b: devices(where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"or": repeat(graph.MaxFilterTerms/2, android)}}, "more than 100 terms"},
		{"terms summed over fragment spreads", `query($w: DeviceWhereInput) { ...F ... on Query { ...F } }
			fragment F on Query { devices(where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"or": repeat(graph.MaxFilterTerms/2, android)}}, "more than 100 terms"},
		{"nested connections count", `query($w: DeviceWhereInput) { apps(first: 1) { edges { node { devices(where: $w) { totalCount } } } } }`,
			map[string]any{"w": map[string]any{"or": repeat(graph.MaxFilterTerms, android)}}, "more than 100 terms"},
		{"depth at the limit", devices, map[string]any{"w": nested(graph.MaxFilterDepth-1, "not", android)}, ""},
		{"depth past the limit", devices, map[string]any{"w": nested(graph.MaxFilterDepth, "not", android)}, "where inputs nested more than 5 levels deep"},
		{"joins at the limit", devices, map[string]any{"w": map[string]any{"and": repeat(graph.MaxFilterJoins, join(map[string]any{"lastErrorContainsFold": "n"}))}}, ""},
		{"joins past the limit", devices, map[string]any{"w": map[string]any{"and": repeat(graph.MaxFilterJoins+1, join(map[string]any{"lastErrorContainsFold": "n"}))}}, "more than 4 has…With joins"},
		{"nested joins", devices, map[string]any{"w": map[string]any{
			"hasDeliveriesWith": []any{map[string]any{"hasJobWith": []any{map[string]any{"errorContainsFold": "x"}}}},
			"hasUserWith":       []any{map[string]any{"hasGroupsWith": []any{map[string]any{"nameContainsFold": "x"}}}},
			"hasTokensWith":     []any{map[string]any{"tokenContainsFold": "x"}},
		}}, "more than 4 has…With joins"},
		{"a list at the limit", devices, map[string]any{"w": map[string]any{"installationIDIn": strs(graph.MaxFilterList)}}, ""},
		{"a list past the limit", devices, map[string]any{"w": map[string]any{"installationIDIn": strs(graph.MaxFilterList + 1)}}, "installationIDIn has 1001 items, at most 1000"},
		{"or past the list limit", devices, map[string]any{"w": map[string]any{"or": repeat(graph.MaxFilterList+1, android)}}, "or has 1001 items, at most 1000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.do(tc.query, tc.vars)
			if tc.want == "" {
				require.Empty(t, r.Errors)
				return
			}
			require.NotEmpty(t, r.Errors)
			require.Nil(t, r.Data, "refused before any resolver ran")
			require.Equal(t, "INVALID_ARGUMENT", r.code(), "%+v", r.Errors)
			require.Equal(t, "FILTER_LIMIT_EXCEEDED", r.Errors[0].Extensions["reason"])
			require.Equal(t, "where", r.Errors[0].Extensions["field"])
			require.Contains(t, r.Errors[0].Message, "filter too large: "+tc.want)
		})
	}
}

// The reported attack: a viewer's OR of 8,000 hasDeliveriesWith, 444 KB
// of variables, ran 50 s on PostgreSQL for an app of two devices. It is
// refused before the database is asked, and ordinary filters still work.
func TestFilterAttackIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("filters")
	b.newDevice(app, "inst-a", func(c *ent.DeviceCreate) { c.SetPlatform("IOS") })
	b.newDevice(app, "inst-b")
	viewer := b.viewerOf(app)

	term := map[string]any{"hasDeliveriesWith": []any{map[string]any{"lastErrorContainsFold": "n"}}}
	body, err := json.Marshal(map[string]any{
		"query":     `query($w: DeviceWhereInput) { devices(where: $w) { totalCount } }`,
		"variables": map[string]any{"w": map[string]any{"or": repeat(8000, term)}},
	})
	require.NoError(t, err)
	start := time.Now()
	r := viewer(body)
	took := time.Since(start)
	t.Logf("8,000-term filter (%d KB) refused in %s", len(body)>>10, took)
	require.Equal(t, "INVALID_ARGUMENT", r.code(), "%+v", r.Errors)
	require.Equal(t, "FILTER_LIMIT_EXCEEDED", r.Errors[0].Extensions["reason"])
	require.Contains(t, r.Errors[0].Message, "filter too large")
	require.Nil(t, r.Data)

	body, err = json.Marshal(map[string]any{
		"query": `query($w: DeviceWhereInput) { devices(where: $w) { edges { node { installationID } } } }`,
		"variables": map[string]any{"w": map[string]any{
			"or":  []any{map[string]any{"platform": "ANDROID"}, map[string]any{"installationIDIn": []any{"inst-x"}}},
			"not": map[string]any{"hasDeliveriesWith": []any{map[string]any{"lastErrorContainsFold": "n"}}},
		}},
	})
	require.NoError(t, err)
	r = viewer(body)
	require.Empty(t, r.Errors)
	require.Equal(t, "inst-b", path(r.Data, "devices", "edges", 0, "node", "installationID"))
	require.Len(t, path(r.Data, "devices", "edges"), 1)
}

// viewerOf makes a viewer of app and returns how to post as them.
func (b *bundle) viewerOf(app string) func(body []byte) gqlResponse {
	b.t.Helper()
	email, password := "viewer-"+key16(b.t)+"@test.local", "viewer-password"
	d := b.ok(`mutation($e: String!, $p: String!) { createAccount(input: {email: $e, password: $p}) { id } }`,
		map[string]any{"e": email, "p": password})
	b.ok(`mutation($a: ID!, $app: ID!) { setMembership(input: {accountID: $a, appID: $app, role: VIEWER}) { role } }`,
		map[string]any{"a": path(d, "createAccount", "id"), "app": app})
	c, csrf := b.login(email, password)
	return func(body []byte) gqlResponse { return b.postAs(c, csrf, body) }
}
