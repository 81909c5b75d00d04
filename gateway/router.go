package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"

	"github.com/redis/go-redis/v9"
)

// Router finds which gateway node holds a device and hands it frames
// there, over Redis: presence keys (device → node and connection) and one
// pub/sub channel per node. It implements push.SelfChannel and holds no
// connection itself, so any pushd process can route.
type Router struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRouter returns a router whose keys start with prefix (e.g. "pushd:").
func NewRouter(rdb redis.UniversalClient, prefix string) *Router {
	return &Router{rdb: rdb, prefix: prefix}
}

func (r *Router) presenceKey(dev nodeid.ID) string { return r.prefix + "presence:" + string(dev) }
func (r *Router) nodeChannel(node string) string   { return r.prefix + "node:" + node }

// presenceBatch bounds one MGET.
const presenceBatch = 1000

// locate returns the presence value (node and connection) of each device
// that has one. One round trip for all of them, however many: MGETs of
// up to presenceBatch keys on one server; on a cluster, where presence
// keys spread over every shard (they carry no hash tag, see
// docs/scaling-engines.md) and an MGET across slots is refused, one GET
// per key, which the cluster pipeline sends to each shard at once.
func (r *Router) locate(ctx context.Context, devs []nodeid.ID) (map[nodeid.ID]presence, error) {
	if len(devs) == 0 {
		return map[nodeid.ID]presence{}, nil
	}
	var values []any
	var err error
	if _, cluster := r.rdb.(*redis.ClusterClient); cluster {
		values, err = r.getEach(ctx, devs)
	} else {
		values, err = r.mget(ctx, devs)
	}
	if err != nil {
		return nil, fmt.Errorf("presence: %w", err)
	}
	out := make(map[nodeid.ID]presence, len(devs))
	for i, v := range values {
		if s, ok := v.(string); ok {
			if p, ok := parsePresence(s); ok {
				out[devs[i]] = p
			}
		}
	}
	return out, nil
}

// mget reads the presence keys of devs in MGETs of presenceBatch, in one
// pipeline; the values are in the order of devs, nil where none.
func (r *Router) mget(ctx context.Context, devs []nodeid.ID) ([]any, error) {
	pipe := r.rdb.Pipeline()
	var cmds []*redis.SliceCmd
	for start := 0; start < len(devs); start += presenceBatch {
		chunk := devs[start:min(start+presenceBatch, len(devs))]
		keys := make([]string, len(chunk))
		for i, d := range chunk {
			keys[i] = r.presenceKey(d)
		}
		cmds = append(cmds, pipe.MGet(ctx, keys...))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, err
	}
	values := make([]any, 0, len(devs))
	for _, cmd := range cmds {
		values = append(values, cmd.Val()...)
	}
	return values, nil
}

// getEach reads the presence keys of devs with one GET each, in one
// pipeline; the values are in the order of devs, nil where none.
func (r *Router) getEach(ctx context.Context, devs []nodeid.ID) ([]any, error) {
	pipe := r.rdb.Pipeline()
	cmds := make([]*redis.StringCmd, len(devs))
	for i, d := range devs {
		cmds[i] = pipe.Get(ctx, r.presenceKey(d))
	}
	// A missing key fails its GET with redis.Nil, and Exec reports the
	// first failure: only other errors count.
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	values := make([]any, len(devs))
	for i, cmd := range cmds {
		if v, err := cmd.Result(); err == nil {
			values[i] = v
		} else if !errors.Is(err, redis.Nil) {
			return nil, err
		}
	}
	return values, nil
}

// Online implements push.SelfChannel.
func (r *Router) Online(ctx context.Context, devs []nodeid.ID) (map[nodeid.ID]bool, error) {
	where, err := r.locate(ctx, devs)
	if err != nil {
		return nil, err
	}
	online := make(map[nodeid.ID]bool, len(where))
	for d := range where {
		online[d] = true
	}
	return online, nil
}

// envelope is what a node receives on its channel: frames for devices it
// is believed to hold, already encoded once by the sender, and the
// connections other nodes have replaced.
type envelope struct {
	Frames []routed
	Kick   []kick
}

type routed struct {
	DeviceID  nodeid.ID
	MessageID nodeid.ID
	Frame     []byte
	// ExpiresAt is the message's expiry in Unix microseconds, 0 if none.
	ExpiresAt int64
}

type kick struct {
	DeviceID nodeid.ID
	ConnID   string
}

// framesPerMessage bounds one PUBLISH: a node starts writing to devices
// while later chunks are still on their way, and no single Redis message
// grows without bound.
const framesPerMessage = 500

// SendSelf implements push.SelfChannel: one pipeline of PUBLISHes per
// call, whatever the number of messages.
func (r *Router) SendSelf(ctx context.Context, msgs []core.SelfMessage) error {
	items := make([]routed, 0, len(msgs))
	for _, m := range msgs {
		frame, err := json.Marshal(pushFrame(m))
		if err != nil {
			return err
		}
		items = append(items, routed{DeviceID: m.DeviceID, MessageID: m.MessageID, Frame: frame, ExpiresAt: unixMicro(m.ExpiresAt)})
	}
	return r.route(ctx, items)
}

// RevokeSelf implements push.SelfChannel.
func (r *Router) RevokeSelf(ctx context.Context, revokes []core.SelfRevoke) error {
	items := make([]routed, 0, len(revokes))
	for _, rv := range revokes {
		frame, err := json.Marshal(Revoke{Type: FrameRevoke, MessageID: rv.MessageID})
		if err != nil {
			return err
		}
		// No message ID on the routed record: a revoke must not be taken
		// for a repeat of the push it withdraws.
		items = append(items, routed{DeviceID: rv.DeviceID, Frame: frame})
	}
	return r.route(ctx, items)
}

// route hands encoded frames to the nodes holding their devices. A device
// without presence is skipped: it is offline, and gets what it missed on
// resume.
func (r *Router) route(ctx context.Context, items []routed) error {
	if len(items) == 0 {
		return nil
	}
	devs := make([]nodeid.ID, 0, len(items))
	for _, it := range items {
		devs = append(devs, it.DeviceID)
	}
	where, err := r.locate(ctx, devs)
	if err != nil {
		return err
	}
	byNode := map[string]*envelope{}
	for _, it := range items {
		p, ok := where[it.DeviceID]
		if !ok {
			continue
		}
		env := byNode[p.node]
		if env == nil {
			env = &envelope{}
			byNode[p.node] = env
		}
		env.Frames = append(env.Frames, it)
	}
	return r.publish(ctx, byNode)
}

func (r *Router) publish(ctx context.Context, byNode map[string]*envelope) error {
	if len(byNode) == 0 {
		return nil
	}
	pipe := r.rdb.Pipeline()
	for node, env := range byNode {
		for start := 0; start < len(env.Frames) || (start == 0 && len(env.Kick) > 0); start += framesPerMessage {
			chunk := envelope{Frames: env.Frames[start:min(start+framesPerMessage, len(env.Frames))]}
			if start == 0 {
				chunk.Kick = env.Kick
			}
			pipe.Publish(ctx, r.nodeChannel(node), chunk.encode())
		}
	}
	_, err := pipe.Exec(ctx)
	return err
}

// unixMicro is t in Unix microseconds, 0 for the zero time.
func unixMicro(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func pushFrame(m core.SelfMessage) Push {
	return Push{
		Type: FramePush, MessageID: m.MessageID, Seq: m.Seq,
		Title: m.Message.Title, Body: m.Message.Body, Payload: m.Message.Payload,
		URI: m.Message.URI, Silent: m.Message.Silent, ExpiresAt: m.ExpiresAt.UTC(),
	}
}

// presence is where a device is connected.
type presence struct {
	node, conn string
}

func (p presence) String() string { return p.node + "|" + p.conn }

func parsePresence(s string) (presence, bool) {
	for i := range len(s) {
		if s[i] == '|' {
			return presence{node: s[:i], conn: s[i+1:]}, i > 0 && i < len(s)-1
		}
	}
	return presence{}, false
}
