package store

import (
	"testing"

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
