package providertest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ReceiptPost is one receipt callback a fake posted.
type ReceiptPost struct {
	Tokens []string
	// Header is the signature header's value, if the vendor signs
	// (Huawei's X-HUAWEI-CALLBACK-ID).
	Header string
	// Status is the HTTP status of the answer (0 when the post failed).
	Status int
	Answer string
	Err    error
	At     time.Time
}

// receiptBatch is one receipt post: its body and, for vendors that sign,
// the signature header made at the time of posting.
type receiptBatch struct {
	tokens      []string
	body        []byte
	contentType string
	header      func(at time.Time) (name, value string)
}

// receiptPoster posts receipts in the background, 8 at a time, and stops
// with its fake.
type receiptPoster struct {
	client *http.Client
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
	sem    chan struct{}
}

func (p *receiptPoster) start(c *http.Client) {
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	p.client, p.sem = c, make(chan struct{}, 8)
	p.ctx, p.cancel = context.WithCancel(context.Background())
}

func (p *receiptPoster) stop() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.cancel()
	p.wg.Wait()
}

// post sends batches to url without holding up the send's answer, and
// records each in out.
func (p *receiptPoster) post(batches []receiptBatch, url string, out *Log[ReceiptPost]) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.wg.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.wg.Done()
		for _, b := range batches {
			select {
			case p.sem <- struct{}{}:
			case <-p.ctx.Done():
				return
			}
			out.Add(p.postOne(b, url))
			<-p.sem
		}
	}()
}

func (p *receiptPoster) postOne(b receiptBatch, url string) ReceiptPost {
	post := ReceiptPost{Tokens: b.tokens, At: time.Now()}
	req, err := http.NewRequestWithContext(p.ctx, http.MethodPost, url, strings.NewReader(string(b.body)))
	if err != nil {
		post.Err = err
		return post
	}
	req.Header.Set("Content-Type", b.contentType)
	if b.header != nil {
		var name string
		name, post.Header = b.header(post.At)
		req.Header.Set(name, post.Header)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		post.Err = err
		return post
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	post.Status, post.Answer = resp.StatusCode, string(answer)
	return post
}
