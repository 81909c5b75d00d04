package deliver

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/device"
	"github.com/pushd/pushd/ent/devicetoken"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
)

// The pipeline's hot statements, written by hand: a broadcast writes each
// delivery once and claims it once, and on PostgreSQL a statement with
// arrays as its only parameters is parsed and planned once per chunk
// instead of carrying tens of thousands of bound values.

// loadSendBatch reads what one send task needs in one query: its PENDING
// deliveries with their devices' platforms and live vendor tokens. The
// deliveries come back as entities with those edges loaded.
func (s *Service) loadSendBatch(ctx context.Context, job *ent.PushJob, req pipeline.Send) ([]*ent.Delivery, error) {
	query, args := s.sendBatchSQL(job, req)
	rows, err := s.client.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("load deliveries: %w", err)
	}
	defer rows.Close()
	var out []*ent.Delivery
	byID := map[nodeid.ID]*ent.Delivery{}
	for rows.Next() {
		var (
			id, app, dev, platform string
			expires                time.Time
			attempts               int
			message                []byte
			channel, token         sql.NullString
		)
		if err := rows.Scan(&id, &app, &dev, &expires, &attempts, &message, &platform, &channel, &token); err != nil {
			return nil, fmt.Errorf("load deliveries: %w", err)
		}
		dl := byID[nodeid.ID(id)]
		if dl == nil {
			devID := nodeid.ID(dev)
			dl = &ent.Delivery{
				ID: nodeid.ID(id), AppID: nodeid.ID(app), JobID: job.ID, DeviceID: &devID,
				ExpiresAt: expires, Attempts: attempts, Status: delivery.StatusPENDING,
			}
			if len(message) > 0 && string(message) != "null" {
				var m jsontype.Message
				if err := json.Unmarshal(message, &m); err != nil {
					return nil, fmt.Errorf("load deliveries: message of %s: %w", id, err)
				}
				dl.Message = &m
			}
			dl.Edges.Device = &ent.Device{ID: devID, AppID: dl.AppID, Platform: enum.Platform(platform)}
			byID[dl.ID] = dl
			out = append(out, dl)
		}
		if channel.Valid {
			dl.Edges.Device.Edges.Tokens = append(dl.Edges.Device.Edges.Tokens, &ent.DeviceToken{
				DeviceID: *dl.DeviceID, Channel: enum.Channel(channel.String), Token: token.String, Status: devicetoken.StatusACTIVE,
			})
		}
	}
	return out, rows.Err()
}

// sendBatchSQL selects a send task's PENDING deliveries with their
// device's platform and active tokens, one row per token.
func (s *Service) sendBatchSQL(job *ent.PushJob, req pipeline.Send) (string, []any) {
	b := sql.Dialect(s.dialect)
	d, v, t := b.Table(delivery.Table).As("d"), b.Table(device.Table).As("v"), b.Table(devicetoken.Table).As("t")
	preds := []*sql.Predicate{
		sql.EQ(d.C(delivery.FieldJobID), string(job.ID)),
		sql.EQ(d.C(delivery.FieldStatus), delivery.StatusPENDING.String()),
	}
	switch {
	case len(req.Devices) > 0:
		in := make([]any, len(req.Devices))
		for i, id := range req.Devices {
			in[i] = string(id)
		}
		preds = append(preds, sql.In(d.C(delivery.FieldDeviceID), in...))
	default:
		preds = append(preds, sql.NotNull(d.C(delivery.FieldDeviceID)))
		if req.After != "" {
			preds = append(preds, sql.GT(d.C(delivery.FieldDeviceID), string(req.After)))
		}
		if req.Through != "" {
			preds = append(preds, sql.LTE(d.C(delivery.FieldDeviceID), string(req.Through)))
		}
	}
	return b.Select(
		d.C(delivery.FieldID), d.C(delivery.FieldAppID), d.C(delivery.FieldDeviceID), d.C(delivery.FieldExpiresAt),
		d.C(delivery.FieldAttempts), d.C(delivery.FieldMessage), v.C(device.FieldPlatform),
		t.C(devicetoken.FieldChannel), t.C(devicetoken.FieldToken),
	).
		From(d).
		Join(v).On(d.C(delivery.FieldDeviceID), v.C(device.FieldID)).
		LeftJoin(t).OnP(sql.And(
		sql.ColumnsEQ(t.C(devicetoken.FieldDeviceID), d.C(delivery.FieldDeviceID)),
		sql.EQ(t.C(devicetoken.FieldStatus), devicetoken.StatusACTIVE.String()),
	)).
		Where(sql.And(preds...)).
		OrderBy(d.C(delivery.FieldDeviceID)).
		Query()
}
