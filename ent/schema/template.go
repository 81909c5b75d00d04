package schema

import (
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Template is a stored message with {{var}} placeholders.
type Template struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Template) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("tpl"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (Template) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("name").NotEmpty().MaxLen(100).
			// Names are used in URLs, logs and push calls: keep them plain.
			Match(regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)).
			Annotations(entgql.OrderField("NAME")),
		field.String("title").Default("").MaxLen(1024),
		field.Text("body").Default("").MaxLen(4096),
		// variables declares the placeholders; defaults fill those the
		// sender leaves out.
		field.Strings("variables").Optional(),
		field.JSON("defaults", map[string]any{}).Optional().
			Annotations(entgql.Type("Map")),
	}
}

// Edges implements ent.Schema.
func (Template) Edges() []ent.Edge {
	return []ent.Edge{appEdge("templates")}
}

// Indexes implements ent.Schema.
func (Template) Indexes() []ent.Index {
	return []ent.Index{index.Fields("app_id", "name").Unique()}
}

// Annotations implements ent.Schema.
func (Template) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("templates"),
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
