package gateway

import (
	"sync"
	"sync/atomic"
)

// After a node restarts, every device it held reconnects within seconds,
// and each one's handshake and resume is a few round trips to the
// database and Redis. A node runs a few at a time (its turns), so as not
// to take its process's database pool from the API, and one device per
// turn the round trips' latency bounds it: at 30 ms a round trip (two
// busy cores shared with everything else), six turns admitted about 50
// devices a second, and 12,000 devices took three minutes to come back.
// So the work queues, and whoever holds a turn does everything queued by
// then, up to a batch: one statement or pipeline for all of it. When a
// node is quiet, a batch holds one device, as it did before.

// queued is one device's wait in a batchQueue.
type queued[T any] struct {
	v T
	// state moves from waiting to taken (by a batch) or abandoned (by its
	// device, tired of waiting); whichever comes first wins.
	state atomic.Int32
	// done is closed by the batch once v holds its outcome.
	done chan struct{}
}

const (
	stateWaiting int32 = iota
	stateTaken
	stateAbandoned
)

// batchQueue holds the work waiting for a batch.
type batchQueue[T any] struct {
	mu      sync.Mutex
	waiting []*queued[T]
}

func (q *batchQueue[T]) push(v T) *queued[T] {
	it := &queued[T]{v: v, done: make(chan struct{})}
	q.mu.Lock()
	q.waiting = append(q.waiting, it)
	q.mu.Unlock()
	return it
}

// take removes up to n waiting items and marks them taken, dropping the
// abandoned ones it passes.
func (q *batchQueue[T]) take(n int) []*queued[T] {
	q.mu.Lock()
	defer q.mu.Unlock()
	var batch []*queued[T]
	i := 0
	for ; i < len(q.waiting) && len(batch) < n; i++ {
		if it := q.waiting[i]; it.state.CompareAndSwap(stateWaiting, stateTaken) {
			batch = append(batch, it)
		}
	}
	rest := copy(q.waiting, q.waiting[i:])
	clear(q.waiting[rest:])
	q.waiting = q.waiting[:rest]
	return batch
}

// Len is how many items wait (abandoned ones included until a batch
// passes them).
func (q *batchQueue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting)
}

// await waits until the batch holding item it is done. Whenever the
// caller holds one of turns meanwhile, it runs a batch of up to n waiting
// items with run, which sets each item's outcome and closes its done.
// It is false when stop or quit ended the wait before a batch took it.
func (q *batchQueue[T]) await(it *queued[T], turns turns, n int, run func([]*queued[T]), stop, quit <-chan struct{}) bool {
	free := turns
	for {
		select {
		case <-it.done:
			return true
		case free <- struct{}{}:
			batch := q.take(n)
			if len(batch) > 0 {
				run(batch)
			}
			turns.give()
			if len(batch) == 0 {
				// Nothing waited, so it is in a batch already: only its
				// outcome is left to wait for.
				free = nil
			}
		case <-stop:
			return q.abandon(it)
		case <-quit:
			return q.abandon(it)
		}
	}
}

// abandon withdraws item it from the queue unless a batch has it already,
// and then waits for that batch, which will not be long.
func (q *batchQueue[T]) abandon(it *queued[T]) bool {
	if it.state.CompareAndSwap(stateWaiting, stateAbandoned) {
		return false
	}
	<-it.done
	return true
}
