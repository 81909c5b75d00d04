package push

import (
	"context"

	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/push/core"
)

// withTx runs fn in a transaction of the service's client.
func (s *Service) withTx(ctx context.Context, fn func(tx *ent.Tx) error) error {
	return core.WithTx(ctx, s.client, fn)
}
