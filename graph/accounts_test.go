package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth"
)

// console is one console session, held as its two cookies and sent to
// whichever replica a request names. Unlike a cookie jar it keeps the
// cookies when pushd says to drop them, as a thief who copied them would.
type console struct {
	b             *bundle
	session, csrf string
}

// as logs in on the bundle's first replica.
func (b *bundle) as(email, password string) console {
	b.t.Helper()
	r, cookies := b.rawLogin(email, password)
	require.Empty(b.t, r.Errors, "login %s", email)
	s := console{b: b}
	for _, c := range cookies {
		switch c.Name {
		case auth.SessionCookie:
			s.session = c.Value
		case auth.CSRFCookie:
			s.csrf = c.Value
		}
	}
	require.NotEmpty(b.t, s.session)
	return s
}

// rawLogin sends a login with no cookies and returns the answer and the
// cookies set.
func (b *bundle) rawLogin(email, password string) (gqlResponse, []*http.Cookie) {
	b.t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { account { id } } }`,
		"variables": map[string]any{"e": email, "p": password},
	})
	resp, err := http.Post(b.url+"/graphql", "application/json", bytes.NewReader(body))
	require.NoError(b.t, err)
	defer resp.Body.Close()
	var out gqlResponse
	require.NoError(b.t, json.NewDecoder(resp.Body).Decode(&out))
	out.Status = resp.StatusCode
	return out, resp.Cookies()
}

// loginCode is the code a login answers ("" when it succeeds), with its
// message.
func (b *bundle) loginCode(email, password string) (string, string) {
	b.t.Helper()
	r, _ := b.rawLogin(email, password)
	if len(r.Errors) == 0 {
		return "", ""
	}
	return r.code(), r.Errors[0].Message
}

func (s console) do(query string, vars map[string]any) gqlResponse {
	s.b.t.Helper()
	return s.at(s.b.url, query, vars)
}

// at sends the operation to the replica at base.
func (s console) at(base, query string, vars map[string]any) gqlResponse {
	s.b.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(s.b.t, err)
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	require.NoError(s.b.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(auth.CSRFHeader, s.csrf)
	req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: s.session})
	req.AddCookie(&http.Cookie{Name: auth.CSRFCookie, Value: s.csrf})
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.b.t, err)
	defer resp.Body.Close()
	var out gqlResponse
	require.NoError(s.b.t, json.NewDecoder(resp.Body).Decode(&out))
	out.Status = resp.StatusCode
	return out
}

func (s console) ok(query string, vars map[string]any) map[string]any {
	s.b.t.Helper()
	r := s.do(query, vars)
	require.Empty(s.b.t, r.Errors, "query %s", query)
	return r.Data
}

// live reports whether the session still authenticates at base.
func (s console) live(base string) bool {
	s.b.t.Helper()
	r := s.at(base, `{ viewer { account { id } } }`, nil)
	if r.Status == http.StatusUnauthorized {
		require.Equal(s.b.t, "UNAUTHENTICATED", r.code())
		return false
	}
	require.Empty(s.b.t, r.Errors)
	return true
}

// newAccount makes a console account as the admin and returns its ID.
func (b *bundle) newAccount(email, password string, admin bool) string {
	b.t.Helper()
	d := b.ok(`mutation($e: String!, $p: String!, $a: Boolean) { createAccount(input: {email: $e, password: $p, admin: $a}) { id } }`,
		map[string]any{"e": email, "p": password, "a": admin})
	return path(d, "createAccount", "id").(string)
}

const changePassword = `mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) { account { email } endedSessions } }`

// A session stolen before the password is changed is refused after it, on
// every replica, while the session that changed it goes on.
func TestPasswordChangeEndsStolenSession(t *testing.T) {
	t.Parallel()
	b := setup(t)
	second, _, _ := b.replica()
	b.newAccount("user@test.local", "first-password", false)
	mine := b.as("user@test.local", "first-password")
	stolen := b.as("user@test.local", "first-password")
	for _, base := range []string{b.url, second} {
		require.True(t, stolen.live(base))
	}

	r := mine.at(second, changePassword, map[string]any{"c": "first-password", "n": "second-password"})
	require.Empty(t, r.Errors)
	require.EqualValues(t, 1, path(r.Data, "changePassword", "endedSessions"))

	for _, base := range []string{b.url, second} {
		require.False(t, stolen.live(base), "the stolen session is refused at %s", base)
		require.True(t, mine.live(base), "the changing session goes on at %s", base)
	}
	code, _ := b.loginCode("user@test.local", "first-password")
	require.Equal(t, "UNAUTHENTICATED", code)
	code, _ = b.loginCode("user@test.local", "second-password")
	require.Empty(t, code)
}

func TestChangePasswordRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.newAccount("rules@test.local", "the-password", false)
	s := b.as("rules@test.local", "the-password")
	for _, tc := range []struct {
		name, current, next string
		code, field         string
	}{
		{"wrong current password", "not-the-password", "a-new-password", "INVALID_ARGUMENT", "currentPassword"},
		{"new one too short", "the-password", "short-pw1", "INVALID_ARGUMENT", "newPassword"},
		{"new one too long", "the-password", strings.Repeat("x", auth.MaxPasswordLen+1), "INVALID_ARGUMENT", "newPassword"},
		{"new one the same", "the-password", "the-password", "INVALID_ARGUMENT", "newPassword"},
		{"10 bytes", "the-password", "0123456789", "", ""},
		{"256 bytes", "0123456789", strings.Repeat("y", auth.MaxPasswordLen), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(changePassword, map[string]any{"c": tc.current, "n": tc.next})
			require.Equal(t, tc.code, r.code(), "%+v", r.Errors)
			if tc.field != "" {
				require.Equal(t, tc.field, r.Errors[0].Extensions["field"])
			}
		})
	}
	require.True(t, s.live(b.url), "changing its own password keeps the session")

	// An API key has no password to change.
	sig, _ := b.newKey(b.createApp("keys"), "HMAC_SHA256")
	res, err := b.client(sig).Raw(t.Context(), changePassword, map[string]any{"c": "x", "n": "0123456789"})
	require.NoError(t, err)
	require.Equal(t, "FORBIDDEN", res.Errors[0].Code())
}

func TestLogoutEverywhere(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.newAccount("user@test.local", "user-password", false)
	one, two := b.as("user@test.local", "user-password"), b.as("user@test.local", "user-password")

	// The account's own: every session, this one too.
	d := one.ok(`mutation { logoutEverywhere }`, nil)
	require.EqualValues(t, 2, d["logoutEverywhere"])
	require.False(t, one.live(b.url))
	require.False(t, two.live(b.url))

	// Another account's: admins only.
	three := b.as("user@test.local", "user-password")
	r := three.do(`mutation($a: ID!) { logoutEverywhere(accountID: $a) }`, map[string]any{"a": path(b.ok(`{ viewer { account { id } } }`, nil), "viewer", "account", "id")})
	require.Equal(t, "FORBIDDEN", r.code())
	d = b.ok(`mutation($a: ID!) { logoutEverywhere(accountID: $a) }`, map[string]any{"a": id})
	require.EqualValues(t, 1, d["logoutEverywhere"])
	require.False(t, three.live(b.url))
	require.Empty(t, b.do(`{ viewer { account { id } } }`, nil).Errors, "the admin's own session stays")
	require.Equal(t, "NOT_FOUND", b.do(`mutation { logoutEverywhere(accountID: "acc_01J0000000000000000000000") }`, nil).code())
}

func TestAdminPasswordReset(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.newAccount("user@test.local", "old-password", false)
	s := b.as("user@test.local", "old-password")
	require.Equal(t, "FORBIDDEN", s.do(`mutation($a: ID!) { createPasswordReset(accountID: $a) { token } }`, map[string]any{"a": id}).code(),
		"admins only, also for oneself")

	d := b.ok(`mutation($a: ID!) { createPasswordReset(accountID: $a) { token expiresAt account { passwordResetExpiresAt } } }`, map[string]any{"a": id})
	token := path(d, "createPasswordReset", "token").(string)
	require.Len(t, token, 43, "256 bits, base64url")
	require.NotNil(t, path(d, "createPasswordReset", "account", "passwordResetExpiresAt"))
	require.False(t, s.live(b.url), "the account's sessions end")
	code, _ := b.loginCode("user@test.local", "old-password")
	require.Equal(t, "UNAUTHENTICATED", code, "the old password stops working")

	// resetPassword needs no session: the token is the credential.
	reset := func(token, pw string) gqlResponse {
		body, _ := json.Marshal(map[string]any{
			"query":     `mutation($t: String!, $p: String!) { resetPassword(input: {token: $t, newPassword: $p}) }`,
			"variables": map[string]any{"t": token, "p": pw},
		})
		return b.postAs(http.DefaultClient, "", body)
	}
	r := reset(token, "short")
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Equal(t, "newPassword", r.Errors[0].Extensions["field"])
	r = reset(token+"x", "a-new-password")
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Equal(t, "token", r.Errors[0].Extensions["field"])
	r = reset(token, "a-new-password")
	require.Empty(t, r.Errors)
	require.Equal(t, true, r.Data["resetPassword"])
	r = reset(token, "another-password")
	require.Equal(t, "INVALID_ARGUMENT", r.code(), "a token works once")
	code, _ = b.loginCode("user@test.local", "a-new-password")
	require.Empty(t, code)

	// A second reset replaces the first.
	first := path(b.ok(`mutation($a: ID!) { createPasswordReset(accountID: $a) { token } }`, map[string]any{"a": id}), "createPasswordReset", "token").(string)
	second := path(b.ok(`mutation($a: ID!) { createPasswordReset(accountID: $a) { token } }`, map[string]any{"a": id}), "createPasswordReset", "token").(string)
	require.Equal(t, "INVALID_ARGUMENT", reset(first, "third-password").code())
	require.Empty(t, reset(second, "third-password").Errors)
}

// A disabled account cannot log in (the answer is that of a wrong
// password) and its live session is refused at once; enabled again, it
// logs in with its password.
func TestDisabledAccount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.newAccount("user@test.local", "user-password", false)
	s := b.as("user@test.local", "user-password")
	require.True(t, s.live(b.url))

	d := b.ok(`mutation($a: ID!) { disableAccount(id: $a) { disabledAt } }`, map[string]any{"a": id})
	require.NotNil(t, path(d, "disableAccount", "disabledAt"))
	require.False(t, s.live(b.url), "its session is refused at once")

	wrongCode, wrongMsg := b.loginCode("user@test.local", "wrong-password")
	code, msg := b.loginCode("user@test.local", "user-password")
	require.Equal(t, "UNAUTHENTICATED", code)
	require.Equal(t, wrongCode, code)
	require.Equal(t, wrongMsg, msg, "the same answer as a wrong password")
	require.Equal(t, "CONFLICT", b.do(`mutation($a: ID!) { createPasswordReset(accountID: $a) { token } }`, map[string]any{"a": id}).code())

	d = b.ok(`mutation($a: ID!) { enableAccount(id: $a) { disabledAt } }`, map[string]any{"a": id})
	require.Nil(t, path(d, "enableAccount", "disabledAt"))
	code, _ = b.loginCode("user@test.local", "user-password")
	require.Empty(t, code)
	require.False(t, s.live(b.url), "the old session stays ended")
}

// The rules of disabling and deleting, in order: each step's answer
// depends on the ones before it.
func TestDeleteAndDisableRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	adminID := path(b.ok(`{ viewer { account { id } } }`, nil), "viewer", "account", "id").(string)
	alone, shared := b.createApp("Alone"), b.createApp("Shared")
	owner := b.newAccount("owner@test.local", "owner-password", false)
	coOwner := b.newAccount("co-owner@test.local", "owner-password", false)
	set := `mutation($a: ID!, $app: ID!) { setMembership(input: {accountID: $a, appID: $app, role: OWNER}) { id } }`
	b.ok(set, map[string]any{"a": owner, "app": alone})
	b.ok(set, map[string]any{"a": owner, "app": shared})
	b.ok(set, map[string]any{"a": coOwner, "app": shared})
	user := b.as("co-owner@test.local", "owner-password")

	del := `mutation($a: ID!) { deleteAccount(id: $a) }`
	disable := `mutation($a: ID!) { disableAccount(id: $a) { id } }`
	var secondID string
	for _, step := range []struct {
		name    string
		do      func() gqlResponse
		code    string
		message string
	}{
		{"a non-admin deletes", func() gqlResponse { return user.do(del, map[string]any{"a": owner}) }, "FORBIDDEN", ""},
		{"a non-admin disables", func() gqlResponse { return user.do(disable, map[string]any{"a": owner}) }, "FORBIDDEN", ""},
		{"the last owner of an app", func() gqlResponse { return b.do(del, map[string]any{"a": owner}) }, "CONFLICT",
			`the account is the last owner of app "Alone" (` + alone + `): make someone else owner first`},
		{"the last admin is deleted", func() gqlResponse { return b.do(del, map[string]any{"a": adminID}) }, "CONFLICT",
			"the last enabled admin cannot be deleted: make another account admin first"},
		{"the last admin is disabled", func() gqlResponse { return b.do(disable, map[string]any{"a": adminID}) }, "CONFLICT",
			"the last enabled admin cannot be disabled: make another account admin first"},
		{"an unknown account", func() gqlResponse { return b.do(del, map[string]any{"a": "acc_01J0000000000000000000000"}) }, "NOT_FOUND", ""},
		{"an owner with a co-owner everywhere", func() gqlResponse { return b.do(del, map[string]any{"a": coOwner}) }, "", ""},
		{"a disabled owner is still the last one", func() gqlResponse {
			b.ok(disable, map[string]any{"a": owner})
			return b.do(del, map[string]any{"a": owner})
		}, "CONFLICT", `the account is the last owner of app "Alone" (` + alone + `) and of 1 other app: make someone else owner first`},
		{"with a second admin, the first may go", func() gqlResponse {
			secondID = b.newAccount("second-admin@test.local", "admin-password-2", true)
			return b.do(disable, map[string]any{"a": adminID})
		}, "", ""},
	} {
		r := step.do()
		require.Equal(t, step.code, r.code(), "%s: %+v", step.name, r.Errors)
		if step.message != "" {
			require.Equal(t, step.message, r.Errors[0].Message, step.name)
		}
	}
	require.False(t, user.live(b.url), "a deleted account's session is refused")
	code, _ := b.loginCode("co-owner@test.local", "owner-password")
	require.Equal(t, "UNAUTHENTICATED", code)
	n, err := b.stores.Ent.Membership.Query().Count(b.sys)
	require.NoError(t, err)
	require.Equal(t, 2, n, "the deleted account's membership went with it")
	second := b.as("second-admin@test.local", "admin-password-2")
	r := second.do(del, map[string]any{"a": secondID})
	require.Equal(t, "CONFLICT", r.code(), "now the second admin is the last enabled one")
	require.Empty(t, second.do(del, map[string]any{"a": adminID}).Errors, "a disabled admin may be deleted")
}

const invite = `mutation($app: ID!, $e: String!, $r: Role!) { inviteMember(input: {appID: $app, email: $e, role: $r}) {
	id appID appName email role invitedBy createdAt expiresAt } }`

// Adding someone by email is an invitation they accept or decline, and the
// owner gets the same answer whether or not an account has the email.
func TestInvitations(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("Team")
	ownerID := b.newAccount("owner@test.local", "owner-password", false)
	b.ok(`mutation($a: ID!, $app: ID!) { setMembership(input: {accountID: $a, appID: $app, role: OWNER}) { id } }`, map[string]any{"a": ownerID, "app": app})
	knownID := b.newAccount("known@test.local", "known-password", false)
	b.newAccount("third@test.local", "third-password", false)
	owner := b.as("owner@test.local", "owner-password")

	// Known and unknown emails answer alike: only the ID, the email and
	// the times differ.
	answers := map[string]gqlResponse{}
	for _, email := range []string{"known@test.local", "stranger@test.local"} {
		r := owner.do(invite, map[string]any{"app": app, "e": email, "r": "DEVELOPER"})
		require.Empty(t, r.Errors)
		inv := r.Data["inviteMember"].(map[string]any)
		require.Equal(t, email, inv["email"])
		for _, k := range []string{"id", "email", "createdAt", "expiresAt"} {
			require.NotEmpty(t, inv[k])
			delete(inv, k)
		}
		answers[email] = r
	}
	require.Equal(t, answers["known@test.local"], answers["stranger@test.local"])
	require.Equal(t, map[string]any{"appID": app, "appName": "Team", "role": "DEVELOPER", "invitedBy": "owner@test.local"},
		answers["known@test.local"].Data["inviteMember"])

	// Nor does setMembership tell: an owner names members only.
	set := `mutation($e: String!, $app: ID!) { setMembership(input: {email: $e, appID: $app, role: VIEWER}) { id } }`
	known := owner.do(set, map[string]any{"e": "known@test.local", "app": app})
	unknown := owner.do(set, map[string]any{"e": "nobody@test.local", "app": app})
	require.Equal(t, "NOT_FOUND", known.code())
	require.Equal(t, unknown.Errors, known.Errors)
	byID := owner.do(`mutation($a: ID!, $app: ID!) { setMembership(input: {accountID: $a, appID: $app, role: VIEWER}) { id } }`, map[string]any{"a": knownID, "app": app})
	require.Equal(t, known.Errors[0].Message, byID.Errors[0].Message, "nor by ID")

	pending := `query($app: ID!) { node(id: $app) { ... on App { invitations { id email role } } } }`
	list := path(owner.ok(pending, map[string]any{"app": app}), "node", "invitations").([]any)
	require.Len(t, list, 2)

	// The invited account sees its invitation; another account sees none
	// and cannot answer it.
	mine := `{ invitations { id appID appName role invitedBy } }`
	k := b.as("known@test.local", "known-password")
	got := k.ok(mine, nil)["invitations"].([]any)
	require.Len(t, got, 1)
	invID := path(got, 0, "id").(string)
	require.Equal(t, "Team", path(got, 0, "appName"))
	require.Equal(t, "owner@test.local", path(got, 0, "invitedBy"))
	third := b.as("third@test.local", "third-password")
	require.Empty(t, third.ok(mine, nil)["invitations"])
	accept := `mutation($id: ID!) { acceptInvitation(id: $id) { id role appID } }`
	require.Equal(t, "NOT_FOUND", third.do(accept, map[string]any{"id": invID}).code())
	require.Equal(t, "NOT_FOUND", third.do(`mutation($id: ID!) { declineInvitation(id: $id) }`, map[string]any{"id": invID}).code())
	require.Equal(t, "NOT_FOUND", k.do(invite, map[string]any{"app": app, "e": "x@test.local", "r": "VIEWER"}).code(), "the app is hidden until then")

	d := k.ok(accept, map[string]any{"id": invID})
	require.Equal(t, "DEVELOPER", path(d, "acceptInvitation", "role"))
	require.Equal(t, "NOT_FOUND", k.do(accept, map[string]any{"id": invID}).code(), "an invitation is used once")
	require.Empty(t, k.ok(mine, nil)["invitations"])
	require.Empty(t, k.do(`query($app: ID!) { node(id: $app) { ... on App { name } } }`, map[string]any{"app": app}).Errors, "the role works at once")
	require.Equal(t, "FORBIDDEN", k.do(invite, map[string]any{"app": app, "e": "x@test.local", "r": "VIEWER"}).code(), "owners invite, developers do not")
	require.Equal(t, "CONFLICT", owner.do(invite, map[string]any{"app": app, "e": "known@test.local", "r": "VIEWER"}).code(), "a member is not invited")
	require.Empty(t, owner.do(set, map[string]any{"e": "known@test.local", "app": app}).Errors, "an owner changes a member's role")

	// The invitation to an email without an account waits for whoever
	// gets that email; it declines.
	b.newAccount("stranger@test.local", "stranger-password", false)
	st := b.as("stranger@test.local", "stranger-password")
	got = st.ok(mine, nil)["invitations"].([]any)
	require.Len(t, got, 1)
	require.Equal(t, path(got, 0, "id"), st.ok(`mutation($id: ID!) { declineInvitation(id: $id) }`, map[string]any{"id": path(got, 0, "id")})["declineInvitation"])
	require.Empty(t, st.ok(mine, nil)["invitations"])

	// An owner withdraws one.
	id := path(owner.ok(invite, map[string]any{"app": app, "e": "third@test.local", "r": "VIEWER"}), "inviteMember", "id")
	require.Len(t, third.ok(mine, nil)["invitations"], 1)
	owner.ok(`mutation($id: ID!) { cancelInvitation(id: $id) }`, map[string]any{"id": id})
	require.Empty(t, third.ok(mine, nil)["invitations"])
	require.Empty(t, path(owner.ok(pending, map[string]any{"app": app}), "node", "invitations"))

	members := path(owner.ok(`query($app: ID!) { node(id: $app) { ... on App { members { email role } } } }`, map[string]any{"app": app}), "node", "members")
	require.Equal(t, []any{
		map[string]any{"email": "owner@test.local", "role": "OWNER"},
		map[string]any{"email": "known@test.local", "role": "VIEWER"},
	}, members)
}
