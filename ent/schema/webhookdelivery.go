package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// WebhookDelivery is one batch of receipts for one webhook: written with
// the receipts' cursor in one transaction, then posted by a queue task
// with retries until it is DELIVERED or, after the last try, DEAD.
type WebhookDelivery struct{ ent.Schema }

// Mixin implements ent.Schema.
func (WebhookDelivery) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("whd"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("webhook_id").GoType(nodeid.ID("")).Immutable().Annotations(entgql.MapsTo("webhookID")),
		field.Int("receipts").Default(0).Comment("how many receipts the batch holds"),
		field.Bytes("body").Annotations(hidden()),
		field.Enum("status").Values("PENDING", "DELIVERED", "DEAD").Default("PENDING"),
		field.Int("attempts").Default(0),
		field.JSON("attempt_log", []jsontype.WebhookAttempt{}).Optional().Annotations(hidden()),
		field.Time("delivered_at").Optional().Nillable(),
	}
}

// Edges implements ent.Schema.
func (WebhookDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		appEdge("webhook_deliveries"),
		edge.From("webhook", Webhook.Type).Ref("deliveries").Field("webhook_id").Unique().Required().Immutable(),
	}
}

// Indexes implements ent.Schema.
func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{index.Fields("webhook_id", "created_at"), index.Fields("status", "updated_at")}
}

// Annotations implements ent.Schema.
func (WebhookDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("webhookDeliveries"),
		entgql.RelayConnection(),
	}
}
