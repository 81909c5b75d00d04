package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Cookie and header names of console sessions.
const (
	SessionCookie = "pushd_session"
	// CSRFCookie is readable by the console's scripts, which echo it in
	// CSRFHeader; a page of another site can neither read the cookie nor
	// set the header without a CORS preflight pushd never grants.
	CSRFCookie = "pushd_csrf"
	CSRFHeader = "X-Pushd-CSRF"
)

// maxPublicBody bounds what an unauthenticated caller can make pushd parse:
// a login fits easily.
const maxPublicBody = 4 << 10

// CookieMode says when session cookies are marked Secure.
type CookieMode string

// Cookie modes.
const (
	// CookieSecureAuto marks cookies Secure when the request came over TLS
	// (directly, or as X-Forwarded-Proto: https from a proxy).
	CookieSecureAuto   CookieMode = "auto"
	CookieSecureAlways CookieMode = "always"
	CookieSecureNever  CookieMode = "never"
)

// Middleware authenticates each request and puts its principal into the
// context:
//   - a request with any pushd-sig-v1 header is judged by its signature;
//   - else a session cookie, and for anything but GET its CSRF header;
//   - else only a document made of public operations (login,
//     resetPassword) passes, with no principal; everything else gets 401
//     UNAUTHENTICATED.
//
// WebSocket upgrades pass with whatever they carry: subscriptions
// authenticate in connection_init (see graph.Authenticator).
func (s *Service) Middleware(mode CookieMode, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), requestKey{}, &requestInfo{w: w, r: r, mode: mode})
		ctx = tenant.WithAddress(ctx, ClientIP(ctx))
		upgrade := strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
		var body []byte
		if r.Body != nil && !upgrade {
			b, err := io.ReadAll(r.Body) // bounded by graph.LimitBody in front
			if err != nil {
				writeError(w, http.StatusBadRequest, core.CodeInvalidArgument, "could not read request body")
				return
			}
			body = b
			r.Body = io.NopCloser(bytes.NewReader(b))
		}

		switch {
		case HasSignature(r.Header):
			p, err := s.AuthenticateSigned(ctx, r.Header, r.Method, RequestURI(r), body)
			if errors.Is(err, ErrUnavailable) {
				w.Header().Set("Retry-After", "1")
				writeError(w, http.StatusServiceUnavailable, core.CodeInternal, ErrUnavailable.Error())
				return
			}
			if err != nil {
				unauthenticated(w)
				return
			}
			ctx = tenant.NewContext(ctx, p)
		case hasCookie(r, SessionCookie):
			c, _ := r.Cookie(SessionCookie)
			needCSRF := r.Method != http.MethodGet && r.Method != http.MethodHead && !upgrade
			p, err := s.AuthenticateSession(ctx, c.Value, r.Header.Get(CSRFHeader), needCSRF)
			switch {
			case errors.Is(err, ErrCSRF):
				writeError(w, http.StatusForbidden, core.CodeForbidden, ErrCSRF.Message)
				return
			case err == nil:
				ctx = tenant.NewContext(ctx, p)
			case upgrade:
			case r.Method == http.MethodPost && publicOperation(body):
				// A stale cookie (session ended, database reset) must not
				// stand in the way of logging in again.
				ClearSessionCookies(ctx)
			default:
				ClearSessionCookies(ctx)
				unauthenticated(w)
				return
			}
		case upgrade:
		case r.Method == http.MethodPost && publicOperation(body):
		default:
			unauthenticated(w)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func hasCookie(r *http.Request, name string) bool {
	c, err := r.Cookie(name)
	return err == nil && c.Value != ""
}

// publicFields are the mutations that need no principal: logging in, and
// setting a password with a reset token (the token is the credential).
var publicFields = map[string]bool{"login": true, "resetPassword": true, "__typename": true}

// publicOperation reports whether body is a GraphQL request whose every
// operation selects only fields that need no principal.
func publicOperation(body []byte) bool {
	if len(body) > maxPublicBody {
		return false
	}
	var req struct {
		Query string `json:"query"`
	}
	if json.Unmarshal(body, &req) != nil || req.Query == "" {
		return false
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: req.Query})
	if err != nil || len(doc.Operations) == 0 || len(doc.Fragments) > 0 {
		return false
	}
	for _, op := range doc.Operations {
		if op.Operation != ast.Mutation {
			return false
		}
		for _, sel := range op.SelectionSet {
			f, ok := sel.(*ast.Field)
			if !ok || !publicFields[f.Name] {
				return false
			}
		}
	}
	return true
}

func unauthenticated(w http.ResponseWriter) {
	writeError(w, http.StatusUnauthorized, core.CodeUnauthenticated, ErrUnauthenticated.Message)
}

func writeError(w http.ResponseWriter, status int, code core.Code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}

// requestInfo lets resolvers that start or end sessions reach the HTTP
// exchange they run in.
type requestInfo struct {
	w    http.ResponseWriter
	r    *http.Request
	mode CookieMode
}

type requestKey struct{}

func requestOf(ctx context.Context) (*requestInfo, bool) {
	ri, ok := ctx.Value(requestKey{}).(*requestInfo)
	return ri, ok
}

// ClientIP is the caller's address as the listener saw it. Forwarded
// headers are not trusted: anyone can send them.
func ClientIP(ctx context.Context) string {
	ri, ok := requestOf(ctx)
	if !ok {
		return ""
	}
	host, _, err := net.SplitHostPort(ri.r.RemoteAddr)
	if err != nil {
		return ri.r.RemoteAddr
	}
	return host
}

// UserAgent is the caller's User-Agent header.
func UserAgent(ctx context.Context) string {
	if ri, ok := requestOf(ctx); ok {
		return ri.r.UserAgent()
	}
	return ""
}

func (ri *requestInfo) secure() bool {
	switch ri.mode {
	case CookieSecureAlways:
		return true
	case CookieSecureNever:
		return false
	}
	return ri.r.TLS != nil || strings.EqualFold(ri.r.Header.Get("X-Forwarded-Proto"), "https")
}

// SetSessionCookies hands a new session to the browser: the session token
// HttpOnly, the CSRF token readable by the console's scripts, both
// SameSite=Strict and Secure behind TLS.
func SetSessionCookies(ctx context.Context, l *Login) error {
	ri, ok := requestOf(ctx)
	if !ok {
		return errors.New("auth: no HTTP request in context")
	}
	maxAge := int(time.Until(l.ExpiresAt).Seconds())
	secure := ri.secure()
	http.SetCookie(ri.w, &http.Cookie{Name: SessionCookie, Value: l.SessionToken, Path: "/", MaxAge: maxAge,
		Expires: l.ExpiresAt, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	http.SetCookie(ri.w, &http.Cookie{Name: CSRFCookie, Value: l.CSRFToken, Path: "/", MaxAge: maxAge,
		Expires: l.ExpiresAt, Secure: secure, SameSite: http.SameSiteStrictMode})
	return nil
}

// ClearSessionCookies removes the session cookies.
func ClearSessionCookies(ctx context.Context) {
	ri, ok := requestOf(ctx)
	if !ok {
		return
	}
	for _, name := range []string{SessionCookie, CSRFCookie} {
		http.SetCookie(ri.w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: name == SessionCookie, Secure: ri.secure(), SameSite: http.SameSiteStrictMode})
	}
}

// UpgradeRequest returns the HTTP request a WebSocket came in on, for
// verifying a signature sent in connection_init over its method and URI.
func UpgradeRequest(ctx context.Context) (*http.Request, bool) {
	ri, ok := requestOf(ctx)
	if !ok {
		return nil, false
	}
	return ri.r, true
}

// RequestURI is the request target as the client sent it, which is what it
// signed; a re-encoding of r.URL could differ in escaping.
func RequestURI(r *http.Request) string {
	if r.RequestURI != "" {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}
