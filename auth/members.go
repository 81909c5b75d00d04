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
	"github.com/pushd/pushd/push"
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

// SetMembership gives an account a role in an app (or changes it); owners
// of the app and admins may. An app keeps at least one owner.
func (s *Service) SetMembership(ctx context.Context, who AccountRef, appID nodeid.ID, role enum.Role) (*ent.Membership, error) {
	if err := tenant.Require(ctx, appID, tenant.NeedOwner); err != nil {
		return nil, err
	}
	if (who.ID == "") == (who.Email == "") {
		return nil, push.Invalid("accountID", "give the account's ID or its email, not both")
	}
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
	acc, err := q.Only(sys)
	if err != nil {
		if isNotFound(err) {
			return nil, push.NotFound("account")
		}
		return nil, err
	}
	var id nodeid.ID
	err = push.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		if role != enum.RoleOwner {
			if err := keepAnOwner(ctx, tx, appID, acc.ID); err != nil {
				return err
			}
		}
		id, err = tx.Membership.Create().
			SetAccountID(acc.ID).SetAppID(appID).SetRole(role).
			OnConflictColumns(membership.FieldAccountID, membership.FieldAppID).
			UpdateRole().UpdateUpdatedAt().
			ID(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.client.Membership.Get(ctx, id)
}

// DeleteMembership removes an account's role in an app.
func (s *Service) DeleteMembership(ctx context.Context, id nodeid.ID) error {
	m, err := s.client.Membership.Get(ctx, id)
	if err != nil {
		if isNotFound(err) {
			return push.NotFound("membership")
		}
		return err
	}
	if err := tenant.Require(ctx, m.AppID, tenant.NeedOwner); err != nil {
		return err
	}
	return push.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		if m.Role == enum.RoleOwner {
			if err := keepAnOwner(ctx, tx, m.AppID, m.AccountID); err != nil {
				return err
			}
		}
		return tx.Membership.DeleteOneID(id).Exec(ctx)
	})
}

// keepAnOwner refuses a change that would leave app without an owner:
// accountID is about to stop being one. (Two owners demoting each other in
// the same instant could both pass; admins can still give the app an owner.)
func keepAnOwner(ctx context.Context, tx *ent.Tx, appID, accountID nodeid.ID) error {
	owners, err := tx.Membership.Query().
		Where(membership.AppID(appID), membership.RoleEQ(enum.RoleOwner)).
		Select(membership.FieldAccountID).Strings(ctx)
	if err != nil {
		return err
	}
	if len(owners) > 0 && !slices.ContainsFunc(owners, func(id string) bool { return id != string(accountID) }) {
		return push.Conflict("an app keeps at least one owner: make someone else owner first")
	}
	return nil
}
