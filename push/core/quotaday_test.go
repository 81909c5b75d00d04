package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestQuotaDay(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		at, day, next string
	}{
		{"2026-12-06T15:59:59Z", "2026-12-06", "2026-12-06T16:00:00Z"},
		{"2026-12-06T16:00:00Z", "2026-12-07", "2026-12-07T16:00:00Z"},
		{"2026-12-31T23:00:00Z", "2027-01-01", "2027-01-01T16:00:00Z"},
	} {
		at, _ := time.Parse(time.RFC3339, r.at)
		require.Equal(t, r.day, QuotaDay(at), r.at)
		next, _ := time.Parse(time.RFC3339, r.next)
		require.True(t, next.Equal(NextQuotaDay(at)), "%s: %s", r.at, NextQuotaDay(at))
	}
}
