package gateway

import (
	"runtime/debug"
	"sync"
	"time"
)

// After a node starts, or another one stops, thousands of devices connect
// at once: handshakes, registrations and backlog reads allocate, and once
// they are answered that memory is garbage. With the default GOGC the
// runtime keeps freed memory up to twice the live heap and hands it back
// to the kernel only slowly, so a node that took a reconnection storm
// would sit at about 1.5 times its connections' own memory, which is what
// its memory limit and autoscaler see (measured: 22–24 KB of RSS per idle
// connection against 14–16 KB live; BENCHMARKS.md, "Device gateway"). So
// when a storm's backlog reads are all answered the hub returns the freed
// memory at once: one full collection, at most once a minute.
const (
	// stormReads is how many backlog reads make a storm worth a release.
	stormReads = 1000
	// releaseEvery spaces releases out.
	releaseEvery = time.Minute
)

// backlogTracker counts the backlog reads in progress and since the last
// release.
type backlogTracker struct {
	mu          sync.Mutex
	active      int
	since       int
	lastRelease time.Time
	// release returns freed memory to the kernel (debug.FreeOSMemory).
	release func()
	now     func() time.Time
}

func newBacklogTracker() *backlogTracker {
	return &backlogTracker{release: debug.FreeOSMemory, now: time.Now}
}

// begin records a backlog read that starts.
func (b *backlogTracker) begin() {
	b.mu.Lock()
	b.active++
	b.since++
	b.mu.Unlock()
}

// end records one that ended, and releases memory when it was the last of
// a storm.
func (b *backlogTracker) end() {
	b.mu.Lock()
	b.active--
	due := b.active == 0 && b.since >= stormReads && b.now().Sub(b.lastRelease) >= releaseEvery
	if due {
		b.since, b.lastRelease = 0, b.now()
	}
	b.mu.Unlock()
	if due {
		b.release() // the caller's goroutine: a connection's short-lived backlog reader
	}
}
