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

func TestStatementTimeoutParams(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    time.Duration
		want map[string]string
	}{
		{0, map[string]string{}},
		{30 * time.Second, map[string]string{"statement_timeout": "30000"}},
		{1500 * time.Millisecond, map[string]string{"statement_timeout": "1500"}},
		// Under a millisecond is not 0, which would turn it off.
		{time.Microsecond, map[string]string{"statement_timeout": "1"}},
	} {
		require.Equal(t, tc.want, statementTimeoutParams(tc.d), "%s", tc.d)
	}
}

func TestSetConfigStatement(t *testing.T) {
	t.Parallel()
	require.Empty(t, setConfigStatement(nil))
	require.Equal(t,
		"SELECT set_config('search_path', 'a, b', true), set_config('statement_timeout', '30000', true)",
		setConfigStatement(map[string]string{"statement_timeout": "30000", "search_path": "a, b"}))
	// Quoted as literals, whatever they hold.
	require.Equal(t, `SELECT set_config('x', 'it''s', true)`, setConfigStatement(map[string]string{"x": "it's"}))
}
