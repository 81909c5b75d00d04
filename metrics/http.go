package metrics

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// HTTP wraps h, counting requests and latency under the fixed route label.
// route must be the route pattern, never the raw path: the path is
// client-controlled and would make the label set unbounded.
func (m *Metrics) HTTP(route string, h http.Handler) http.Handler {
	// Resolve the route's children once so the per-request path only does
	// the (cheap) method/code lookups.
	requests := m.httpRequests.MustCurryWith(prometheus.Labels{"route": route})
	duration := m.httpDuration.MustCurryWith(prometheus.Labels{"route": route})
	inFlight := m.httpInFlight.WithLabelValues(route)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		inFlight.Inc()
		rw := &responseWriter{ResponseWriter: w}
		returned := false
		defer func() {
			inFlight.Dec()
			method := methodLabel(r.Method)
			code := rw.status
			switch {
			case rw.hijacked:
				// The upgrader wrote the 101 straight onto the raw connection.
				code = http.StatusSwitchingProtocols
			case !rw.wroteHeader && !returned:
				// The handler panicked before responding; net/http will
				// abort the connection, which the client sees as a failure.
				code = http.StatusInternalServerError
			case !rw.wroteHeader:
				code = http.StatusOK
			}
			requests.WithLabelValues(method, strconv.Itoa(code)).Inc()
			// A hijacked connection's lifetime (a WebSocket can stay open for
			// hours) is not request latency and would swamp the histogram;
			// in_flight already tracks those connections.
			if !rw.hijacked {
				duration.WithLabelValues(method).Observe(time.Since(start).Seconds())
			}
		}()
		h.ServeHTTP(rw, r)
		returned = true
	})
}

// methodLabel folds non-standard methods into one value, since r.Method is
// whatever the client sent and would otherwise be an unbounded label.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodConnect,
		http.MethodOptions, http.MethodTrace:
		return method
	default:
		return "OTHER"
	}
}

// responseWriter records the status code. Hijack and Flush are implemented
// directly because WebSocket and SSE code commonly type-asserts
// http.Hijacker/http.Flusher instead of using http.ResponseController; Unwrap
// lets ResponseController reach the rest (deadlines, full duplex).
type responseWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	hijacked    bool
}

func (w *responseWriter) WriteHeader(code int) {
	// A second final status has no effect on the wire; dropping it here
	// spares the "superfluous WriteHeader" log line that libraries which
	// answer after a failed upgrade would otherwise cause.
	if w.wroteHeader {
		return
	}
	// 1xx other than 101 are informational (e.g. 103 Early Hints) and are
	// followed by the real status, which is the one worth recording.
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.status = code
		w.wroteHeader = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.status = http.StatusOK
		w.wroteHeader = true
	}
	return w.ResponseWriter.Write(b)
}

func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *responseWriter) Flush() {
	_ = w.FlushError()
}

// FlushError is what http.ResponseController prefers over Flush, so callers
// using it still learn when the underlying writer cannot flush.
func (w *responseWriter) FlushError() error {
	err := http.NewResponseController(w.ResponseWriter).Flush()
	if err == nil && !w.wroteHeader {
		// Flushing commits an implicit 200.
		w.status = http.StatusOK
		w.wroteHeader = true
	}
	return err
}

func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, buf, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: hijack: %w", err)
	}
	w.hijacked = true
	return conn, buf, nil
}
