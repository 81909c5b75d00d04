// Package audit reads and prunes the audit log: who (an account or an API
// key) changed which object of an app, when and from where. Hook records
// it; Log reads it; Prune keeps it within its retention.
package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/auditevent"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/tenant"
)

// Page bounds of Log.
const (
	DefaultPage = 50
	MaxPage     = 500
)

// DefaultRetention is how long records are kept when nothing is set.
const DefaultRetention = 90 * 24 * time.Hour

// Event is one record as the API shows it. Fields names what changed; the
// values are never recorded.
type Event struct {
	ID         nodeid.ID
	At         time.Time
	ActorKind  string
	ActorID    nodeid.ID
	ActorLabel string
	Action     string
	TargetType string
	TargetID   nodeid.ID
	Fields     []string
	Address    string
}

// Log returns up to first records of app, newest first, older than the
// record before when it is set. IDs are ULIDs, made in creation order, so
// they page without skipping records created in the same instant. Only the
// app's owners and admins may read it: it names members and addresses.
func Log(ctx context.Context, client *ent.Client, app nodeid.ID, first int, before *nodeid.ID) ([]*Event, error) {
	if err := tenant.Require(ctx, app, tenant.NeedOwner); err != nil {
		return nil, err
	}
	if first < 1 || first > MaxPage {
		return nil, pageError{first}
	}
	q := client.AuditEvent.Query().Where(auditevent.AppID(app))
	if before != nil {
		q = q.Where(auditevent.IDLT(*before))
	}
	rows, err := q.Order(ent.Desc(auditevent.FieldID)).Limit(first).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*Event, len(rows))
	for i, r := range rows {
		out[i] = &Event{
			ID: r.ID, At: r.CreatedAt, ActorKind: string(r.ActorKind), ActorID: r.ActorID, ActorLabel: r.ActorLabel,
			Action: r.Action, TargetType: r.TargetType, TargetID: r.TargetID, Fields: r.Fields, Address: r.Address,
		}
	}
	return out, nil
}

// pageError is an out-of-range page size; the GraphQL layer reports it as
// INVALID_ARGUMENT.
type pageError struct{ first int }

func (e pageError) Error() string {
	return fmt.Sprintf("first: must be from 1 to %d, got %d", MaxPage, e.first)
}

// InvalidArgument marks the error as the caller's.
func (pageError) InvalidArgument() {}

// Prune deletes the records older than retention before now, returning how
// many went. It runs as pushd itself: only pushd removes records.
func Prune(ctx context.Context, client *ent.Client, retention time.Duration, now time.Time) (int, error) {
	if retention <= 0 {
		retention = DefaultRetention
	}
	return client.AuditEvent.Delete().
		Where(auditevent.CreatedAtLT(now.Add(-retention))).
		Exec(tenant.AsSystem(ctx))
}
