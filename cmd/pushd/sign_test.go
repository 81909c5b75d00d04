package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSignRequestBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		data  string
		query string
		vars  []string
		want  string
		err   string
	}{
		{name: "data as given", data: `{"query":"{ viewer { app { id } } }"}`, want: `{"query":"{ viewer { app { id } } }"}`},
		{name: "nothing", want: ``},
		{name: "query with string and JSON variables", query: `query($id: ID!, $n: Int) { x }`,
			vars: []string{"id=job_1", "n:=5", `tags:=["a","b"]`, "eq=a=b"},
			want: `{"query":"query($id: ID!, $n: Int) { x }","variables":{"eq":"a=b","id":"job_1","n":5,"tags":["a","b"]}}`},
		{name: "query without variables", query: `{ viewer { app { id } } }`, want: `{"query":"{ viewer { app { id } } }","variables":{}}`},
		{name: "both", data: "{}", query: "{ x }", err: "give -data or -query, not both"},
		{name: "var without query", vars: []string{"a=1"}, err: "-var needs -query"},
		{name: "var without value", query: "{ x }", vars: []string{"a"}, err: `want NAME=VALUE or NAME:=JSON`},
		{name: "var with bad JSON", query: "{ x }", vars: []string{"n:=five"}, err: `-var n: "five" is not JSON`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]json.RawMessage{}
			var err error
			for _, v := range tc.vars {
				if err = addVar(vars, v); err != nil {
					break
				}
			}
			var body []byte
			if err == nil {
				body, err = requestBody(tc.data, tc.query, vars)
			}
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, string(body))
		})
	}
}
