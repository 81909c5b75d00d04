package graph_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/graph/generated"
	"github.com/pushd/pushd/provider"
	"github.com/pushd/pushd/push/core"
)

// TestCredentialsInputFollowsTheRegistry: setChannelConfig's input has one
// member per registered vendor, named by its key, whose fields are the
// fields the vendor describes (the console builds its form from those),
// and no member the registry lacks. The input types stay hand-written in
// the schema, with their docs, because they are the clients' typed
// contract; this test keeps them and the registry one list.
func TestCredentialsInputFollowsTheRegistry(t *testing.T) {
	t.Parallel()
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	in := schema.Types["SetChannelConfigInput"]
	require.NotNil(t, in)
	members := map[string]string{}
	for _, f := range in.Fields {
		if !slices.Contains([]string{"appID", "maxPerSecond", "marketingPerDevice"}, f.Name) {
			members[f.Name] = f.Type.Name()
		}
	}
	for _, v := range provider.Vendors() {
		key := core.ChannelKey(v.Channel())
		typ, ok := members[key]
		require.True(t, ok, "SetChannelConfigInput has no member %q", key)
		delete(members, key)
		var want, got []string
		for _, f := range v.Describe().Fields {
			want = append(want, f.Name)
		}
		for _, f := range schema.Types[typ].Fields {
			got = append(got, f.Name)
		}
		require.Equal(t, want, got, "%s's fields, in order", typ)
	}
	require.Empty(t, members, "members without a vendor")
}
