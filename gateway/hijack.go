package gateway

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
)

// Buffer sizes of an upgraded device connection. net/http hands a hijacked
// connection over with 4 KiB read and write buffers, which the WebSocket
// library keeps for the connection's life: 8 KiB of every idle device's
// memory. Device frames are small (at most 4 KiB in, a few hundred bytes
// out typically); larger ones simply take more than one system call.
const (
	connReadBuffer  = 512
	connWriteBuffer = 1024
)

// smallBuffers hands the WebSocket library smaller buffers on Hijack.
type smallBuffers struct {
	http.ResponseWriter
}

func (w smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	// Keep whatever the client already sent after the upgrade request.
	var r io.Reader = conn
	if n := brw.Reader.Buffered(); n > 0 {
		pending, _ := brw.Reader.Peek(n)
		r = io.MultiReader(bytes.NewReader(bytes.Clone(pending)), conn)
	}
	if err := brw.Writer.Flush(); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, bufio.NewReadWriter(bufio.NewReaderSize(r, connReadBuffer), bufio.NewWriterSize(conn, connWriteBuffer)), nil
}

// Unwrap lets http.ResponseController reach the original writer.
func (w smallBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }
