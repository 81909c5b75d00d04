package auth

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/account"
	"github.com/pushd/pushd/ent/membership"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// Member is an account's role in an app, as the app's owners see it.
type Member struct {
	MembershipID nodeid.ID
	AccountID    nodeid.ID
	Email        string
	Role         enum.Role
	Since        time.Time
	LastLoginAt  *time.Time
}

var roleOrder = map[enum.Role]int{enum.RoleOwner: 0, enum.RoleDeveloper: 1, enum.RoleViewer: 2}

// Members lists the accounts with a role in app, owners first; owners of
// the app and admins may ask. Accounts are otherwise private to themselves
// (the account scope), so they are read as pushd once the check passed.
func (s *Service) Members(ctx context.Context, appID nodeid.ID) ([]Member, error) {
	if err := tenant.Require(ctx, appID, tenant.NeedOwner); err != nil {
		return nil, err
	}
	ms, err := s.client.Membership.Query().Where(membership.AppID(appID)).WithAccount().All(tenant.AsSystem(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]Member, 0, len(ms))
	for _, m := range ms {
		out = append(out, Member{
			MembershipID: m.ID, AccountID: m.AccountID, Email: m.Edges.Account.Email, Role: m.Role,
			Since: m.UpdatedAt, LastLoginAt: m.Edges.Account.LastLoginAt,
		})
	}
	slices.SortFunc(out, func(a, b Member) int {
		return cmp.Or(cmp.Compare(roleOrder[a.Role], roleOrder[b.Role]), cmp.Compare(a.Email, b.Email))
	})
	return out, nil
}

// AccountRef names an account by ID or by email (exactly one).
type AccountRef struct {
	ID    nodeid.ID
	Email string
}

// errNotMember answers an owner who names an account that is not a member
// of the app, whether or not such an account exists.
var errNotMember = &core.Error{Code: core.CodeNotFound, Message: "member not found: invite them with inviteMember"}

// SetMembership gives an account a role in an app (admins), or changes the
// role of one of the app's members (owners of the app and admins). An owner
// brings someone new in only by invitation (InviteMember), which the
// account accepts: an owner naming an account that is not a member gets
// NOT_FOUND whether or not the account exists. An app keeps at least one
// owner.
func (s *Service) SetMembership(ctx context.Context, who AccountRef, appID nodeid.ID, role enum.Role) (*ent.Membership, error) {
	if err := tenant.Require(ctx, appID, tenant.NeedOwner); err != nil {
		return nil, err
	}
	if (who.ID == "") == (who.Email == "") {
		return nil, core.Invalid("accountID", "give the account's ID or its email, not both")
	}
	p, _ := tenant.FromContext(ctx)
	sys := tenant.AsSystem(ctx)
	q := s.client.Account.Query()
	if who.ID != "" {
		q = q.Where(account.ID(who.ID))
	} else {
		email, err := normalizeEmail(who.Email)
		if err != nil {
			return nil, err
		}
		q = q.Where(account.Email(email))
	}
	if !p.AllApps() {
		q = q.Where(account.HasMembershipsWith(membership.AppID(appID)))
	}
	acc, err := q.Only(sys)
	if err != nil {
		switch {
		case isNotFound(err) && !p.AllApps():
			return nil, errNotMember
		case isNotFound(err):
			return nil, core.NotFound("account")
		}
		return nil, err
	}
	return s.grant(ctx, acc.ID, appID, role)
}

// grant gives accountID role in appID, keeping an owner.
func (s *Service) grant(ctx context.Context, accountID, appID nodeid.ID, role enum.Role) (*ent.Membership, error) {
	var id nodeid.ID
	err := core.WithTx(ctx, s.client, func(tx *ent.Tx) (err error) {
		id, err = s.grantTx(ctx, tx, accountID, appID, role)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.client.Membership.Get(ctx, id)
}

// grantTx is grant in tx.
func (s *Service) grantTx(ctx context.Context, tx *ent.Tx, accountID, appID nodeid.ID, role enum.Role) (nodeid.ID, error) {
	if role != enum.RoleOwner {
		if err := s.keepAnOwner(ctx, tx, appID, accountID); err != nil {
			return "", err
		}
	}
	return tx.Membership.Create().
		SetAccountID(accountID).SetAppID(appID).SetRole(role).
		OnConflictColumns(membership.FieldAccountID, membership.FieldAppID).
		UpdateRole().UpdateUpdatedAt().
		ID(ctx)
}

// DeleteMembership removes an account's role in an app.
func (s *Service) DeleteMembership(ctx context.Context, id nodeid.ID) error {
	m, err := s.client.Membership.Get(ctx, id)
	if err != nil {
		if isNotFound(err) {
			return core.NotFound("membership")
		}
		return err
	}
	if err := tenant.Require(ctx, m.AppID, tenant.NeedOwner); err != nil {
		return err
	}
	return core.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		if m.Role == enum.RoleOwner {
			if err := s.keepAnOwner(ctx, tx, m.AppID, m.AccountID); err != nil {
				return err
			}
		}
		return tx.Membership.DeleteOneID(id).Exec(ctx)
	})
}

// keepAnOwner refuses a change that would leave app without an owner:
// accountID is about to stop being one. The app's owners are locked
// (PostgreSQL), so two owners demoting each other at once cannot both pass.
func (s *Service) keepAnOwner(ctx context.Context, tx *ent.Tx, appID, accountID nodeid.ID) error {
	q := tx.Membership.Query().
		Where(membership.AppID(appID), membership.RoleEQ(enum.RoleOwner)).
		Order(ent.Asc(membership.FieldID))
	if s.lockRows {
		q = q.ForUpdate()
	}
	owners, err := q.Select(membership.FieldAccountID).Strings(ctx)
	if err != nil {
		return err
	}
	if len(owners) > 0 && !slices.ContainsFunc(owners, func(id string) bool { return id != string(accountID) }) {
		return core.Conflict("an app keeps at least one owner: make someone else owner first")
	}
	return nil
}
