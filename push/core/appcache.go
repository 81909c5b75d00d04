package core

import (
	"sync"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// AppCacheTTL is how long a process keeps what it read of an app's
// configuration (channel routes, webhooks) before reading it again: a
// change saved on another node is used within this time; one saved here
// is used at once (the saver forgets the entry).
const AppCacheTTL = 2 * time.Second

// AppCache keeps one value per app for AppCacheTTL.
type AppCache[T any] struct {
	mu      sync.Mutex
	entries map[nodeid.ID]appCached[T]
}

type appCached[T any] struct {
	at time.Time
	v  T
}

// Get returns app's value if it was put less than AppCacheTTL before now.
func (c *AppCache[T]) Get(app nodeid.ID, now time.Time) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[app]
	if !ok || now.Sub(e.at) >= AppCacheTTL || now.Before(e.at) {
		var zero T
		return zero, false
	}
	return e.v, true
}

func (c *AppCache[T]) Put(app nodeid.ID, now time.Time, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[nodeid.ID]appCached[T]{}
	}
	c.entries[app] = appCached[T]{at: now, v: v}
}

func (c *AppCache[T]) Forget(app nodeid.ID) {
	c.mu.Lock()
	delete(c.entries, app)
	c.mu.Unlock()
}
