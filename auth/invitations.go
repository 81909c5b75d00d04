package auth

import (
	"context"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/account"
	"github.com/pushd/pushd/ent/invitation"
	"github.com/pushd/pushd/ent/membership"
	"github.com/pushd/pushd/ent/predicate"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// Invitations. An owner adds someone to an app by inviting an email; the
// account with that email (now, or once an admin makes one) sees the
// invitation and accepts or declines it. Inviting answers the same whether
// or not an account has the email, so the team page cannot be used to
// learn which emails have console accounts, and nobody gets a role they
// did not agree to.

// InvitationTTL is how long an invitation can be accepted.
const InvitationTTL = 7 * 24 * time.Hour

// MaxPendingInvitations bounds the invitations one app has waiting.
const MaxPendingInvitations = 100

var errNoInvitation = core.NotFound("invitation")

// InviteMember records an invitation of email to role in app (owners of the
// app and admins). Inviting the same email again replaces the role and
// starts the expiry again. Only an email that is already a member, which
// the owner sees in the members list anyway, is refused (CONFLICT).
func (s *Service) InviteMember(ctx context.Context, appID nodeid.ID, email string, role enum.Role) (*ent.Invitation, error) {
	if err := tenant.Require(ctx, appID, tenant.NeedOwner); err != nil {
		return nil, err
	}
	email, err := normalizeEmail(email)
	if err != nil {
		return nil, err
	}
	p, _ := tenant.FromContext(ctx)
	sys := tenant.AsSystem(ctx)
	inviter := ""
	if p.Kind == tenant.KindAccount {
		acc, err := s.account(ctx, p.AccountID)
		if err != nil {
			return nil, err
		}
		inviter = acc.Email
	}
	now := s.now()
	var id nodeid.ID
	err = core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		member, err := tx.Membership.Query().
			Where(membership.AppID(appID), membership.HasAccountWith(account.Email(email))).
			Exist(sys)
		if err != nil {
			return err
		}
		if member {
			return core.Conflict("%s is a member of the app already: change their role in the members list", email)
		}
		if _, err := tx.Invitation.Delete().Where(invitation.AppID(appID), invitation.ExpiresAtLTE(now)).Exec(sys); err != nil {
			return err
		}
		pending, err := tx.Invitation.Query().Where(invitation.AppID(appID), invitation.EmailNEQ(email)).Count(sys)
		if err != nil {
			return err
		}
		if pending >= MaxPendingInvitations {
			return core.Conflict("the app has %d pending invitations: withdraw some first", MaxPendingInvitations)
		}
		id, err = tx.Invitation.Create().
			SetAppID(appID).SetEmail(email).SetRole(role).SetInvitedBy(inviter).SetExpiresAt(now.Add(InvitationTTL)).
			OnConflictColumns(invitation.FieldAppID, invitation.FieldEmail).
			UpdateRole().UpdateInvitedBy().UpdateExpiresAt().
			ID(sys)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.client.Invitation.Query().Where(invitation.ID(id)).WithApp().Only(sys)
}

// AppInvitations lists the pending invitations of an app, newest first
// (owners of the app and admins).
func (s *Service) AppInvitations(ctx context.Context, appID nodeid.ID) ([]*ent.Invitation, error) {
	if err := tenant.Require(ctx, appID, tenant.NeedOwner); err != nil {
		return nil, err
	}
	return s.client.Invitation.Query().
		Where(invitation.AppID(appID), invitation.ExpiresAtGT(s.now())).
		WithApp().
		Order(ent.Desc(invitation.FieldCreatedAt), ent.Desc(invitation.FieldID)).
		All(tenant.AsSystem(ctx))
}

// CancelInvitation withdraws a pending invitation (owners of its app and
// admins).
func (s *Service) CancelInvitation(ctx context.Context, id nodeid.ID) error {
	sys := tenant.AsSystem(ctx)
	inv, err := s.client.Invitation.Get(sys, id)
	if isNotFound(err) {
		return errNoInvitation
	}
	if err != nil {
		return err
	}
	if err := tenant.Require(ctx, inv.AppID, tenant.NeedOwner); err != nil {
		return err
	}
	return s.client.Invitation.DeleteOneID(id).Exec(sys)
}

// MyInvitations lists the pending invitations to the calling account's
// email, newest first; other principals have none.
func (s *Service) MyInvitations(ctx context.Context) ([]*ent.Invitation, error) {
	p, err := principalOf(ctx)
	if err != nil {
		return nil, err
	}
	if p.Kind != tenant.KindAccount {
		return []*ent.Invitation{}, nil
	}
	acc, err := s.account(ctx, p.AccountID)
	if err != nil {
		return nil, err
	}
	return s.client.Invitation.Query().
		Where(invitation.Email(acc.Email), invitation.ExpiresAtGT(s.now())).
		WithApp().
		Order(ent.Desc(invitation.FieldCreatedAt), ent.Desc(invitation.FieldID)).
		All(tenant.AsSystem(ctx))
}

// AcceptInvitation gives the calling account the role its invitation
// offers, and uses the invitation up. An invitation to another email, an
// expired one and one that does not exist are all NOT_FOUND.
func (s *Service) AcceptInvitation(ctx context.Context, id nodeid.ID) (*ent.Membership, error) {
	var mid nodeid.ID
	err := s.answerInvitation(ctx, id, true, func(sys context.Context, tx *ent.Tx, accountID nodeid.ID, inv *ent.Invitation) (err error) {
		mid, err = s.grantTx(sys, tx, accountID, inv.AppID, inv.Role)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.client.Membership.Get(tenant.AsSystem(ctx), mid)
}

// DeclineInvitation removes an invitation to the calling account's email.
func (s *Service) DeclineInvitation(ctx context.Context, id nodeid.ID) error {
	return s.answerInvitation(ctx, id, false, nil)
}

// answerInvitation deletes the caller's invitation id (for an acceptance,
// only while it has not expired) and runs then in the same transaction.
// Deleting first makes an invitation usable once, however many answers
// race.
func (s *Service) answerInvitation(ctx context.Context, id nodeid.ID, accept bool,
	then func(sys context.Context, tx *ent.Tx, accountID nodeid.ID, inv *ent.Invitation) error) error {
	p, err := accountCaller(ctx)
	if err != nil {
		return err
	}
	acc, err := s.account(ctx, p.AccountID)
	if err != nil {
		return err
	}
	sys := tenant.AsSystem(ctx)
	return core.WithTx(sys, s.client, func(tx *ent.Tx) error {
		mine := []predicate.Invitation{invitation.ID(id), invitation.Email(acc.Email)}
		if accept {
			mine = append(mine, invitation.ExpiresAtGT(s.now()))
		}
		inv, err := tx.Invitation.Query().Where(mine...).Only(sys)
		if isNotFound(err) {
			return errNoInvitation
		}
		if err != nil {
			return err
		}
		n, err := tx.Invitation.Delete().Where(mine...).Exec(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoInvitation
		}
		if then == nil {
			return nil
		}
		return then(sys, tx, acc.ID, inv)
	})
}
