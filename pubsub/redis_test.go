package pubsub_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/internal/testenv"
	"github.com/pushd/pushd/pubsub"
)

func setup(t *testing.T) *pubsub.Redis {
	t.Helper()
	c := testenv.Redis(t)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return pubsub.NewRedis(c, "pubsubtest:"+hex.EncodeToString(b)+":")
}

func TestPublishReachesSubscribers(t *testing.T) {
	t.Parallel()
	r := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := r.Subscribe(ctx, "topic")
	require.NoError(t, err)
	b, err := r.Subscribe(ctx, "topic")
	require.NoError(t, err)
	other, err := r.Subscribe(ctx, "other")
	require.NoError(t, err)

	require.NoError(t, r.Publish(ctx, "topic", []byte("hello")))
	require.Equal(t, "hello", string(<-a))
	require.Equal(t, "hello", string(<-b))
	select {
	case m := <-other:
		t.Fatalf("other topic got %q", m)
	default:
	}
}

// A subscriber that does not read loses messages; publishers never wait.
func TestSlowSubscriberDoesNotBlock(t *testing.T) {
	t.Parallel()
	r := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	slow, err := r.Subscribe(ctx, "t")
	require.NoError(t, err)
	fast, err := r.Subscribe(ctx, "t")
	require.NoError(t, err)
	const n = 200
	// Publish in lockstep with the fast reader: every message reaches it
	// while the slow one, which never reads, holds nobody back.
	for i := range n {
		require.NoError(t, r.Publish(ctx, "t", []byte{byte(i)}))
		select {
		case m := <-fast:
			require.Equal(t, byte(i), m[0])
		case <-ctx.Done():
			t.Fatalf("the fast reader got %d of %d: the slow one held it back", i, n)
		}
	}
	got := 0
	for len(slow) > 0 {
		<-slow
		got++
	}
	require.Less(t, got, n, "the slow one dropped what it could not hold")
}
