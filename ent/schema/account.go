package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
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
	return []ent.Mixin{nodeid.WithPrefix("acc"), ScopeMixin{column: "id", rule: ownAccount}, TimeMixin{}}
}

// Fields implements ent.Schema.
func (Account) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").Unique().NotEmpty().MaxLen(254),
		field.String("password_hash").Sensitive().Annotations(hidden()),
		// admin accounts manage every app and create new ones.
		field.Bool("admin").Default(false),
		field.Time("last_login_at").Optional().Nillable(),
		// disabled_at is set while an account is disabled: it cannot log
		// in, and its sessions and reset token went when it was set.
		field.Time("disabled_at").Optional().Nillable(),
		// password_reset_hash is the SHA-256 of the one-time token an admin
		// issued (createPasswordReset), usable until
		// password_reset_expires_at; while a reset is pending the account
		// has no password.
		field.Bytes("password_reset_hash").Optional().Sensitive().Unique().Annotations(hidden()),
		field.Time("password_reset_expires_at").Optional().Nillable(),
	}
}

// Edges implements ent.Schema.
func (Account) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("memberships", Membership.Type).Annotations(cascade()),
		edge.To("sessions", Session.Type).Annotations(cascade(), hidden()),
	}
}

// Annotations implements ent.Schema. Accounts are listed to admins (every
// account) and to the account itself (the scope rule decides).
func (Account) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("accounts"),
		entgql.RelayConnection(),
	}
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

// Invitation offers a role in an app to whoever holds an email: the account
// with that email, now or once one is made, sees it and accepts or declines
// it. It is recorded by email alone, so inviting says nothing about whether
// an account has that email.
type Invitation struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Invitation) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("inv"), appScoped()}
}

// Fields implements ent.Schema.
func (Invitation) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		createdAt(),
		field.String("email").NotEmpty().MaxLen(254),
		field.Enum("role").GoType(enum.Role("")),
		// invited_by is the email of the account that invited, for the
		// invited account to know who asks.
		field.String("invited_by").Default("").MaxLen(254),
		field.Time("expires_at"),
	}
}

// Edges implements ent.Schema.
func (Invitation) Edges() []ent.Edge {
	return []ent.Edge{appEdge("invitations")}
}

// Indexes implements ent.Schema.
func (Invitation) Indexes() []ent.Index {
	return []ent.Index{index.Fields("app_id", "email").Unique(), index.Fields("email")}
}

// Annotations implements ent.Schema. The API has a type of its own for
// invitations (graph/schema/auth.graphqls).
func (Invitation) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Session is a console login. The cookie holds a random token; only its
// SHA-256 is stored, so a database leak yields no usable session.
type Session struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Session) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("ses"), ScopeMixin{column: "id", rule: systemOnly}}
}

// Fields implements ent.Schema.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("account_id").GoType(nodeid.ID("")).Immutable(),
		createdAt(),
		field.Bytes("token_hash").Sensitive().Unique().Immutable(),
		// csrf_hash is the SHA-256 of the token that cookie-authenticated
		// mutations must echo in a header.
		field.Bytes("csrf_hash").Sensitive().Immutable(),
		field.Time("expires_at"),
		field.Time("last_seen_at"),
		field.String("ip").Default(""),
		field.String("user_agent").Default("").MaxLen(512),
	}
}

// Edges implements ent.Schema.
func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("sessions").Field("account_id").Unique().Required().Immutable(),
	}
}

// Indexes implements ent.Schema.
func (Session) Indexes() []ent.Index {
	return []ent.Index{index.Fields("expires_at")}
}

// Annotations implements ent.Schema.
func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
