package auth_test

import (
	"context"
	"sync"
	"testing"

	"github.com/pushd/pushd/auth"
	"github.com/pushd/pushd/push/core"

	"github.com/stretchr/testify/require"
)

// A first start with no admin configured, in any mode, creates one admin
// with a one-time password: of replicas starting together exactly one
// creates it and shows its password, and it logs in with it. Later starts
// create nothing.
func TestFirstStartMakesOneAdmin(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	replicas := []*auth.Service{e.replica(t), e.replica(t), e.replica(t), e.replica(t)}
	passwords := make([]string, len(replicas))
	errs := make([]error, len(replicas))
	var wg sync.WaitGroup
	for i, svc := range replicas {
		wg.Go(func() { passwords[i], errs[i] = svc.EnsureAdmin(context.Background(), "", "") })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	var shown []string
	for _, p := range passwords {
		if p != "" {
			shown = append(shown, p)
		}
	}
	require.Len(t, shown, 1, "one replica creates the admin and shows its password")
	code, _, err := tryLogin(replicas[2], auth.FirstAdminEmail, shown[0], "192.0.2.10")
	require.NoError(t, err)
	require.Equal(t, core.Code(""), code)

	again, err := replicas[0].EnsureAdmin(context.Background(), "", "")
	require.NoError(t, err)
	require.Empty(t, again, "an admin exists: nothing is created or shown")
}
