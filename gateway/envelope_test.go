package gateway

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEnvelopeRoundTrip(t *testing.T) {
	t.Parallel()
	in := envelope{
		Frames: []routed{{DeviceID: "dev_1", MessageID: "dlv_1", Frame: []byte(`{"type":"push"}`), ExpiresAt: 1_796_000_000_000_000}, {DeviceID: "dev_2", MessageID: "dlv_2", Frame: []byte{}}},
		Kick:   []kick{{DeviceID: "dev_3", ConnID: "c1"}},
	}
	out, err := decodeEnvelope(in.encode())
	require.NoError(t, err)
	require.Equal(t, in.Frames[0], out.Frames[0])
	require.Equal(t, in.Kick, out.Kick)
	require.Len(t, out.Frames, 2)

	// A version 1 envelope, from a node before expiries were routed, still
	// decodes, without them.
	v1, err := decodeEnvelope([]byte{1, 'F', 1, 'd', 1, 'm', 1, 'x'})
	require.NoError(t, err)
	require.Equal(t, []routed{{DeviceID: "d", MessageID: "m", Frame: []byte("x")}}, v1.Frames)
	for _, bad := range [][]byte{nil, {3}, {1, 'F'}, {2, 'F', 0, 0, 0}, {2, 'F', 0, 0, 0, 0x80}, {1, 'X', 0, 0}, {1, 'F', 200, 1}, {1, 'F', 0, 0}, {1, 'F', 0, 0, 0xff}} {
		_, err := decodeEnvelope(bad)
		require.Error(t, err)
	}
}

func FuzzDecodeEnvelope(f *testing.F) {
	f.Add(envelope{Frames: []routed{{DeviceID: "d", MessageID: "m", Frame: []byte("x")}}}.encode())
	f.Add([]byte{1, 'K', 1, 'd', 1, 'c'})
	f.Add([]byte{1, 'F', 1, 'd', 1, 'm', 1, 'x'})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEnvelope(b)
		if err != nil {
			return
		}
		// Whatever decodes survives a re-encoding unchanged.
		again, err := decodeEnvelope(e.encode())
		require.NoError(t, err)
		require.Equal(t, len(e.Frames), len(again.Frames))
		require.Equal(t, len(e.Kick), len(again.Kick))
		for i := range e.Frames {
			require.Equal(t, e.Frames[i].DeviceID, again.Frames[i].DeviceID)
			require.Equal(t, string(e.Frames[i].Frame), string(again.Frames[i].Frame))
			require.Equal(t, e.Frames[i].ExpiresAt, again.Frames[i].ExpiresAt)
		}
	})
}
