package core

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/ent/schema/enum"
)

// Credentials sealed before the registry were a union struct's JSON, one
// member set: they open as the same channel and the same member bytes.
func TestCredentialsReadTheSealedForm(t *testing.T) {
	t.Parallel()
	var c Credentials
	sealed := `{"huawei":{"appID":"1","clientSecret":"s"}}`
	require.NoError(t, json.Unmarshal([]byte(sealed), &c))
	require.Equal(t, enum.Channel("HUAWEI"), c.Channel)
	require.JSONEq(t, `{"appID":"1","clientSecret":"s"}`, string(c.JSON))
	again, err := json.Marshal(c)
	require.NoError(t, err)
	require.JSONEq(t, sealed, string(again))
}

func TestCredentialsRefuseOtherShapes(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`{}`, `{"a":{},"b":{}}`, `[]`, `"x"`, `null`} {
		var c Credentials
		err := json.Unmarshal([]byte(in), &c)
		if in == "null" {
			require.NoError(t, err)
			require.Equal(t, Credentials{}, c, "null leaves them unset")
			continue
		}
		require.Error(t, err, in)
	}
	_, err := json.Marshal(Credentials{})
	require.Error(t, err, "no channel, nothing to seal")
}

func TestChannelKeys(t *testing.T) {
	t.Parallel()
	for _, ch := range []enum.Channel{"APNS", "FCM", "HUAWEI", "XIAOMI"} {
		require.Equal(t, ch, ChannelOfKey(ChannelKey(ch)))
	}
}
