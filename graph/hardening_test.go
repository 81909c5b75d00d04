package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
)

// A member removed from an app (or demoted) loses the live sockets opened
// with the old rights.
func TestMembershipChangeClosesSubscriptions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	app := b.createApp("members")
	acc := path(b.ok(`mutation { createAccount(input: {email: "dev2@test.local", password: "developer-password"}) { id } }`, nil), "createAccount", "id")
	m := path(b.ok(`mutation($a: ID!, $app: ID!) { setMembership(input: {accountID: $a, appID: $app, role: DEVELOPER}) { id } }`,
		map[string]any{"a": acc, "app": app}), "setMembership", "id")
	job, err := b.stores.Ent.PushJob.Create().SetAppID(idOf(app)).SetKind(enum.PushKindSimple).
		SetTTLSeconds(60).SetMessage(jsontype.Message{Body: "b"}).SetOptions(jsontype.Options{TTLSeconds: 60}).Save(b.sys)
	require.NoError(t, err)

	client, _ := b.login("dev2@test.local", "developer-password")
	u, _ := url.Parse(b.url)
	h := http.Header{}
	for _, ck := range client.Jar.Cookies(u) {
		h.Add("Cookie", ck.String())
	}
	c := b.wsWith(ctx, h, nil)
	c.subscribe(ctx, "1", `subscription($id: ID!) { pushJobUpdated(id: $id) { status } }`, map[string]any{"id": string(job.ID)})
	require.Equal(t, "next", c.read(ctx).Type)

	// Queries and mutations do not run over the socket at all.
	c.subscribe(ctx, "2", fmt.Sprintf(`mutation { createTemplate(input: {appID: %q, name: "ws", body: "x"}) { id } }`, app), nil)
	reply := c.read(ctx)
	require.Contains(t, string(reply.Payload), "only subscriptions run over WebSocket")
	n, err := b.stores.Ent.Template.Query().Count(b.sys)
	require.NoError(t, err)
	require.Zero(t, n)

	b.ok(`mutation($id: ID!) { deleteMembership(id: $id) }`, map[string]any{"id": m})
	err = readUntilClosed(ctx, c.conn)
	require.NoError(t, ctx.Err(), "closed by the server, not by the test's deadline: %v", err)
}

// An unauthenticated body is bounded before anything reads it, for every
// method.
func TestUnauthenticatedBodiesAreBounded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut} {
		req, err := http.NewRequest(method, b.url+"/graphql", struct{ *strings.Reader }{strings.NewReader(strings.Repeat("a", 3<<20))})
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, method)
	}
}

// Parallel guesses cannot outrun the count.
func TestParallelLoginsAreCounted(t *testing.T) {
	t.Parallel()
	b := setup(t)
	body, _ := json.Marshal(map[string]any{"query": `mutation { login(input: {email: "admin@test.local", password: "wrong-wrong-wrong"}) { account { id } } }`})
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			r := b.postAs(http.DefaultClient, "", body)
			mu.Lock()
			codes[r.code()]++
			mu.Unlock()
		})
	}
	wg.Wait()
	// 5 are checked at once, a few more only if the burst outlasted the
	// waits after them (1 s, 2 s, 4 s); exact counts on an injected clock
	// are in auth.TestParallelLoginGuessesAreCounted.
	require.Equal(t, 40, codes["UNAUTHENTICATED"]+codes["RATE_LIMITED"], "%v", codes)
	require.GreaterOrEqual(t, codes["UNAUTHENTICATED"], 5, "%v", codes)
	require.LessOrEqual(t, codes["UNAUTHENTICATED"], 8, "%v", codes)
}

func TestNestedPageSizeIsLimited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.do(`{ apps(first: 10) { edges { node { devices(first: 4611686018427387904) { edges { node { id } } } } } } }`, nil)
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Contains(t, r.Errors[0].Message, "first must be between 0 and 500")
	r = b.do(`query($n: Int) { apps { edges { node { templates(last: $n) { totalCount } } } } }`, map[string]any{"n": 501})
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Equal(t, "last", r.Errors[0].Extensions["field"])
}

// A stale session cookie does not stand in the way of logging in again.
func TestStaleCookieCanLogIn(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ok(`mutation { logout }`, nil) // the server forgets the session; keep the cookie
	u, _ := url.Parse(b.url)
	b.admin.Jar.SetCookies(u, []*http.Cookie{{Name: "pushd_session", Value: "stale-token"}})
	body, _ := json.Marshal(map[string]any{"query": `mutation { login(input: {email: "admin@test.local", password: "admin-password-1"}) { account { email } } }`})
	r := b.postAs(b.admin, "", body)
	require.Empty(t, r.Errors)
	require.Equal(t, "admin@test.local", path(r.Data, "login", "account", "email"))
}
