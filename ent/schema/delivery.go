package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Delivery is one job's message to one device, or to a user who has no
// device yet (device_id empty, app_user_id set) while the TTL lasts.
type Delivery struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Delivery) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("dlv"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (Delivery) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("job_id").GoType(nodeid.ID("")).Immutable().
			Annotations(entgql.MapsTo("jobID")),
		field.String("device_id").GoType(nodeid.ID("")).Optional().Nillable().
			Annotations(entgql.MapsTo("deviceID")),
		field.String("app_user_id").GoType(nodeid.ID("")).Optional().Nillable().
			Annotations(entgql.MapsTo("appUserID")),
		field.String("msg_key").Optional().Nillable().MaxLen(128),
		field.Enum("channel").GoType(enum.Channel("")).Optional().Nillable().Annotations(entgql.Type("Channel")),
		field.Enum("status").
			Values("PENDING", "SENDING", "SENT", "ARRIVED", "OPENED", "IGNORED", "FAILED", "EXPIRED", "REVOKED").
			Default("PENDING").
			Annotations(entgql.OrderField("STATUS")),
		// attempts counts the sends started: a claim adds one, so a
		// delivery taken again after its lease expired shows the re-send.
		field.Int("attempts").Default(0).NonNegative(),
		// lease_owner names the claim that holds a SENDING delivery: the
		// process ("host:pid:nonce") and the batch, separated by "/". Only
		// that claim may record the vendor's answer.
		field.String("lease_owner").Optional().Nillable().Annotations(hidden()),
		// lease_until is when a SENDING delivery's claim lapses (set from
		// the database's clock): the sweeper then returns it to PENDING.
		field.Time("lease_until").Optional().Nillable().Annotations(hidden()),
		field.String("last_error").Default(""),
		// notified is the status the app's webhooks were last told of;
		// receipts go out for every status since (docs/webhooks.md).
		field.String("notified").Default("").Annotations(hidden()),
		// message overrides the job's message for MULTIPLE pushes, where
		// each target has its own rendered content.
		field.JSON("message", &jsontype.Message{}).Optional().Annotations(hidden()),
		// seq is the device's self-channel sequence number once assigned.
		field.Int64("seq").Optional().Nillable(),
		field.Time("expires_at"),
		field.Time("sent_at").Optional().Nillable(),
		field.Time("arrived_at").Optional().Nillable(),
		field.Time("opened_at").Optional().Nillable(),
	}
}

// Edges implements ent.Schema.
func (Delivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("app", App.Type).Ref("deliveries").Field("app_id").Unique().Required().Immutable().
			Annotations(hidden()),
		edge.From("job", PushJob.Type).Ref("deliveries").Field("job_id").Unique().Required().Immutable(),
		edge.From("device", Device.Type).Ref("deliveries").Field("device_id").Unique(),
		edge.From("app_user", AppUser.Type).Ref("pending_deliveries").Field("app_user_id").Unique().
			Annotations(hidden()),
	}
}

// Indexes implements ent.Schema.
func (Delivery) Indexes() []ent.Index {
	return []ent.Index{
		// The ledger: at most one delivery of a job per device. A job's
		// deliveries share its expiry, which partitions the table on
		// PostgreSQL and so must be part of every unique key there.
		// It also serves every per-job query (counts, revoke, paging).
		index.Fields("job_id", "device_id", "expires_at").Unique(),
		// Every delivery is written twice or more (PENDING, SENT, ...), and
		// status is indexed, so no update is HOT: the indexes below are
		// partial, over the few rows they serve, to keep that cost down.
		//
		// A connecting device's backlog: what waits for it, and what its
		// WebSocket channel carried and it has not acknowledged.
		index.Fields("device_id", "seq").
			Annotations(entsql.IndexWhere("status = 'PENDING' OR (status = 'SENT' AND channel = 'SELF')")),
		// Unacknowledged messages on the WebSocket channel, to hand again.
		index.Fields("sent_at").
			Annotations(entsql.IndexWhere("status = 'SENT' AND channel = 'SELF'")),
		// A device's history, newest first (the console's device page).
		index.Fields("device_id", "created_at"),
		index.Fields("app_user_id", "status").
			Annotations(entsql.IndexWhere("app_user_id IS NOT NULL")),
		index.Fields("expires_at").
			Annotations(entsql.IndexWhere("status = 'PENDING'")),
		// Claims in flight: the lease sweeper's and the shutdown's work.
		index.Fields("lease_until").
			Annotations(entsql.IndexWhere("status = 'SENDING'")),
	}
}

// Annotations implements ent.Schema.
func (Delivery) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("deliveries"),
		entgql.RelayConnection(),
	}
}
