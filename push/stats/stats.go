package stats

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/pushjob"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/ent/statminute"
	"github.com/pushd/pushd/ent/statsnapshot"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// Statistics (docs/analytics.md) are counted from the deliveries themselves,
// the truth: each time a job's counts are refreshed (at most about once a
// second while it changes), its deliveries are counted per dimension and
// the difference from the last count is added to the current minute, in
// one transaction with the new snapshot. A crash before the commit loses
// nothing (the next count sees the same difference); after it, nothing is
// counted twice (the snapshot moved with the minute). Every transition —
// sends, acks, vendor receipts, expiry, revoke — is counted, whichever
// path made it.

// StatCounts are the counts of one point.
type StatCounts struct {
	Targeted, Sent, Arrived, Opened, Ignored, Failed, Expired, Revoked int64
}

func (c *StatCounts) add(o StatCounts, sign int64) {
	c.Targeted += sign * o.Targeted
	c.Sent += sign * o.Sent
	c.Arrived += sign * o.Arrived
	c.Opened += sign * o.Opened
	c.Ignored += sign * o.Ignored
	c.Failed += sign * o.Failed
	c.Expired += sign * o.Expired
	c.Revoked += sign * o.Revoked
}

func (c StatCounts) zero() bool { return c == StatCounts{} }

// ArrivalRate is arrived / sent; OpenRate and IgnoreRate are opened and
// ignored / arrived; 0 when nothing was sent or arrived.
func (c StatCounts) ArrivalRate() float64 { return ratio(c.Arrived, c.Sent) }

// OpenRate is opened / arrived.
func (c StatCounts) OpenRate() float64 { return ratio(c.Opened, c.Arrived) }

// IgnoreRate is ignored / arrived.
func (c StatCounts) IgnoreRate() float64 { return ratio(c.Ignored, c.Arrived) }

func ratio(a, b int64) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// statKey is one combination of a job's dimensions.
type statKey struct{ platform, appVersion, channel string }

// jobStatsSQL counts a job's device deliveries per dimension. A delivery
// counts as sent once it went out (sent_at), and stays sent when it then
// arrives, is opened or ignored, or fails at the vendor.
const jobStatsSQL = `SELECT COALESCE(v.platform, ''), COALESCE(v.app_version, ''), COALESCE(d.channel, ''),
  count(*),
  count(*) FILTER (WHERE d.sent_at IS NOT NULL OR d.status IN ('ARRIVED', 'OPENED', 'IGNORED')),
  count(*) FILTER (WHERE d.status IN ('ARRIVED', 'OPENED', 'IGNORED')),
  count(*) FILTER (WHERE d.status = 'OPENED'),
  count(*) FILTER (WHERE d.status = 'IGNORED'),
  count(*) FILTER (WHERE d.status = 'FAILED'),
  count(*) FILTER (WHERE d.status = 'EXPIRED'),
  count(*) FILTER (WHERE d.status = 'REVOKED')
FROM deliveries d LEFT JOIN devices v ON v.id = d.device_id
WHERE d.job_id = $1 AND d.device_id IS NOT NULL
GROUP BY 1, 2, 3`

// recordStats adds what changed in a job's deliveries since its last
// count to the current minute.
func (s *Service) record(ctx context.Context, job *ent.PushJob) error {
	sys := tenant.AsSystem(ctx)
	tx, err := s.relaxed.Tx(sys)
	if err != nil {
		return err
	}
	wrote, err := s.RecordTx(sys, tx, job)
	if err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("record stats: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record stats: %w", err)
	}
	if wrote {
		s.statsChanged(sys, job.AppID)
		if s.broker != nil {
			// Statuses moved: watchers of the app's deliveries read them.
			if err := s.broker.Publish(sys, deliveriesTopic(job.AppID), []byte(job.ID)); err != nil {
				s.log.DebugContext(sys, "delivery events: publish", "err", err)
			}
		}
	}
	return nil
}

// RecordTx counts the job in tx: the difference since its last count goes
// into the current minute, with the new snapshot. It reports whether it
// wrote anything; nothing is final before tx commits.
func (s *Service) RecordTx(ctx context.Context, tx *ent.Tx, job *ent.PushJob) (bool, error) {
	if s.dialect == dialect.Postgres {
		// One counter per job at a time, on any node: the snapshot is
		// read and moved as a whole.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, string(job.ID)); err != nil {
			return false, err
		}
	}
	now := s.now()
	cur, err := s.countJob(ctx, tx, job.ID)
	if err != nil {
		return false, err
	}
	prev := map[statKey]StatCounts{}
	snaps, err := tx.StatSnapshot.Query().Where(statsnapshot.JobID(string(job.ID))).All(ctx)
	if err != nil {
		return false, err
	}
	for _, sn := range snaps {
		prev[statKey{sn.Platform, sn.AppVersion, sn.Channel}] = StatCounts{
			sn.Targeted, sn.Sent, sn.Arrived, sn.Opened, sn.Ignored, sn.Failed, sn.Expired, sn.Revoked,
		}
	}
	minute := now.Truncate(time.Minute)
	wrote := false
	for k := range prev {
		if _, ok := cur[k]; !ok {
			cur[k] = StatCounts{} // a dimension left (a delivery moved channel)
		}
	}
	for k, c := range cur {
		d := c
		d.add(prev[k], -1)
		if d.zero() {
			continue
		}
		wrote = true
		err := tx.StatMinute.Create().
			SetAppID(job.AppID).SetMinute(minute).SetPlatform(k.platform).SetAppVersion(k.appVersion).
			SetChannel(k.channel).SetKind(string(job.Kind)).SetJobID(string(job.ID)).
			SetTargeted(d.Targeted).SetSent(d.Sent).SetArrived(d.Arrived).SetOpened(d.Opened).
			SetIgnored(d.Ignored).SetFailed(d.Failed).SetExpired(d.Expired).SetRevoked(d.Revoked).
			OnConflictColumns(statminute.FieldAppID, statminute.FieldMinute, statminute.FieldGrain, statminute.FieldPlatform,
				statminute.FieldAppVersion, statminute.FieldChannel, statminute.FieldKind, statminute.FieldJobID).
			Update(func(u *ent.StatMinuteUpsert) {
				u.AddTargeted(d.Targeted).AddSent(d.Sent).AddArrived(d.Arrived).AddOpened(d.Opened).
					AddIgnored(d.Ignored).AddFailed(d.Failed).AddExpired(d.Expired).AddRevoked(d.Revoked)
			}).Exec(ctx)
		if err != nil {
			return false, err
		}
		err = tx.StatSnapshot.Create().
			SetAppID(job.AppID).SetJobID(string(job.ID)).SetPlatform(k.platform).SetAppVersion(k.appVersion).
			SetChannel(k.channel).SetUpdatedAt(now).
			SetTargeted(c.Targeted).SetSent(c.Sent).SetArrived(c.Arrived).SetOpened(c.Opened).
			SetIgnored(c.Ignored).SetFailed(c.Failed).SetExpired(c.Expired).SetRevoked(c.Revoked).
			OnConflictColumns(statsnapshot.FieldJobID, statsnapshot.FieldPlatform, statsnapshot.FieldAppVersion, statsnapshot.FieldChannel).
			UpdateNewValues().Exec(ctx)
		if err != nil {
			return false, err
		}
	}
	return wrote, nil
}

func (s *Service) countJob(ctx context.Context, tx *ent.Tx, job nodeid.ID) (map[statKey]StatCounts, error) {
	rows, err := tx.QueryContext(ctx, core.Numbered(s.dialect, jobStatsSQL), string(job))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[statKey]StatCounts{}
	for rows.Next() {
		var k statKey
		var c StatCounts
		var platform, version, channel sql.NullString
		if err := rows.Scan(&platform, &version, &channel, &c.Targeted, &c.Sent, &c.Arrived, &c.Opened, &c.Ignored, &c.Failed, &c.Expired, &c.Revoked); err != nil {
			return nil, err
		}
		k = statKey{platform.String, version.String, channel.String}
		out[k] = c
	}
	return out, errors.Join(rows.Err(), rows.Close())
}

// StatsTopic is the broker topic that says an app's statistics moved.
func Topic(app nodeid.ID) string { return "stats:" + string(app) }

// statsChanged wakes the live statistics of an app, on every node.
func (s *Service) statsChanged(ctx context.Context, app nodeid.ID) {
	if s.broker == nil {
		return
	}
	if err := s.broker.Publish(ctx, Topic(app), nil); err != nil {
		s.log.DebugContext(ctx, "stats: publish", "err", err)
	}
}

// StatDimension is a dimension points can be grouped by.
type StatDimension string

// Dimensions.
const (
	DimPlatform   StatDimension = "PLATFORM"
	DimAppVersion StatDimension = "APP_VERSION"
	DimChannel    StatDimension = "CHANNEL"
	DimKind       StatDimension = "KIND"
	DimJob        StatDimension = "JOB"
)

// Granularity is the width of a point.
type Granularity string

// Granularities, and the longest range each may span.
const (
	Minute Granularity = "MINUTE"
	Hour   Granularity = "HOUR"
	Day    Granularity = "DAY"
)

// Ranges of stats queries: at most this long per granularity, so that a
// query answers at most a few thousand points per group.
var maxStatsRange = map[Granularity]time.Duration{
	Minute: 24 * time.Hour,
	Hour:   31 * 24 * time.Hour,
	Day:    366 * 24 * time.Hour,
}

// StatsQuery selects and groups an app's statistics.
type Query struct {
	AppID       nodeid.ID
	From, To    time.Time
	Granularity Granularity
	GroupBy     []StatDimension
	// Filters; empty means all.
	JobID    nodeid.ID
	Platform string
	Channel  string
	Kind     string
}

// StatPoint is the counts of one time bucket and one group.
type StatPoint struct {
	At time.Time
	// Dims holds the value of each grouped dimension.
	Dims   map[StatDimension]string
	Counts StatCounts
}

var dimColumn = map[StatDimension]string{
	DimPlatform: statminute.FieldPlatform, DimAppVersion: statminute.FieldAppVersion,
	DimChannel: statminute.FieldChannel, DimKind: statminute.FieldKind, DimJob: statminute.FieldJobID,
}

// Points returns the points of a query, in time order, each bucket with
// one point per group that had counts.
func (s *Service) Points(ctx context.Context, q Query) ([]StatPoint, error) {
	if err := tenant.Require(ctx, q.AppID, tenant.NeedRead); err != nil {
		return nil, err
	}
	if q.Granularity == "" {
		q.Granularity = Hour
	}
	limit, ok := maxStatsRange[q.Granularity]
	switch {
	case !ok:
		return nil, core.Invalid("granularity", "must be MINUTE, HOUR or DAY")
	case !q.To.After(q.From):
		return nil, core.Invalid("to", "must be after from")
	case q.To.Sub(q.From) > limit:
		return nil, core.Invalid("to", "a %s query spans at most %s", q.Granularity, limit)
	}
	return s.queryStats(ctx, q)
}

// allTime makes queryStats sum its whole range into one bucket, at From.
const allTime Granularity = "ALL"

// queryStats runs a validated query.
func (s *Service) queryStats(ctx context.Context, q Query) ([]StatPoint, error) {
	groupBy := core.Unique(q.GroupBy)
	query, args, err := s.statsSQL(q, groupBy)
	if err != nil {
		return nil, err
	}
	rows, err := s.client.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	var pts pointSet
	for rows.Next() {
		var at time.Time
		dimVals := make([]string, len(groupBy))
		var c StatCounts
		dest := []any{&at}
		for i := range dimVals {
			dest = append(dest, &dimVals[i])
		}
		dest = append(dest, &c.Targeted, &c.Sent, &c.Arrived, &c.Opened, &c.Ignored, &c.Failed, &c.Expired, &c.Revoked)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("stats: %w", err)
		}
		at = truncate(at.UTC(), q.Granularity)
		if q.Granularity == allTime {
			at = q.From
		}
		pts.add(at, groupBy, dimVals, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return pts.sorted(), nil
}

// statsSQL is the statement that sums a query's minutes per minute and
// dimension value.
func (s *Service) statsSQL(q Query, groupBy []StatDimension) (string, []any, error) {
	cols := []string{statminute.FieldMinute}
	for _, d := range groupBy {
		c, ok := dimColumn[d]
		if !ok {
			return "", nil, core.Invalid("groupBy", "unknown dimension %q", d)
		}
		cols = append(cols, c)
	}
	b := entsql.Dialect(s.dialect)
	t := b.Table(statminute.Table)
	preds := []*entsql.Predicate{
		entsql.EQ(t.C(statminute.FieldAppID), string(q.AppID)),
		entsql.GTE(t.C(statminute.FieldMinute), q.From.UTC()),
		entsql.LT(t.C(statminute.FieldMinute), q.To.UTC()),
	}
	for col, v := range map[string]string{
		statminute.FieldJobID: string(q.JobID), statminute.FieldPlatform: q.Platform,
		statminute.FieldChannel: q.Channel, statminute.FieldKind: q.Kind,
	} {
		if v != "" {
			preds = append(preds, entsql.EQ(t.C(col), v))
		}
	}
	sel := make([]string, 0, len(cols)+len(statMetricColumns))
	group := make([]string, 0, len(cols))
	for _, c := range cols {
		sel = append(sel, t.C(c))
		group = append(group, t.C(c))
	}
	for _, m := range statMetricColumns {
		sel = append(sel, entsql.Sum(t.C(m)))
	}
	query, args := b.Select(sel...).From(t).Where(entsql.And(preds...)).GroupBy(group...).Query()
	return query, args, nil
}

// pointSet adds up rows into points, one per bucket and dimension values,
// in the order they first appear.
type pointSet struct {
	points map[pointKey]*StatPoint
	order  []pointKey
}

type pointKey struct {
	at   time.Time
	dims string
}

func (ps *pointSet) add(at time.Time, groupBy []StatDimension, vals []string, c StatCounts) {
	if ps.points == nil {
		ps.points = map[pointKey]*StatPoint{}
	}
	dims := map[StatDimension]string{}
	key := ""
	for i, d := range groupBy {
		dims[d] = vals[i]
		key += "\x00" + vals[i]
	}
	k := pointKey{at, key}
	p := ps.points[k]
	if p == nil {
		p = &StatPoint{At: at, Dims: dims}
		ps.points[k] = p
		ps.order = append(ps.order, k)
	}
	p.Counts.add(c, 1)
}

// sorted returns the points in time order (stable: dimension values in the
// order they came).
func (ps *pointSet) sorted() []StatPoint {
	out := make([]StatPoint, 0, len(ps.order))
	for _, k := range ps.order {
		out = append(out, *ps.points[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// statMetricColumns are StatMinute's count columns, in StatCounts order.
var statMetricColumns = []string{
	statminute.FieldTargeted, statminute.FieldSent, statminute.FieldArrived, statminute.FieldOpened,
	statminute.FieldIgnored, statminute.FieldFailed, statminute.FieldExpired, statminute.FieldRevoked,
}

func truncate(t time.Time, g Granularity) time.Time {
	switch g {
	case Hour:
		return t.Truncate(time.Hour)
	case Day:
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	return t.Truncate(time.Minute)
}

// CoreIndex is an app's headline numbers over a range.
type CoreIndex struct {
	// Pushes is how many push jobs were accepted in the range.
	Pushes int
	Counts StatCounts
}

// CoreIndex returns an app's pushes and delivery counts in [from, to).
func (s *Service) CoreIndex(ctx context.Context, app nodeid.ID, from, to time.Time) (CoreIndex, error) {
	var out CoreIndex
	if err := tenant.Require(ctx, app, tenant.NeedRead); err != nil {
		return out, err
	}
	if !to.After(from) {
		return out, core.Invalid("to", "must be after from")
	}
	n, err := s.client.PushJob.Query().Where(pushjob.AppID(app), pushjob.CreatedAtGTE(from), pushjob.CreatedAtLT(to),
		pushjob.RecurrenceIsNil()).Count(ctx)
	if err != nil {
		return out, err
	}
	out.Pushes = n
	pts, err := s.queryStats(ctx, Query{AppID: app, From: from, To: to, Granularity: allTime})
	if err != nil {
		return out, err
	}
	for _, p := range pts {
		out.Counts.add(p.Counts, 1)
	}
	return out, nil
}

// JobReport returns a job's counts over its whole life, grouped by the
// given dimensions.
func (s *Service) JobReport(ctx context.Context, job *ent.PushJob, groupBy []StatDimension) ([]StatPoint, error) {
	for _, d := range groupBy {
		if _, ok := dimColumn[d]; !ok {
			return nil, core.Invalid("groupBy", "unknown dimension %q", d)
		}
	}
	from := job.CreatedAt.UTC().Truncate(time.Minute)
	return s.queryStats(ctx, Query{AppID: job.AppID, JobID: job.ID, From: from, To: s.now().Add(time.Minute), Granularity: allTime, GroupBy: groupBy})
}

// Record counts the job's statistics if its pace allows (real time,
// not the service's clock: the pace is about the database's work), and
// otherwise says they were deferred. A refresh asked for directly (not
// paced) always counts.
func (s *Service) Record(ctx context.Context, job *ent.PushJob, paced bool) (deferred bool, err error) {
	start := time.Now()
	if paced && !s.pace.due(job.ID, start) {
		return true, nil
	}
	err = s.record(ctx, job)
	s.pace.counted(job.ID, start, time.Since(start))
	return false, err
}
