package pipeline_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/pipeline"
)

// Every task kind: its ID follows kind/key/occasion, its payload decodes
// back to the same arguments, and its retry limit travels with it.
func TestTasksRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args    pipeline.Args
		id      string
		retries int
	}{
		{pipeline.Dispatch{Job: "job_1"}, "push:dispatch/job_1/accepted", 20},
		{pipeline.Send{Job: "job_1", After: "dev_a", Through: "dev_z"}, "push:send/job_1:dev_a:dev_z/accepted", 8},
		{pipeline.Send{Job: "job_1", Devices: []nodeid.ID{"dev_b", "dev_c"}}, "push:send/job_1:dev:dev_b/accepted", 8},
		{pipeline.Webhook{Delivery: "whd_1"}, "webhook:deliver/whd_1/accepted", pipeline.MaxWebhookAttempts - 1},
	} {
		task := pipeline.NewTask(tc.args, pipeline.QueueDefault, "accepted")
		require.Equal(t, tc.id, task.ID)
		require.Equal(t, tc.args.Kind(), task.Type)
		require.Equal(t, tc.retries, task.MaxRetries)
		var back pipeline.Args
		var ok bool
		switch tc.args.(type) {
		case pipeline.Dispatch:
			back, ok = pipeline.Decode[pipeline.Dispatch](task.Payload)
		case pipeline.Send:
			back, ok = pipeline.Decode[pipeline.Send](task.Payload)
		case pipeline.Webhook:
			back, ok = pipeline.Decode[pipeline.Webhook](task.Payload)
		}
		require.True(t, ok)
		require.Equal(t, tc.args, back)
	}
}

// A payload that does not name its work is refused, never retried.
func TestMalformedPayloadsAreRefused(t *testing.T) {
	t.Parallel()
	for _, p := range []string{``, `{}`, `[]`, `{"job": ""}`, `{"job": 7}`, `not json`} {
		_, ok := pipeline.Decode[pipeline.Send]([]byte(p))
		require.False(t, ok, "%q", p)
		_, ok = pipeline.Decode[pipeline.Dispatch]([]byte(p))
		require.False(t, ok, "%q", p)
	}
	_, ok := pipeline.Decode[pipeline.Webhook]([]byte(`{"job": "job_1"}`))
	require.False(t, ok, "a webhook task names its batch")
}

func FuzzDecodeSend(f *testing.F) {
	f.Add([]byte(`{"job":"job_1","devices":["dev_1"]}`))
	f.Add([]byte(`{"job":"job_1","after":"a","through":"b"}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		a, ok := pipeline.Decode[pipeline.Send](payload)
		if !ok {
			return
		}
		// What decodes re-encodes to a task that decodes the same; an empty
		// device list and none are the same range (devices is omitempty).
		if len(a.Devices) == 0 {
			a.Devices = nil
		}
		again, ok := pipeline.Decode[pipeline.Send](pipeline.NewTask(a, pipeline.QueueLow, "f").Payload)
		require.True(t, ok)
		require.Equal(t, a, again)
	})
}
