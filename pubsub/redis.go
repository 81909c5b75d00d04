// Package pubsub implements push.Broker on Redis pub/sub, so that a
// notification published on one pushd node reaches subscribers on all.
package pubsub

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// bufferSize bounds what a slow subscriber may fall behind by before it
// starts losing messages.
const bufferSize = 16

// Redis is a push.Broker on Redis pub/sub.
type Redis struct {
	client redis.UniversalClient
	prefix string
}

// NewRedis returns a broker whose topics live under prefix (e.g. "pushd:").
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix}
}

// Publish implements push.Broker.
func (r *Redis) Publish(ctx context.Context, topic string, payload []byte) error {
	return r.client.Publish(ctx, r.prefix+topic, payload).Err()
}

// Subscribe implements push.Broker. The subscription is confirmed before
// Subscribe returns, so nothing published after it returns is missed.
func (r *Redis) Subscribe(ctx context.Context, topic string) (<-chan []byte, error) {
	sub := r.client.Subscribe(ctx, r.prefix+topic)
	if _, err := sub.Receive(ctx); err != nil {
		_ = sub.Close()
		return nil, fmt.Errorf("subscribe %s: %w", topic, err)
	}
	out := make(chan []byte, bufferSize)
	in := sub.Channel()
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case msg, ok := <-in:
				if !ok {
					return
				}
				// Never block the reader loop on a slow consumer: drop.
				select {
				case out <- []byte(msg.Payload):
				default:
				}
			}
		}
	}()
	return out, nil
}
