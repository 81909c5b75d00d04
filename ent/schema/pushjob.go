package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// PushJob is one accepted push request, or one occurrence of a schedule.
type PushJob struct{ ent.Schema }

// Mixin implements ent.Schema.
func (PushJob) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("job"), appScoped(), TimeMixin{}}
}

// Fields implements ent.Schema.
func (PushJob) Fields() []ent.Field {
	fields := []ent.Field{
		appIDField(),
		field.Enum("kind").GoType(enum.PushKind("")).Immutable().
			Annotations(entgql.OrderField("KIND"), entgql.Type("PushKind")),
		field.Enum("status").
			Values("SCHEDULED", "QUEUED", "SENDING", "DONE", "CANCELLED", "REVOKED", "FAILED").
			Default("QUEUED").
			Annotations(entgql.OrderField("STATUS")),
		// msg_key is the sender's idempotency key: unique per app.
		field.String("msg_key").Optional().Nillable().Immutable().MaxLen(128),
		field.String("task_name").Default("").MaxLen(200),
		field.String("template_name").Optional().Nillable().Immutable(),
		field.JSON("message", jsontype.Message{}).Annotations(hidden()),
		field.JSON("target", jsontype.Target{}).Optional().Annotations(hidden()),
		field.JSON("audience", jsontype.Audience{}).Optional().Annotations(hidden()),
		field.JSON("options", jsontype.Options{}).Annotations(hidden()),
		field.Int("ttl_seconds").NonNegative(),
		field.Time("schedule_at").Optional().Nillable(),
		field.JSON("recurrence", &jsontype.Recurrence{}).Optional().Annotations(hidden()),
		field.String("schedule_id").GoType(nodeid.ID("")).Optional().Nillable().
			Annotations(entgql.MapsTo("scheduleID")),
		field.Time("expires_at").Optional().Nillable(),
		field.Time("finished_at").Optional().Nillable(),
		field.String("error").Default(""),
		// dispatch_cursor checkpoints broadcast fan-out: the last device ID
		// whose deliveries were written, so a restarted dispatch resumes.
		field.String("dispatch_cursor").Default("").Annotations(hidden()),
		// fan_out_listed says a broadcast's audience is wholly listed in
		// fan-out ranges (the cursor reached the app's last device).
		field.Bool("fan_out_listed").Default(false).Annotations(hidden()),
		// dispatched_at is set once every delivery of the job exists and
		// has a send task: the job is DONE when, after it, no delivery
		// waits for its first attempt.
		field.Time("dispatched_at").Optional().Nillable().Annotations(hidden()),
		// unknown_targets lists the device or user IDs of the request that
		// do not exist in the app; they are reported, not fatal.
		field.Strings("unknown_targets").Optional(),
	}
	// Per-status counters, kept by the pipeline and read by counts { }.
	for _, name := range []string{"targeted", "pending", "sent", "arrived", "opened", "ignored", "failed", "expired", "revoked"} {
		fields = append(fields, field.Int("count_"+name).Default(0).NonNegative().Annotations(hidden()))
	}
	return fields
}

// Edges implements ent.Schema.
func (PushJob) Edges() []ent.Edge {
	return []ent.Edge{
		appEdge("push_jobs"),
		edge.To("occurrences", PushJob.Type).
			From("schedule").Field("schedule_id").Unique(),
		edge.To("deliveries", Delivery.Type).Annotations(cascade(), entgql.RelayConnection()),
	}
}

// Indexes implements ent.Schema.
func (PushJob) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("app_id", "msg_key").Unique(),
		index.Fields("app_id", "created_at"),
		index.Fields("status", "schedule_at"),
	}
}

// Annotations implements ent.Schema.
func (PushJob) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("pushJobs"),
		entgql.RelayConnection(),
	}
}
