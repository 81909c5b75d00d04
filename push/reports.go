package push

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/push/pushdb"
	"github.com/pushd/pushd/tenant"
)

// DeviceReport is one authenticated device's report about one of its
// messages: what a gateway gathers from many connections to record at
// once.
type DeviceReport struct {
	DeviceID nodeid.ID
	DeviceEvent
}

// MaxReportsPerBatch bounds one RecordDeviceReports call.
const MaxReportsPerBatch = 1000

// RecordDeviceReports applies the reports of many devices and returns how
// many changed something, ending where the reports one by one, in order,
// would: as with RecordDeviceEvents, a report about another device's
// message, or one that would move a delivery backwards, changes nothing.
// On PostgreSQL the reports of one event type are one statement, and
// commit together: a broadcast's acks come from every device within a
// second, and one commit each would be a WAL flush each. The statements
// only move statuses forward, so a batch that fails halfway is safe to
// apply again.
func (s *Service) RecordDeviceReports(ctx context.Context, reports []DeviceReport) (int, error) {
	if len(reports) > MaxReportsPerBatch {
		return 0, core.Invalid("reports", "at most %d per call, got %d", MaxReportsPerBatch, len(reports))
	}
	for i, r := range reports {
		if _, _, ok := transitions(r.Type); !ok {
			return 0, core.Invalid("reports", "report %d: type must be arrived, opened or ignored, got %q", i, r.Type)
		}
		if r.MessageID == "" || r.DeviceID == "" {
			return 0, core.Invalid("reports", "report %d: deviceID and messageID are required", i)
		}
	}
	changed := 0
	var jobs []nodeid.ID
	defer func() { s.mark(tenant.AsSystem(ctx), core.Unique(jobs)...) }()
	for _, round := range reportRounds(reports) {
		n, moved, err := s.applyRound(ctx, round)
		changed += n
		jobs = append(jobs, moved...)
		if err != nil {
			return changed, err
		}
	}
	return changed, nil
}

// reportRounds splits reports into rounds in which no message is named
// twice, keeping their order: a message's second report goes in the
// round after its first's. Within a round the statements' order cannot
// matter, so the batch ends where its reports one by one would.
func reportRounds(reports []DeviceReport) [][]DeviceReport {
	var rounds [][]DeviceReport
	seen := make(map[nodeid.ID]int, len(reports))
	for _, r := range reports {
		k := seen[r.MessageID]
		seen[r.MessageID] = k + 1
		if k == len(rounds) {
			rounds = append(rounds, nil)
		}
		rounds[k] = append(rounds[k], r)
	}
	return rounds
}

// applyRound applies reports naming distinct messages: on PostgreSQL one
// statement per event type, else (and for job IDs, which vendors
// report) one by one. It returns how many changed something and the job
// of each.
func (s *Service) applyRound(ctx context.Context, round []DeviceReport) (int, []nodeid.ID, error) {
	byType := map[DeviceEventType][]DeviceReport{}
	var jobs []nodeid.ID
	for _, r := range round {
		if s.dialect == dialect.Postgres && r.MessageID.Prefix() != jobIDPrefix {
			byType[r.Type] = append(byType[r.Type], r)
			continue
		}
		job, ok, err := s.applyEvent(ctx, r.DeviceID, r.DeviceEvent)
		if err != nil {
			return len(jobs), jobs, err
		}
		if ok {
			jobs = append(jobs, job)
		}
	}
	for _, t := range []DeviceEventType{EventArrived, EventOpened, EventIgnored} {
		if len(byType[t]) == 0 {
			continue
		}
		moved, err := s.applyReports(ctx, t, byType[t])
		jobs = append(jobs, moved...)
		if err != nil {
			return len(jobs), jobs, err
		}
	}
	return len(jobs), jobs, nil
}

// applyReports moves the deliveries the reports of type t name forward,
// in one statement, and returns the job of each it moved.
func (s *Service) applyReports(ctx context.Context, t DeviceEventType, reports []DeviceReport) ([]nodeid.ID, error) {
	query, args := reportsStatement(t, reports, s.now())
	rows, err := s.client.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("record reports: %w", err)
	}
	defer rows.Close()
	var jobs []nodeid.ID
	for rows.Next() {
		var job string
		if err := rows.Scan(&job); err != nil {
			return nil, err
		}
		jobs = append(jobs, nodeid.ID(job))
	}
	return jobs, rows.Err()
}

// reportsStatement is applyReports' statement and its arguments.
func reportsStatement(t DeviceEventType, reports []DeviceReport, now time.Time) (string, []any) {
	from, to, _ := transitions(t)
	ids := make(pushdb.TextArray, len(reports))
	devices := make(pushdb.TextArray, len(reports))
	ats := make(pushdb.TextArray, len(reports))
	expiries := make([]time.Time, len(reports))
	for i, r := range reports {
		at := r.At
		if at.IsZero() || at.After(now) {
			at = now
		}
		ids[i], devices[i], ats[i] = string(r.MessageID), string(r.DeviceID), at.UTC().Format(time.RFC3339Nano)
		expiries[i] = r.ExpiresAt
	}
	// Each report bounds its own row's expiry (unbounded when unknown), so
	// that the planner probes the primary key row by row (see
	// pushdb.Expiry).
	lo, hi := pushdb.RowBounds(expiries)
	// The device's time, but never before the message existed (see
	// notBeforeCreated).
	const reported = `CASE WHEN d.created_at > r.at THEN d.created_at ELSE r.at END`
	set := ""
	switch to {
	case delivery.StatusARRIVED:
		set = "arrived_at = " + reported
	case delivery.StatusOPENED:
		set = "opened_at = " + reported + ", arrived_at = COALESCE(d.arrived_at, " + reported + ")"
	case delivery.StatusIGNORED:
		set = "arrived_at = COALESCE(d.arrived_at, " + reported + ")"
	}
	statuses := make(pushdb.TextArray, len(from))
	for i, f := range from {
		statuses[i] = f.String()
	}
	query := `UPDATE deliveries AS d SET status = $1, updated_at = $2, ` + set + `
FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[]) AS r(id, device, at, lo, hi)
WHERE d.id = r.id AND d.expires_at BETWEEN r.lo AND r.hi AND d.device_id = r.device AND d.status = ANY($8::text[])
RETURNING d.job_id`
	return query, []any{to.String(), now, ids, devices, ats, lo, hi, statuses}
}
