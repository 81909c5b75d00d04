package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/tenant"
)

// The WebSocket claim bumps a device's last_seq once per message: on a
// page of devices written full, that update would move the row to
// another page and add an entry to each of the table's indexes. The room
// the fill factor leaves keeps it a HOT update, beside the old row.
func TestDeviceSeqUpdatesAreHOT(t *testing.T) {
	t.Parallel()
	s := testenv.Stores(t)
	ctx := tenant.NewContext(context.Background(), tenant.System())
	app, err := s.Ent.App.Create().SetName("ff").SetAppKey("k-" + t.Name()).Save(ctx)
	require.NoError(t, err)
	bulk := make([]*ent.DeviceCreate, 200)
	for i := range bulk {
		bulk[i] = s.Ent.Device.Create().SetAppID(app.ID).SetPlatform(enum.PlatformAndroid).SetInstallationID(fmt.Sprintf("install-%03d", i))
	}
	require.NoError(t, s.Ent.Device.CreateBulk(bulk...).Exec(ctx))

	tx, err := s.DB.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback() //nolint:errcheck // the test reads its own transaction's counters
	var first string
	require.NoError(t, tx.QueryRowContext(ctx, `SELECT id FROM devices ORDER BY ctid LIMIT 1`).Scan(&first))
	const updates = 5
	for range updates {
		_, err := tx.ExecContext(ctx, `UPDATE devices SET last_seq = last_seq + 1 WHERE id = $1`, first)
		require.NoError(t, err)
	}
	var hot int
	require.NoError(t, tx.QueryRowContext(ctx, `SELECT pg_stat_get_xact_tuples_hot_updated('devices'::regclass)`).Scan(&hot))
	require.Equal(t, updates, hot, "every update of the first page's device stays on its page")
}
