package stats

import (
	"context"
	"fmt"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/ent/statminute"
	"github.com/pushd/pushd/ent/statsnapshot"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// StatsRetention is how long statistics are kept at each width.
type Retention struct {
	// Minutes: minute rows older than this are rolled up into hours.
	Minutes time.Duration
	// Hours: hour rows older than this are rolled up into days.
	Hours time.Duration
	// All: rows (and job snapshots) older than this are deleted.
	All time.Duration
}

// DefaultStatsRetention keeps minutes a week, hours 90 days, days 2 years.
var DefaultRetention = Retention{Minutes: 7 * 24 * time.Hour, Hours: 90 * 24 * time.Hour, All: 730 * 24 * time.Hour}

// rollUpBatch is how many rows one roll-up transaction moves.
const rollUpBatch = 5000

// RollUp applies the retention: old minutes become hours, old hours
// days (sums kept exact: the rows are moved in one transaction each),
// and what is older than r.All is deleted. It returns the rows it moved
// or deleted.
func (s *Service) RollUp(ctx context.Context, r Retention) (int, error) {
	sys := tenant.AsSystem(ctx)
	now := s.now().UTC()
	total := 0
	for _, step := range []struct {
		from, to string
		before   time.Time
		bucket   func(time.Time) time.Time
	}{
		{"m", "h", now.Add(-r.Minutes).Truncate(time.Hour), func(t time.Time) time.Time { return t.Truncate(time.Hour) }},
		{"h", "d", truncate(now.Add(-r.Hours), Day), func(t time.Time) time.Time { return truncate(t, Day) }},
	} {
		for {
			n, err := s.rollUp(sys, step.from, step.to, step.before, step.bucket)
			total += n
			if err != nil {
				return total, err
			}
			if n < rollUpBatch {
				break
			}
		}
	}
	cut := now.Add(-r.All)
	n, err := s.client.StatMinute.Delete().Where(statminute.MinuteLT(cut)).Exec(sys)
	total += n
	if err != nil {
		return total, err
	}
	n, err = s.client.StatSnapshot.Delete().Where(statsnapshot.UpdatedAtLT(cut)).Exec(sys)
	return total + n, err
}

// rollUp moves up to rollUpBatch rows of grain from, older than before,
// into rows of grain to.
func (s *Service) rollUp(ctx context.Context, from, to string, before time.Time, bucket func(time.Time) time.Time) (int, error) {
	var moved int
	err := core.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		rows, err := tx.StatMinute.Query().
			Where(statminute.Grain(from), statminute.MinuteLT(before)).Limit(rollUpBatch).All(ctx)
		if err != nil || len(rows) == 0 {
			return err
		}
		type key struct {
			app                                        nodeid.ID
			at                                         time.Time
			platform, appVersion, channel, kind, jobID string
		}
		sums := map[key]StatCounts{}
		ids := make([]nodeid.ID, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
			k := key{r.AppID, bucket(r.Minute.UTC()), r.Platform, r.AppVersion, r.Channel, r.Kind, r.JobID}
			c := sums[k]
			c.add(StatCounts{r.Targeted, r.Sent, r.Arrived, r.Opened, r.Ignored, r.Failed, r.Expired, r.Revoked}, 1)
			sums[k] = c
		}
		// Deleted first: a wider row may take the place (minute) of a
		// row it replaces.
		if _, err := tx.StatMinute.Delete().Where(statminute.IDIn(ids...)).Exec(ctx); err != nil {
			return err
		}
		for k, c := range sums {
			err := tx.StatMinute.Create().
				SetAppID(k.app).SetMinute(k.at).SetGrain(to).SetPlatform(k.platform).SetAppVersion(k.appVersion).
				SetChannel(k.channel).SetKind(k.kind).SetJobID(k.jobID).
				SetTargeted(c.Targeted).SetSent(c.Sent).SetArrived(c.Arrived).SetOpened(c.Opened).
				SetIgnored(c.Ignored).SetFailed(c.Failed).SetExpired(c.Expired).SetRevoked(c.Revoked).
				OnConflictColumns(statminute.FieldAppID, statminute.FieldMinute, statminute.FieldGrain, statminute.FieldPlatform,
					statminute.FieldAppVersion, statminute.FieldChannel, statminute.FieldKind, statminute.FieldJobID).
				Update(func(u *ent.StatMinuteUpsert) {
					u.AddTargeted(c.Targeted).AddSent(c.Sent).AddArrived(c.Arrived).AddOpened(c.Opened).
						AddIgnored(c.Ignored).AddFailed(c.Failed).AddExpired(c.Expired).AddRevoked(c.Revoked)
				}).Exec(ctx)
			if err != nil {
				return err
			}
		}
		moved = len(rows)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("roll up stats: %w", err)
	}
	return moved, nil
}
