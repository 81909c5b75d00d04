package graph_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// A reference to nothing names the input field it came from.
func TestMissingReferenceNamesTheField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.do(`mutation($app: ID!) { createTemplate(input: {appID: $app, name: "t", body: "b"}) { id } }`,
		map[string]any{"app": string(nodeid.New("app"))})
	require.Equal(t, "INVALID_ARGUMENT", r.code(), "%+v", r.Errors)
	require.Equal(t, "appID", r.Errors[0].Extensions["field"])
	require.Equal(t, "appID: refers to something that does not exist", r.Errors[0].Message)
}
