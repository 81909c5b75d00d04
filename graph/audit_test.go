package graph_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/audit"
	"github.com/pushd/pushd/ent/auditevent"
)

const auditLog = `query($app: ID!, $first: Int, $before: ID) { auditLog(appID: $app, first: $first, before: $before) {
	id at actorKind actorID actorLabel action targetType targetID fields address } }`

type auditRow struct {
	ID, ActorKind, ActorID, ActorLabel, Action, TargetType, TargetID, Address string
	Fields                                                                    []string
}

// auditRows reads app's log as the admin, oldest first.
func (b *bundle) auditRows(app string) []auditRow {
	b.t.Helper()
	var out struct {
		AuditLog []auditRow
	}
	raw, err := json.Marshal(b.ok(auditLog, map[string]any{"app": app, "first": 500}))
	require.NoError(b.t, err)
	require.NoError(b.t, json.Unmarshal(raw, &out))
	rows := out.AuditLog
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

// Every audited change by an account or a key is recorded with who, what,
// which fields (never their values) and from where; pushd's own writes and
// refused changes are not.
func TestAuditLogRecordsWhoChangedWhat(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("audited")
	tpl := path(b.ok(`mutation($app: ID!) { createTemplate(input: {appID: $app, name: "t", title: "hi {{n}}", variables: ["n"]}) { id } }`,
		map[string]any{"app": app}), "createTemplate", "id").(string)
	b.ok(`mutation($id: ID!) { updateTemplate(id: $id, input: {body: "b"}) { id } }`, map[string]any{"id": tpl})
	b.ok(`mutation($app: ID!) { setChannelConfig(input: {appID: $app, xiaomi: {appSecret: "very-secret-value", packageName: "com.example"}}) { id } }`,
		map[string]any{"app": app})
	signer, keyID := b.newKey(app, "HMAC_SHA256")
	device := b.newDevice(app, "inst-audit")
	var pushed struct{ PushSimple struct{ ID string } }
	require.NoError(t, b.client(signer).Do(context.Background(),
		`mutation($app: ID!, $d: ID!) { pushSimple(input: {appID: $app, target: {deviceIDs: [$d]}, message: {title: "x"}}) { id } }`,
		map[string]any{"app": app, "d": string(device.ID)}, &pushed))
	// Refused: nothing changes, nothing is recorded.
	refused := b.do(`mutation($id: ID!) { updateTemplate(id: $id, input: {title: "{{missing}}"}) { id } }`, map[string]any{"id": tpl})
	require.NotEmpty(t, refused.Errors)
	b.ok(`mutation($id: ID!) { deleteTemplate(id: $id) }`, map[string]any{"id": tpl})

	rows := b.auditRows(app)
	raw, err := json.Marshal(rows)
	require.NoError(t, err)
	require.NotContains(t, string(raw), "very-secret-value", "values never reach the log")
	type seen struct{ kind, action, target, id string }
	var got []seen
	for _, r := range rows {
		got = append(got, seen{r.ActorKind, r.Action, r.TargetType, r.TargetID})
		require.Equal(t, "127.0.0.1", r.Address)
		if r.ActorKind == "account" {
			require.Equal(t, testAdminEmail, r.ActorLabel)
		}
	}
	require.Equal(t, []seen{
		{"account", "create", "App", app},
		{"account", "create", "Template", tpl},
		{"account", "update", "Template", tpl},
		{"account", "create", "ChannelConfig", got[3].id},
		{"account", "create", "APIKey", keyID},
		{"api_key", "create", "PushJob", pushed.PushSimple.ID},
		{"account", "delete", "Template", tpl},
	}, got, "the push's own progress (counts, cursor) is bookkeeping and not recorded")
	require.Equal(t, []string{"body", "variables"}, rows[2].Fields, "the fields the update set, the variables being recomputed")
	require.Equal(t, keyID, rows[5].ActorID)
	require.Equal(t, "backend", rows[5].ActorLabel)
}

// Only the app's owners (and admins) read its log; page sizes are bounded.
func TestAuditLogIsForOwners(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("owned")
	other := b.createApp("other")
	b.newAccount("viewer@test.local", "viewer-password", false)
	b.newAccount("owner@test.local", "owner-password", false)
	for email, role := range map[string]string{"viewer@test.local": "VIEWER", "owner@test.local": "OWNER"} {
		b.ok(`mutation($app: ID!, $e: String!, $r: Role!) { setMembership(input: {appID: $app, email: $e, role: $r}) { id } }`,
			map[string]any{"app": app, "e": email, "r": role})
	}
	viewer := b.as("viewer@test.local", "viewer-password")
	r := viewer.do(auditLog, map[string]any{"app": app})
	require.Equal(t, "FORBIDDEN", r.code(), "%+v", r.Errors)

	owner := b.as("owner@test.local", "owner-password")
	d := owner.ok(auditLog, map[string]any{"app": app})
	memberships := 0
	for _, row := range path(d, "auditLog").([]any) {
		if path(row, "targetType") == "Membership" {
			memberships++
		}
	}
	require.Equal(t, 2, memberships, "both memberships the admin gave")
	r = owner.do(auditLog, map[string]any{"app": other})
	require.NotEmpty(t, r.Errors, "another app's log")

	signer, _ := b.newKey(app, "HMAC_SHA256")
	keyAnswer, err := b.client(signer).Raw(context.Background(), auditLog, map[string]any{"app": app})
	require.NoError(t, err)
	require.NotEmpty(t, keyAnswer.Errors, "an API key is no owner, even of its own app")

	for _, first := range []int{0, 501} {
		r = b.do(auditLog, map[string]any{"app": app, "first": first})
		require.Equal(t, "INVALID_ARGUMENT", r.code(), "first %d", first)
	}
}

// Records older than the retention are pruned; newer ones stay. before
// pages back by record, so records made in the same instant are neither
// skipped nor repeated.
func TestAuditLogRetention(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("pruned")
	now := time.Now()
	for _, age := range []time.Duration{100 * 24 * time.Hour, 91 * 24 * time.Hour, 2 * time.Hour} {
		_, err := b.stores.Ent.AuditEvent.Create().SetAppID(idOf(app)).SetActorKind(auditevent.ActorKindAccount).
			SetActorID("acc_x").SetAction("update").SetTargetType("App").SetTargetID(idOf(app)).
			SetCreatedAt(now.Add(-age)).Save(b.sys)
		require.NoError(t, err)
	}
	same := now.Add(-time.Minute)
	for range 3 {
		_, err := b.stores.Ent.AuditEvent.Create().SetAppID(idOf(app)).SetActorKind(auditevent.ActorKindAccount).
			SetActorID("acc_x").SetAction("update").SetTargetType("App").SetTargetID(idOf(app)).
			SetCreatedAt(same).Save(b.sys)
		require.NoError(t, err)
	}
	all := b.auditRows(app)
	require.Len(t, all, 7, "six arranged and the app's creation")
	var paged []string
	var before any
	for {
		d := b.ok(auditLog, map[string]any{"app": app, "first": 2, "before": before})
		page := path(d, "auditLog").([]any)
		for _, r := range page {
			paged = append(paged, path(r, "id").(string))
		}
		if len(page) < 2 {
			break
		}
		before = paged[len(paged)-1]
	}
	require.Len(t, paged, 7, "pages of 2 walk every record once")
	for i, r := range all {
		require.Equal(t, r.ID, paged[len(paged)-1-i])
	}

	n, err := audit.Prune(b.sys, b.stores.Ent, 90*24*time.Hour, now)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Len(t, b.auditRows(app), 5)
}
