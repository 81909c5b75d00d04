package audit

import (
	"context"
	"fmt"
	"slices"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/apikey"
	"github.com/pushd/pushd/ent/auditevent"
	"github.com/pushd/pushd/ent/channelconfig"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/tenant"
)

// audited lists the entity types whose changes are recorded, each with the
// fields pushd keeps up to date on its own: a change of only those is
// bookkeeping, not worth a record.
var audited = map[string][]string{
	ent.TypeApp:           nil,
	ent.TypeAPIKey:        {apikey.FieldLastUsedAt},
	ent.TypeChannelConfig: {channelconfig.FieldConfigError, channelconfig.FieldConfigErrorAt},
	ent.TypeMembership:    nil,
	ent.TypeInvitation:    nil,
	ent.TypeTemplate:      nil,
	ent.TypeWebhook:       nil,
	ent.TypePushJob: {
		pushjob.FieldDispatchCursor, pushjob.FieldDispatchedAt, pushjob.FieldCountTargeted, pushjob.FieldCountPending,
		pushjob.FieldCountSent, pushjob.FieldCountArrived, pushjob.FieldCountOpened, pushjob.FieldCountIgnored,
		pushjob.FieldCountFailed, pushjob.FieldCountExpired, pushjob.FieldCountRevoked,
	},
}

// mutation is what every generated mutation of an audited type offers.
type mutation interface {
	ent.Mutation
	Client() *ent.Client
	ID() (nodeid.ID, bool)
	IDs(context.Context) ([]nodeid.ID, error)
}

// Hook records every successful change an account or an API key makes to
// an audited entity, in the mutation's own transaction: the record and the
// change commit or roll back together. Work of pushd itself and of devices
// (no actor in the context) is not recorded. store installs it on every
// client, so no code path can change an audited entity unrecorded.
func Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			quiet, ok := audited[m.Type()]
			actor, acting := tenant.ActorOf(ctx)
			mut, typed := m.(mutation)
			if !ok || !acting || !typed {
				return next.Mutate(ctx, m)
			}
			fields := changedFields(m, quiet)
			deleting := m.Op().Is(ent.OpDelete | ent.OpDeleteOne)
			if len(fields) == 0 && !deleting {
				return next.Mutate(ctx, m)
			}
			// The rows an update or delete touches are known only before
			// it runs: afterwards deleted rows are gone.
			var apps map[nodeid.ID]nodeid.ID
			if !m.Op().Is(ent.OpCreate) {
				var err error
				if apps, err = targets(ctx, mut); err != nil {
					return nil, fmt.Errorf("audit: %w", err)
				}
				if len(apps) == 0 {
					return next.Mutate(ctx, m)
				}
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			if m.Op().Is(ent.OpCreate) {
				apps = createdApp(mut)
			}
			if err := record(ctx, mut, actor, fields, apps); err != nil {
				return nil, fmt.Errorf("audit: %w", err)
			}
			return v, nil
		})
	}
}

// changedFields names the fields m sets, adds to or clears, less the quiet
// ones, sorted.
func changedFields(m ent.Mutation, quiet []string) []string {
	var names []string
	for _, list := range [][]string{m.Fields(), m.AddedFields(), m.ClearedFields()} {
		for _, f := range list {
			if f != "updated_at" && !slices.Contains(quiet, f) && !slices.Contains(names, f) {
				names = append(names, f)
			}
		}
	}
	slices.Sort(names)
	return names
}

// targets maps the rows an update or delete will touch to their apps.
func targets(ctx context.Context, m mutation) (map[nodeid.ID]nodeid.ID, error) {
	ids, err := m.IDs(ctx)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	apps := make(map[nodeid.ID]nodeid.ID, len(ids))
	if m.Type() == ent.TypeApp {
		for _, id := range ids {
			apps[id] = id
		}
		return apps, nil
	}
	var rows []struct {
		ID    nodeid.ID `json:"id"`
		AppID nodeid.ID `json:"app_id"`
	}
	q := appsQuery(m.Client(), m.Type(), ids)
	if q == nil {
		return nil, fmt.Errorf("no app query for %s", m.Type())
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		apps[r.ID] = r.AppID
	}
	return apps, nil
}

// scanner is the part of a generated selection appsQuery uses.
type scanner interface {
	Scan(context.Context, any) error
}

// appsQuery selects the id and app_id of the rows ids of type typ; nil for
// a type it does not know (it and audited list the same types).
func appsQuery(c *ent.Client, typ string, ids []nodeid.ID) scanner {
	in := entsql.FieldIn("id", ids...)
	cols := []string{"id", "app_id"}
	switch typ {
	case ent.TypeAPIKey:
		return c.APIKey.Query().Where(predicate.APIKey(in)).Select(cols...)
	case ent.TypeChannelConfig:
		return c.ChannelConfig.Query().Where(predicate.ChannelConfig(in)).Select(cols...)
	case ent.TypeMembership:
		return c.Membership.Query().Where(predicate.Membership(in)).Select(cols...)
	case ent.TypeInvitation:
		return c.Invitation.Query().Where(predicate.Invitation(in)).Select(cols...)
	case ent.TypeTemplate:
		return c.Template.Query().Where(predicate.Template(in)).Select(cols...)
	case ent.TypeWebhook:
		return c.Webhook.Query().Where(predicate.Webhook(in)).Select(cols...)
	case ent.TypePushJob:
		return c.PushJob.Query().Where(predicate.PushJob(in)).Select(cols...)
	}
	return nil
}

// createdApp maps the row m created to its app: its app_id, or itself for
// an App.
func createdApp(m mutation) map[nodeid.ID]nodeid.ID {
	id, _ := m.ID()
	if m.Type() == ent.TypeApp {
		return map[nodeid.ID]nodeid.ID{id: id}
	}
	v, _ := m.Field("app_id")
	app, _ := v.(nodeid.ID)
	return map[nodeid.ID]nodeid.ID{id: app}
}

// record stores one event per target through m's client, so in m's
// transaction when it has one. Only pushd writes the log, hence AsSystem.
func record(ctx context.Context, m mutation, actor tenant.Principal, fields []string, apps map[nodeid.ID]nodeid.ID) error {
	kind, actorID := auditevent.ActorKindAccount, actor.AccountID
	if actor.Kind == tenant.KindAPIKey {
		kind, actorID = auditevent.ActorKindAPIKey, actor.APIKeyID
	}
	ids := make([]nodeid.ID, 0, len(apps))
	for id := range apps {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	c := m.Client().AuditEvent
	creates := make([]*ent.AuditEventCreate, len(ids))
	for i, id := range ids {
		creates[i] = c.Create().
			SetAppID(apps[id]).
			SetActorKind(kind).SetActorID(actorID).SetActorLabel(actor.Label).
			SetAction(action(m.Op())).
			SetTargetType(m.Type()).SetTargetID(id).
			SetFields(fields).
			SetAddress(tenant.AddressOf(ctx))
	}
	return c.CreateBulk(creates...).Exec(tenant.AsSystem(ctx))
}

func action(op ent.Op) string {
	switch {
	case op.Is(ent.OpCreate):
		return "create"
	case op.Is(ent.OpDelete | ent.OpDeleteOne):
		return "delete"
	}
	return "update"
}
