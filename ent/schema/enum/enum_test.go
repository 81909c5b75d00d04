package enum

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestUnmarshalGQL(t *testing.T) {
	t.Parallel()
	var c Channel
	require.NoError(t, c.UnmarshalGQL("APNS"))
	require.Equal(t, ChannelAPNs, c)
	require.ErrorContains(t, c.UnmarshalGQL("SMS"), `"SMS" is not a valid Channel`)
	require.Error(t, c.UnmarshalGQL(3))

	var buf bytes.Buffer
	PlatformIOS.MarshalGQL(&buf)
	require.Equal(t, `"IOS"`, buf.String())

	var r Role
	require.NoError(t, r.UnmarshalGQL("VIEWER"))
	var p Platform
	require.Error(t, p.UnmarshalGQL("SYMBIAN"))
	var k PushKind
	require.NoError(t, k.UnmarshalGQL("BROADCAST"))
}

func TestChannelVendor(t *testing.T) {
	t.Parallel()
	require.False(t, ChannelSelf.Vendor())
	require.True(t, ChannelXiaomi.Vendor())
	require.False(t, Channel("NOPE").Vendor())
}
