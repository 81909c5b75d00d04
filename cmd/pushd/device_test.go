package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDeviceCommandReceivesAcksAndOpens runs `pushd device` against a real
// pushd: it registers, connects, prints the push it gets and reports it
// arrived and opened, which the job's counts show.
func TestDeviceCommandReceivesAcksAndOpens(t *testing.T) {
	t.Parallel()
	in := startInstance(t, testEnv(t))
	b := newBackend(t, in)

	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"device", "-url", in.base, "-app-key", b.appKey, "-installation", "sim-1", "-open"}, nil, w, io.Discard)
		w.Close()
	}()
	t.Cleanup(func() {
		cancel()
		require.Equal(t, 0, <-done)
	})

	lines := bufio.NewScanner(r)
	next := func() map[string]any {
		t.Helper()
		require.True(t, lines.Scan(), "pushd device stopped printing")
		var ev map[string]any
		require.NoError(t, json.Unmarshal(lines.Bytes(), &ev))
		return ev
	}
	reg := next()
	require.Equal(t, "registered", reg["event"])
	require.Equal(t, "connected", next()["event"])

	j := b.push("pushSimple", map[string]any{
		"target":  map[string]any{"deviceIDs": []string{reg["deviceID"].(string)}},
		"message": map[string]any{"title": "Hello", "body": "from the test"},
	})
	ev := next()
	require.Equal(t, "push", ev["event"])
	require.Equal(t, "Hello", ev["title"])
	b.waitJob(j.ID, func(j job) bool { return j.Counts.Opened == 1 }) // a delivery's last state: opened (after arrived)
}
