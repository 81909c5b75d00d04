package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Account is a console user.
type Account struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Account) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("acc"), TimeMixin{}}
}

// Fields implements ent.Schema.
func (Account) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").Unique().NotEmpty().MaxLen(254),
		field.String("password_hash").Sensitive().Annotations(hidden()),
		// admin accounts manage every app and create new ones.
		field.Bool("admin").Default(false),
		field.Time("last_login_at").Optional().Nillable(),
	}
}

// Edges implements ent.Schema.
func (Account) Edges() []ent.Edge {
	return []ent.Edge{edge.To("memberships", Membership.Type).Annotations(cascade())}
}

// Membership gives an account a role in one app.
type Membership struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Membership) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("mbr"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (Membership) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("account_id").GoType(nodeid.ID("")).Immutable(),
		field.Enum("role").GoType(enum.Role("")).Annotations(entgql.Type("Role")),
	}
}

// Edges implements ent.Schema.
func (Membership) Edges() []ent.Edge {
	return []ent.Edge{
		appEdge("memberships"),
		edge.From("account", Account.Type).Ref("memberships").Field("account_id").Unique().Required().Immutable(),
	}
}

// Indexes implements ent.Schema.
func (Membership) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id", "app_id").Unique()}
}
