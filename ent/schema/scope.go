package schema

import (
	"context"
	"fmt"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema/mixin"

	"github.com/pushd/pushd/ent/intercept"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/tenant"
)

// scopeRule says which rows a principal may touch.
type scopeRule int

const (
	// byApp: rows of the apps the principal may read (queries) or change
	// (mutations), found by the app ID in column.
	byApp scopeRule = iota
	// ownAccount: admins and pushd see every account; an account sees
	// itself; nobody else sees any. Only admins and pushd change accounts.
	ownAccount
	// systemOnly: only pushd itself (sessions, which authentication reads
	// and writes on the caller's behalf).
	systemOnly
	// byOwner: reads of the apps the principal owns (admins and pushd:
	// all), found by the app ID in column; only pushd writes (the audit
	// log is appended and pruned by pushd alone).
	byOwner
)

// ScopeMixin is tenant isolation, enforced once for every entity instead
// of in each resolver. A context without a principal reads and writes
// nothing.
type ScopeMixin struct {
	mixin.Schema
	// column holds the owning app's ID: "app_id", or "id" for App itself.
	column string
	rule   scopeRule
}

func appScoped() ScopeMixin { return ScopeMixin{column: "app_id"} }

// Interceptors implements ent.Mixin.
func (m ScopeMixin) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{
		intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
			p, ok := tenant.FromContext(ctx)
			if !ok {
				return tenant.ErrNoPrincipal
			}
			if pred := m.readFilter(p); pred != nil {
				q.WhereP(pred)
			}
			return nil
		}),
	}
}

// readFilter returns the predicate that limits reads, or nil for none.
func (m ScopeMixin) readFilter(p tenant.Principal) func(*sql.Selector) {
	switch m.rule {
	case ownAccount:
		if p.AllApps() {
			return nil
		}
		if p.Kind == tenant.KindAccount {
			return sql.FieldEQ("id", p.AccountID)
		}
		return sql.FieldIn[nodeid.ID]("id")
	case systemOnly:
		if p.Kind == tenant.KindSystem {
			return nil
		}
		return sql.FieldIn[nodeid.ID]("id")
	case byOwner:
		if p.AllApps() {
			return nil
		}
		return sql.FieldIn(m.column, p.OwnedApps()...)
	}
	if p.AllApps() {
		return nil
	}
	return sql.FieldIn(m.column, p.ReadableApps()...)
}

// Hooks implements ent.Mixin.
func (m ScopeMixin) Hooks() []ent.Hook {
	return []ent.Hook{
		func(next ent.Mutator) ent.Mutator {
			return ent.MutateFunc(func(ctx context.Context, mut ent.Mutation) (ent.Value, error) {
				p, ok := tenant.FromContext(ctx)
				if !ok {
					return nil, tenant.ErrNoPrincipal
				}
				switch {
				case (m.rule == systemOnly || m.rule == byOwner) && p.Kind != tenant.KindSystem,
					m.rule == ownAccount && !p.AllApps():
					return nil, tenant.ErrForbidden
				case m.rule != byApp, p.AllApps():
					return next.Mutate(ctx, mut)
				}
				if mut.Op().Is(ent.OpCreate) {
					v, _ := mut.Field(m.column)
					app, _ := v.(nodeid.ID)
					if !p.CanWrite(app) {
						return nil, tenant.ErrForbidden
					}
					return next.Mutate(ctx, mut)
				}
				w, ok := mut.(interface{ WhereP(...func(*sql.Selector)) })
				if !ok {
					return nil, fmt.Errorf("scope: %T cannot be filtered", mut)
				}
				w.WhereP(sql.FieldIn(m.column, p.WritableApps()...))
				return next.Mutate(ctx, mut)
			})
		},
	}
}
