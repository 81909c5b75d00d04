package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// AppUser is a user of an app, known by the backend's own user ID. Devices
// are bound to at most one user at a time.
type AppUser struct{ ent.Schema }

// Mixin implements ent.Schema.
func (AppUser) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("usr"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (AppUser) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("external_id").NotEmpty().MaxLen(128).Immutable().
			Annotations(entgql.OrderField("EXTERNAL_ID")),
	}
}

// Edges implements ent.Schema.
func (AppUser) Edges() []ent.Edge {
	return []ent.Edge{
		appEdge("app_users"),
		edge.To("devices", Device.Type),
		edge.From("groups", Group.Type).Ref("members"),
		edge.To("pending_deliveries", Delivery.Type).Annotations(hidden()),
	}
}

// Indexes implements ent.Schema.
func (AppUser) Indexes() []ent.Index {
	return []ent.Index{index.Fields("app_id", "external_id").Unique()}
}

// Annotations implements ent.Schema.
func (AppUser) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("appUsers"),
		entgql.RelayConnection(),
	}
}

// Group is a named static set of an app's users.
type Group struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Group) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("grp"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (Group) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("name").NotEmpty().MaxLen(100).Annotations(entgql.OrderField("NAME")),
		field.String("description").Default("").MaxLen(1000),
	}
}

// Edges implements ent.Schema.
func (Group) Edges() []ent.Edge {
	return []ent.Edge{
		appEdge("groups"),
		edge.To("members", AppUser.Type).Annotations(entgql.RelayConnection()),
	}
}

// Indexes implements ent.Schema.
func (Group) Indexes() []ent.Index {
	return []ent.Index{index.Fields("app_id", "name").Unique()}
}

// Annotations implements ent.Schema.
func (Group) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("groups"),
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
