package auth

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse battery")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$"))
	ok, err := CheckPassword(h, "correct horse battery")
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = CheckPassword(h, "correct horse batterY")
	require.NoError(t, err)
	require.False(t, ok)

	h2, err := HashPassword("correct horse battery")
	require.NoError(t, err)
	require.NotEqual(t, h, h2, "salted")

	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=19456,t=2,p=1$!!$AAAA", "plain"} {
		_, err := CheckPassword(bad, "x")
		require.Error(t, err, bad)
	}
}
