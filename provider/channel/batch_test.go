package channel

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/jsontype"
	"github.com/pushd/pushd/push/core"
)

func TestShareBody(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	a, b := jsontype.Message{Title: "a"}, jsontype.Message{Title: "b"}
	msgs := []core.Outgoing{
		{JobID: "j1", Token: "t0", Message: a, ExpiresAt: at},
		{JobID: "j1", Token: "t1", Message: b, ExpiresAt: at},
		{JobID: "j1", Token: "t2", Message: a, ExpiresAt: at.Add(500 * time.Millisecond)}, // the same second
		{JobID: "j2", Token: "t3", Message: a, ExpiresAt: at},
		{JobID: "j1", Token: "t 4", Message: a, ExpiresAt: at},
		{JobID: "j1", Token: "t5", Message: a, ExpiresAt: at.Add(time.Second)},
		{JobID: "j1", Token: "t6", Message: a, ExpiresAt: at},
		{JobID: "j1", Token: "t7", Message: jsontype.Message{Payload: map[string]any{"c": make(chan int)}}},
	}
	res := make([]core.Result, len(msgs))
	got := ShareBody("V", msgs, 2, res)
	require.Equal(t, [][]int{{0, 2}, {6}, {1}, {3}, {5}}, got)
	require.Equal(t, core.Result{Outcome: core.OutcomeTokenDead, Reason: "V: malformed token"}, res[4])
	require.Equal(t, core.OutcomeFailed, res[7].Outcome)
	require.Equal(t, []core.Outgoing{msgs[0], msgs[2]}, Pick(msgs, got[0]))
}
