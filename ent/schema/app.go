package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// App is a tenant: one mobile/web application with its own devices, users,
// keys, credentials and pushes.
type App struct{ ent.Schema }

// Mixin implements ent.Schema.
func (App) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("app"), ScopeMixin{column: "id"}, TimeMixin{}}
}

// Fields implements ent.Schema.
func (App) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(100).
			Annotations(entgql.OrderField("NAME")),
		field.String("description").
			Default("").
			MaxLen(1000),
		// app_key is public: devices send it to register. It identifies the
		// app, it does not authorise anything on its own.
		field.String("app_key").
			Unique().
			Immutable().
			NotEmpty().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		// quota_policy is what becomes of a content or marketing message to
		// a device whose vendor's daily cap is spent: HOLD sends it when the
		// cap resets (midnight in Beijing), within its TTL; FAIL fails it.
		field.Enum("quota_policy").Values("HOLD", "FAIL").Default("HOLD").
			Annotations(entgql.Type("QuotaPolicy")),
	}
}

// Edges implements ent.Schema.
func (App) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("devices", Device.Type).Annotations(cascade(), entgql.RelayConnection(), noInput()),
		edge.To("device_tokens", DeviceToken.Type).Annotations(cascade(), hidden()),
		edge.To("app_users", AppUser.Type).Annotations(cascade(), entgql.RelayConnection(), noInput()),
		edge.To("groups", Group.Type).Annotations(cascade(), entgql.RelayConnection(), noInput()),
		edge.To("templates", Template.Type).Annotations(cascade(), entgql.RelayConnection(), noInput()),
		edge.To("api_keys", APIKey.Type).Annotations(cascade(), entgql.RelayConnection(), noInput()),
		edge.To("channel_configs", ChannelConfig.Type).Annotations(cascade(), noInput()),
		edge.To("push_jobs", PushJob.Type).Annotations(cascade(), entgql.RelayConnection(), noInput()),
		edge.To("deliveries", Delivery.Type).Annotations(cascade(), hidden()),
		edge.To("outbox", Outbox.Type).Annotations(cascade(), hidden()),
		edge.To("stat_minutes", StatMinute.Type).Annotations(cascade(), hidden()),
		edge.To("stat_snapshots", StatSnapshot.Type).Annotations(cascade(), hidden()),
		edge.To("webhook_deliveries", WebhookDelivery.Type).Annotations(cascade(), hidden()),
		edge.To("webhooks", Webhook.Type).Annotations(cascade(), noInput()),
		edge.To("memberships", Membership.Type).Annotations(cascade(), hidden()),
		edge.To("invitations", Invitation.Type).Annotations(cascade(), hidden()),
		edge.To("quota_uses", QuotaUse.Type).Annotations(cascade(), hidden()),
		edge.To("fan_out_ranges", FanOutRange.Type).Annotations(cascade(), hidden()),
	}
}

// Annotations implements ent.Schema.
func (App) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("apps"),
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()),
	}
}
