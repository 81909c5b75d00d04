package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql/sqlgraph"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// presentError is the one place where errors become what GraphQL clients
// see: every error gets extensions.code from the list in docs/api.md, a message
// fit for the caller, and internal details are logged, never returned.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		code, msg, field := classify(err)
		if code == core.CodeInternal {
			log.ErrorContext(ctx, "graphql: internal error", "path", gerr.Path.String(), "err", err)
		}
		// gqlgen's own codes (parse, validation, complexity) stay as the
		// reason, so clients can tell those cases apart.
		reason, _ := gerr.Extensions["code"].(string)
		gerr.Extensions = map[string]any{"code": string(code)}
		if reason != "" && reason != string(code) {
			gerr.Extensions["reason"] = reason
		}
		if field != "" {
			gerr.Extensions["field"] = field
		}
		if d, ok := core.AsError(err); ok && d.RetryAfter > 0 {
			gerr.Extensions["retryAfterSeconds"] = int(d.RetryAfter.Round(time.Second) / time.Second)
		}
		if msg != "" {
			gerr.Message = msg
		}
		return gerr
	}
}

// classify maps an error to its code. msg replaces the error's own message
// when non-empty.
func classify(err error) (code core.Code, msg, field string) {
	var (
		domain   *core.Error
		gql      *gqlerror.Error
		valid    *ent.ValidationError
		badInput interface {
			error
			InvalidArgument()
		}
	)
	switch {
	case errors.As(err, &badInput):
		return core.CodeInvalidArgument, badInput.Error(), ""
	case errors.As(err, &domain):
		return domain.Code, domain.Message, domain.Field
	case errors.Is(err, tenant.ErrNoPrincipal):
		return core.CodeUnauthenticated, "authentication required", ""
	case errors.Is(err, tenant.ErrHidden):
		return core.CodeNotFound, "not found", ""
	case errors.Is(err, tenant.ErrForbidden):
		for _, known := range []error{tenant.ErrOwnerOnly, tenant.ErrReadOnly} {
			if errors.Is(err, known) {
				return core.CodeForbidden, strings.TrimPrefix(known.Error(), "tenant: not allowed: "), ""
			}
		}
		return core.CodeForbidden, "not allowed", ""
	case ent.IsNotFound(err):
		return core.CodeNotFound, "not found", ""
	case errors.As(err, &valid):
		f := jsonName(valid.Name)
		return core.CodeInvalidArgument, fmt.Sprintf("%s: %v", f, errors.Unwrap(valid)), f
	case sqlgraph.IsUniqueConstraintError(err):
		return core.CodeConflict, "already exists", ""
	case sqlgraph.IsForeignKeyConstraintError(err):
		if f := foreignKeyField(err); f != "" {
			return core.CodeInvalidArgument, f + ": refers to something that does not exist", f
		}
		return core.CodeInvalidArgument, "refers to something that does not exist", ""
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return core.CodeInternal, "request cancelled or timed out", ""
	case errors.As(err, &gql) && isCode(gql.Extensions["code"]):
		// Already coded by a library that speaks our codes (entgql's nodes).
		c, _ := gql.Extensions["code"].(string)
		if core.Code(c) == core.CodeNotFound {
			return core.CodeNotFound, "not found", "" // same words for every missing ID
		}
		return core.Code(c), "", ""
	case errors.As(err, &gql) && gql.Err == nil:
		// Errors gqlgen made itself: parse, validation, variable coercion,
		// complexity. Their messages are for the caller already.
		field, _ := gql.Extensions["field"].(string)
		if c, _ := gql.Extensions["code"].(string); c == errcode.ParseFailed || c == errcode.ValidationFailed ||
			c == "COMPLEXITY_LIMIT_EXCEEDED" || c == "DEPTH_LIMIT_EXCEEDED" || c == "OPERATION_NOT_ALLOWED" || c == "PAGE_SIZE_EXCEEDED" || c == "FILTER_LIMIT_EXCEEDED" || strings.HasPrefix(c, "GRAPHQL_") {
			return core.CodeInvalidArgument, "", field
		}
		if len(gql.Path) == 0 && gql.Extensions["code"] == nil {
			return core.CodeInvalidArgument, "", ""
		}
	case strings.HasSuffix(err.Error(), "introspection disabled"):
		// gqlgen's generated code refuses __schema and __type itself.
		return core.CodeForbidden, "introspection is disabled on this server (PUSHD_GRAPHQL_INTROSPECTION)", ""
	}
	return core.CodeInternal, "internal error", ""
}

// jsonName turns ent's snake_case field names into the API's camelCase.
func jsonName(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] == "id" {
			parts[i] = "ID"
			continue
		}
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// recoverPanic turns a resolver panic into an INTERNAL error and logs it.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "graphql: panic", "panic", p, "path", graphql.GetPath(ctx).String())
		return &core.Error{Code: core.CodeInternal, Message: "internal error"}
	}
}

func isCode(v any) bool {
	switch c, _ := v.(string); core.Code(c) {
	case core.CodeUnauthenticated, core.CodeForbidden, core.CodeNotFound, core.CodeInvalidArgument,
		core.CodeConflict, core.CodeRateLimited:
		return true
	}
	return false
}

// fkConstraint finds the constraint's name in PostgreSQL's message
// ("… violates foreign key constraint "memberships_accounts_memberships"").
// SQLite names none.
var fkConstraint = regexp.MustCompile(`foreign key constraint "([a-z_]+)"`)

// foreignKeyField is the input field a foreign key error is about, from the
// constraint's name (ent's "<table>_<referenced table>_<edge>"): the
// references a caller can give. "" when unknown.
func foreignKeyField(err error) string {
	m := fkConstraint.FindStringSubmatch(err.Error())
	if m == nil {
		return ""
	}
	switch name := m[1]; {
	case name == "group_members_app_user_id":
		return "memberIDs"
	case name == "memberships_accounts_memberships", name == "sessions_accounts_sessions":
		return "accountID"
	case strings.Contains(name, "_apps_"):
		return "appID"
	case strings.Contains(name, "_devices_"):
		return "deviceID"
	case strings.Contains(name, "_push_jobs_"):
		return "pushJobID"
	case strings.Contains(name, "_webhooks_"):
		return "webhookID"
	}
	return ""
}
