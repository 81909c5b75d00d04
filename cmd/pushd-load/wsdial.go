package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// raiseFileLimit lifts the soft limit on open files to the hard one: each
// simulated device holds a socket, and the default soft limit of many
// systems (1,024) is far below the thousands a run opens.
func raiseFileLimit(need int) error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return err
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return err
		}
	}
	if uint64(need) > l.Cur {
		return fmt.Errorf("%d sockets need more open files than this process may have (%d); lower -n or raise the hard limit", need, l.Cur)
	}
	return nil
}

// parseSources reads -sources: "" (the kernel picks the source address)
// or a range of last octets of 127.0.0.x, "2-9". Loopback has the whole
// 127.0.0.0/8, and each source address has its own ephemeral ports, so a
// run past about 28,000 connections to one gateway spreads over several.
func parseSources(s string) ([]net.IP, error) {
	if s == "" {
		return nil, nil
	}
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		hi = lo
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || a < 1 || b > 254 || a > b {
		return nil, fmt.Errorf("-sources %q: want a range of last octets of 127.0.0.x, e.g. 2-9", s)
	}
	ips := make([]net.IP, 0, b-a+1)
	for i := a; i <= b; i++ {
		ips = append(ips, net.IPv4(127, 0, 0, byte(i)))
	}
	return ips, nil
}

// spreadTransport is an HTTP transport whose connections take their source
// address from ips in turn (any when ips is empty).
func spreadTransport(ips []net.IP, idle int) *http.Transport {
	var next atomic.Uint64
	return &http.Transport{
		MaxIdleConnsPerHost: idle,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			d := net.Dialer{Timeout: 30 * time.Second}
			if len(ips) > 0 {
				d.LocalAddr = &net.TCPAddr{IP: ips[next.Add(1)%uint64(len(ips))]}
			}
			return d.DialContext(ctx, network, addr)
		},
	}
}

// splitURLs reads a comma-separated list of loopback base URLs.
func splitURLs(s string) ([]string, error) {
	var out []string
	for u := range strings.SplitSeq(s, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no URL in %q", s)
	}
	return out, loopbackOnly(out...)
}
