package auth

import (
	"context"
	"crypto/subtle"
	"fmt"
	"maps"
	"net/mail"
	"strings"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/account"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/ent/session"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// FirstAdminEmail is the admin made at the first start when no
// PUSHD_ADMIN_EMAIL is set and no admin exists.
const FirstAdminEmail = "admin@pushd.local"

func normalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", core.Invalid("email", "not an email address")
	}
	return s, nil
}

func checkNewPassword(pw string) error { return checkPasswordField("password", pw) }

// checkPasswordField applies the password rules (password.go) to the
// input field named field.
func checkPasswordField(field, pw string) error {
	if n := len(pw); n < MinPasswordLen || n > MaxPasswordLen {
		return core.Invalid(field, "must be %d to %d bytes", MinPasswordLen, MaxPasswordLen)
	}
	return nil
}

// EnsureAdmin makes sure an admin account exists at start. With an email
// and password, that account exists, is an enabled admin and has that
// password (a changed password ends the account's sessions). Without them
// and with no admin yet, in any mode, it creates FirstAdminEmail with a
// random password and returns that password (to be shown once), so a fresh
// installation can always be logged into. Of replicas starting together
// one creates it; the others find it taken and return "".
func (s *Service) EnsureAdmin(ctx context.Context, email, password string) (oneTime string, err error) {
	sys := tenant.AsSystem(ctx)
	if email != "" {
		email, err := normalizeEmail(email)
		if err != nil {
			return "", fmt.Errorf("PUSHD_ADMIN_EMAIL: %w", err)
		}
		if err := checkNewPassword(password); err != nil {
			return "", fmt.Errorf("PUSHD_ADMIN_PASSWORD: %w", err)
		}
		acc, err := s.client.Account.Query().Where(account.Email(email)).Only(sys)
		switch {
		case isNotFound(err):
			_, err = s.createAccount(sys, email, password, true)
			return "", err
		case err != nil:
			return "", err
		}
		if ok, _ := CheckPassword(acc.PasswordHash, password); ok {
			return "", acc.Update().SetAdmin(true).ClearDisabledAt().Exec(sys)
		}
		h, err := HashPassword(password)
		if err != nil {
			return "", err
		}
		return "", core.WithTx(sys, s.client, func(tx *ent.Tx) error {
			err := tx.Account.UpdateOneID(acc.ID).SetAdmin(true).ClearDisabledAt().SetPasswordHash(h).
				ClearPasswordResetHash().ClearPasswordResetExpiresAt().Exec(sys)
			if err != nil {
				return err
			}
			_, err = tx.Session.Delete().Where(session.AccountID(acc.ID)).Exec(sys)
			return err
		})
	}
	admins, err := s.client.Account.Query().Where(account.Admin(true)).Count(sys)
	if err != nil || admins > 0 {
		return "", err
	}
	oneTime = randomToken(15)
	_, err = s.createAccount(sys, FirstAdminEmail, oneTime, true)
	if ent.IsConstraintError(err) {
		return "", nil
	}
	return oneTime, err
}

func (s *Service) createAccount(ctx context.Context, email, password string, admin bool) (*ent.Account, error) {
	h, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.client.Account.Create().SetEmail(email).SetPasswordHash(h).SetAdmin(admin).Save(ctx)
}

// CreateAccount makes a console account; only admins may.
func (s *Service) CreateAccount(ctx context.Context, email, password string, admin bool) (*ent.Account, error) {
	p, err := principalOf(ctx)
	if err != nil {
		return nil, err
	}
	if !p.AllApps() {
		return nil, &core.Error{Code: core.CodeForbidden, Message: "only an admin may create accounts"}
	}
	email, err = normalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if err := checkNewPassword(password); err != nil {
		return nil, err
	}
	acc, err := s.createAccount(ctx, email, password, admin)
	if ent.IsConstraintError(err) {
		return nil, core.Conflict("an account with that email exists")
	}
	return acc, err
}

// Login is a successful login: the session's secrets go into cookies.
type Login struct {
	Account      *ent.Account
	SessionToken string
	CSRFToken    string
	ExpiresAt    time.Time
}

// Login checks a password and starts a session. Failures are one generic
// UNAUTHENTICATED, also for a disabled account and one whose password an
// admin reset: the answer never tells whether an account exists or what
// state it is in. Attempts are throttled (see ratelimit.go): a throttled
// attempt answers RATE_LIMITED with RetryAfter, even for the right
// password, and its password is not checked.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (*Login, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > 254 || len(password) > MaxPasswordLen {
		return nil, errBadLogin
	}
	lim := loginLimiter{rdb: s.redis, prefix: s.prefix}
	if err := s.throttle(ctx, lim, email, ip); err != nil {
		return nil, err
	}
	sys := tenant.AsSystem(ctx)
	acc, err := s.client.Account.Query().Where(account.Email(email)).Only(sys)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	hash := s.dummyHash()
	if acc != nil && acc.PasswordHash != "" {
		hash = acc.PasswordHash
	}
	ok, err := s.checkPassword(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	if acc == nil || acc.PasswordHash == "" || !ok || acc.DisabledAt != nil {
		return nil, errBadLogin
	}

	now := s.now()
	l := &Login{Account: acc, SessionToken: randomToken(32), CSRFToken: randomToken(24), ExpiresAt: now.Add(s.sessionTTL)}
	if len(userAgent) > 512 {
		userAgent = userAgent[:512]
	}
	err = core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		// The account row is updated first and only if its password and
		// state are still those checked: a password change, reset or
		// disabling that committed meanwhile refuses this login, and one
		// that comes after waits for this row and then ends this session.
		n, err := tx.Account.Update().
			Where(account.ID(acc.ID), account.PasswordHash(acc.PasswordHash), account.DisabledAtIsNil()).
			SetLastLoginAt(now).Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return errBadLogin
		}
		return tx.Session.Create().
			SetAccountID(acc.ID).
			SetTokenHash(sha(l.SessionToken)).
			SetCsrfHash(sha(l.CSRFToken)).
			SetExpiresAt(l.ExpiresAt).
			SetLastSeenAt(now).
			SetIP(ip).
			SetUserAgent(userAgent).
			Exec(sys)
	})
	if err != nil {
		return nil, err
	}
	if err := lim.succeeded(ctx, email, ip, now); err != nil {
		s.log.WarnContext(ctx, "clear login attempts", "err", err)
	}
	return l, nil
}

// errBadLogin is the one answer to a login that failed for any reason but
// throttling.
var errBadLogin = &core.Error{Code: core.CodeUnauthenticated, Message: "invalid email or password"}

// throttle counts a password attempt for email from ip (a login, or the
// current password of changePassword) and refuses it with RATE_LIMITED
// when a limit says so.
func (s *Service) throttle(ctx context.Context, lim loginLimiter, email, ip string) error {
	v, err := lim.attempt(ctx, email, ip, s.now())
	if err != nil {
		return err
	}
	if v.allowed() {
		return nil
	}
	wait := retrySeconds(v.RetryAfter)
	unit := "seconds"
	if wait == time.Second {
		unit = "second"
	}
	return &core.Error{Code: core.CodeRateLimited, RetryAfter: wait,
		Message: fmt.Sprintf("too many login attempts: try again in %d %s", int(wait/time.Second), unit)}
}

// Logout ends the session of the calling principal, if it has one.
func (s *Service) Logout(ctx context.Context) error {
	p, ok := tenant.FromContext(ctx)
	if !ok || p.SessionID == "" {
		return nil
	}
	_, err := s.client.Session.Delete().Where(session.ID(p.SessionID)).Exec(tenant.AsSystem(ctx))
	return err
}

// AuthenticateSession returns the principal of a session token. With
// requireCSRF, csrf must be the session's CSRF token.
func (s *Service) AuthenticateSession(ctx context.Context, token, csrf string, requireCSRF bool) (tenant.Principal, error) {
	sys := tenant.AsSystem(ctx)
	sess, err := s.client.Session.Query().Where(session.TokenHash(sha(token))).Only(sys)
	if err != nil {
		return tenant.Principal{}, ErrUnauthenticated
	}
	if !s.now().Before(sess.ExpiresAt) {
		_ = s.client.Session.DeleteOne(sess).Exec(sys)
		return tenant.Principal{}, ErrUnauthenticated
	}
	if requireCSRF && subtle.ConstantTimeCompare(sha(csrf), sess.CsrfHash) != 1 {
		return tenant.Principal{}, ErrCSRF
	}
	return s.accountPrincipal(ctx, sess)
}

// sessionPrincipal rebuilds the principal of a live session from storage.
func (s *Service) sessionPrincipal(ctx context.Context, id nodeid.ID) (tenant.Principal, error) {
	sess, err := s.client.Session.Get(tenant.AsSystem(ctx), id)
	if err != nil || !s.now().Before(sess.ExpiresAt) {
		return tenant.Principal{}, ErrUnauthenticated
	}
	return s.accountPrincipal(ctx, sess)
}

func (s *Service) accountPrincipal(ctx context.Context, sess *ent.Session) (tenant.Principal, error) {
	acc, err := s.client.Account.Query().Where(account.ID(sess.AccountID)).WithMemberships().Only(tenant.AsSystem(ctx))
	if err != nil || acc.DisabledAt != nil {
		return tenant.Principal{}, ErrUnauthenticated
	}
	p := tenant.Principal{Kind: tenant.KindAccount, AccountID: acc.ID, Admin: acc.Admin, SessionID: sess.ID,
		Label: acc.Email, Roles: make(map[nodeid.ID]enum.Role, len(acc.Edges.Memberships))}
	for _, m := range acc.Edges.Memberships {
		p.Roles[m.AppID] = m.Role
	}
	return p, nil
}

// ErrCSRF answers a cookie-authenticated change without the CSRF header.
var ErrCSRF = &core.Error{Code: core.CodeForbidden, Message: "missing or wrong " + CSRFHeader + " header"}

// StillValid reports whether p's credentials still hold exactly as they
// did: its key is not revoked; its session has not ended and its account's
// admin flag and roles are unchanged. Live subscriptions ask it
// periodically and close when it says no, so a revoked key, an ended
// session or a removed or demoted member loses its sockets.
func (s *Service) StillValid(ctx context.Context, p tenant.Principal) bool {
	switch p.Kind {
	case tenant.KindAPIKey:
		k, err := s.client.APIKey.Get(tenant.AsSystem(ctx), p.APIKeyID)
		return err == nil && k.RevokedAt == nil
	case tenant.KindAccount:
		if p.SessionID == "" {
			return false
		}
		now, err := s.sessionPrincipal(ctx, p.SessionID)
		return err == nil && now.Admin == p.Admin && maps.Equal(now.Roles, p.Roles)
	}
	return false
}

// Viewer returns who is calling: the account, or the API key and its app.
func (s *Service) Viewer(ctx context.Context) (*ent.Account, *ent.APIKey, *ent.App, error) {
	p, err := principalOf(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	switch p.Kind {
	case tenant.KindAccount:
		acc, err := s.client.Account.Get(ctx, p.AccountID)
		return acc, nil, nil, err
	case tenant.KindAPIKey:
		key, err := s.client.APIKey.Get(ctx, p.APIKeyID)
		if err != nil {
			return nil, nil, nil, err
		}
		app, err := s.client.App.Get(ctx, p.AppID)
		return nil, key, app, err
	}
	return nil, nil, nil, nil
}
