package deliver

import (
	"context"

	"github.com/pushd/pushd/ent/delivery"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// finish moves PENDING deliveries to a final status.
func (s *Service) finish(ctx context.Context, ids []nodeid.ID, to delivery.Status, reason string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	return s.client.Delivery.Update().
		Where(delivery.IDIn(ids...), delivery.StatusEQ(delivery.StatusPENDING)).
		SetStatus(to).SetLastError(reason).Save(ctx)
}
