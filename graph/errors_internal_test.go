package graph

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestForeignKeyField(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ msg, field string }{
		{`pq: insert or update on table "memberships" violates foreign key constraint "memberships_accounts_memberships"`, "accountID"},
		{`pq: insert or update on table "templates" violates foreign key constraint "templates_apps_templates"`, "appID"},
		{`pq: insert or update on table "group_members" violates foreign key constraint "group_members_app_user_id"`, "memberIDs"},
		{`pq: insert or update on table "device_tokens" violates foreign key constraint "device_tokens_devices_tokens"`, "deviceID"},
		{`pq: insert or update on table "x" violates foreign key constraint "x_unknown_y"`, ""},
		{`FOREIGN KEY constraint failed`, ""}, // SQLite names no constraint
	} {
		require.Equal(t, tc.field, foreignKeyField(errors.New(tc.msg)), tc.msg)
	}
}
