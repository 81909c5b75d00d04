// Package graph is the GraphQL transport: the hand-written schema under
// schema/, thin resolvers that page through ent or call the push domain,
// the one error presenter, and the hardened HTTP handler. Generated code
// lives in graph/generated and graph/model.
package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/pushd/pushd/provider/channel"
	"github.com/pushd/pushd/push/core"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/graph/generated"
	"github.com/pushd/pushd/graph/model"
	"github.com/pushd/pushd/push"
)

// Resolver is the root resolver.
type Resolver struct {
	client *ent.Client
	svc    *push.Service
	auth   *auth.Service
	// vendors are the registry's, in preference order.
	vendors []channel.Vendor
}

// NewSchema returns the executable schema.
func NewSchema(svc *push.Service, authn *auth.Service, vendors []channel.Vendor) graphql.ExecutableSchema {
	return generated.NewExecutableSchema(generated.Config{
		Resolvers:  &Resolver{client: svc.Client(), svc: svc, auth: authn, vendors: vendors},
		Complexity: complexity(),
	})
}

// Page sizes for every connection: a list without first/last gets
// defaultPage items, and no page may exceed maxPage.
const (
	defaultPage = 50
	maxPage     = 500
	maxNodes    = 500
)

func pageSize(first, last *int) (*int, *int, error) {
	for name, v := range map[string]*int{"first": first, "last": last} {
		if v != nil && (*v < 0 || *v > maxPage) {
			return nil, nil, core.Invalid(name, "must be between 0 and %d, got %d", maxPage, *v)
		}
	}
	if first == nil && last == nil {
		n := defaultPage
		first = &n
	}
	return first, last, nil
}

func checkNodes(ids []nodeid.ID) error {
	if len(ids) > maxNodes {
		return core.Invalid("ids", "at most %d IDs per call, got %d", maxNodes, len(ids))
	}
	return nil
}

func countsOf(j *ent.PushJob) *model.PushCounts {
	return &model.PushCounts{
		Targeted: j.CountTargeted,
		Pending:  j.CountPending,
		Sent:     j.CountSent,
		Arrived:  j.CountArrived,
		Opened:   j.CountOpened,
		Ignored:  j.CountIgnored,
		Failed:   j.CountFailed,
		Expired:  j.CountExpired,
		Revoked:  j.CountRevoked,
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
