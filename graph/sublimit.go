package graph

import (
	"context"
	"fmt"
	"sync"

	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// subscriptionLimits bound the subscriptions held at once: per WebSocket,
// and per account (or API key) over all its sockets on this process.
// docs/security.md ("Throttles") states the numbers. Each subscription
// holds a Redis connection and a goroutine or two while it lives, so the
// bound is on what is held, not on how often one is started.
//
// A subscription is counted when its operation is set up, in the socket's
// read loop, before gqlgen starts its goroutine, so one past a limit
// costs nothing but its answer; it is counted off when its context ends
// (completed by the client, ended by the server, or the socket closed).
// Whatever a socket still holds when it closes is given back with it.
type subscriptionLimits struct {
	perSocket, perAccount int // 0: no limit

	mu        sync.Mutex
	byAccount map[string]int
}

func newSubscriptionLimits(perSocket, perAccount int) *subscriptionLimits {
	return &subscriptionLimits{perSocket: perSocket, perAccount: perAccount, byAccount: map[string]int{}}
}

// accountKey names whose subscriptions count together.
func accountKey(p tenant.Principal) string {
	switch p.Kind {
	case tenant.KindAccount:
		return "account:" + string(p.AccountID)
	case tenant.KindAPIKey:
		return "key:" + string(p.APIKeyID)
	}
	return fmt.Sprintf("kind%d:%s", p.Kind, p.AppID)
}

// socket starts the count of one WebSocket of p, which ends with ctx.
func (l *subscriptionLimits) socket(ctx context.Context, p tenant.Principal) context.Context {
	s := &socketSubscriptions{limits: l, account: accountKey(p), pending: map[*graphql.OperationContext]struct{}{}}
	context.AfterFunc(ctx, s.close)
	return context.WithValue(ctx, socketSubscriptionsKey{}, s)
}

func (l *subscriptionLimits) give(account string, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byAccount[account] -= n; l.byAccount[account] <= 0 {
		delete(l.byAccount, account)
	}
}

type socketSubscriptionsKey struct{}

// socketSubscriptions is one socket's count.
type socketSubscriptions struct {
	limits  *subscriptionLimits
	account string

	mu     sync.Mutex
	held   int // also counted in limits.byAccount
	closed bool
	// pending are operations counted and not yet dispatched.
	pending map[*graphql.OperationContext]struct{}
}

// take counts oc, or says which limit it is past.
func (s *socketSubscriptions) take(oc *graphql.OperationContext) *gqlerror.Error {
	l := s.limits
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return refused("this socket is closing")
	}
	if l.perSocket > 0 && s.held >= l.perSocket {
		return refused(fmt.Sprintf("this socket holds %d subscriptions, the most it may: complete one first", l.perSocket))
	}
	l.mu.Lock()
	if l.perAccount > 0 && l.byAccount[s.account] >= l.perAccount {
		l.mu.Unlock()
		return refused(fmt.Sprintf("you hold %d subscriptions, the most one account or API key may: complete one first", l.perAccount))
	}
	l.byAccount[s.account]++
	l.mu.Unlock()
	s.held++
	s.pending[oc] = struct{}{}
	return nil
}

// dispatched hands oc's count to its context: given back when it ends.
func (s *socketSubscriptions) dispatched(ctx context.Context, oc *graphql.OperationContext) {
	s.mu.Lock()
	_, ok := s.pending[oc]
	delete(s.pending, oc)
	s.mu.Unlock()
	if ok {
		context.AfterFunc(ctx, s.release)
	}
}

func (s *socketSubscriptions) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return // given back with the socket
	}
	s.held--
	s.limits.give(s.account, 1)
}

func (s *socketSubscriptions) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	s.limits.give(s.account, s.held)
	s.held = 0
	clear(s.pending)
}

func refused(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Err: &core.Error{Code: core.CodeRateLimited, Message: msg},
		Extensions: map[string]any{"code": "SUBSCRIPTION_LIMIT_EXCEEDED"}}
}

// subscriptionLimit is the extension that applies subscriptionLimits. It
// must be the last operation context mutator: an operation it counted
// must reach DispatchOperation, which nothing after it could refuse.
type subscriptionLimit struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.OperationInterceptor
} = subscriptionLimit{}

func (subscriptionLimit) ExtensionName() string                   { return "SubscriptionLimit" }
func (subscriptionLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (subscriptionLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	s, ok := ctx.Value(socketSubscriptionsKey{}).(*socketSubscriptions)
	if !ok || oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
		return nil
	}
	return s.take(oc)
}

func (subscriptionLimit) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if s, ok := ctx.Value(socketSubscriptionsKey{}).(*socketSubscriptions); ok {
		s.dispatched(ctx, graphql.GetOperationContext(ctx))
	}
	return next(ctx)
}
