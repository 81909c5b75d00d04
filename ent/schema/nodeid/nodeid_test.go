package nodeid

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestNewIsValidAndSorted(t *testing.T) {
	t.Parallel()
	a, b := New("app"), New("app")
	require.True(t, a.Valid())
	require.Equal(t, "app", a.Prefix())
	require.Less(t, string(a), string(b), "IDs made later sort later")
}

func TestValid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id   ID
		want bool
	}{
		{"", false},
		{"app", false},
		{"_01ARZ3NDEKTSV4RRFFQ69G5FAV", false},
		{"app_", false},
		{"app_not-a-ulid", false},
		{"app_01ARZ3NDEKTSV4RRFFQ69G5FAV", true},
	} {
		require.Equal(t, tc.want, tc.id.Valid(), "ID %q", tc.id)
	}
}

func FuzzScanRoundTrip(f *testing.F) {
	f.Add("app_01ARZ3NDEKTSV4RRFFQ69G5FAV")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		var id ID
		require.NoError(t, id.Scan(s))
		v, err := id.Value()
		require.NoError(t, err)
		require.Equal(t, s, v)
		_ = id.Valid()
		_ = id.Prefix()
	})
}

func TestFloorSortsBetweenEarlierAndLaterIDs(t *testing.T) {
	t.Parallel()
	now := New("job")
	require.Less(t, string(Floor("job", time.Now().Add(-time.Second))), string(now))
	require.Less(t, string(now), string(Floor("job", time.Now().Add(time.Second))))
	require.True(t, Floor("job", time.Now()).Valid())
}
