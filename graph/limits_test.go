package graph_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/graph"
)

// Bad requests get a clear, coded error, before any work is done.
func TestBadRequestsAreCoded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	deep := "{ apps(first: 500) { edges { node { devices(first: 500) { edges { node { id } } } } } } }"
	for _, tc := range []struct {
		name    string
		body    string
		status  int
		code    string
		reason  string
		message string
	}{
		{"syntax error", `{"query":"{ apps { "}`, http.StatusUnprocessableEntity, "INVALID_ARGUMENT", "GRAPHQL_PARSE_FAILED", "Expected Name"},
		{"unknown field", `{"query":"{ apps { nope } }"}`, http.StatusUnprocessableEntity, "INVALID_ARGUMENT", "GRAPHQL_VALIDATION_FAILED", `Cannot query field "nope"`},
		{"introspection is off by default", `{"query":"{ __schema { types { name } } }"}`, http.StatusOK, "FORBIDDEN", "", "introspection is disabled"},
		{"__type too", `{"query":"{ __type(name: \"App\") { name } }"}`, http.StatusOK, "FORBIDDEN", "", "introspection is disabled"},
		{"complexity", `{"query":"` + deep + `"}`, http.StatusOK, "INVALID_ARGUMENT", "COMPLEXITY_LIMIT_EXCEEDED", "exceeds the limit of 2000"},
		{"page too large", `{"query":"{ apps(first: 501) { totalCount } }"}`, http.StatusOK, "INVALID_ARGUMENT", "", "between 0 and 500"},
		{"not JSON", `nope`, http.StatusBadRequest, "INVALID_ARGUMENT", "", "could not be decoded"},
		{"bad enum", `{"query":"{ devices(where: {platform: SYMBIAN}) { totalCount } }"}`, http.StatusUnprocessableEntity, "INVALID_ARGUMENT", "GRAPHQL_VALIDATION_FAILED", "SYMBIAN"},
		{"bad variable", `{"query":"query($n: Int) { apps(first: $n) { totalCount } }","variables":{"n":"x"}}`, http.StatusUnprocessableEntity, "INVALID_ARGUMENT", "GRAPHQL_VALIDATION_FAILED", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.post([]byte(tc.body))
			require.Equal(t, tc.status, r.Status)
			require.NotEmpty(t, r.Errors)
			require.Equal(t, tc.code, r.code(), "%+v", r.Errors)
			if tc.reason != "" {
				require.Equal(t, tc.reason, r.Errors[0].Extensions["reason"])
			}
			require.Contains(t, r.Errors[0].Message, tc.message)
		})
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	big := `{"query":"{ apps { totalCount } }","variables":{"pad":"` + strings.Repeat("a", 2<<20) + `"}}`
	r := b.post([]byte(big))
	require.Equal(t, http.StatusRequestEntityTooLarge, r.Status)
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Contains(t, r.Errors[0].Message, "exceeds 1048576 bytes")

	// Without Content-Length (chunked), the limit holds too.
	req, err := http.NewRequest(http.MethodPost, b.url+"/graphql", struct{ *bytes.Reader }{bytes.NewReader([]byte(big))})
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	// Just under the limit is fine.
	ok := `{"query":"{ apps { totalCount } }","variables":{"pad":"` + strings.Repeat("a", graph.MaxBodyBytes-100) + `"}}`
	r = b.post([]byte(ok))
	require.Equal(t, http.StatusOK, r.Status, "%+v", r.Errors)
}

func TestTokenLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *config.Config) { c.GraphQLTokenLimit = 100 })
	q := "{ " + strings.Repeat("apps { totalCount } ", 30) + "}"
	r := b.do(q, nil)
	require.Equal(t, "INVALID_ARGUMENT", r.code())
	require.Contains(t, r.Errors[0].Message, "token limit")
}

func TestIntrospectionWhenEnabled(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *config.Config) { c.GraphQLIntrospection = true })
	d := b.ok(`{ __type(name: "App") { name } }`, nil)
	require.Equal(t, "App", path(d, "__type", "name"))
}

func TestOnlyNeededTransports(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Multipart uploads are not a transport pushd offers.
	req, err := http.NewRequest(http.MethodPost, b.url+"/graphql", strings.NewReader("--x--"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set(auth.CSRFHeader, b.csrf)
	resp, err := b.admin.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)

	// GET works for queries but never runs a mutation.
	resp, err = b.admin.Get(b.url + `/graphql?query=mutation{createApp(input:{name:"x"}){id}}`)
	require.NoError(t, err)
	resp.Body.Close()
	require.NotEqual(t, http.StatusOK, resp.StatusCode)
	n, err := b.stores.Ent.App.Query().Count(b.sys)
	require.NoError(t, err)
	require.Zero(t, n)
}
