package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Webhook receives signed delivery receipts for an app.
type Webhook struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Webhook) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("whk"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("url").NotEmpty().MaxLen(2048),
		field.Bytes("secret_sealed").Sensitive().Annotations(hidden()),
		field.Strings("events").Optional(),
		field.Bool("enabled").Default(true),
	}
}

// Edges implements ent.Schema.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		appEdge("webhooks"),
		edge.To("deliveries", WebhookDelivery.Type).Annotations(cascade(), entgql.RelayConnection()),
	}
}

// Annotations implements ent.Schema.
func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("webhooks"),
		entgql.RelayConnection(),
	}
}
