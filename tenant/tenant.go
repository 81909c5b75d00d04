// Package tenant carries who is acting (the principal) through a request's
// context, and answers which apps that principal may read or change. It is
// a leaf package: ent's scope rules (ent/schema/scope.go), the resolvers and
// the authentication middleware all depend on it, and it on nothing of ours
// but IDs and enums.
package tenant

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Errors returned when a principal is missing or not allowed. ErrHidden is
// for an app the principal cannot even read: callers present it exactly
// like a missing resource, so other tenants' IDs stay unconfirmed.
var (
	ErrNoPrincipal = errors.New("tenant: no principal in context")
	ErrForbidden   = errors.New("tenant: not allowed")
	ErrHidden      = errors.New("tenant: not found")
	// ErrOwnerOnly and ErrReadOnly are the two refusals with words of their
	// own; callers show their text, never other wrapped detail.
	ErrOwnerOnly = fmt.Errorf("%w: only an owner of the app may do this", ErrForbidden)
	ErrReadOnly  = fmt.Errorf("%w: viewers may not change the app", ErrForbidden)
)

// Need is what an action requires of the principal in an app.
type Need int

// Needs, from least to most.
const (
	NeedRead Need = iota
	NeedWrite
	NeedOwner
)

// Require checks that ctx's principal may act on app as need says.
func Require(ctx context.Context, app nodeid.ID, need Need) error {
	p, ok := FromContext(ctx)
	switch {
	case !ok:
		return ErrNoPrincipal
	case !p.CanRead(app):
		return ErrHidden
	case need == NeedWrite && !p.CanWrite(app):
		return ErrReadOnly
	case need == NeedOwner && !p.CanAdminister(app):
		return ErrOwnerOnly
	}
	return nil
}

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
	// Admin accounts act as owner of every app, and alone create apps and
	// accounts.
	Admin bool
	// SessionID is the console session an account acts through.
	SessionID nodeid.ID
	// AppID is the single app of an API key or device principal.
	AppID nodeid.ID
	// APIKeyID is the key's record ID, for revocation checks.
	APIKeyID nodeid.ID
	// Roles are an account's roles by app.
	Roles map[nodeid.ID]enum.Role
	// Label names the principal for people reading the audit log: the
	// account's email or the key's name, whichever authentication had at
	// hand, so recording needs no lookup.
	Label string
}

// System is the principal for pushd's own work.
func System() Principal { return Principal{Kind: KindSystem} }

// AsSystem returns ctx acting as pushd itself: for work that must read or
// write before anyone is known (authentication, the device API), which
// scopes itself explicitly to the one app or device it serves. An account
// or API key acting until then stays in ctx as the actor (see ActorOf), so
// the audit log still says who caused the write.
func AsSystem(ctx context.Context) context.Context {
	if p, ok := FromContext(ctx); ok && p.Kind != KindSystem {
		ctx = context.WithValue(ctx, actorKey{}, p)
	}
	return NewContext(ctx, System())
}

// ActorOf returns the account or API key on whose behalf ctx acts: its
// principal, or, while it acts as the system, the principal it acted as
// before AsSystem. Devices and pushd's own work have no actor.
func ActorOf(ctx context.Context) (Principal, bool) {
	p, ok := FromContext(ctx)
	if ok && p.Kind == KindSystem {
		p, ok = ctx.Value(actorKey{}).(Principal)
	}
	if !ok || (p.Kind != KindAccount && p.Kind != KindAPIKey) {
		return Principal{}, false
	}
	return p, true
}

// WithAddress returns ctx carrying the client's network address, for the
// audit log.
func WithAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addrKey{}, addr)
}

// AddressOf returns the client address in ctx, or "".
func AddressOf(ctx context.Context) string {
	a, _ := ctx.Value(addrKey{}).(string)
	return a
}

// AllApps reports whether p acts as owner of every app.
func (p Principal) AllApps() bool {
	return p.Kind == KindSystem || (p.Kind == KindAccount && p.Admin)
}

// Role is p's role in app. An API key acts as a developer of its own app:
// it may push and manage content, not keys or members.
func (p Principal) Role(app nodeid.ID) (enum.Role, bool) {
	switch {
	case p.AllApps():
		return enum.RoleOwner, true
	case p.Kind == KindAPIKey || p.Kind == KindDevice:
		if app != "" && app == p.AppID {
			return enum.RoleDeveloper, true
		}
	case p.Kind == KindAccount:
		r, ok := p.Roles[app]
		return r, ok
	}
	return "", false
}

// ReadableApps lists the apps p may read; meaningless when AllApps.
func (p Principal) ReadableApps() []nodeid.ID { return p.apps(false) }

// WritableApps lists the apps p may change; meaningless when AllApps.
// Viewers read only.
func (p Principal) WritableApps() []nodeid.ID { return p.apps(true) }

// OwnedApps lists the apps p owns; meaningless when AllApps. API keys and
// devices own none.
func (p Principal) OwnedApps() []nodeid.ID {
	if p.Kind != KindAccount {
		return nil
	}
	var ids []nodeid.ID
	for id, role := range p.Roles {
		if role == enum.RoleOwner {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (p Principal) apps(write bool) []nodeid.ID {
	switch p.Kind {
	case KindAPIKey, KindDevice:
		return []nodeid.ID{p.AppID}
	case KindAccount:
		ids := make([]nodeid.ID, 0, len(p.Roles))
		for id, role := range p.Roles {
			if !write || role != enum.RoleViewer {
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
	_, ok := p.Role(app)
	return ok
}

// CanWrite reports whether p may change app's content.
func (p Principal) CanWrite(app nodeid.ID) bool {
	r, ok := p.Role(app)
	return ok && r != enum.RoleViewer
}

// CanAdminister reports whether p may manage app's keys, credentials,
// webhooks and members, or delete it.
func (p Principal) CanAdminister(app nodeid.ID) bool {
	r, ok := p.Role(app)
	return ok && r == enum.RoleOwner
}

type (
	ctxKey   struct{}
	actorKey struct{}
	addrKey  struct{}
)

// NewContext returns ctx carrying p.
func NewContext(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal in ctx, if any.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok && p.Kind != 0
}
