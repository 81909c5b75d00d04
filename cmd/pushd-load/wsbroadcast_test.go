package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A process holds at most 19,000 devices, but -merge adds up a run of
// several processes, so its -n is their total.
func TestWSBroadcastDeviceLimits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		ok   bool
	}{
		{"one process", []string{"-n", "19000"}, true},
		{"one process, too many", []string{"-n", "19001"}, false},
		{"merged run of 100,000", []string{"-merge", "a,b", "-n", "100000", "-rounds", "3"}, true},
		{"merged run, too many", []string{"-merge", "a,b", "-n", "1000001"}, false},
		{"merged run, no rounds", []string{"-merge", "a,b", "-n", "100000", "-rounds", "0"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseWSBroadcast(tc.args)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
}
