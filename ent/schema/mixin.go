// Package schema is pushd's data model. It is hand-written;
// everything else under ent/ is generated from it by `make generate`.
package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// TimeMixin stamps creation and last update.
type TimeMixin struct{ mixin.Schema }

// Fields implements ent.Mixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		createdAt(),
		field.Time("updated_at").
			Default(time.Now).
			UpdateDefault(time.Now).
			Annotations(
				entgql.OrderField("UPDATED_AT"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
	}
}

// createdAt is the creation stamp, also for append-only entities.
func createdAt() ent.Field {
	return field.Time("created_at").
		Default(time.Now).
		Immutable().
		Annotations(
			entgql.OrderField("CREATED_AT"),
			entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
		)
}

// appIDField is the owning app's ID. Every app-scoped entity carries it as a
// column of its own, not only as an edge, so that tenant scoping is a single
// predicate on one column for every table (see the tenant interceptor).
func appIDField() ent.Field {
	return field.String("app_id").
		GoType(nodeid.ID("")).
		Immutable().
		Annotations(
			entgql.Skip(entgql.SkipMutationUpdateInput),
			entgql.MapsTo("appID"),
		)
}

// appEdge is the owning edge, bound to app_id. ref is the name of the
// inverse edge on App.
func appEdge(ref string) ent.Edge {
	return edge.From("app", App.Type).
		Ref(ref).
		Field("app_id").
		Unique().
		Required().
		Immutable()
}

// hidden keeps a field out of the GraphQL schema entirely (type, where,
// order and mutation inputs): used for every secret and internal column.
func hidden() schema.Annotation { return entgql.Skip() }

// cascade deletes the children with their parent.
func cascade() schema.Annotation { return entsql.OnDelete(entsql.Cascade) }

// noInput keeps an edge out of the generated create/update inputs: children
// are created through their own mutations, never attached to another app.
func noInput() schema.Annotation {
	return entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)
}
