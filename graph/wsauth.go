package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/tenant"
)

// closeForbidden is graphql-transport-ws's close code for a connection
// whose connection_init was not accepted.
const closeForbidden = 4403

// initFunc authenticates a subscription socket in connection_init: by the
// session cookie or signature headers of the upgrade request, or else by
// the four pushd-sig-v1 headers sent as fields of the init payload, signed
// over GET and the upgrade request's URI with an empty body. The socket
// then lives only while those credentials do, and holds what limits
// allow of subscriptions.
func initFunc(authn *auth.Service, recheck time.Duration, log *slog.Logger, limits *subscriptionLimits) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		p, ok := tenant.FromContext(ctx)
		if !ok {
			var err error
			p, err = authenticatePayload(ctx, authn, payload)
			if err != nil {
				return transport.WithWebsocketCloseCode(ctx, closeForbidden), nil, errors.New("authentication required")
			}
			ctx = tenant.NewContext(ctx, p)
		}
		ctx, cancel := context.WithCancel(context.WithValue(ctx, webSocketKey{}, true))
		go watchCredentials(ctx, cancel, authn, p, recheck, log)
		return limits.socket(ctx, p), nil, nil
	}
}

type webSocketKey struct{}

// subscriptionsOnly refuses queries and mutations sent over a WebSocket:
// the socket is for subscriptions, and changes go over HTTP, where CSRF
// checks and per-request authentication apply.
type subscriptionsOnly struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = subscriptionsOnly{}

func (subscriptionsOnly) ExtensionName() string                   { return "SubscriptionsOnlyOverWebSocket" }
func (subscriptionsOnly) Validate(graphql.ExecutableSchema) error { return nil }
func (subscriptionsOnly) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if ctx.Value(webSocketKey{}) == nil || oc.Operation == nil || oc.Operation.Operation == ast.Subscription {
		return nil
	}
	err := gqlerror.Errorf("only subscriptions run over WebSocket: send queries and mutations over HTTP")
	err.Extensions = map[string]any{"code": "OPERATION_NOT_ALLOWED"}
	return err
}

func authenticatePayload(ctx context.Context, authn *auth.Service, payload transport.InitPayload) (tenant.Principal, error) {
	r, ok := auth.UpgradeRequest(ctx)
	if !ok {
		return tenant.Principal{}, auth.ErrUnauthenticated
	}
	h := http.Header{}
	for _, name := range []string{signature.HeaderKey, signature.HeaderTimestamp, signature.HeaderNonce, signature.HeaderSignature} {
		if v, ok := payload[name].(string); ok {
			h.Set(name, v)
		}
	}
	return authn.AuthenticateSigned(ctx, h, http.MethodGet, auth.RequestURI(r), nil)
}

// watchCredentials ends the socket (cancel closes it) once its key is
// revoked or its session has ended.
func watchCredentials(ctx context.Context, cancel context.CancelFunc, authn *auth.Service, p tenant.Principal, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if !authn.StillValid(ctx, p) {
				log.InfoContext(ctx, "closing subscriptions: credentials no longer valid", "kind", p.Kind)
				cancel()
				return
			}
		}
	}
}
