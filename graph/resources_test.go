package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
)

func TestAppLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t)

	d := b.ok(`mutation { createApp(input: {name: "  demo  ", description: "first"}) { id name description appKey createdAt } }`, nil)
	app := path(d, "createApp").(map[string]any)
	id := app["id"].(string)
	require.Regexp(t, `^app_[0-9A-Z]{26}$`, id)
	require.Equal(t, "demo", app["name"], "names are trimmed")
	require.Regexp(t, `^ak_[a-z2-7]{32}$`, app["appKey"])

	d = b.ok(`mutation($id: ID!) { updateApp(id: $id, input: {name: "renamed"}) { name description } }`, map[string]any{"id": id})
	require.Equal(t, "renamed", path(d, "updateApp", "name"))
	require.Equal(t, "first", path(d, "updateApp", "description"))

	d = b.ok(`query($id: ID!) { node(id: $id) { id ... on App { name } } }`, map[string]any{"id": id})
	require.Equal(t, "renamed", path(d, "node", "name"))

	b.newDevice(id, "install-1")
	d = b.ok(`mutation($id: ID!) { deleteApp(id: $id) }`, map[string]any{"id": id})
	require.Equal(t, id, path(d, "deleteApp"))

	r := b.do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
	require.Equal(t, "NOT_FOUND", r.code())
	n, err := b.stores.Ent.Device.Query().Count(b.sys)
	require.NoError(t, err)
	require.Zero(t, n, "deleting an app deletes its devices")

	r = b.do(`mutation($id: ID!) { deleteApp(id: $id) }`, map[string]any{"id": id})
	require.Equal(t, "NOT_FOUND", r.code())
	require.Equal(t, "app not found", r.Errors[0].Message)
}

func TestAppValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, tc := range []struct {
		name, query, code, field string
	}{
		{"empty name", `mutation { createApp(input: {name: " "}) { id } }`, "INVALID_ARGUMENT", "name"},
		{"name too long", fmt.Sprintf(`mutation { createApp(input: {name: "%0101d"}) { id } }`, 0), "INVALID_ARGUMENT", "name"},
		{"missing name", `mutation { createApp(input: {}) { id } }`, "INVALID_ARGUMENT", ""},
		{"unknown app", `mutation { updateApp(id: "app_01ARZ3NDEKTSV4RRFFQ69G5FAV", input: {name: "x"}) { id } }`, "NOT_FOUND", ""},
		{"malformed ID", `mutation { updateApp(id: "nonsense", input: {name: "x"}) { id } }`, "NOT_FOUND", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.do(tc.query, nil)
			require.Equal(t, tc.code, r.code(), "%+v", r.Errors)
			if tc.field != "" {
				require.Equal(t, tc.field, r.Errors[0].Extensions["field"])
			}
		})
	}
}

func TestTemplates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("tpl")

	d := b.ok(`mutation($app: ID!) { createTemplate(input: {appID: $app, name: "order.shipped",
		title: "Hi {{name}}", body: "Order {{order}} ships {{when}}", defaults: {when: "today"}}) {
		id name variables defaults app { id } } }`, map[string]any{"app": app})
	tpl := path(d, "createTemplate").(map[string]any)
	require.Equal(t, []any{"name", "order", "when"}, tpl["variables"])
	require.Equal(t, map[string]any{"when": "today"}, tpl["defaults"])
	require.Equal(t, app, path(tpl, "app", "id"))

	r := b.do(`mutation($app: ID!) { createTemplate(input: {appID: $app, name: "order.shipped", body: "x"}) { id } }`, map[string]any{"app": app})
	require.Equal(t, "CONFLICT", r.code(), "names are unique per app")

	r = b.do(`mutation($app: ID!) { createTemplate(input: {appID: $app, name: "t2", body: "{{a}} {{b}}", variables: ["a"]}) { id } }`, map[string]any{"app": app})
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Contains(t, r.Errors[0].Message, "not declared in variables: b")

	r = b.do(`mutation($app: ID!) { createTemplate(input: {appID: $app, name: "bad name!", body: "x"}) { id } }`, map[string]any{"app": app})
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Equal(t, "name", r.Errors[0].Extensions["field"])

	id := tpl["id"].(string)
	r = b.do(`mutation($id: ID!) { updateTemplate(id: $id, input: {body: "{{other}}"}) { id } }`, map[string]any{"id": id})
	require.Equal(t, "INVALID_ARGUMENT", r.code(), "an update must keep the template valid: %+v", r.Errors)
	d = b.ok(`mutation($id: ID!) { updateTemplate(id: $id, input: {title: "", body: "{{other}}", variables: ["other"], clearDefaults: true}) { body variables defaults } }`, map[string]any{"id": id})
	require.Equal(t, []any{"other"}, path(d, "updateTemplate", "variables"))

	d = b.ok(`query($app: ID!) { templates(where: {appID: $app}) { totalCount edges { node { name } } } }`, map[string]any{"app": app})
	require.EqualValues(t, 1, path(d, "templates", "totalCount"))

	b.ok(`mutation($id: ID!) { deleteTemplate(id: $id) }`, map[string]any{"id": id})
	r = b.do(`mutation($id: ID!) { deleteTemplate(id: $id) }`, map[string]any{"id": id})
	require.Equal(t, "NOT_FOUND", r.code())
}

func TestGroups(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app, other := b.createApp("a"), b.createApp("b")
	u1, err := b.stores.Ent.AppUser.Create().SetAppID(idOf(app)).SetExternalID("u1").Save(b.sys)
	require.NoError(t, err)
	stranger, err := b.stores.Ent.AppUser.Create().SetAppID(idOf(other)).SetExternalID("u1").Save(b.sys)
	require.NoError(t, err)

	d := b.ok(`mutation($app: ID!, $m: [ID!]) { createGroup(input: {appID: $app, name: "vip", memberIDs: $m}) {
		id name members { totalCount edges { node { externalID } } } } }`, map[string]any{"app": app, "m": []string{string(u1.ID)}})
	require.EqualValues(t, 1, path(d, "createGroup", "members", "totalCount"))
	gid := path(d, "createGroup", "id").(string)

	r := b.do(`mutation($id: ID!, $m: [ID!]) { updateGroup(id: $id, input: {addMemberIDs: $m}) { id } }`,
		map[string]any{"id": gid, "m": []string{string(stranger.ID)}})
	require.Equal(t, "INVALID_ARGUMENT", r.code(), "a group holds users of its own app only")
	require.Equal(t, "memberIDs", r.Errors[0].Extensions["field"])

	d = b.ok(`mutation($id: ID!) { updateGroup(id: $id, input: {name: "gold", clearMembers: true}) { name members { totalCount } } }`, map[string]any{"id": gid})
	require.Equal(t, "gold", path(d, "updateGroup", "name"))
	require.EqualValues(t, 0, path(d, "updateGroup", "members", "totalCount"))

	b.ok(`mutation($id: ID!) { deleteGroup(id: $id) }`, map[string]any{"id": gid})
	n, err := b.stores.Ent.AppUser.Query().Count(b.sys)
	require.NoError(t, err)
	require.Equal(t, 2, n, "deleting a group keeps its users")
}

func TestConnectionsPageFilterAndOrder(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("devices")
	for i := range 7 {
		platform := enum.PlatformAndroid
		if i%2 == 1 {
			platform = enum.PlatformIOS
		}
		b.newDevice(app, fmt.Sprintf("inst-%d", i), func(c *ent.DeviceCreate) {
			c.SetPlatform(platform).SetAppVersion(fmt.Sprintf("1.%d", i)).SetTags([]string{fmt.Sprintf("cohort-%d", i%3), "all"})
		})
	}
	// hasTag extends the generated filter: exact tags, combined with the rest.
	d := b.ok(`query($app: ID!) { a: devices(where: {appID: $app, hasTag: "cohort-0"}) { totalCount }
		b: devices(where: {appID: $app, hasTag: "cohort-0", platform: IOS}) { totalCount }
		c: devices(where: {appID: $app, hasTag: "cohort"}) { totalCount }
		d: devices(where: {appID: $app, or: [{hasTag: "cohort-1"}, {hasTag: "cohort-2"}]}) { totalCount } }`, map[string]any{"app": app})
	require.EqualValues(t, 3, path(d, "a", "totalCount"), "inst-0, 3 and 6")
	require.EqualValues(t, 1, path(d, "b", "totalCount"), "inst-3")
	require.EqualValues(t, 0, path(d, "c", "totalCount"), "no prefix match")
	require.EqualValues(t, 4, path(d, "d", "totalCount"))

	q := `query($app: ID!, $after: Cursor) { devices(first: 2, after: $after, where: {appID: $app, platform: IOS},
		orderBy: {field: CREATED_AT, direction: DESC}) { totalCount pageInfo { hasNextPage endCursor } edges { node { appVersion platform } } } }`
	var versions []string
	var after any
	for {
		d := b.ok(q, map[string]any{"app": app, "after": after})
		require.EqualValues(t, 3, path(d, "devices", "totalCount"))
		for _, e := range path(d, "devices", "edges").([]any) {
			require.Equal(t, "IOS", path(e, "node", "platform"))
			versions = append(versions, path(e, "node", "appVersion").(string))
		}
		if !path(d, "devices", "pageInfo", "hasNextPage").(bool) {
			break
		}
		after = path(d, "devices", "pageInfo", "endCursor")
	}
	require.Equal(t, []string{"1.5", "1.3", "1.1"}, versions)

	// The same devices through the app's edge, and a list without first
	// gets the default page rather than the whole table.
	d = b.ok(`query($app: ID!) { node(id: $app) { ... on App { devices(where: {appVersionHasPrefix: "1."}) { totalCount edges { node { id } } } } } }`, map[string]any{"app": app})
	require.EqualValues(t, 7, path(d, "node", "devices", "totalCount"))
	require.Len(t, path(d, "node", "devices", "edges"), 7)
}

func TestEveryListQueryAnswers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createApp("x")
	for _, field := range []string{"apps", "devices", "appUsers", "groups", "templates", "apiKeys", "channelConfigs", "pushJobs", "deliveries", "webhooks"} {
		d := b.ok(fmt.Sprintf(`{ %s(first: 5, orderBy: {field: CREATED_AT, direction: ASC}) { totalCount pageInfo { hasNextPage } edges { cursor node { id } } } }`, field), nil)
		require.NotNil(t, path(d, field, "totalCount"), field)
	}
}

func TestNodeResolvesEveryType(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("nodes")
	dev := b.newDevice(app, "i1")
	job, err := b.stores.Ent.PushJob.Create().SetAppID(idOf(app)).SetKind(enum.PushKindSimple).
		SetTTLSeconds(60).SetMessage(jsontype.Message{Title: "t"}).SetOptions(jsontype.Options{TTLSeconds: 60}).Save(b.sys)
	require.NoError(t, err)
	d := b.ok(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, map[string]any{"ids": []string{app, string(dev.ID), string(job.ID)}})
	nodes := path(d, "nodes").([]any)
	require.Equal(t, "App", path(nodes[0], "__typename"))
	require.Equal(t, "Device", path(nodes[1], "__typename"))
	require.Equal(t, "PushJob", path(nodes[2], "__typename"))

	d = b.ok(`query($id: ID!) { node(id: $id) { ... on PushJob { kind status counts { pending sent arrived opened ignored failed expired revoked } } } }`, map[string]any{"id": string(job.ID)})
	require.Equal(t, "QUEUED", path(d, "node", "status"))
	require.EqualValues(t, 0, path(d, "node", "counts", "sent"))
}

func TestBindUserMutations(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("binding")
	dev := b.newDevice(app, "i-bind")
	d := b.ok(`mutation($d: ID!) { mintBindToken(input: {deviceID: $d, userID: "user-1", ttlSeconds: 60}) { bindToken expiresAt } }`, map[string]any{"d": string(dev.ID)})
	require.Regexp(t, `^bt_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`, path(d, "mintBindToken", "bindToken"))
	r := b.do(`mutation($d: ID!) { mintBindToken(input: {deviceID: $d, userID: "user-1", ttlSeconds: 7200}) { bindToken } }`, map[string]any{"d": string(dev.ID)})
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Equal(t, "ttlSeconds", r.Errors[0].Extensions["field"])

	d = b.ok(`mutation($d: ID!) { bindUser(input: {deviceID: $d, userID: "user-1"}) { id user { externalID } boundAt } }`, map[string]any{"d": string(dev.ID)})
	require.Equal(t, "user-1", path(d, "bindUser", "user", "externalID"))
	d = b.ok(`mutation($d: ID!) { unbindUser(deviceID: $d) { id user { id } } }`, map[string]any{"d": string(dev.ID)})
	require.Nil(t, path(d, "unbindUser", "user"))
}

func TestSetDeviceTags(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("tags")
	dev := b.newDevice(app, "i-tags")
	set := `mutation($d: ID!, $t: [String!]!) { setDeviceTags(deviceID: $d, tags: $t) { tags } }`
	d := b.ok(set, map[string]any{"d": string(dev.ID), "t": []string{"beta", "region:eu", "beta"}})
	require.Equal(t, []any{"beta", "region:eu"}, path(d, "setDeviceTags", "tags"), "sorted, duplicates dropped")
	d = b.ok(`query($app: ID!) { devices(where: {appID: $app, hasTag: "region:eu"}) { totalCount } }`, map[string]any{"app": app})
	require.EqualValues(t, 1, path(d, "devices", "totalCount"))

	// Tags in any script, found in the form they were typed in or the other.
	d = b.ok(set, map[string]any{"d": string(dev.ID), "t": []string{"城市:上海", "cafe\u0301"}})
	require.Equal(t, []any{"caf\u00e9", "城市:上海"}, path(d, "setDeviceTags", "tags"), "stored in NFC")
	for _, tag := range []string{"城市:上海", "caf\u00e9", "cafe\u0301"} {
		d = b.ok(`query($app: ID!, $t: String) { devices(where: {appID: $app, hasTag: $t}) { totalCount } }`, map[string]any{"app": app, "t": tag})
		require.EqualValues(t, 1, path(d, "devices", "totalCount"), tag)
	}
	d = b.ok(`query($app: ID!) { previewAudience(appID: $app, audience: {tags: ["城市:上海"]}) }`, map[string]any{"app": app})
	require.EqualValues(t, 1, path(d, "previewAudience"))

	for name, tags := range map[string][]string{
		"empty tag": {""},
		"emoji":     {"party🎉"},
		"space":     {"two words"},
		"too long":  {strings.Repeat("x", 65)},
		"too many":  manyTags(21),
	} {
		r := b.do(set, map[string]any{"d": string(dev.ID), "t": tags})
		require.Equal(t, "INVALID_ARGUMENT", r.code(), name)
		require.Equal(t, "tags", r.Errors[0].Extensions["field"], name)
	}
	d = b.ok(set, map[string]any{"d": string(dev.ID), "t": []string{}})
	require.Empty(t, path(d, "setDeviceTags", "tags"))
}

func manyTags(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("t%d", i)
	}
	return out
}
