package graph_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/graph"
	"github.com/pushd/pushd/push"
)

// tenantB is everything of one app, as IDs.
type tenantB struct {
	app, device, token, user, group, template, key, channel, job, delivery, webhook, account, membership, invitation string
}

func (b *bundle) arrangeTenant(name string) tenantB {
	b.t.Helper()
	t, ctx, c := b.t, b.sys, b.stores.Ent
	var x tenantB
	x.app = b.createApp(name)
	app := idOf(x.app)
	dev := b.newDevice(x.app, "install-"+name)
	x.device = string(dev.ID)
	tok, err := c.DeviceToken.Create().SetAppID(app).SetDeviceID(dev.ID).SetChannel(enum.ChannelFCM).SetToken("fcm-token").Save(ctx)
	require.NoError(t, err)
	x.token = string(tok.ID)
	u, err := c.AppUser.Create().SetAppID(app).SetExternalID("user-" + name).Save(ctx)
	require.NoError(t, err)
	x.user = string(u.ID)
	g, err := c.Group.Create().SetAppID(app).SetName("g").AddMembers(u).Save(ctx)
	require.NoError(t, err)
	x.group = string(g.ID)
	tpl, err := c.Template.Create().SetAppID(app).SetName("t").SetBody("{{x}}").SetVariables([]string{"x"}).Save(ctx)
	require.NoError(t, err)
	x.template = string(tpl.ID)
	_, x.key = b.newKey(x.app, "HMAC_SHA256")
	chc, err := c.ChannelConfig.Create().SetAppID(app).SetChannel(enum.ChannelFCM).SetCredentialsSealed([]byte("sealed")).Save(ctx)
	require.NoError(t, err)
	x.channel = string(chc.ID)
	job, err := c.PushJob.Create().SetAppID(app).SetKind(enum.PushKindSimple).SetTTLSeconds(60).
		SetMessage(jsontype.Message{Title: "secret title"}).SetOptions(jsontype.Options{TTLSeconds: 60}).Save(ctx)
	require.NoError(t, err)
	x.job = string(job.ID)
	dl, err := c.Delivery.Create().SetAppID(app).SetJobID(job.ID).SetDeviceID(dev.ID).SetExpiresAt(job.CreatedAt).Save(ctx)
	require.NoError(t, err)
	x.delivery = string(dl.ID)
	wh, err := c.Webhook.Create().SetAppID(app).SetURL("https://example.com/hook").SetSecretSealed([]byte("sealed")).Save(ctx)
	require.NoError(t, err)
	x.webhook = string(wh.ID)
	acc := b.ok(`mutation($e: String!) { createAccount(input: {email: $e, password: "0123456789ab"}) { id } }`,
		map[string]any{"e": name + "-owner@test.local"})
	x.account = path(acc, "createAccount", "id").(string)
	m := b.ok(`mutation($a: ID!, $app: ID!) { setMembership(input: {accountID: $a, appID: $app, role: OWNER}) { id } }`,
		map[string]any{"a": x.account, "app": x.app})
	x.membership = path(m, "setMembership", "id").(string)
	inv := b.ok(`mutation($app: ID!, $e: String!) { inviteMember(input: {appID: $app, email: $e, role: VIEWER}) { id } }`,
		map[string]any{"app": x.app, "e": name + "-invited@test.local"})
	x.invitation = path(inv, "inviteMember", "id").(string)
	return x
}

func (x tenantB) ids() []string {
	return []string{x.app, x.device, x.token, x.user, x.group, x.template, x.key, x.channel, x.job, x.delivery, x.webhook, x.account, x.membership, x.invitation}
}

// TestTenantIsolationCoversEveryField walks every field of Query, Mutation
// and Subscription in the schema itself and proves that an API key of app
// A, aimed at app B's IDs, gets NOT_FOUND or FORBIDDEN, or a result with
// nothing of B in it. A field added to the schema without a case here
// fails the test.
func TestTenantIsolationCoversEveryField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	appA := b.createApp("tenant-a")
	signerA, _ := b.newKey(appA, "HMAC_SHA256")
	asA := b.client(signerA)
	x := b.arrangeTenant("tenant-b")

	const (
		denied = "denied" // NOT_FOUND or FORBIDDEN
		empty  = "empty"  // answers, with nothing of B
		public = "public" // needs no principal; must still show nothing of B
	)
	type call struct {
		doc    string
		expect string
	}
	vars := map[string]any{
		"app": x.app, "device": x.device, "user": x.user, "group": x.group, "template": x.template,
		"key": x.key, "job": x.job, "account": x.account, "membership": x.membership, "invitation": x.invitation, "ids": x.ids(),
	}
	conn := func(field string) call {
		return call{`query($app: ID!) { ` + field + `(where: {appID: $app}) { totalCount edges { node { id } } } }`, empty}
	}
	cases := map[string][]call{
		"Query.node": {
			{`query($app: ID!) { node(id: $app) { id } }`, denied},
			{`query($device: ID!) { node(id: $device) { id } }`, denied},
			{`query($job: ID!) { node(id: $job) { id } }`, denied},
			{`query($account: ID!) { node(id: $account) { id } }`, denied},
			{`query($membership: ID!) { node(id: $membership) { id } }`, denied},
		},
		"Query.nodes":           {{`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, denied}},
		"Query.apps":            {{`{ apps { totalCount edges { node { id name } } } }`, empty}},
		"Query.accounts":        {{`{ accounts { totalCount edges { node { id email } } } }`, empty}},
		"Query.apiKeys":         {conn("apiKeys")},
		"Query.appUsers":        {conn("appUsers")},
		"Query.channelConfigs":  {conn("channelConfigs")},
		"Query.deliveries":      {conn("deliveries")},
		"Query.devices":         {conn("devices")},
		"Query.groups":          {conn("groups")},
		"Query.pushJobs":        {conn("pushJobs")},
		"Query.templates":       {conn("templates")},
		"Query.webhooks":        {conn("webhooks")},
		"Query.viewer":          {{`{ viewer { account { id } apiKey { id } app { id } } }`, empty}},
		"Query.previewAudience": {{`query($app: ID!) { previewAudience(appID: $app, audience: {}) }`, denied}},
		"Query.auditLog":        {{`query($app: ID!) { auditLog(appID: $app) { id targetID } }`, denied}},
		"Query.reachability":    {{`query($app: ID!) { reachability(appID: $app, audience: {}) { targeted } }`, denied}},

		"Mutation.createApp":      {{`mutation { createApp(input: {name: "x"}) { id } }`, denied}},
		"Mutation.updateApp":      {{`mutation($app: ID!) { updateApp(id: $app, input: {name: "x"}) { id } }`, denied}},
		"Mutation.deleteApp":      {{`mutation($app: ID!) { deleteApp(id: $app) }`, denied}},
		"Mutation.createTemplate": {{`mutation($app: ID!) { createTemplate(input: {appID: $app, name: "x", body: "x"}) { id } }`, denied}},
		"Mutation.updateTemplate": {{`mutation($template: ID!) { updateTemplate(id: $template, input: {body: "{{x}}"}) { id } }`, denied}},
		"Mutation.deleteTemplate": {{`mutation($template: ID!) { deleteTemplate(id: $template) }`, denied}},
		"Mutation.createGroup":    {{`mutation($app: ID!, $user: ID!) { createGroup(input: {appID: $app, name: "x", memberIDs: [$user]}) { id } }`, denied}},
		"Mutation.updateGroup":    {{`mutation($group: ID!) { updateGroup(id: $group, input: {name: "x"}) { id } }`, denied}},
		"Mutation.deleteGroup":    {{`mutation($group: ID!) { deleteGroup(id: $group) }`, denied}},
		"Mutation.createAPIKey":   {{`mutation($app: ID!) { createAPIKey(input: {appID: $app, name: "x", algorithm: HMAC_SHA256}) { secret } }`, denied}},
		"Mutation.revokeAPIKey":   {{`mutation($key: ID!) { revokeAPIKey(id: $key) { id } }`, denied}},
		"Mutation.createAccount":  {{`mutation { createAccount(input: {email: "x@test.local", password: "0123456789ab", admin: true}) { id } }`, denied}},
		"Mutation.setMembership": {
			{`mutation($account: ID!, $app: ID!) { setMembership(input: {accountID: $account, appID: $app, role: OWNER}) { id } }`, denied},
			{`mutation($app: ID!) { setMembership(input: {email: "tenant-b-owner@test.local", appID: $app, role: OWNER}) { id } }`, denied},
		},
		"Mutation.deleteMembership": {{`mutation($membership: ID!) { deleteMembership(id: $membership) }`, denied}},
		// Invitations: a key has no email, so none are its own.
		"Query.invitations":          {{`{ invitations { id appID } }`, empty}},
		"Mutation.inviteMember":      {{`mutation($app: ID!) { inviteMember(input: {appID: $app, email: "x@test.local", role: OWNER}) { id } }`, denied}},
		"Mutation.cancelInvitation":  {{`mutation($invitation: ID!) { cancelInvitation(id: $invitation) }`, denied}},
		"Mutation.acceptInvitation":  {{`mutation($invitation: ID!) { acceptInvitation(id: $invitation) { id } }`, denied}},
		"Mutation.declineInvitation": {{`mutation($invitation: ID!) { declineInvitation(id: $invitation) }`, denied}},
		// Credentials: accounts only, others' for admins only.
		"Mutation.changePassword": {{`mutation { changePassword(input: {currentPassword: "0123456789ab", newPassword: "ba9876543210"}) { endedSessions } }`, denied}},
		"Mutation.logoutEverywhere": {
			{`mutation { logoutEverywhere }`, denied},
			{`mutation($account: ID!) { logoutEverywhere(accountID: $account) }`, denied},
		},
		"Mutation.createPasswordReset": {{`mutation($account: ID!) { createPasswordReset(accountID: $account) { token } }`, denied}},
		"Mutation.disableAccount":      {{`mutation($account: ID!) { disableAccount(id: $account) { id } }`, denied}},
		"Mutation.enableAccount":       {{`mutation($account: ID!) { enableAccount(id: $account) { id } }`, denied}},
		"Mutation.deleteAccount":       {{`mutation($account: ID!) { deleteAccount(id: $account) }`, denied}},
		"Mutation.mintBindToken":       {{`mutation($device: ID!) { mintBindToken(input: {deviceID: $device, userID: "u"}) { bindToken } }`, denied}},
		"Mutation.bindUser":            {{`mutation($device: ID!) { bindUser(input: {deviceID: $device, userID: "u"}) { id } }`, denied}},
		"Mutation.unbindUser":          {{`mutation($device: ID!) { unbindUser(deviceID: $device) { id } }`, denied}},
		"Mutation.setDeviceTags":       {{`mutation($device: ID!) { setDeviceTags(deviceID: $device, tags: ["x"]) { id } }`, denied}},
		"Mutation.pushSimple": {
			{`mutation($app: ID!, $device: ID!) { pushSimple(input: {appID: $app, target: {deviceIDs: [$device]}, message: {title: "x"}}) { id } }`, denied},
		},
		"Mutation.pushTemplate": {
			{`mutation($app: ID!) { pushTemplate(input: {appID: $app, target: {userIDs: ["u"]}, templateName: "t", vars: {x: "1"}}) { id } }`, denied},
		},
		"Mutation.pushMultiple": {
			{`mutation($app: ID!, $device: ID!) { pushMultiple(input: {appID: $app, items: [{target: {deviceIDs: [$device]}, message: {title: "x"}}]}) { id } }`, denied},
		},
		"Mutation.pushBroadcast": {{`mutation($app: ID!) { pushBroadcast(input: {appID: $app, message: {title: "x"}}) { id } }`, denied}},
		"Mutation.revokePush":    {{`mutation($job: ID!) { revokePush(id: $job) { id } }`, denied}},
		"Mutation.cancelPush":    {{`mutation($job: ID!) { cancelPush(id: $job) { id } }`, denied}},
		"Mutation.setChannelConfig": {
			{`mutation($app: ID!) { setChannelConfig(input: {appID: $app, xiaomi: {appSecret: "s", packageName: "com.example.app"}}) { id } }`, denied},
		},
		"Mutation.deleteChannelConfig": {{`mutation($app: ID!) { deleteChannelConfig(appID: $app, channel: XIAOMI) }`, denied}},
		"Mutation.createWebhook": {
			{`mutation($app: ID!) { createWebhook(input: {appID: $app, url: "https://example.com/hook"}) { secret } }`, denied},
		},
		"Query.webhookDeliveries": {conn("webhookDeliveries")},
		"Mutation.deleteWebhook":  {{`mutation($app: ID!) { deleteWebhook(id: $app) }`, denied}},
		// login is how a principal starts and answers the same for
		// everyone; logout ends only the caller's own session.
		"Mutation.login":  {{`mutation { login(input: {email: "tenant-b-owner@test.local", password: "wrong-password"}) { account { id } } }`, public}},
		"Mutation.logout": {{`mutation { logout }`, public}},
		// resetPassword needs only its token, which only an admin's
		// createPasswordReset hands out.
		"Mutation.resetPassword": {{`mutation { resetPassword(input: {token: "not-a-token", newPassword: "0123456789ab"}) }`, public}},

		"Subscription.pushJobUpdated": {{`subscription($job: ID!) { pushJobUpdated(id: $job) { id } }`, denied}},
		"Subscription.liveStats":      {{`subscription($app: ID!) { liveStats(appID: $app) { at totals { sent } } }`, denied}},
		"Subscription.deliveryEvents": {{`subscription($app: ID!) { deliveryEvents(appID: $app) { deliveryID } }`, denied}},
		"Query.stats": {
			{`query($app: ID!) { stats(input: {appID: $app, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z"}) { at } }`, denied},
		},
		// The vendor list is the deployment's, the same for every tenant.
		"Query.channelVendors": {{`{ channelVendors { key fields { name } } }`, empty}},
		"Query.coreIndex":      {{`query($app: ID!) { coreIndex(appID: $app, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { pushes } }`, denied}},
	}

	schema := graph.NewSchema(push.NewService(push.Config{}), nil, nil).Schema()
	var fields []string
	for _, root := range []*ast.Definition{schema.Query, schema.Mutation, schema.Subscription} {
		for _, f := range root.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				fields = append(fields, root.Name+"."+f.Name)
			}
		}
	}
	for name := range cases {
		require.True(t, slices.Contains(fields, name), "case %s names no field of the schema", name)
	}
	ctx := context.Background()
	for _, field := range fields {
		calls, ok := cases[field]
		require.True(t, ok, "%s has no isolation case: add one to this test", field)
		for _, c := range calls {
			var raw []byte
			var codes []string
			if strings.HasPrefix(field, "Subscription.") {
				ws := b.wsWith(ctx, nil, signedInit(t, signerA))
				ws.subscribe(ctx, "1", c.doc, vars)
				m := ws.read(ctx)
				raw = m.Payload
				var p struct {
					Errors []gqlError `json:"errors"`
				}
				if json.Unmarshal(raw, &p) == nil && len(p.Errors) > 0 {
					codes = append(codes, p.Errors[0].Extensions["code"].(string))
				}
				var arr []gqlError
				if json.Unmarshal(raw, &arr) == nil {
					for _, e := range arr {
						codes = append(codes, e.Extensions["code"].(string))
					}
				}
			} else {
				r, err := asA.Raw(ctx, c.doc, vars)
				require.NoError(t, err)
				raw, _ = json.Marshal(r)
				for _, e := range r.Errors {
					codes = append(codes, e.Code())
				}
			}
			for _, id := range x.ids() {
				require.NotContains(t, string(raw), id, "%s leaks %s: %s", field, id, raw)
			}
			require.NotContains(t, string(raw), "secret title")
			switch c.expect {
			case denied:
				require.NotEmpty(t, codes, "%s answered without error: %s", field, raw)
				for _, code := range codes {
					require.Contains(t, []string{"NOT_FOUND", "FORBIDDEN"}, code, "%s: %s", field, raw)
				}
			case empty:
				require.Empty(t, codes, "%s: %s", field, raw)
			}
		}
	}

	// Nothing of B changed.
	n, err := b.stores.Ent.Template.Query().Count(b.sys)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	apps, err := b.stores.Ent.App.Query().Count(b.sys)
	require.NoError(t, err)
	require.Equal(t, 2, apps)
}
