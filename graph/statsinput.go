package graph

import (
	"context"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/graph/model"
	"github.com/pushd/pushd/push/stats"
)

// Conversions between the GraphQL statistics types and the domain's.

func statsQuery(in model.StatsInput) stats.Query {
	q := stats.Query{AppID: in.AppID, From: in.From, To: in.To, GroupBy: in.GroupBy}
	if in.Granularity != nil {
		q.Granularity = *in.Granularity
	}
	if in.JobID != nil {
		q.JobID = *in.JobID
	}
	if in.Platform != nil {
		q.Platform = string(*in.Platform)
	}
	if in.Channel != nil {
		q.Channel = string(*in.Channel)
	}
	if in.Kind != nil {
		q.Kind = string(*in.Kind)
	}
	return q
}

func statCounts(c stats.StatCounts) *model.StatCounts {
	return &model.StatCounts{
		Targeted: int(c.Targeted), Sent: int(c.Sent), Arrived: int(c.Arrived), Opened: int(c.Opened),
		Ignored: int(c.Ignored), Failed: int(c.Failed), Expired: int(c.Expired), Revoked: int(c.Revoked),
	}
}

func statPoints(pts []stats.StatPoint) []*model.StatPoint {
	out := make([]*model.StatPoint, len(pts))
	for i, p := range pts {
		m := &model.StatPoint{
			At: p.At, Counts: statCounts(p.Counts),
			ArrivalRate: p.Counts.ArrivalRate(), OpenRate: p.Counts.OpenRate(), IgnoreRate: p.Counts.IgnoreRate(),
		}
		// An empty value (a delivery not sent on any channel yet, a user
		// not bound) stays null, like a dimension not grouped by.
		if v := p.Dims[stats.DimPlatform]; v != "" {
			pl := enum.Platform(v)
			m.Platform = &pl
		}
		if v := p.Dims[stats.DimAppVersion]; v != "" {
			m.AppVersion = &v
		}
		if v := p.Dims[stats.DimChannel]; v != "" {
			c := enum.Channel(v)
			m.Channel = &c
		}
		if v := p.Dims[stats.DimKind]; v != "" {
			k := enum.PushKind(v)
			m.Kind = &k
		}
		if v := p.Dims[stats.DimJob]; v != "" {
			id := nodeid.ID(v)
			m.JobID = &id
		}
		out[i] = m
	}
	return out
}

// liveStats adapts the domain's frames to the subscription's.
func liveStats(ctx context.Context, frames <-chan stats.LiveFrame) <-chan *model.LiveStats {
	out := make(chan *model.LiveStats, 1)
	go func() {
		defer close(out)
		for f := range frames {
			select {
			case out <- &model.LiveStats{At: f.At, Minute: statPoints(f.Minute), Totals: statCounts(f.Totals)}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// deliveryEvents adapts the domain's events to the subscription's.
func deliveryEvents(ctx context.Context, events <-chan stats.DeliveryEvent) <-chan *model.DeliveryEvent {
	out := make(chan *model.DeliveryEvent, 16)
	go func() {
		defer close(out)
		for e := range events {
			m := &model.DeliveryEvent{DeliveryID: e.DeliveryID, JobID: e.JobID, Status: delivery.Status(e.Status), At: e.At, Error: optional(e.Error)}
			if e.DeviceID != "" {
				id := e.DeviceID
				m.DeviceID = &id
			}
			if e.Channel != "" {
				c := enum.Channel(e.Channel)
				m.Channel = &c
			}
			select {
			case out <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
