package graph_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The console's push search: a title's words, or the task name or
// message key, in one box (an or of filters).
func TestPushJobsByMessageText(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("search")
	dev := b.newDevice(app, "i-search")
	send := `mutation($app: ID!, $d: ID!, $title: String!, $task: String!) { pushSimple(input: {appID: $app, target: {deviceIDs: [$d]}, message: {title: $title}, options: {taskName: $task}}) { id } }`
	b.ok(send, map[string]any{"app": app, "d": string(dev.ID), "title": "双十一大促开始", "task": "promo"})
	b.ok(send, map[string]any{"app": app, "d": string(dev.ID), "title": "Order shipped", "task": "shipping"})
	find := `query($w: PushJobWhereInput) { pushJobs(where: $w) { totalCount } }`
	for q, want := range map[string]float64{"大促": 1, "ORDER": 1, "promo": 1, "nothing": 0} {
		w := map[string]any{"appID": app, "or": []any{map[string]any{"taskNameContainsFold": q}, map[string]any{"messageContains": q}}}
		require.Equal(t, want, path(b.ok(find, map[string]any{"w": w}), "pushJobs", "totalCount"), q)
	}
	r := b.do(find, map[string]any{"w": map[string]any{"appID": app, "messageContains": strings.Repeat("x", 1025)}})
	require.Equal(t, "INVALID_ARGUMENT", r.code())
}
