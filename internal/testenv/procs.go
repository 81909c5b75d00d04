package testenv

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// process is a server a test started, stopped and reaped at its cleanup.
type process struct {
	name string
	cmd  *exec.Cmd
	out  *lockedBuffer
}

// startProcess runs bin with args until the test ends; its output is shown
// when the test fails. A missing binary fails the test: what it stands for
// is part of what is tested.
func startProcess(t testing.TB, name, bin string, args ...string) *process {
	t.Helper()
	path, err := exec.LookPath(bin)
	require.NoError(t, err, "testenv: %s is required (%s)", bin, name)
	p := &process{name: name, cmd: exec.Command(path, args...), out: &lockedBuffer{}}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	setDeathSignal(p.cmd)
	require.NoError(t, p.cmd.Start(), "start %s", name)
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", p.name, p.out.String())
		}
	})
	return p
}

// lockedBuffer collects a process's output, written by exec's copying
// goroutines while a failing test may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freePort returns a loopback port nothing listens on now. With bus set,
// port+10000 is free as well (a Redis Cluster node's bus port).
func freePort(t testing.TB, bus bool) int {
	t.Helper()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		port := l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		if !bus {
			return port
		}
		if port+10000 > 65535 {
			continue
		}
		if b, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000)); err == nil {
			_ = b.Close()
			return port
		}
	}
	require.FailNow(t, "testenv: no free loopback port")
	return 0
}

// writeFile writes a generated configuration file into a directory the
// test removes, readable by a server that dropped its privileges.
func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := dir + "/" + name
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644), fmt.Sprintf("write %s", name))
	return path
}
