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

// Device is one installation of an app on one device.
type Device struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Device) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("dev"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (Device) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("installation_id").NotEmpty().MaxLen(128).Immutable(),
		field.Enum("platform").GoType(enum.Platform("")).
			Annotations(entgql.Type("Platform")).
			Annotations(entgql.OrderField("PLATFORM")),
		field.String("app_version").Default("").MaxLen(64),
		field.String("os_version").Default("").MaxLen(64),
		field.String("model").Default("").MaxLen(128),
		field.String("brand").Default("").MaxLen(64),
		field.String("locale").Default("").MaxLen(35),
		field.String("timezone").Default("").MaxLen(64),
		field.Strings("tags").Optional(),
		field.Bool("push_enabled").Default(true),
		field.Time("last_seen_at").Optional().Nillable().
			Annotations(entgql.OrderField("LAST_SEEN_AT")),
		// token_hash is the SHA-256 of the device's bearer token: the token
		// itself is shown to the device once and never stored.
		field.Bytes("token_hash").Sensitive().Optional().Annotations(hidden()),
		field.String("user_id").GoType(nodeid.ID("")).Optional().Nillable().
			Annotations(entgql.MapsTo("userID")),
		field.Time("bound_at").Optional().Nillable(),
		// next_seq is the last seq handed out on the self-built channel.
		field.Int64("last_seq").Default(0).Annotations(hidden()),
	}
}

// Edges implements ent.Schema.
func (Device) Edges() []ent.Edge {
	return []ent.Edge{
		appEdge("devices"),
		edge.From("user", AppUser.Type).Ref("devices").Field("user_id").Unique(),
		edge.To("tokens", DeviceToken.Type).Annotations(cascade()),
		edge.To("deliveries", Delivery.Type).Annotations(entgql.RelayConnection()),
	}
}

// Indexes implements ent.Schema.
func (Device) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("app_id", "installation_id").Unique(),
		// Broadcast audiences are split into ranges per app by ID (keyset).
		index.Fields("app_id", "id"),
		index.Fields("app_id", "platform"),
		index.Fields("app_id", "last_seen_at"),
		index.Fields("user_id"),
		// Devices authenticate by token on every gateway request.
		index.Fields("token_hash").Unique(),
	}
}

// Annotations implements ent.Schema.
func (Device) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("devices"),
		entgql.RelayConnection(),
	}
}

// DeviceToken is a device's token for one vendor channel.
type DeviceToken struct{ ent.Schema }

// Mixin implements ent.Schema.
func (DeviceToken) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("vtk"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (DeviceToken) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("device_id").GoType(nodeid.ID("")).Immutable(),
		field.Enum("channel").GoType(enum.Channel("")).Annotations(entgql.Type("Channel")),
		field.String("token").NotEmpty().MaxLen(4096),
		field.Enum("status").Values("ACTIVE", "DEAD").Default("ACTIVE"),
		// dead_reason is the vendor's word for why the token died.
		field.String("dead_reason").Default(""),
		field.Time("dead_at").Optional().Nillable(),
	}
}

// Edges implements ent.Schema.
func (DeviceToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("app", App.Type).Ref("device_tokens").Field("app_id").Unique().Required().Immutable().
			Annotations(hidden()),
		edge.From("device", Device.Type).Ref("tokens").Field("device_id").Unique().Required().Immutable(),
	}
}

// Indexes implements ent.Schema.
func (DeviceToken) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("device_id", "channel").Unique(),
		index.Fields("channel", "token"),
	}
}
