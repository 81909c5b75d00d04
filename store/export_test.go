package store

import "context"

// MigrateUnpartitioned makes the schema as it was before deliveries were
// partitioned, for the tests of adopting such a table.
func MigrateUnpartitioned(ctx context.Context, s *Stores) error { return create(ctx, s.Ent) }
