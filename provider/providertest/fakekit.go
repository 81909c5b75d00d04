package providertest

import (
	"crypto/rand"
	"sync"
)

// faultQueue is the answers a fake gives instead of handling requests, in
// the order they were asked for, each for a number of requests.
type faultQueue[T any] struct {
	mu     sync.Mutex
	queued []queuedFault[T]
}

type queuedFault[T any] struct {
	n     int
	fault T
}

// add queues fault for the next n requests, after those already queued.
func (q *faultQueue[T]) add(n int, fault T) {
	if n <= 0 {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queued = append(q.queued, queuedFault[T]{n: n, fault: fault})
}

// next takes the fault for one request, if one is queued.
func (q *faultQueue[T]) next() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.queued) == 0 {
		var zero T
		return zero, false
	}
	ft := q.queued[0].fault
	if q.queued[0].n--; q.queued[0].n <= 0 {
		q.queued = q.queued[1:]
	}
	return ft, true
}

// fillSecrets sets every empty one of secrets to a random text, for
// credentials a test leaves to the fake.
func fillSecrets(secrets ...*string) {
	for _, v := range secrets {
		if *v == "" {
			*v = rand.Text()
		}
	}
}
