package stats

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// LiveFrame is one frame of an app's live statistics.
type LiveFrame struct {
	At time.Time
	// Minute is the current minute's counts, one point per group.
	Minute []StatPoint
	// Totals are the counts of the last LiveWindow, all groups together.
	Totals StatCounts
}

// LiveWindow is the span of a live frame's rolling totals.
const LiveWindow = time.Hour

// LiveInterval is the most often a live feed sends a frame.
const LiveInterval = time.Second

// liveMaxMisses is how many frames in a row a subscriber may leave unread
// before it is dropped: a slow reader never slows the feed or the others.
const liveMaxMisses = 5

// liveHub shares one feed per (app, grouping) among a node's subscribers:
// a thousand dashboards on one app cost one query a second, not a
// thousand.
type liveHub struct {
	mu    sync.Mutex
	feeds map[string]*liveFeed
}

type liveFeed struct {
	app     nodeid.ID
	groupBy []StatDimension
	subs    map[*liveSub]struct{}
	stop    context.CancelFunc
}

type liveSub struct {
	ch     chan LiveFrame
	misses int
}

// Live streams an app's statistics: a frame at once, then at most
// one a second (recomputed when the app's counts move or a minute
// begins) until ctx ends or the reader falls behind.
func (s *Service) Live(ctx context.Context, app nodeid.ID, groupBy []StatDimension) (<-chan LiveFrame, error) {
	if err := tenant.Require(ctx, app, tenant.NeedRead); err != nil {
		return nil, err
	}
	groupBy = core.Unique(groupBy)
	for _, d := range groupBy {
		if _, ok := dimColumn[d]; !ok {
			return nil, core.Invalid("groupBy", "unknown dimension %q", d)
		}
	}
	slices.Sort(groupBy)
	key := string(app) + "|" + joinDims(groupBy)
	sub := &liveSub{ch: make(chan LiveFrame, 1)}
	s.live.mu.Lock()
	if s.live.feeds == nil {
		s.live.feeds = map[string]*liveFeed{}
	}
	f := s.live.feeds[key]
	if f == nil {
		fctx, stop := context.WithCancel(context.WithoutCancel(tenant.AsSystem(ctx)))
		f = &liveFeed{app: app, groupBy: groupBy, subs: map[*liveSub]struct{}{}, stop: stop}
		s.live.feeds[key] = f
		go s.runFeed(fctx, key, f)
	}
	f.subs[sub] = struct{}{}
	s.live.mu.Unlock()
	go func() {
		<-ctx.Done()
		s.leave(key, f, sub)
	}()
	return sub.ch, nil
}

// LiveSubscribers counts the subscribers of an app's feed of one
// grouping on this process (for gauges and tests).
func (s *Service) LiveSubscribers(app nodeid.ID, groupBy []StatDimension) int {
	s.live.mu.Lock()
	defer s.live.mu.Unlock()
	if f := s.live.feeds[string(app)+"|"+joinDims(groupBy)]; f != nil {
		return len(f.subs)
	}
	return 0
}

func joinDims(ds []StatDimension) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = string(d)
	}
	return strings.Join(parts, ",")
}

// leave removes a subscriber (once) and stops a feed nobody reads.
func (s *Service) leave(key string, f *liveFeed, sub *liveSub) {
	s.live.mu.Lock()
	defer s.live.mu.Unlock()
	if _, ok := f.subs[sub]; !ok {
		return
	}
	delete(f.subs, sub)
	close(sub.ch)
	if len(f.subs) == 0 {
		f.stop()
		if s.live.feeds[key] == f {
			delete(s.live.feeds, key)
		}
	}
}

func (s *Service) runFeed(ctx context.Context, key string, f *liveFeed) {
	var changes <-chan []byte
	if s.broker != nil {
		c, err := s.broker.Subscribe(ctx, Topic(f.app))
		if err != nil {
			s.log.WarnContext(ctx, "live stats: subscribe", "app", f.app, "err", err)
		} else {
			changes = c
		}
	}
	tick := time.NewTicker(s.liveInterval)
	defer tick.Stop()
	var frame LiveFrame
	var last time.Time
	stale := true
	for {
		now := s.now()
		if stale || now.Truncate(time.Minute) != frame.At.Truncate(time.Minute) {
			next, err := s.liveFrame(ctx, f, now)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				s.log.WarnContext(ctx, "live stats", "app", f.app, "err", err)
			} else {
				frame, stale = next, false
			}
		}
		frame.At, last = now, now
		s.fanOutLive(key, f, frame)
		for waiting := true; waiting; {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				waiting = false
			case _, ok := <-changes:
				if !ok {
					changes = nil
					continue
				}
				// Counts moved: a frame now, unless one went out less
				// than an interval ago (then at the next tick).
				stale = true
				waiting = s.now().Sub(last) < s.liveInterval
			}
		}
	}
}

// fanOutLive hands a frame to every subscriber that has room; one that left
// liveMaxMisses frames unread is dropped.
func (s *Service) fanOutLive(key string, f *liveFeed, frame LiveFrame) {
	s.live.mu.Lock()
	var slow []*liveSub
	for sub := range f.subs {
		select {
		case sub.ch <- frame:
			sub.misses = 0
		default:
			sub.misses++
			if sub.misses >= liveMaxMisses {
				slow = append(slow, sub)
			}
		}
	}
	s.live.mu.Unlock()
	for _, sub := range slow {
		s.leave(key, f, sub)
	}
}

func (s *Service) liveFrame(ctx context.Context, f *liveFeed, now time.Time) (LiveFrame, error) {
	minute := now.UTC().Truncate(time.Minute)
	pts, err := s.queryStats(ctx, Query{AppID: f.app, From: minute, To: minute.Add(time.Minute), Granularity: Minute, GroupBy: f.groupBy})
	if err != nil {
		return LiveFrame{}, err
	}
	total, err := s.queryStats(ctx, Query{AppID: f.app, From: minute.Add(-LiveWindow + time.Minute), To: minute.Add(time.Minute), Granularity: allTime})
	if err != nil {
		return LiveFrame{}, err
	}
	frame := LiveFrame{At: now, Minute: pts}
	for _, p := range total {
		frame.Totals.add(p.Counts, 1)
	}
	if frame.Minute == nil {
		frame.Minute = []StatPoint{}
	}
	return frame, nil
}
