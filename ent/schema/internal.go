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

// Outbox is work accepted in a transaction and not yet handed to the
// queue; the relay moves it to Asynq with TaskID = the outbox ID, so a
// second hand-off is harmless.
type Outbox struct{ ent.Schema }

// Mixin implements ent.Schema.
func (Outbox) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("obx"), appScoped()}
}

// Fields implements ent.Schema.
func (Outbox) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		createdAt(),
		field.String("task_type").NotEmpty(),
		field.Bytes("payload"),
		field.String("queue").Default("default"),
		field.Time("process_at").Optional().Nillable(),
		field.Time("relayed_at").Optional().Nillable(),
		field.Int("attempts").Default(0),
	}
}

// Edges implements ent.Schema.
func (Outbox) Edges() []ent.Edge {
	return []ent.Edge{appEdge("outbox")}
}

// Indexes implements ent.Schema.
func (Outbox) Indexes() []ent.Index {
	return []ent.Index{index.Fields("relayed_at", "created_at")}
}

// Annotations implements ent.Schema.
func (Outbox) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// statMetrics are the counts kept per minute and per job snapshot.
var statMetrics = []string{"targeted", "sent", "arrived", "opened", "ignored", "failed", "expired", "revoked"}

// StatMinute is one minute of counts for one combination of dimensions.
type StatMinute struct{ ent.Schema }

// Mixin implements ent.Schema.
func (StatMinute) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("stm"), appScoped()}
}

// Fields implements ent.Schema.
func (StatMinute) Fields() []ent.Field {
	fields := []ent.Field{
		appIDField(),
		field.Time("minute"),
		// grain is the width of the row: m (a minute), h (an hour) or d
		// (a day): old minutes are rolled up into hours, old hours into days.
		field.String("grain").Default("m"),
		// Dimensions are plain strings ("" = not applicable) so the unique
		// key below can be an upsert target on every database.
		field.String("platform").Default(""),
		field.String("app_version").Default(""),
		field.String("channel").Default(""),
		field.String("kind").Default(""),
		field.String("job_id").Default(""),
	}
	for _, name := range statMetrics {
		fields = append(fields, field.Int64(name).Default(0))
	}
	return fields
}

// Edges implements ent.Schema.
func (StatMinute) Edges() []ent.Edge {
	return []ent.Edge{appEdge("stat_minutes")}
}

// Indexes implements ent.Schema.
func (StatMinute) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("app_id", "minute", "grain", "platform", "app_version", "channel", "kind", "job_id").Unique(),
		index.Fields("grain", "minute"),
	}
}

// Annotations implements ent.Schema.
func (StatMinute) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// StatSnapshot is what the statistics last counted of one job's
// deliveries, per dimension: the next count adds only the difference to
// the current minute, in the same transaction as the new snapshot, so a
// crash or a second counter can neither lose nor double a count.
type StatSnapshot struct{ ent.Schema }

// Mixin implements ent.Schema.
func (StatSnapshot) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("sts"), appScoped()}
}

// Fields implements ent.Schema.
func (StatSnapshot) Fields() []ent.Field {
	fields := []ent.Field{
		appIDField(),
		field.String("job_id"),
		field.String("platform").Default(""),
		field.String("app_version").Default(""),
		field.String("channel").Default(""),
		field.Time("updated_at"),
	}
	for _, name := range statMetrics {
		fields = append(fields, field.Int64(name).Default(0))
	}
	return fields
}

// Edges implements ent.Schema.
func (StatSnapshot) Edges() []ent.Edge {
	return []ent.Edge{appEdge("stat_snapshots")}
}

// Indexes implements ent.Schema.
func (StatSnapshot) Indexes() []ent.Index {
	return []ent.Index{index.Fields("job_id", "platform", "app_version", "channel").Unique()}
}

// Annotations implements ent.Schema.
func (StatSnapshot) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// QuotaUse is one delivery counted against a vendor's daily per-device
// cap of content and marketing messages, on one day of Beijing time (when
// the Chinese vendors' counts reset): SENT when it was let through, HELD
// when it waits for the next day, FAILED when the app's policy failed it.
// A delivery is counted once a day, however often it is retried.
type QuotaUse struct{ ent.Schema }

// Mixin implements ent.Schema.
func (QuotaUse) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("qtu"), appScoped()}
}

// Fields implements ent.Schema.
func (QuotaUse) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.Enum("channel").GoType(enum.Channel("")),
		// day is the Beijing date, 2006-01-02.
		field.String("day"),
		field.String("device_id"),
		field.String("delivery_id"),
		field.Enum("state").Values("SENT", "HELD", "FAILED"),
		createdAt(),
	}
}

// Edges implements ent.Schema.
func (QuotaUse) Edges() []ent.Edge {
	return []ent.Edge{appEdge("quota_uses")}
}

// Indexes implements ent.Schema.
func (QuotaUse) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("delivery_id", "day").Unique(),
		index.Fields("app_id", "channel", "day", "device_id"),
		index.Fields("day"),
	}
}

// Annotations implements ent.Schema.
func (QuotaUse) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// FanOutRange is one keyset range of an app's devices, (after, through],
// that a broadcast's fan-out turns into deliveries as a task of its own:
// the ranges of one job run side by side on every worker. The job is
// dispatched once its audience is listed in ranges and every range is
// done; a range is done in the transaction that writes its deliveries, so
// it is written once however often its task runs.
type FanOutRange struct{ ent.Schema }

// Mixin implements ent.Schema.
func (FanOutRange) Mixin() []ent.Mixin {
	return []ent.Mixin{nodeid.WithPrefix("fan"), appScoped()}
}

// Fields implements ent.Schema.
func (FanOutRange) Fields() []ent.Field {
	return []ent.Field{
		appIDField(),
		field.String("job_id").GoType(nodeid.ID("")),
		field.String("after").GoType(nodeid.ID("")).Default(""),
		field.String("through").GoType(nodeid.ID("")),
		field.Bool("done").Default(false),
	}
}

// Edges implements ent.Schema.
func (FanOutRange) Edges() []ent.Edge {
	return []ent.Edge{appEdge("fan_out_ranges")}
}

// Indexes implements ent.Schema.
func (FanOutRange) Indexes() []ent.Index {
	return []ent.Index{index.Fields("job_id", "done")}
}

// Annotations implements ent.Schema.
func (FanOutRange) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
