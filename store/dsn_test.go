package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestWithRuntimeParam(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"postgres://u@h:5432/db?sslmode=disable", "postgres://u@h:5432/db?sslmode=disable&synchronous_commit=off"},
		{"postgresql://u@h/db", "postgresql://u@h/db?synchronous_commit=off"},
		{"host=h user=u dbname=db", "host=h user=u dbname=db synchronous_commit=off"},
	} {
		require.Equal(t, tc.want, withRuntimeParam(tc.in, "synchronous_commit", "off"), tc.in)
	}
}

func TestWithStatementTimeout(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		d    time.Duration
		want string
	}{
		{"postgres://u@h/db", 0, "postgres://u@h/db"},
		{"postgres://u@h/db?sslmode=disable", 30 * time.Second, "postgres://u@h/db?sslmode=disable&statement_timeout=30000"},
		{"postgres://u@h/db?statement_timeout=0", 1500 * time.Millisecond, "postgres://u@h/db?statement_timeout=1500"},
		{"host=h dbname=db", time.Minute, "host=h dbname=db statement_timeout=60000"},
		// Under a millisecond is not 0, which would turn it off.
		{"postgres://u@h/db", time.Microsecond, "postgres://u@h/db?statement_timeout=1"},
	} {
		require.Equal(t, tc.want, withStatementTimeout(tc.in, tc.d), "%s %s", tc.in, tc.d)
	}
}
