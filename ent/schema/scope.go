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

// ScopeMixin is tenant isolation, enforced once for every app-scoped
// entity instead of in each resolver: reads see only the rows of apps the
// principal may read, and writes touch only rows of apps it may change.
// A context without a principal reads and writes nothing.
type ScopeMixin struct {
	mixin.Schema
	// column holds the owning app's ID: "app_id", or "id" for App itself.
	column string
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
			if !p.AllApps() {
				q.WhereP(sql.FieldIn(m.column, p.ReadableApps()...))
			}
			return nil
		}),
	}
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
				if p.AllApps() {
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
