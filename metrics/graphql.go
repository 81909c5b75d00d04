package metrics

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

const (
	resultOK    = "ok"
	resultError = "error"

	// fieldInvalid marks operations rejected before execution (unparsable,
	// failing validation, or refused by an OperationContextMutator). Their
	// root field is either unknown or not guaranteed to exist in the schema,
	// so using it would let clients mint label values.
	fieldInvalid = "invalid"
	// typeUnknown is used when the request never parsed far enough to say
	// which kind of operation it was.
	typeUnknown = "unknown"
)

// GraphQL returns a gqlgen handler extension that counts operations and
// measures their latency. Register it with Server.Use before any extension
// that can short-circuit operations (rate limiting, auth), or the operations
// those reject are never seen.
func (m *Metrics) GraphQL() graphql.HandlerExtension {
	return graphqlExtension{m: m}
}

type graphqlExtension struct {
	m *Metrics
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = graphqlExtension{}

// dispatchedKey marks contexts of operations that reached InterceptOperation,
// which accounts for them; InterceptResponse only handles the rest.
type dispatchedKey struct{}

func (graphqlExtension) ExtensionName() string { return "PushdMetrics" }

func (graphqlExtension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation accounts for every operation that passed parsing and
// validation. It wraps the response handler rather than relying on
// InterceptResponse alone because gqlgen returns subscription setup errors
// (e.g. the resolver refusing to subscribe) without running the response
// middleware.
func (e graphqlExtension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	start := time.Now()
	opCtx := graphql.GetOperationContext(ctx)
	opType, field := typeUnknown, ""
	if opCtx.Operation != nil {
		opType, field = operationType(opCtx.Operation.Operation), rootField(opCtx.Operation.SelectionSet)
	}

	responses := next(context.WithValue(ctx, dispatchedKey{}, true))

	isSubscription := opType == string(ast.Subscription)
	if isSubscription {
		// A subscription's resolver has run and its stream is set up once
		// next returns; waiting for the first event would measure the
		// publisher, not pushd.
		e.m.gqlDuration.WithLabelValues(opType).Observe(time.Since(start).Seconds())
	}

	// gqlgen calls the handler once per subscription event; only the first
	// call is the operation's outcome. The transports call it from a single
	// goroutine, but atomic keeps that an implementation detail.
	var counted atomic.Bool
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if counted.CompareAndSwap(false, true) {
			// A nil first response means the stream ended (typically the
			// client unsubscribed) before any event: still one operation.
			result := resultOK
			if resp != nil && len(resp.Errors) > 0 {
				result = resultError
			}
			e.m.gqlOperations.WithLabelValues(opType, field, result).Inc()
			if !isSubscription {
				e.m.gqlDuration.WithLabelValues(opType).Observe(time.Since(start).Seconds())
			}
		}
		return resp
	}
}

// InterceptResponse catches the responses gqlgen builds through DispatchError:
// requests that failed before an operation could be dispatched. Responses of
// dispatched operations are left to InterceptOperation.
func (e graphqlExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if ctx.Value(dispatchedKey{}) != nil {
		return resp
	}
	opType := typeUnknown
	if graphql.HasOperationContext(ctx) {
		opType = rejectedOperationType(graphql.GetOperationContext(ctx))
	}
	e.m.gqlOperations.WithLabelValues(opType, fieldInvalid, resultError).Inc()
	return resp
}

// rejectedOperationType reports the type only for requests that got past
// document validation (rejected on variables or by an extension such as the
// complexity limit). gqlgen drops the document of anything that failed
// earlier, and re-parsing attacker-controlled garbage just for a label is not
// worth the CPU.
func rejectedOperationType(opCtx *graphql.OperationContext) string {
	if opCtx.Operation == nil {
		return typeUnknown
	}
	return operationType(opCtx.Operation.Operation)
}

func operationType(op ast.Operation) string {
	switch op {
	case ast.Query, ast.Mutation, ast.Subscription:
		return string(op)
	default:
		return typeUnknown
	}
}

// rootField returns the schema name (not the alias, which clients choose
// freely) of the first root field, looking through fragments so that
// `{ ...F }` is attributed like the field F selects.
func rootField(set ast.SelectionSet) string {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			return s.Name
		case *ast.InlineFragment:
			if name := rootField(s.SelectionSet); name != "" {
				return name
			}
		case *ast.FragmentSpread:
			if s.Definition != nil {
				if name := rootField(s.Definition.SelectionSet); name != "" {
					return name
				}
			}
		}
	}
	return ""
}
