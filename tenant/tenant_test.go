package tenant

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

func TestPrincipalRules(t *testing.T) {
	t.Parallel()
	a, b := nodeid.ID("app_a"), nodeid.ID("app_b")
	for _, tc := range []struct {
		name          string
		p             Principal
		readA, writeA bool
		readB, writeB bool
		adminA        bool
	}{
		{"zero value may do nothing", Principal{}, false, false, false, false, false},
		{"system does everything", System(), true, true, true, true, true},
		{"admin account", Principal{Kind: KindAccount, Admin: true}, true, true, true, true, true},
		{"api key of A develops A", Principal{Kind: KindAPIKey, AppID: a}, true, true, false, false, false},
		{"device of B", Principal{Kind: KindDevice, AppID: b}, false, false, true, true, false},
		{"owner of A, viewer of B", Principal{Kind: KindAccount, Roles: map[nodeid.ID]enum.Role{a: enum.RoleOwner, b: enum.RoleViewer}}, true, true, true, false, true},
		{"developer of B", Principal{Kind: KindAccount, Roles: map[nodeid.ID]enum.Role{b: enum.RoleDeveloper}}, false, false, true, true, false},
		{"developer of A", Principal{Kind: KindAccount, Roles: map[nodeid.ID]enum.Role{a: enum.RoleDeveloper}}, true, true, false, false, false},
		{"key without app", Principal{Kind: KindAPIKey}, false, false, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.readA, tc.p.CanRead(a), "read A")
			require.Equal(t, tc.writeA, tc.p.CanWrite(a), "write A")
			require.Equal(t, tc.readB, tc.p.CanRead(b), "read B")
			require.Equal(t, tc.writeB, tc.p.CanWrite(b), "write B")
			require.Equal(t, tc.adminA, tc.p.CanAdminister(a), "administer A")
			if !tc.p.AllApps() {
				require.False(t, tc.p.CanRead(""), "a scoped principal never reads the empty app")
			}
		})
	}
}

func TestContext(t *testing.T) {
	t.Parallel()
	_, ok := FromContext(context.Background())
	require.False(t, ok)
	_, ok = FromContext(NewContext(context.Background(), Principal{}))
	require.False(t, ok, "a zero principal counts as none")
	p, ok := FromContext(NewContext(context.Background(), System()))
	require.True(t, ok)
	require.Equal(t, KindSystem, p.Kind)
}
