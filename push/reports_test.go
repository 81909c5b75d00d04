package push

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/store"
)

// A batch of reports ends where the same reports one by one, in order,
// end: the same statuses and the same times, whatever mix of devices,
// messages (their own and others'), event types and repeats it holds.
// RecordDeviceEventsFor is the evaluator; each case runs the same random
// reports against two fresh jobs, one per path.
func TestReportsInABatchEndAsOneByOne(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) *store.Stores{"postgres": testenv.Stores, "sqlite": testenv.EmbeddedStores} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			seed := uint64(time.Now().UnixNano())
			t.Logf("seed %d", seed)
			rng := rand.New(rand.NewPCG(seed, 0))
			st := open(t)
			for range 25 {
				reportsEndAsOneByOne(t, st, randomReports(rng))
			}
		})
	}
}

// plannedReport is a report by the reporter-th device about the
// target-th device's delivery, dated offset after that delivery was made.
type plannedReport struct {
	reporter, target int
	typ              DeviceEventType
	offset           time.Duration
	withExpiry       bool
}

func randomReports(rng *rand.Rand) []plannedReport {
	types := []DeviceEventType{EventArrived, EventOpened, EventIgnored}
	out := make([]plannedReport, 1+rng.IntN(12))
	for i := range out {
		reporter := rng.IntN(3)
		target := reporter
		if rng.IntN(5) == 0 {
			target = rng.IntN(3) // now and then another device's message
		}
		out[i] = plannedReport{reporter: reporter, target: target, typ: types[rng.IntN(3)],
			offset: time.Duration(1+rng.IntN(20)) * time.Microsecond, withExpiry: rng.IntN(4) != 0}
	}
	return out
}

type reportedState struct {
	status          delivery.Status
	arrived, opened time.Duration // after the delivery was made; -1 if unset
}

func reportsEndAsOneByOne(t *testing.T, st *store.Stores, plan []plannedReport) {
	one, batch := newReportFixture(t, st), newReportFixture(t, st)
	changedOne := 0
	for _, r := range one.reports(plan) {
		n, err := one.v.s.RecordDeviceEventsFor(one.v.ctx, r.DeviceID, []DeviceEvent{r.DeviceEvent})
		require.NoError(t, err)
		changedOne += n
	}
	changed, err := batch.v.s.RecordDeviceReports(batch.v.ctx, batch.reports(plan))
	require.NoError(t, err)
	require.Equal(t, changedOne, changed, "%+v", plan)
	require.Equal(t, one.state(t), batch.state(t), "%+v", plan)
}

type reportFixture struct {
	v    vendorSetup
	devs []nodeid.ID
	dls  []*deliveryRow
}

type deliveryRow struct {
	id      nodeid.ID
	created time.Time
	expires time.Time
}

func newReportFixture(t *testing.T, st *store.Stores) reportFixture {
	v, job, devs := statsSetupOn(t, st)
	f := reportFixture{v: v, devs: devs}
	for _, d := range devs {
		dl, err := v.s.client.Delivery.Query().Where(delivery.JobID(job), delivery.DeviceID(d)).Only(v.ctx)
		require.NoError(t, err)
		f.dls = append(f.dls, &deliveryRow{id: dl.ID, created: dl.CreatedAt, expires: dl.ExpiresAt})
	}
	return f
}

func (f reportFixture) reports(plan []plannedReport) []DeviceReport {
	out := make([]DeviceReport, len(plan))
	for i, p := range plan {
		dl := f.dls[p.target]
		ev := DeviceEvent{MessageID: dl.id, Type: p.typ, At: dl.created.Add(p.offset)}
		if p.withExpiry {
			ev.ExpiresAt = dl.expires
		}
		out[i] = DeviceReport{DeviceID: f.devs[p.reporter], DeviceEvent: ev}
	}
	return out
}

func (f reportFixture) state(t *testing.T) []reportedState {
	var out []reportedState
	since := func(at *time.Time, created time.Time) time.Duration {
		if at == nil {
			return -1
		}
		return at.Sub(created).Round(time.Microsecond)
	}
	for _, row := range f.dls {
		dl, err := f.v.s.client.Delivery.Get(f.v.ctx, row.id)
		require.NoError(t, err)
		out = append(out, reportedState{status: dl.Status, arrived: since(dl.ArrivedAt, dl.CreatedAt), opened: since(dl.OpenedAt, dl.CreatedAt)})
	}
	return out
}

func TestReportBatchesAreChecked(t *testing.T) {
	t.Parallel()
	v, _, devs := statsSetup(t)
	for name, tc := range map[string]struct {
		reports []DeviceReport
		field   string
	}{
		"too many":      {make([]DeviceReport, MaxReportsPerBatch+1), "reports"},
		"unknown type":  {[]DeviceReport{{DeviceID: devs[0], DeviceEvent: DeviceEvent{MessageID: "dlv_x", Type: "read"}}}, "reports"},
		"no message ID": {[]DeviceReport{{DeviceID: devs[0], DeviceEvent: DeviceEvent{Type: EventArrived}}}, "reports"},
		"no device":     {[]DeviceReport{{DeviceEvent: DeviceEvent{MessageID: "dlv_x", Type: EventArrived}}}, "reports"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			n, err := v.s.RecordDeviceReports(v.ctx, tc.reports)
			require.Zero(t, n)
			e, coded := core.AsError(err)
			require.True(t, coded, "%v", err)
			require.Equal(t, core.CodeInvalidArgument, e.Code)
		})
	}
}
