// Package auth authenticates callers and puts their principal in the
// request context (see package tenant), and keeps secrets sealed at rest
// (auth/seal).
package auth

import (
	"net/http"

	"github.com/pushd/pushd/tenant"
)

// Middleware puts the caller's principal into the request context; every
// resolver and query scopes what it touches by that principal, and a
// request without one reads and writes nothing.
//
// Signed requests, API keys and console sessions are not built yet (they
// are the security issue, design §5): until then every request acts as the
// system principal, so pushd must not be exposed beyond a trusted network.
// This middleware is the one place that changes.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(tenant.NewContext(r.Context(), tenant.System())))
	})
}
