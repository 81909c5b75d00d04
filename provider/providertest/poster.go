package providertest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// receiptPost is one receipt callback a fake posted, as the poster saw it.
type receiptPost struct {
	URL, ContentType, Body string
	// Status is the callback's HTTP status, Err the error of a post that
	// got no answer.
	Status int
	Err    string
	At     time.Time
}

// poster posts the receipts of the fakes whose vendors call back (Xiaomi,
// OPPO): a bounded queue that never blocks an answer (a full queue drops
// and counts), a few workers, and a hook that records each post.
type poster struct {
	client  *http.Client
	record  func(receiptPost)
	queue   chan receiptPost
	dropped atomic.Int64
	ctx     context.Context
	stop    context.CancelFunc
	workers sync.WaitGroup
}

func startPoster(client *http.Client, workers, queue int, record func(receiptPost)) *poster {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	ctx, stop := context.WithCancel(context.Background())
	p := &poster{client: client, record: record, queue: make(chan receiptPost, queue), ctx: ctx, stop: stop}
	for range workers {
		p.workers.Go(p.run)
	}
	return p
}

// post queues one callback.
func (p *poster) post(url, contentType, body string) {
	select {
	case p.queue <- receiptPost{URL: url, ContentType: contentType, Body: body}:
	default:
		p.dropped.Add(1)
	}
}

// close stops the workers; queued posts are dropped.
func (p *poster) close() {
	p.stop()
	p.workers.Wait()
}

func (p *poster) run() {
	for {
		select {
		case <-p.ctx.Done():
			return
		case j := <-p.queue:
			p.send(j)
		}
	}
}

func (p *poster) send(j receiptPost) {
	req, err := http.NewRequestWithContext(p.ctx, http.MethodPost, j.URL, strings.NewReader(j.Body))
	if err == nil {
		req.Header.Set("Content-Type", j.ContentType)
		var resp *http.Response
		if resp, err = p.client.Do(req); err == nil {
			j.Status = resp.StatusCode
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			_ = resp.Body.Close()
		}
	}
	if err != nil {
		j.Err = err.Error()
	}
	j.At = time.Now()
	p.record(j)
}
