package main

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/alicebob/miniredis/v2/server"
	"github.com/stretchr/testify/require"
)

// A gateway whose hub cannot start (Redis refuses its subscription to the
// node channel) stops the process at once with the hub's error and a
// non-zero exit, instead of serving devices no frame can reach.
func TestLifecycleGatewayHubFailureStopsServe(t *testing.T) {
	t.Parallel()
	redis := miniredis.RunT(t)
	redis.Server().SetPreHook(func(c *server.Peer, cmd string, _ ...string) bool {
		if cmd != "SUBSCRIBE" {
			return false
		}
		c.WriteError("ERR subscriptions are switched off here")
		return true
	})
	env := testEnv(t)
	env["PUSHD_REDIS_URL"] = "redis://" + redis.Addr()
	logs := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), []string{"gateway"}, func(k string) string { return env[k] }, io.Discard, logs)
	}()
	select {
	case code := <-done:
		require.Equal(t, 1, code, "log:\n%s", logs.String())
	case <-time.After(time.Minute):
		t.Fatalf("pushd kept running with a dead gateway; log:\n%s", logs.String())
	}
	require.Contains(t, logs.String(), "gateway hub: subscribe to the node channel: ERR subscriptions are switched off here")
	require.Contains(t, logs.String(), "pushd stopped with an error")
}

// The first component to fail stops every other, stage after stage in
// order with what runs between them, and is the error.
func TestLifecycleStopsStagesInOrder(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var events []string
	record := func(e string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	}
	stages := []stage{
		{components: []component{untilStopped("front", record)}, then: func(context.Context) { record("drained") }},
		{components: []component{untilStopped("worker", record)}, then: func(context.Context) { record("released") }},
		{components: []component{untilStopped("metrics", record), {name: "hub", run: func(context.Context) error {
			return errors.New("no Redis")
		}}}},
	}
	err := within(t, func() error {
		return runStages(context.Background(), stages, func(cause error) { record("stopping: " + cause.Error()) })
	})
	require.EqualError(t, err, "hub: no Redis")
	require.Equal(t, []string{"stopping: hub: no Redis", "front stopped", "drained", "worker stopped", "released", "metrics stopped"}, events)
}

// The end of ctx (a signal) stops everything cleanly; a component that
// returns before it is told to has failed, error or not.
func TestLifecycleEndsCleanlyOrNot(t *testing.T) {
	t.Parallel()
	ignore := func(string) {}
	ctx, cancel := context.WithCancel(context.Background())
	signal := component{name: "signal", run: func(own context.Context) error {
		cancel()
		<-own.Done()
		return nil
	}}
	stages := []stage{{components: []component{untilStopped("front", ignore)}}, {components: []component{signal}}}
	require.NoError(t, within(t, func() error { return runStages(ctx, stages, func(error) {}) }))

	quitter := component{name: "quitter", run: func(context.Context) error { return nil }}
	stages = []stage{{components: []component{untilStopped("front", ignore), quitter}}}
	err := within(t, func() error { return runStages(context.Background(), stages, func(error) {}) })
	require.EqualError(t, err, "quitter: stopped before it was told to")
}

// untilStopped is a component that runs until told to stop, and says so.
func untilStopped(name string, record func(string)) component {
	return component{name: name, run: func(ctx context.Context) error {
		<-ctx.Done()
		record(name + " stopped")
		return nil
	}}
}

// within runs f and fails the test if it does not return in 30 seconds.
func within(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("did not return")
		return nil
	}
}
