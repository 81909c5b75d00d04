package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/store"
	"github.com/pushd/pushd/tenant"
)

// Broadcast is what SeedBroadcast wrote: a job's PENDING deliveries, the
// i-th to the i-th device, all with the job's one expiry.
type Broadcast struct {
	App, Job   string
	Devices    []string
	Deliveries []string
	ExpiresAt  time.Time
}

// Statistics is what the planner knows of the table when a statement on
// a broadcast's deliveries runs.
type Statistics int

const (
	// NoStatistics: the table was never analyzed (autovacuum off, or not
	// yet come round), and the planner guesses.
	NoStatistics Statistics = iota
	// StatisticsFromBefore: analyzed before the broadcast, as autovacuum
	// leaves it right after one: its expiry, its PENDING rows and its IDs
	// are unknown to them.
	StatisticsFromBefore
)

// SeedBroadcast writes a job's n PENDING deliveries, to n devices of
// their own, over an earlier job's n delivered ones (PostgreSQL only, in
// a few statements), with stats in between: enough rows of one expiry
// for a statement's plan to show whether it reads the job or its rows.
func SeedBroadcast(t testing.TB, st *store.Stores, n int, stats Statistics) Broadcast {
	t.Helper()
	ctx := tenant.AsSystem(context.Background())
	app, err := st.Ent.App.Create().SetInput(ent.CreateAppInput{Name: "seeded"}).SetAppKey("ak_" + randomHex(8)).Save(ctx)
	require.NoError(t, err)
	earlier := seedJob(t, st, string(app.ID), n, "ARRIVED", time.Now().Add(30*time.Minute))
	if stats == StatisticsFromBefore {
		_, err = st.DB.ExecContext(ctx, `ANALYZE deliveries, devices`)
		require.NoError(t, err)
	}
	b := seedJob(t, st, string(app.ID), n, "PENDING", time.Now().Add(time.Hour))
	require.NotEqual(t, earlier.Job, b.Job)
	return b
}

func seedJob(t testing.TB, st *store.Stores, app string, n int, status string, expires time.Time) Broadcast {
	ctx := tenant.AsSystem(context.Background())
	job, err := st.Ent.PushJob.Create().SetAppID(nodeid.ID(app)).SetKind(enum.PushKindBroadcast).
		SetMessage(jsontype.Message{Title: "t"}).SetOptions(jsontype.Options{}).SetTTLSeconds(3600).Save(ctx)
	require.NoError(t, err)
	b := Broadcast{App: app, Job: string(job.ID), ExpiresAt: expires.UTC().Truncate(time.Microsecond)}
	tag := randomHex(4)
	for i := range n {
		b.Devices = append(b.Devices, fmt.Sprintf("dev_seed%s%06d", tag, i))
		b.Deliveries = append(b.Deliveries, fmt.Sprintf("dlv_seed%s%06d", tag, i))
	}
	_, err = st.DB.ExecContext(ctx, `INSERT INTO devices (id, created_at, updated_at, installation_id, platform, app_id)
SELECT d, now(), now(), d, 'ANDROID', $2 FROM unnest($1::text[]) AS d`, "{"+strings.Join(b.Devices, ",")+"}", app)
	require.NoError(t, err)
	_, err = st.DB.ExecContext(ctx, `INSERT INTO deliveries (id, created_at, updated_at, status, expires_at, app_id, device_id, job_id)
SELECT k.id, now(), now(), $6, $3, $4, k.dev, $5 FROM unnest($1::text[], $2::text[]) AS k(id, dev)`,
		"{"+strings.Join(b.Deliveries, ",")+"}", "{"+strings.Join(b.Devices, ",")+"}", b.ExpiresAt, app, job.ID, status)
	require.NoError(t, err)
	return b
}

// DeliveryRowsRead runs query under EXPLAIN ANALYZE, in a transaction it
// rolls back, and returns how many rows its scans of the deliveries'
// partitions read: those they returned and those they filtered out, over
// every loop. A statement that probes its rows by key reads about as many
// as it names; one that reads a job by its expiry reads the whole job.
// With PUSHD_TEST_PLAN set, the test logs the plan.
func DeliveryRowsRead(t testing.TB, st *store.Stores, query string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	tx, err := st.DB.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback() }()
	var raw []byte
	require.NoError(t, tx.QueryRowContext(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+query, args...).Scan(&raw))
	var plans []struct {
		Plan planNode `json:"Plan"`
	}
	require.NoError(t, json.Unmarshal(raw, &plans))
	require.Len(t, plans, 1)
	if os.Getenv("PUSHD_TEST_PLAN") != "" {
		t.Logf("%s", raw)
	}
	return plans[0].Plan.deliveryRowsRead()
}

type planNode struct {
	NodeType      string     `json:"Node Type"`
	Relation      string     `json:"Relation Name"`
	Rows          float64    `json:"Actual Rows"`
	Loops         float64    `json:"Actual Loops"`
	FilterRemoved float64    `json:"Rows Removed by Filter"`
	JoinRemoved   float64    `json:"Rows Removed by Join Filter"`
	RecheckRemove float64    `json:"Rows Removed by Index Recheck"`
	Plans         []planNode `json:"Plans"`
}

func (n planNode) deliveryRowsRead() int {
	read := 0
	// A bitmap heap scan names the relation; its bitmap index scans do
	// not, so rows are counted once.
	// (The statement's own ModifyTable node names it too, with the rows it
	// wrote, which are not reads.)
	if strings.HasPrefix(n.Relation, "deliveries") && n.NodeType != "ModifyTable" {
		read += int((n.Rows + n.FilterRemoved + n.RecheckRemove) * n.Loops)
	}
	// A join that compares rows it then drops visits them again.
	read += int(n.JoinRemoved * n.Loops)
	for _, c := range n.Plans {
		read += c.deliveryRowsRead()
	}
	return read
}

// EachStatistics runs run as a parallel subtest in each Statistics.
func EachStatistics(t *testing.T, run func(t *testing.T, stats Statistics)) {
	for name, stats := range map[string]Statistics{"no statistics": NoStatistics, "statistics from before": StatisticsFromBefore} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run(t, stats)
		})
	}
}
