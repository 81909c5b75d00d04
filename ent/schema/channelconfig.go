package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// ChannelConfig holds an app's credentials for one vendor channel.
type ChannelConfig struct{ ent.Schema }

// Mixin implements ent.Schema.
func (ChannelConfig) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("chc"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (ChannelConfig) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.Enum("channel").GoType(enum.Channel("")).Immutable().Annotations(entgql.Type("Channel")),
		// environment picks the APNs gateway; other vendors have one.
		field.Enum("environment").Values("SANDBOX", "PRODUCTION").Annotations(entgql.Type("APNsEnvironment")).Optional().Nillable(),
		field.Bytes("credentials_sealed").Sensitive().Annotations(hidden()),
		// summary is what the console may show: key IDs, team, topic,
		// project, expiry. Never a secret.
		field.JSON("summary", map[string]any{}).Optional().Annotations(entgql.Type("Map")),
		// config_error is set when the vendor rejected the credentials, so
		// pushes on this channel fail fast until they are replaced.
		field.String("config_error").Default(""),
		field.Time("config_error_at").Optional().Nillable(),
		// max_per_second paces sends on this credential (a token bucket);
		// 0 sends as fast as the vendor answers.
		field.Int("max_per_second").Default(0).NonNegative(),
		// marketing_per_device replaces the vendor's daily per-device cap
		// of content and marketing messages pushd counts (news apps get 5
		// from the vendors that tell them apart); 0 keeps the vendor's.
		field.Int("marketing_per_device").Default(0).NonNegative(),
	}
}

// Edges implements ent.Schema.
func (ChannelConfig) Edges() []ent.Edge {
	return []ent.Edge{appEdge("channel_configs")}
}

// Indexes implements ent.Schema.
func (ChannelConfig) Indexes() []ent.Index {
	return []ent.Index{index.Fields("app_id", "channel").Unique()}
}

// Annotations implements ent.Schema.
func (ChannelConfig) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("channelConfigs"),
		entgql.RelayConnection(),
	}
}
