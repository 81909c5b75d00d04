package auth_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

var sys = tenant.AsSystem(context.Background())

// codeOf is err's code and field ("" for nil).
func codeOf(t *testing.T, err error) (core.Code, string) {
	t.Helper()
	if err == nil {
		return "", ""
	}
	e, ok := core.AsError(err)
	require.True(t, ok, "%v", err)
	return e.Code, e.Field
}

// session logs email in on svc and returns a context acting as that
// session, as the middleware makes it.
func session(t *testing.T, svc *auth.Service, email, password string) context.Context {
	t.Helper()
	l, err := svc.Login(context.Background(), email, password, victimAddr, "test")
	require.NoError(t, err)
	p, err := svc.AuthenticateSession(context.Background(), l.SessionToken, l.CSRFToken, true)
	require.NoError(t, err)
	return tenant.NewContext(context.Background(), p)
}

func TestResetTokenExpires(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	svc := e.replica(t)
	acc, err := svc.CreateAccount(sys, "user@test.local", "old-password", false)
	require.NoError(t, err)

	r, err := svc.CreatePasswordReset(sys, acc.ID)
	require.NoError(t, err)
	require.Equal(t, e.clock.Now().Add(auth.ResetTokenTTL), r.ExpiresAt)
	e.clock.Advance(auth.ResetTokenTTL)
	code, field := codeOf(t, svc.ResetPassword(context.Background(), r.Token, "new-password"))
	require.Equal(t, core.CodeInvalidArgument, code, "expired")
	require.Equal(t, "token", field)

	r, err = svc.CreatePasswordReset(sys, acc.ID)
	require.NoError(t, err)
	e.clock.Advance(auth.ResetTokenTTL - time.Second)
	require.NoError(t, svc.ResetPassword(context.Background(), r.Token, "new-password"))
	c, _ := loginCode(t, svc, "user@test.local", "new-password", victimAddr)
	require.Empty(t, c)
}

// A disabled account's token is gone with its sessions: the reset it had
// pending does not work once it is enabled again.
func TestDisablingRevokesResetToken(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	svc := e.replica(t)
	acc, err := svc.CreateAccount(sys, "user@test.local", "old-password", false)
	require.NoError(t, err)
	r, err := svc.CreatePasswordReset(sys, acc.ID)
	require.NoError(t, err)
	_, err = svc.DisableAccount(sys, acc.ID)
	require.NoError(t, err)
	_, err = svc.EnableAccount(sys, acc.ID)
	require.NoError(t, err)
	code, _ := codeOf(t, svc.ResetPassword(context.Background(), r.Token, "new-password"))
	require.Equal(t, core.CodeInvalidArgument, code)
}

// A wrong current password in changePassword is a failed login attempt:
// a stolen session guesses no faster than a login form.
func TestChangePasswordIsThrottled(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	svc := e.replica(t)
	_, err := svc.CreateAccount(sys, victim, victimPass, false)
	require.NoError(t, err)
	ctx := session(t, svc, victim, victimPass)
	codes := map[core.Code]int{}
	for i := range 8 {
		_, _, err := svc.ChangePassword(ctx, fmt.Sprintf("guess-%d-password", i), "a-new-password")
		c, _ := codeOf(t, err)
		codes[c]++
	}
	require.Equal(t, map[core.Code]int{core.CodeInvalidArgument: 5, core.CodeRateLimited: 3}, codes)
	// Called without an HTTP request, the change has no client address:
	// a login without one is the same pair and waits too.
	c, _ := loginCode(t, svc, victim, victimPass, "")
	require.Equal(t, core.CodeRateLimited, c, "the login from that address waits too")
}

func TestInvitationExpires(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	svc := e.replica(t)
	app := e.stores.Ent.App.Create().SetName("Team").SetAppKey("ak_" + string(nodeid.New("x"))).SaveX(sys)
	_, err := svc.CreateAccount(sys, "user@test.local", "user-password", false)
	require.NoError(t, err)
	user := session(t, svc, "user@test.local", "user-password")

	inv, err := svc.InviteMember(sys, app.ID, "User@Test.local", enum.RoleViewer)
	require.NoError(t, err)
	require.Equal(t, "user@test.local", inv.Email)
	mine, err := svc.MyInvitations(user)
	require.NoError(t, err)
	require.Len(t, mine, 1)

	e.clock.Advance(auth.InvitationTTL)
	mine, err = svc.MyInvitations(user)
	require.NoError(t, err)
	require.Empty(t, mine)
	_, err = svc.AcceptInvitation(user, inv.ID)
	code, _ := codeOf(t, err)
	require.Equal(t, core.CodeNotFound, code)

	// Inviting again starts the time again, with the new role.
	_, err = svc.InviteMember(sys, app.ID, "user@test.local", enum.RoleDeveloper)
	require.NoError(t, err)
	mine, err = svc.MyInvitations(user)
	require.NoError(t, err)
	require.Len(t, mine, 1)
	m, err := svc.AcceptInvitation(user, mine[0].ID)
	require.NoError(t, err)
	require.Equal(t, enum.RoleDeveloper, m.Role)
}

func TestPendingInvitationsAreBounded(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	svc := e.replica(t)
	app := e.stores.Ent.App.Create().SetName("Team").SetAppKey("ak_" + string(nodeid.New("x"))).SaveX(sys)
	for i := range auth.MaxPendingInvitations {
		_, err := svc.InviteMember(sys, app.ID, fmt.Sprintf("u%d@test.local", i), enum.RoleViewer)
		require.NoError(t, err)
	}
	_, err := svc.InviteMember(sys, app.ID, "one-more@test.local", enum.RoleViewer)
	code, _ := codeOf(t, err)
	require.Equal(t, core.CodeConflict, code)
	_, err = svc.InviteMember(sys, app.ID, "u0@test.local", enum.RoleOwner)
	require.NoError(t, err, "inviting a pending email again replaces its invitation")

	// Expired ones make room.
	e.clock.Advance(auth.InvitationTTL)
	_, err = svc.InviteMember(sys, app.ID, "one-more@test.local", enum.RoleViewer)
	require.NoError(t, err)
}
