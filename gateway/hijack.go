package gateway

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
)

// connBufferSize is the size of each of a device connection's read and
// write buffers. Device frames are small (acks, events, pushes of at most a
// few KiB), and net/http's 4 KiB pair, which the WebSocket library keeps for
// the life of the connection, was a third of an idle device's memory.
// Larger frames still work: bufio reads and writes past its buffer directly.
const connBufferSize = 1024

// smallBuffers hands the WebSocket library a connection with small buffers
// in place of the ones net/http allocated for the request.
type smallBuffers struct {
	http.ResponseWriter
}

func (w smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("gateway: response writer cannot hijack")
	}
	nc, brw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	r := brw.Reader
	switch n := brw.Reader.Buffered(); {
	case n == 0:
		r = bufio.NewReaderSize(nc, connBufferSize)
	case n <= connBufferSize:
		// Bytes the client sent right behind its upgrade request (at least
		// the one net/http's background read took) already sit in
		// net/http's reader; they are the start of the WebSocket stream.
		// They must be in the new reader's buffer, not only in its source:
		// the library re-sources the reader it gets and keeps only what is
		// buffered.
		early, _ := brw.Reader.Peek(n)
		r = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(early)), nc), connBufferSize)
		if _, err := r.Peek(n); err != nil {
			nc.Close()
			return nil, nil, err
		}
	}
	// The response head was flushed before Hijack returned, so nothing is
	// lost by not using net/http's writer.
	return nc, bufio.NewReadWriter(r, bufio.NewWriterSize(nc, connBufferSize)), nil
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w smallBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }
