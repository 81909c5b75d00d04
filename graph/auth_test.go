package graph_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/pushclient"
)

// newKey creates an API key of app through the API (as the admin) and
// returns a signer for it and the key's node ID.
func (b *bundle) newKey(app string, alg string) (signature.Signer, string) {
	b.t.Helper()
	vars := map[string]any{"app": app, "alg": alg}
	s := signature.Signer{}
	switch alg {
	case "HMAC_SHA256":
		s.Algorithm = signature.HMACSHA256
	case "ED25519":
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		require.NoError(b.t, err)
		vars["pub"] = pemPublic(b.t, pub)
		s.Algorithm, s.PrivateKey = signature.Ed25519, priv
	case "RSA_SHA256":
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(b.t, err)
		vars["pub"] = pemPublic(b.t, &priv.PublicKey)
		s.Algorithm, s.PrivateKey = signature.RSASHA256, priv
	}
	d := b.ok(`mutation($app: ID!, $alg: APIKeyAlgorithm!, $pub: String) {
		createAPIKey(input: {appID: $app, name: "backend", algorithm: $alg, publicKey: $pub}) {
		apiKey { id keyID algorithm } secret } }`, vars)
	s.KeyID = path(d, "createAPIKey", "apiKey", "keyID").(string)
	if secret, ok := path(d, "createAPIKey", "secret").(string); ok {
		s.Secret = secret
	}
	return s, path(d, "createAPIKey", "apiKey", "id").(string)
}

func pemPublic(t *testing.T, pub any) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func (b *bundle) client(s signature.Signer) *pushclient.Client {
	return pushclient.New(b.url, s, nil)
}

func TestSignedRequestsForEveryAlgorithm(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("signed")
	for _, alg := range []string{"HMAC_SHA256", "ED25519", "RSA_SHA256"} {
		t.Run(alg, func(t *testing.T) {
			s, _ := b.newKey(app, alg)
			var out struct {
				Viewer struct {
					App    struct{ ID string }
					APIKey struct{ KeyID string }
				}
			}
			require.NoError(t, b.client(s).Do(context.Background(), `{ viewer { app { id } apiKey { keyID } } }`, nil, &out))
			require.Equal(t, app, out.Viewer.App.ID)
			require.Equal(t, s.KeyID, out.Viewer.APIKey.KeyID)
		})
	}
}

func TestAPIKeySecretIsShownOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("once")
	s, id := b.newKey(app, "HMAC_SHA256")
	require.True(t, strings.HasPrefix(s.Secret, "sk_"))
	require.Len(t, s.Secret, 3+43, "256 bits, base64url")

	// Nothing readable afterwards carries it, and storage holds it sealed.
	r := b.do(`query($id: ID!) { node(id: $id) { ... on APIKey { id keyID name algorithm createdAt lastUsedAt revokedAt publicKey } } }`, map[string]any{"id": id})
	raw, _ := json.Marshal(r)
	require.NotContains(t, string(raw), s.Secret)
	k, err := b.stores.Ent.APIKey.Get(b.sys, idOf(id))
	require.NoError(t, err)
	require.NotContains(t, string(k.SecretSealed), s.Secret)
	require.NotEmpty(t, k.SecretSealed)

	// Public-key algorithms need a key and return no secret; HMAC refuses one.
	r = b.do(`mutation($app: ID!) { createAPIKey(input: {appID: $app, name: "x", algorithm: ED25519}) { secret } }`, map[string]any{"app": app})
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Equal(t, "publicKey", r.Errors[0].Extensions["field"])
	r = b.do(`mutation($app: ID!) { createAPIKey(input: {appID: $app, name: "x", algorithm: ED25519, publicKey: "garbage"}) { secret } }`, map[string]any{"app": app})
	require.Equal(t, "INVALID_ARGUMENT", r.code())

	// A key whose private half is published (the signing test vectors).
	const vectorKey = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAA6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n-----END PUBLIC KEY-----\n"
	r = b.do(`mutation($app: ID!, $pub: String) { createAPIKey(input: {appID: $app, name: "x", algorithm: ED25519, publicKey: $pub}) { secret } }`,
		map[string]any{"app": app, "pub": vectorKey})
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Equal(t, "publicKey", r.Errors[0].Extensions["field"])
	require.Contains(t, r.Errors[0].Message, "published")
}

func TestLastUsedAndRotation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("rotate")
	old, oldID := b.newKey(app, "HMAC_SHA256")
	fresh, _ := b.newKey(app, "HMAC_SHA256")
	ctx := context.Background()
	for _, s := range []signature.Signer{old, fresh} {
		require.NoError(t, b.client(s).Do(ctx, `{ viewer { app { id } } }`, nil, nil), "two keys work at once")
	}
	k, err := b.stores.Ent.APIKey.Get(b.sys, idOf(oldID))
	require.NoError(t, err)
	require.NotNil(t, k.LastUsedAt)

	b.ok(`mutation($id: ID!) { revokeAPIKey(id: $id) { revokedAt } }`, map[string]any{"id": oldID})
	r, err := b.client(old).Raw(ctx, `{ viewer { app { id } } }`, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, r.Status, "a revoked key fails at once")
	require.NoError(t, b.client(fresh).Do(ctx, `{ viewer { app { id } } }`, nil, nil))
}

// sendSigned signs body as s would, lets tamper change the request, and
// returns the status and error code.
func (b *bundle) sendSigned(s signature.Signer, body string, tamper func(*http.Request, *[]byte)) (int, string) {
	b.t.Helper()
	raw := []byte(body)
	req, err := http.NewRequest(http.MethodPost, b.url+"/graphql", nil)
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/json")
	require.NoError(b.t, s.Sign(req, raw))
	if tamper != nil {
		tamper(req, &raw)
	}
	req.Body = io.NopCloser(bytes.NewReader(raw))
	req.ContentLength = int64(len(raw))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	var out gqlResponse
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.code()
}

func TestBadSignaturesAreRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("bad")
	good, keyID := b.newKey(app, "HMAC_SHA256")
	body := `{"query":"{ viewer { app { id } } }"}`
	at := func(offset time.Duration) signature.Signer {
		s := good
		s.Now = func() time.Time { return time.Now().Add(offset) }
		return s
	}
	for _, tc := range []struct {
		name   string
		signer signature.Signer
		tamper func(*http.Request, *[]byte)
		status int
	}{
		{"good", good, nil, http.StatusOK},
		{"299 s old", at(-299 * time.Second), nil, http.StatusOK},
		{"299 s ahead", at(299 * time.Second), nil, http.StatusOK},
		{"301 s old", at(-301 * time.Second), nil, http.StatusUnauthorized},
		{"301 s ahead", at(301 * time.Second), nil, http.StatusUnauthorized},
		{"flipped body byte", good, func(_ *http.Request, b *[]byte) { (*b)[10] ^= 1 }, http.StatusUnauthorized},
		{"wrong key ID", good, func(r *http.Request, _ *[]byte) { r.Header.Set(signature.HeaderKey, "kid_unknown") }, http.StatusUnauthorized},
		{"other path", good, func(r *http.Request, _ *[]byte) { r.URL.RawQuery = "x=1" }, http.StatusUnauthorized},
		{"nonce bad charset", good, func(r *http.Request, _ *[]byte) { r.Header.Set(signature.HeaderNonce, "abcdefgh+ijklmnop") }, http.StatusUnauthorized},
		{"nonce too short", good, func(r *http.Request, _ *[]byte) { r.Header.Set(signature.HeaderNonce, "abc") }, http.StatusUnauthorized},
		{"nonce too long", good, func(r *http.Request, _ *[]byte) { r.Header.Set(signature.HeaderNonce, strings.Repeat("a", 65)) }, http.StatusUnauthorized},
		{"malformed signature", good, func(r *http.Request, _ *[]byte) { r.Header.Set(signature.HeaderSignature, "hmac-sha256") }, http.StatusUnauthorized},
		{"unknown algorithm", good, func(r *http.Request, _ *[]byte) { r.Header.Set(signature.HeaderSignature, "md5=AAAA") }, http.StatusUnauthorized},
		{"wrong algorithm for key", good, func(r *http.Request, _ *[]byte) {
			r.Header.Set(signature.HeaderSignature, "ed25519="+strings.Repeat("A", 86))
		}, http.StatusUnauthorized},
		{"duplicated signature header", good, func(r *http.Request, _ *[]byte) {
			r.Header.Add(signature.HeaderSignature, r.Header.Get(signature.HeaderSignature))
		}, http.StatusUnauthorized},
		{"missing nonce", good, func(r *http.Request, _ *[]byte) { r.Header.Del(signature.HeaderNonce) }, http.StatusUnauthorized},
		{"missing signature", good, func(r *http.Request, _ *[]byte) { r.Header.Del(signature.HeaderSignature) }, http.StatusUnauthorized},
		{"only a key header", good, func(r *http.Request, _ *[]byte) {
			for _, h := range []string{signature.HeaderTimestamp, signature.HeaderNonce, signature.HeaderSignature} {
				r.Header.Del(h)
			}
		}, http.StatusUnauthorized},
		{"timestamp with sign", good, func(r *http.Request, _ *[]byte) {
			r.Header.Set(signature.HeaderTimestamp, "+"+r.Header.Get(signature.HeaderTimestamp))
		}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, code := b.sendSigned(tc.signer, body, tc.tamper)
			require.Equal(t, tc.status, status)
			if tc.status == http.StatusUnauthorized {
				require.Equal(t, "UNAUTHENTICATED", code)
			}
		})
	}

	t.Run("reused nonce", func(t *testing.T) {
		s := good
		s.Nonce = func() string { return "fixed-nonce-0123456789" }
		status, _ := b.sendSigned(s, body, nil)
		require.Equal(t, http.StatusOK, status)
		status, code := b.sendSigned(s, body, nil)
		require.Equal(t, http.StatusUnauthorized, status)
		require.Equal(t, "UNAUTHENTICATED", code)
	})

	t.Run("unsigned", func(t *testing.T) {
		resp, err := http.Post(b.url+"/graphql", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})

	t.Run("revoked", func(t *testing.T) {
		s, id := b.newKey(app, "HMAC_SHA256")
		b.ok(`mutation($id: ID!) { revokeAPIKey(id: $id) { id } }`, map[string]any{"id": id})
		status, _ := b.sendSigned(s, body, nil)
		require.Equal(t, http.StatusUnauthorized, status)
	})

	t.Run("2 MiB body", func(t *testing.T) {
		big := `{"query":"{ viewer { app { id } } }","variables":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`
		status, code := b.sendSigned(good, big, nil)
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
		require.Equal(t, "INVALID_ARGUMENT", code)
	})
	_ = keyID
}

// Hostile documents from an authenticated key are refused before they run.
func TestHostileDocuments(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("hostile")
	s, _ := b.newKey(app, "HMAC_SHA256")
	c := b.client(s)
	ctx := context.Background()

	nested := "id"
	for range 12 {
		nested = "devices(first: 1) { edges { node { app { " + nested + " } } } }"
	}
	nested = `node(id: "x") { ... on App { ` + nested + ` } }`
	var aliases strings.Builder
	aliases.WriteString("mutation {")
	for i := range 1000 {
		fmt.Fprintf(&aliases, ` a%d: deleteTemplate(id: "tpl_%d")`, i, i)
	}
	aliases.WriteString(" }")
	directives := "{ viewer " + strings.Repeat("@skip(if: false) ", 100000) + "{ app { id } } }"

	for _, tc := range []struct {
		name, query, reason string
	}{
		{"nested 50 deep", "{ " + nested + " }", "DEPTH_LIMIT_EXCEEDED"},
		{"1,000 aliased mutations", aliases.String(), "COMPLEXITY_LIMIT_EXCEEDED"},
		{"100,000 directives", directives, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Raw(ctx, tc.query, nil)
			require.NoError(t, err)
			require.NotEmpty(t, r.Errors)
			require.Equal(t, "INVALID_ARGUMENT", r.Errors[0].Code(), "%+v", r.Errors[0])
			if tc.reason != "" {
				require.Equal(t, tc.reason, r.Errors[0].Extensions["reason"])
			}
		})
	}
	n, err := b.stores.Ent.Template.Query().Count(b.sys)
	require.NoError(t, err)
	require.Zero(t, n, "no aliased mutation ran")
}

// How a throttled login looks over GraphQL. The rules themselves (exact
// counts and waits, spraying, the email-wide bucket, other addresses not
// slowed) are tested in package auth on an injected clock. Here every
// request comes from 127.0.0.1 on the wall clock: the guesses are sent at
// once, the first 5 are checked, and a few more only if the burst took
// longer than the waits after them (1 s, 2 s, 4 s) on a loaded machine.
func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var (
		mu        sync.Mutex
		responses []gqlResponse
		wg        sync.WaitGroup
	)
	for i := range 30 {
		wg.Go(func() {
			body, _ := json.Marshal(map[string]any{
				"query":     `mutation($p: String!) { login(input: {email: "admin@test.local", password: $p}) { account { id } } }`,
				"variables": map[string]any{"p": "wrong-password-" + strconv.Itoa(i)},
			})
			r := b.postAs(http.DefaultClient, "", body)
			mu.Lock()
			responses = append(responses, r)
			mu.Unlock()
		})
	}
	wg.Wait()
	codes := map[string]int{}
	for _, r := range responses {
		codes[r.code()]++
		if r.code() != "RATE_LIMITED" {
			continue
		}
		secs, ok := r.Errors[0].Extensions["retryAfterSeconds"].(float64)
		require.True(t, ok, "%+v", r.Errors[0])
		require.GreaterOrEqual(t, secs, float64(1))
		unit := "seconds"
		if secs == 1 {
			unit = "second"
		}
		require.Equal(t, fmt.Sprintf("too many login attempts: try again in %d %s", int(secs), unit), r.Errors[0].Message)
	}
	require.Equal(t, 30, codes["UNAUTHENTICATED"]+codes["RATE_LIMITED"], "%v", codes)
	require.GreaterOrEqual(t, codes["UNAUTHENTICATED"], 5, "%v", codes)
	require.LessOrEqual(t, codes["UNAUTHENTICATED"], 8, "%v", codes)
}

func TestConsoleSession(t *testing.T) {
	t.Parallel()
	b := setup(t)

	// Wrong password and unknown account answer alike.
	for _, email := range []string{"admin@test.local", "nobody@test.local"} {
		body, _ := json.Marshal(map[string]any{"query": fmt.Sprintf(`mutation { login(input: {email: %q, password: "not-the-password"}) { account { id } } }`, email)})
		r := b.postAs(http.DefaultClient, "", body)
		require.Equal(t, "UNAUTHENTICATED", r.code())
		require.Equal(t, "invalid email or password", r.Errors[0].Message)
	}

	// The cookie is HttpOnly and SameSite=Strict; the CSRF cookie is
	// readable by scripts.
	body, _ := json.Marshal(map[string]any{"query": `mutation { login(input: {email: "admin@test.local", password: "admin-password-1"}) { account { email } } }`})
	resp, err := http.Post(b.url+"/graphql", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	var session, csrf *http.Cookie
	for _, c := range resp.Cookies() {
		switch c.Name {
		case "pushd_session":
			session = c
		case "pushd_csrf":
			csrf = c
		}
	}
	require.NotNil(t, session)
	require.True(t, session.HttpOnly)
	require.Equal(t, http.SameSiteStrictMode, session.SameSite)
	require.Positive(t, session.MaxAge)
	require.False(t, session.Secure, "plain HTTP in tests; Secure behind TLS")
	require.NotNil(t, csrf)
	require.False(t, csrf.HttpOnly)

	// A cookie-authenticated mutation without the CSRF header is refused.
	create := []byte(`{"query":"mutation { createApp(input: {name: \"csrf\"}) { id } }"}`)
	r := b.postAs(b.admin, "", create)
	require.Equal(t, http.StatusForbidden, r.Status)
	require.Equal(t, "FORBIDDEN", r.code())
	r = b.postAs(b.admin, "wrong", create)
	require.Equal(t, "FORBIDDEN", r.code())
	r = b.postAs(b.admin, b.csrf, create)
	require.Empty(t, r.Errors)

	// The console's first flow: log in, create an app and an HMAC key.
	d := b.ok(`{ viewer { account { email admin } } }`, nil)
	require.Equal(t, "admin@test.local", path(d, "viewer", "account", "email"))

	// Logout ends the session for good.
	b.ok(`mutation { logout }`, nil)
	r = b.do(`{ viewer { account { email } } }`, nil)
	require.Equal(t, http.StatusUnauthorized, r.Status)
}

func TestRolesAreEnforced(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("roles")
	viewerID := path(b.ok(`mutation { createAccount(input: {email: "viewer@test.local", password: "viewer-password"}) { id } }`, nil), "createAccount", "id")
	devID := path(b.ok(`mutation { createAccount(input: {email: "dev@test.local", password: "developer-password"}) { id } }`, nil), "createAccount", "id")
	b.ok(`mutation($a: ID!, $app: ID!) { setMembership(input: {accountID: $a, appID: $app, role: VIEWER}) { role } }`, map[string]any{"a": viewerID, "app": app})
	b.ok(`mutation($a: ID!, $app: ID!) { setMembership(input: {accountID: $a, appID: $app, role: DEVELOPER}) { role } }`, map[string]any{"a": devID, "app": app})

	as := func(email, pw string) func(q string, vars map[string]any) gqlResponse {
		c, csrf := b.login(email, pw)
		return func(q string, vars map[string]any) gqlResponse {
			body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
			return b.postAs(c, csrf, body)
		}
	}
	viewer := as("viewer@test.local", "viewer-password")
	dev := as("dev@test.local", "developer-password")
	tpl := `mutation($app: ID!, $n: String!) { createTemplate(input: {appID: $app, name: $n, body: "x"}) { id } }`

	r := viewer(`query($app: ID!) { node(id: $app) { ... on App { name } } }`, map[string]any{"app": app})
	require.Empty(t, r.Errors, "a viewer reads")
	require.Equal(t, "FORBIDDEN", viewer(tpl, map[string]any{"app": app, "n": "v"}).code(), "a viewer does not write")
	require.Empty(t, dev(tpl, map[string]any{"app": app, "n": "d"}).Errors, "a developer writes content")
	require.Equal(t, "FORBIDDEN", dev(`mutation($app: ID!) { createAPIKey(input: {appID: $app, name: "k", algorithm: HMAC_SHA256}) { secret } }`, map[string]any{"app": app}).code(), "only owners make keys")
	require.Equal(t, "FORBIDDEN", dev(`mutation($app: ID!) { deleteApp(id: $app) }`, map[string]any{"app": app}).code())
	require.Equal(t, "FORBIDDEN", dev(`mutation { createApp(input: {name: "mine"}) { id } }`, nil).code(), "only admins create apps")
	require.Equal(t, "FORBIDDEN", dev(`mutation { createAccount(input: {email: "x@test.local", password: "0123456789"}) { id } }`, nil).code())
}

func TestMembersAndAccounts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("team")
	for _, email := range []string{"owner@test.local", "dev@test.local", "viewer@test.local"} {
		b.ok(`mutation($e: String!) { createAccount(input: {email: $e, password: "a-long-password"}) { id } }`, map[string]any{"e": email})
	}
	set := `mutation($e: String!, $app: ID!, $r: Role!) { setMembership(input: {email: $e, appID: $app, role: $r}) { id role } }`
	b.ok(set, map[string]any{"e": "Owner@Test.local ", "app": app, "r": "OWNER"}) // by email, normalised
	b.ok(set, map[string]any{"e": "viewer@test.local", "app": app, "r": "VIEWER"})
	b.ok(set, map[string]any{"e": "dev@test.local", "app": app, "r": "DEVELOPER"})
	r := b.do(set, map[string]any{"e": "nobody@test.local", "app": app, "r": "VIEWER"})
	require.Equal(t, "NOT_FOUND", r.code())
	r = b.do(`mutation($app: ID!) { setMembership(input: {appID: $app, role: VIEWER}) { id } }`, map[string]any{"app": app})
	require.Equal(t, "INVALID_ARGUMENT", r.code(), "an ID or an email")

	as := func(email string) func(q string, vars map[string]any) gqlResponse {
		c, csrf := b.login(email, "a-long-password")
		return func(q string, vars map[string]any) gqlResponse {
			body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
			return b.postAs(c, csrf, body)
		}
	}
	owner, dev := as("owner@test.local"), as("dev@test.local")
	members := `query($app: ID!) { node(id: $app) { ... on App { members { id email role } } } }`
	res := owner(members, map[string]any{"app": app})
	require.Empty(t, res.Errors)
	list := path(res.Data, "node", "members").([]any)
	require.Len(t, list, 3)
	var emails []string
	for _, m := range list {
		emails = append(emails, path(m, "email").(string))
	}
	require.Equal(t, []string{"owner@test.local", "dev@test.local", "viewer@test.local"}, emails, "owners first")
	require.Equal(t, "FORBIDDEN", dev(members, map[string]any{"app": app}).code(), "members are for owners")

	// The last owner cannot leave or step down; with a second owner, it can.
	ownerMembership := path(list[0], "id")
	require.Equal(t, "CONFLICT", owner(set, map[string]any{"e": "owner@test.local", "app": app, "r": "DEVELOPER"}).code())
	require.Equal(t, "CONFLICT", owner(`mutation($id: ID!) { deleteMembership(id: $id) }`, map[string]any{"id": ownerMembership}).code())
	require.Empty(t, owner(set, map[string]any{"e": "dev@test.local", "app": app, "r": "OWNER"}).Errors)
	require.Empty(t, owner(`mutation($id: ID!) { deleteMembership(id: $id) }`, map[string]any{"id": ownerMembership}).Errors)

	// Accounts: an admin lists them all, anyone else sees only itself.
	d := b.ok(`{ accounts(first: 10) { totalCount } }`, nil)
	require.EqualValues(t, 4, path(d, "accounts", "totalCount"), "the admin and three")
	res = dev(`{ accounts(first: 10) { totalCount edges { node { email } } } }`, nil)
	require.Empty(t, res.Errors)
	require.EqualValues(t, 1, path(res.Data, "accounts", "totalCount"))
	require.Equal(t, "dev@test.local", path(res.Data, "accounts", "edges").([]any)[0].(map[string]any)["node"].(map[string]any)["email"])
}

// A signed request that cannot be checked because the nonce store is down
// is told to retry (503), not that its credentials are wrong.
func TestSignedRequestWhileRedisIsDown(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s, _ := b.newKey(b.createApp("outage"), "HMAC_SHA256")
	status, code := b.sendSigned(s, `{"query": "{ viewer { app { id } } }"}`, nil)
	require.Equal(t, http.StatusOK, status)
	require.Empty(t, code)
	require.NoError(t, b.stores.Redis.Close())
	status, code = b.sendSigned(s, `{"query": "{ viewer { app { id } } }"}`, nil)
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "INTERNAL", code)
}
