package graph_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/graph/model"
	"github.com/pushd/pushd/push/core"
)

// The API's MessageClassification and the domain's list are one list.
func TestClassificationEnumFollowsTheDomain(t *testing.T) {
	t.Parallel()
	got := make([]string, 0, len(model.AllMessageClassification))
	for _, c := range model.AllMessageClassification {
		got = append(got, string(c))
	}
	slices.Sort(got)
	require.Equal(t, core.Classifications(), got)
}

// A push keeps its classification, and the API refuses a value that is
// none.
func TestPushKeepsItsClassification(t *testing.T) {
	t.Parallel()
	b := setup(t)
	app := b.createApp("classification")
	dev := b.newDevice(app, "i-classification")
	send := `mutation($app: ID!, $d: ID!, $c: MessageClassification) { pushSimple(input: {appID: $app, target: {deviceIDs: [$d]}, message: {title: "Order shipped", classification: $c}}) { id message { classification } } }`
	r := b.ok(send, map[string]any{"app": app, "d": string(dev.ID), "c": "EXPRESS"})
	require.Equal(t, "EXPRESS", path(r, "pushSimple", "message", "classification"))
	r = b.ok(send, map[string]any{"app": app, "d": string(dev.ID), "c": nil})
	require.Nil(t, path(r, "pushSimple", "message", "classification"))
	require.NotEmpty(t, b.do(send, map[string]any{"app": app, "d": string(dev.ID), "c": "GOSSIP"}).Errors)
}
