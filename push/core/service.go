package core

import (
	"context"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// Broker carries small notifications between pushd processes (Redis
// pub/sub in production). Delivery is best effort: subscribers re-read
// state from the database, so a lost notification costs only latency.
type Broker interface {
	Publish(ctx context.Context, topic string, payload []byte) error
	// Subscribe delivers messages on topic until ctx ends. The channel is
	// closed then. A slow reader loses messages; it never slows publishers.
	Subscribe(ctx context.Context, topic string) (<-chan []byte, error)
}

// Clock is the time source, replaceable in tests.
type Clock func() time.Time

// Admission decides whether a push request may proceed: nil, or a
// RATE_LIMITED *Error with RetryAfter. key is the API key's ID, empty for
// a console user.
type Admission interface {
	Admit(ctx context.Context, app, key nodeid.ID) error
}
