package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// APIKey lets a backend sign requests for one app.
type APIKey struct{ ent.Schema }

// Mixin implements ent.Schema.
func (APIKey) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("key"), appScoped()}
}

// Fields implements ent.Schema.
func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		createdAt(),
		// key_id is what requests carry in X-Pushd-Key: public, unique.
		field.String("key_id").Unique().Immutable().NotEmpty().MaxLen(64),
		field.String("name").NotEmpty().MaxLen(100).Annotations(entgql.OrderField("NAME")),
		field.Enum("algorithm").Values("HMAC_SHA256", "ED25519", "RSA_SHA256").Immutable(),
		// secret_sealed is the HMAC secret sealed with the master key; the
		// plaintext is returned once by createAPIKey and never again.
		field.Bytes("secret_sealed").Sensitive().Optional().Immutable().Annotations(hidden()),
		// public_key is a PEM public key for ED25519 and RSA_SHA256. It is not
		// secret, so it is readable.
		field.Text("public_key").Optional().Immutable(),
		field.Time("last_used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

// Edges implements ent.Schema.
func (APIKey) Edges() []ent.Edge {
	return []ent.Edge{appEdge("api_keys")}
}

// Indexes implements ent.Schema.
func (APIKey) Indexes() []ent.Index {
	return []ent.Index{index.Fields("app_id", "name")}
}

// Annotations implements ent.Schema.
func (APIKey) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("apiKeys"),
		entgql.RelayConnection(),
	}
}
