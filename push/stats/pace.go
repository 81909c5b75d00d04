package stats

import (
	"sync"
	"time"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// statsPace spaces out the statistics counts of each job. A count reads
// every delivery of the job with its device (a 100,000-device broadcast
// takes about a third of a second of the database per count), and job
// refreshes come every tick while a job moves: counted at each, a large
// broadcast's statistics would take a good part of the database that the
// broadcast itself needs. So a job is counted again only once four times
// its last count's duration has passed; a small job, whose count takes
// milliseconds, is counted at every refresh. A job whose count was put off
// stays marked, so its counts catch up on a later refresh.
type statsPace struct {
	mu   sync.Mutex
	jobs map[nodeid.ID]paced
	// swept is when jobs not counted for a minute were last forgotten.
	swept time.Time
}

type paced struct {
	at   time.Time     // when the last count started
	cost time.Duration // how long it took
}

// statsPaceFactor is how many times a count's duration must pass before
// the job is counted again: counting then takes at most a fifth of one
// database connection per moving job.
const statsPaceFactor = 4

// due says whether job may be counted at now.
func (p *statsPace) due(job nodeid.ID, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	last, ok := p.jobs[job]
	return !ok || now.Sub(last.at) >= statsPaceFactor*last.cost
}

// counted records a count of job that started at and took cost, and
// forgets jobs not counted for a minute.
func (p *statsPace) counted(job nodeid.ID, at time.Time, cost time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.jobs == nil {
		p.jobs = map[nodeid.ID]paced{}
	}
	if at.Sub(p.swept) > time.Minute {
		for id, j := range p.jobs {
			if at.Sub(j.at) > time.Minute {
				delete(p.jobs, id)
			}
		}
		p.swept = at
	}
	p.jobs[job] = paced{at: at, cost: cost}
}

// Counted records that a count of job began at and took cost, so the
// next is due only after the pace's wait: the pipeline's tests stand in
// for a slow count with it.
func (s *Service) Counted(job nodeid.ID, at time.Time, cost time.Duration) {
	s.pace.counted(job, at, cost)
}
