package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// AuditEvent records who (account or API key) changed which object, when
// and from where. It holds the names of the changed fields, never their
// values, so no secret can reach it. It has no edge to App: the record of
// an app's deletion must outlive the app. The records are written by the
// hook of package audit, which store installs on every client it opens.
type AuditEvent struct{ ent.Schema }

// Mixin implements ent.Schema. Reading is for owners of the app (and
// admins) only: the log names members and their addresses.
func (AuditEvent) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("aud"), ScopeMixin{column: "app_id", rule: byOwner}}
}

// Fields implements ent.Schema.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		// app_id is empty for events of no app (accounts).
		field.String("app_id").GoType(nodeid.ID("")).Optional().Immutable(),
		field.Enum("actor_kind").Values("account", "api_key").Immutable(),
		field.String("actor_id").GoType(nodeid.ID("")).Immutable(),
		field.String("actor_label").Default("").Immutable(),
		field.String("action").Immutable(),
		field.String("target_type").Immutable(),
		field.String("target_id").GoType(nodeid.ID("")).Immutable(),
		field.Strings("fields").Optional().Immutable(),
		field.String("address").Default("").Immutable(),
		createdAt(),
	}
}

// Indexes implements ent.Schema: reading one app's log newest first (IDs
// are ULIDs, in creation order), and
// pruning by age.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("app_id", "id"), index.Fields("created_at")}
}

// Annotations implements ent.Schema. The API has a type of its own
// (graph/schema/audit.graphqls).
func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
