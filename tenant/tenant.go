// Package tenant carries who is acting (the principal) through a request's
// context, and answers which apps that principal may read or change. It is
// a leaf package: ent's scope rules (ent/schema/scope.go), the resolvers and
// the authentication middleware all depend on it, and it on nothing of ours
// but IDs and enums.
package tenant

import (
	"context"
	"errors"
	"slices"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Errors returned when a principal is missing or not allowed.
var (
	ErrNoPrincipal = errors.New("tenant: no principal in context")
	ErrForbidden   = errors.New("tenant: not allowed")
)

// Kind is what sort of principal acts.
type Kind int

// Kinds of principal.
const (
	// KindSystem is pushd itself (workers, sweepers, start-up tasks).
	KindSystem Kind = iota + 1
	// KindAccount is a console user, scoped by memberships (or admin).
	KindAccount
	// KindAPIKey is a backend acting with one app's key.
	KindAPIKey
	// KindDevice is a registered device acting on its own app.
	KindDevice
)

// Principal is who acts. The zero value may do nothing.
type Principal struct {
	Kind      Kind
	AccountID nodeid.ID
	// Admin accounts act on every app.
	Admin bool
	// AppID is the single app of an API key or device principal.
	AppID nodeid.ID
	// Roles are an account's roles by app.
	Roles map[nodeid.ID]enum.Role
}

// System is the principal for pushd's own work.
func System() Principal { return Principal{Kind: KindSystem} }

// AllApps reports whether p is unrestricted.
func (p Principal) AllApps() bool {
	return p.Kind == KindSystem || (p.Kind == KindAccount && p.Admin)
}

// ReadableApps lists the apps p may read; meaningless when AllApps.
func (p Principal) ReadableApps() []nodeid.ID {
	switch p.Kind {
	case KindAPIKey, KindDevice:
		return []nodeid.ID{p.AppID}
	case KindAccount:
		ids := make([]nodeid.ID, 0, len(p.Roles))
		for id := range p.Roles {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		return ids
	}
	return nil
}

// WritableApps lists the apps p may change; meaningless when AllApps.
// Viewers read only.
func (p Principal) WritableApps() []nodeid.ID {
	switch p.Kind {
	case KindAPIKey, KindDevice:
		return []nodeid.ID{p.AppID}
	case KindAccount:
		ids := make([]nodeid.ID, 0, len(p.Roles))
		for id, role := range p.Roles {
			if role == enum.RoleOwner || role == enum.RoleDeveloper {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		return ids
	}
	return nil
}

// CanRead reports whether p may read app.
func (p Principal) CanRead(app nodeid.ID) bool {
	return p.AllApps() || slices.Contains(p.ReadableApps(), app)
}

// CanWrite reports whether p may change app.
func (p Principal) CanWrite(app nodeid.ID) bool {
	return p.AllApps() || slices.Contains(p.WritableApps(), app)
}

type ctxKey struct{}

// NewContext returns ctx carrying p.
func NewContext(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal in ctx, if any.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok && p.Kind != 0
}
