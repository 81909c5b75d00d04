package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// PgBouncerURL starts a PgBouncer in transaction pooling in front of the
// PostgreSQL of databaseURL (a DatabaseURL) and returns the same URL
// through it. It hands server connections out in turn
// (server_round_robin), so consecutive transactions of one client land on
// different server connections, as they may under load: whatever relies
// on a session fails at once instead of now and then. pgbouncer is
// required: the test fails without it. It stops at the test's cleanup.
func PgBouncerURL(t testing.TB, databaseURL string) string {
	t.Helper()
	u, err := url.Parse(databaseURL)
	require.NoError(t, err)
	dir := t.TempDir()
	// Run as root, PgBouncer refuses to start unless told whom to become,
	// and that user must read its configuration.
	require.NoError(t, os.Chmod(dir, 0o755))
	port := freePort(t, false)
	conf := writeFile(t, dir, "pgbouncer.ini", fmt.Sprintf(`[databases]
* = host=%s port=%s user=%s

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = any
pool_mode = transaction
server_round_robin = 1
default_pool_size = 10
max_client_conn = 500
`, u.Hostname(), portOf(u), u.User.Username(), port))
	args := []string{conf}
	if os.Geteuid() == 0 {
		args = append([]string{"-u", "nobody"}, args...)
	}
	startProcess(t, "pgbouncer", "pgbouncer", args...)
	through := *u
	through.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	waitAnswers(t, through)
	return through.String()
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	return "5432"
}

// waitAnswers waits until a query through u succeeds. The search_path of a
// test URL is left out: PgBouncer refuses startup parameters it does not
// track, which is what pushd's transaction pool mode is about.
func waitAnswers(t testing.TB, u url.URL) {
	t.Helper()
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	db, err := sql.Open("postgres", u.String())
	require.NoError(t, err)
	defer db.Close()
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return db.PingContext(ctx) == nil
	}, 10*time.Second, 20*time.Millisecond, "pgbouncer answers")
}
