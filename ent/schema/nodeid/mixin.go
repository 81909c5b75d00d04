package nodeid

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// Mixin gives a schema an ID field of type ID with the given prefix.
type Mixin struct {
	mixin.Schema
	prefix string
}

// WithPrefix returns the ID mixin for one entity type.
func WithPrefix(prefix string) Mixin { return Mixin{prefix: prefix} }

// Fields implements ent.Mixin.
func (m Mixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			GoType(ID("")).
			MaxLen(40).
			NotEmpty().
			Immutable().
			DefaultFunc(func() ID { return New(m.prefix) }),
	}
}

// Annotations records the prefix so the code generator can build the
// prefix → table map that node(id:) uses.
func (m Mixin) Annotations() []schema.Annotation {
	return []schema.Annotation{Annotation{Prefix: m.prefix}}
}

// Annotation carries an entity's ID prefix into code generation.
type Annotation struct {
	Prefix string
}

// Name implements schema.Annotation.
func (Annotation) Name() string { return "NodeID" }
