package gateway

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDecodeClientFrame(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"type":"auth","token":"dt_x"}`, true},
		{`{"type":"auth"}`, false},
		{`{"type":"ack","messageID":"dlv_1"}`, true},
		{`{"type":"ack"}`, false},
		{`{"type":"event","messageID":"dlv_1","event":"opened"}`, true},
		{`{"type":"event","messageID":"dlv_1","event":"clicked"}`, false},
		{`{"type":"resume","afterSeq":0}`, true},
		{`{"type":"resume","afterSeq":-1}`, false},
		{`{"type":"resume"}`, false},
		{`{"type":"resume","afterSeq":"3"}`, false},
		{`{"type":"welcome"}`, false},
		{`{"type":"ack","messageID":"dlv_1","extra":1}`, false},
		{`{"type":"ack","messageID":"dlv_1"} {}`, false},
		{`{"type":"ack","messageID":"dlv_1"}}`, false}, // dec.More let a stray '}' or ']' through
		{`{"type":"ack","messageID":"dlv_1"}]`, false},
		{"{\"type\":\"ack\",\"messageID\":\"dlv_1\"} \n", true},
		{`{"tYpe":"ack","messageID":"dlv_1"}`, false}, // keys are exact, as documented
		{`{"type":"ack","messageID":"dlv_1","messageID":"dlv_2"}`, false},
		{`not json`, false},
		{``, false},
	} {
		_, err := DecodeClientFrame([]byte(tc.in))
		require.Equal(t, tc.ok, err == nil, "%s: %v", tc.in, err)
	}
	big := make([]byte, MaxClientFrame+1)
	_, err := DecodeClientFrame(big)
	require.Error(t, err)
}

func FuzzDecodeClientFrame(f *testing.F) {
	for _, s := range []string{`{"type":"auth","token":"dt_x"}`, `{"type":"resume","afterSeq":5}`,
		`{"type":"event","messageID":"dlv_1","event":"opened"}`, `{"type":"ack","messageID":"x"}`, `[]`, `{"type":null}`,
		`{"type":"ack","messageID":"x"}}`, `{"TYPE":"ack","messageID":"x"}`, `{"type":"ack","type":"auth","token":"t"}`} {
		f.Add([]byte(s))
	}
	documented := map[string]bool{"type": true, "token": true, "messageID": true, "event": true, "afterSeq": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := DecodeClientFrame(data)
		if err != nil {
			return
		}
		// One JSON object and nothing after it, whose keys are the
		// documented ones, spelt exactly, each once.
		require.True(t, json.Valid(data), "accepted %q", data)
		var tree map[string]any
		require.NoError(t, json.Unmarshal(data, &tree))
		require.Equal(t, keysInText(data), keysInTree(tree), "accepted a repeated key in %q", data)
		for k := range tree {
			require.True(t, documented[k], "accepted key %q", k)
		}
		// What is accepted survives a re-encoding.
		again, err := DecodeClientFrame(marshal(t, fr))
		require.NoError(t, err)
		require.Equal(t, fr, again)
		// Whatever is accepted satisfies its type's rules.
		switch fr.Type {
		case FrameAuth:
			require.NotEmpty(t, fr.Token)
		case FrameAck, FrameEvent:
			require.NotEmpty(t, fr.MessageID)
		case FrameResume:
			require.NotNil(t, fr.AfterSeq)
			require.GreaterOrEqual(t, *fr.AfterSeq, int64(0))
		default:
			t.Fatalf("accepted unknown type %q", fr.Type)
		}
	})
}
