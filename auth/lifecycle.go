package auth

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/account"
	"github.com/pushd/pushd/ent/membership"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/ent/session"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// The credential lifecycle of console accounts. Sessions live in the
// database and every request reads its session and account there
// (AuthenticateSession), so ending sessions is deleting their rows: the
// next request on any replica is refused, and live subscriptions close at
// their next credential check (graph.HandlerConfig.RecheckInterval). Each
// change that ends sessions first updates the account row, then deletes
// the sessions, in one transaction; Login updates the same row before it
// creates its session, so a login racing a change either fails or has its
// session deleted by it.

// ResetTokenTTL is how long a password reset token works.
const ResetTokenTTL = 24 * time.Hour

var (
	errAccountsOnly = &core.Error{Code: core.CodeForbidden, Message: "only a console account may do this"}
	errAdminsOnly   = &core.Error{Code: core.CodeForbidden, Message: "only an admin may do this"}
	errBadReset     = core.Invalid("token", "this reset token is not valid: it was used, replaced or has expired")
)

// accountCaller returns the calling console account's principal.
func accountCaller(ctx context.Context) (tenant.Principal, error) {
	p, err := principalOf(ctx)
	if err != nil {
		return p, err
	}
	if p.Kind != tenant.KindAccount {
		return p, errAccountsOnly
	}
	return p, nil
}

// adminCaller refuses callers that are not admins (or pushd itself).
func adminCaller(ctx context.Context) error {
	p, err := principalOf(ctx)
	if err != nil {
		return err
	}
	if !p.AllApps() {
		return errAdminsOnly
	}
	return nil
}

func (s *Service) account(ctx context.Context, id nodeid.ID) (*ent.Account, error) {
	acc, err := s.client.Account.Get(tenant.AsSystem(ctx), id)
	if isNotFound(err) {
		return nil, core.NotFound("account")
	}
	return acc, err
}

// ChangePassword sets the calling account's password, given its current
// one, and ends every other session of the account; the calling session
// stays. A wrong current password counts as a failed login attempt for
// the account's email (see ratelimit.go), so a stolen session cannot guess
// it faster than a login could.
func (s *Service) ChangePassword(ctx context.Context, current, next string) (acc *ent.Account, ended int, err error) {
	p, err := accountCaller(ctx)
	if err != nil {
		return nil, 0, err
	}
	if err := checkPasswordField("newPassword", next); err != nil {
		return nil, 0, err
	}
	if next == current {
		return nil, 0, core.Invalid("newPassword", "must differ from the current password")
	}
	if acc, err = s.account(ctx, p.AccountID); err != nil {
		return nil, 0, err
	}
	lim := loginLimiter{rdb: s.redis, prefix: s.prefix}
	ip := ClientIP(ctx)
	if err := s.throttle(ctx, lim, acc.Email, ip); err != nil {
		return nil, 0, err
	}
	hash := acc.PasswordHash
	if hash == "" {
		hash = s.dummyHash()
	}
	ok, err := s.checkPassword(ctx, hash, current)
	if err != nil {
		return nil, 0, err
	}
	if !ok || acc.PasswordHash == "" {
		return nil, 0, core.Invalid("currentPassword", "is not the account's password")
	}
	h, err := HashPassword(next)
	if err != nil {
		return nil, 0, err
	}
	sys := tenant.AsSystem(ctx)
	err = core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		n, err := tx.Account.Update().Where(account.ID(acc.ID), account.PasswordHash(acc.PasswordHash)).
			SetPasswordHash(h).Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return core.Conflict("the password was changed meanwhile: try again with the new one")
		}
		ended, err = tx.Session.Delete().Where(session.AccountID(acc.ID), session.IDNEQ(p.SessionID)).Exec(sys)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	if err := lim.succeeded(ctx, acc.Email, ip, s.now()); err != nil {
		s.log.WarnContext(ctx, "clear login attempts", "err", err)
	}
	acc, err = s.account(ctx, acc.ID)
	return acc, ended, err
}

// LogoutEverywhere ends every session of an account, the calling one too
// when it is the caller's own: without an ID the caller's account; another
// account's for admins only. self says whether the caller's own sessions
// ended (its cookies should go).
func (s *Service) LogoutEverywhere(ctx context.Context, id nodeid.ID) (ended int, self bool, err error) {
	p, err := principalOf(ctx)
	if err != nil {
		return 0, false, err
	}
	if id == "" {
		if p.Kind != tenant.KindAccount {
			return 0, false, errAccountsOnly
		}
		id = p.AccountID
	}
	self = p.Kind == tenant.KindAccount && id == p.AccountID
	if !self {
		if !p.AllApps() {
			return 0, false, errAdminsOnly
		}
		if _, err := s.account(ctx, id); err != nil {
			return 0, false, err
		}
	}
	ended, err = s.client.Session.Delete().Where(session.AccountID(id)).Exec(tenant.AsSystem(ctx))
	return ended, self, err
}

// PasswordReset is an issued reset: the token is returned this once, only
// its SHA-256 is stored.
type PasswordReset struct {
	Account   *ent.Account
	Token     string
	ExpiresAt time.Time
}

// CreatePasswordReset issues a one-time reset token for an account (admins
// only). From then on the account has no password: its old one no longer
// logs in, its sessions end, and the token, used with ResetPassword within
// ResetTokenTTL, sets a new one. A new reset replaces an unused one. A
// disabled account gets none (enable it first).
func (s *Service) CreatePasswordReset(ctx context.Context, id nodeid.ID) (*PasswordReset, error) {
	if err := adminCaller(ctx); err != nil {
		return nil, err
	}
	acc, err := s.account(ctx, id)
	if err != nil {
		return nil, err
	}
	if acc.DisabledAt != nil {
		return nil, core.Conflict("the account is disabled: enable it before resetting its password")
	}
	r := &PasswordReset{Token: randomToken(32), ExpiresAt: s.now().Add(ResetTokenTTL)}
	sys := tenant.AsSystem(ctx)
	err = core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		n, err := tx.Account.Update().Where(account.ID(id), account.DisabledAtIsNil()).
			SetPasswordHash("").SetPasswordResetHash(sha(r.Token)).SetPasswordResetExpiresAt(r.ExpiresAt).Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return core.Conflict("the account is disabled: enable it before resetting its password")
		}
		_, err = tx.Session.Delete().Where(session.AccountID(id)).Exec(sys)
		return err
	})
	if err != nil {
		return nil, err
	}
	r.Account, err = s.account(ctx, id)
	return r, err
}

// ResetPassword sets a new password with a reset token and ends every
// session of the account. Anyone holding the token may: it needs no
// session. The token works once.
func (s *Service) ResetPassword(ctx context.Context, token, next string) error {
	if err := checkPasswordField("newPassword", next); err != nil {
		return err
	}
	if token == "" || len(token) > 128 {
		return errBadReset
	}
	sys := tenant.AsSystem(ctx)
	hash := sha(token)
	acc, err := s.client.Account.Query().
		Where(account.PasswordResetHash(hash), account.PasswordResetExpiresAtGT(s.now()), account.DisabledAtIsNil()).
		Only(sys)
	if isNotFound(err) {
		return errBadReset
	}
	if err != nil {
		return err
	}
	h, err := HashPassword(next)
	if err != nil {
		return err
	}
	return core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		n, err := tx.Account.Update().Where(account.ID(acc.ID), account.PasswordResetHash(hash), account.DisabledAtIsNil()).
			SetPasswordHash(h).ClearPasswordResetHash().ClearPasswordResetExpiresAt().Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return errBadReset
		}
		_, err = tx.Session.Delete().Where(session.AccountID(acc.ID)).Exec(sys)
		return err
	})
}

// DisableAccount stops an account from logging in (admins only): its
// sessions and any reset token end at once. The last enabled admin cannot
// be disabled. Its memberships stay, for when it is enabled again.
func (s *Service) DisableAccount(ctx context.Context, id nodeid.ID) (*ent.Account, error) {
	if err := adminCaller(ctx); err != nil {
		return nil, err
	}
	sys := tenant.AsSystem(ctx)
	err := core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		acc, err := tx.Account.Get(sys, id)
		if isNotFound(err) {
			return core.NotFound("account")
		}
		if err != nil {
			return err
		}
		if acc.DisabledAt != nil {
			return nil
		}
		if err := s.keepAnAdmin(sys, tx, acc, "disabled"); err != nil {
			return err
		}
		err = tx.Account.UpdateOneID(id).SetDisabledAt(s.now()).
			ClearPasswordResetHash().ClearPasswordResetExpiresAt().Exec(sys)
		if err != nil {
			return err
		}
		_, err = tx.Session.Delete().Where(session.AccountID(id)).Exec(sys)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.account(ctx, id)
}

// EnableAccount lets a disabled account log in again (admins only), with
// the password it had.
func (s *Service) EnableAccount(ctx context.Context, id nodeid.ID) (*ent.Account, error) {
	if err := adminCaller(ctx); err != nil {
		return nil, err
	}
	err := s.client.Account.UpdateOneID(id).ClearDisabledAt().Exec(tenant.AsSystem(ctx))
	if isNotFound(err) {
		return nil, core.NotFound("account")
	}
	if err != nil {
		return nil, err
	}
	return s.account(ctx, id)
}

// DeleteAccount removes an account with its memberships and sessions
// (admins only). It refuses, with CONFLICT, the last owner of an app
// (naming the app) and the last enabled admin. Invitations are by email and
// stay.
func (s *Service) DeleteAccount(ctx context.Context, id nodeid.ID) error {
	if err := adminCaller(ctx); err != nil {
		return err
	}
	sys := tenant.AsSystem(ctx)
	return core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		acc, err := tx.Account.Get(sys, id)
		if isNotFound(err) {
			return core.NotFound("account")
		}
		if err != nil {
			return err
		}
		if err := s.keepAnAdmin(sys, tx, acc, "deleted"); err != nil {
			return err
		}
		if err := s.keepOwners(sys, tx, id); err != nil {
			return err
		}
		return tx.Account.DeleteOneID(id).Exec(sys)
	})
}

// keepAnAdmin refuses to disable or delete acc when it is the last enabled
// admin. The enabled admins are locked (PostgreSQL), so two admins removing
// each other at once cannot both pass.
func (s *Service) keepAnAdmin(ctx context.Context, tx *ent.Tx, acc *ent.Account, what string) error {
	if !acc.Admin || acc.DisabledAt != nil {
		return nil
	}
	q := tx.Account.Query().Where(account.Admin(true), account.DisabledAtIsNil()).Order(ent.Asc(account.FieldID))
	if s.lockRows {
		q = q.ForUpdate()
	}
	ids, err := q.IDs(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ids, func(other nodeid.ID) bool { return other != acc.ID }) {
		return core.Conflict("the last enabled admin cannot be %s: make another account admin first", what)
	}
	return nil
}

// keepOwners refuses to delete accountID while it is the last owner of an
// app, naming the app. The owners of its apps are locked (PostgreSQL).
func (s *Service) keepOwners(ctx context.Context, tx *ent.Tx, accountID nodeid.ID) error {
	apps, err := tx.Membership.Query().
		Where(membership.AccountID(accountID), membership.RoleEQ(enum.RoleOwner)).
		Select(membership.FieldAppID).Strings(ctx)
	if err != nil || len(apps) == 0 {
		return err
	}
	q := tx.Membership.Query().
		Where(membership.AppIDIn(ids(apps)...), membership.RoleEQ(enum.RoleOwner)).
		Order(ent.Asc(membership.FieldID))
	if s.lockRows {
		q = q.ForUpdate()
	}
	owners, err := q.All(ctx)
	if err != nil {
		return err
	}
	others := map[nodeid.ID]bool{}
	for _, m := range owners {
		if m.AccountID != accountID {
			others[m.AppID] = true
		}
	}
	var alone []*ent.App
	for _, a := range apps {
		if others[nodeid.ID(a)] {
			continue
		}
		app, err := tx.App.Get(ctx, nodeid.ID(a))
		if err != nil {
			return err
		}
		alone = append(alone, app)
	}
	if len(alone) == 0 {
		return nil
	}
	slices.SortFunc(alone, func(a, b *ent.App) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	more := ""
	if n := len(alone) - 1; n > 0 {
		more = fmt.Sprintf(" and of %d other app%s", n, map[bool]string{true: "", false: "s"}[n == 1])
	}
	return core.Conflict("the account is the last owner of app %q (%s)%s: make someone else owner first", alone[0].Name, alone[0].ID, more)
}

func ids(ss []string) []nodeid.ID {
	out := make([]nodeid.ID, len(ss))
	for i, s := range ss {
		out[i] = nodeid.ID(s)
	}
	return out
}
