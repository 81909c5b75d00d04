package channel

import (
	"time"

	"github.com/pushd/pushd/push/core"
)

// UntilBeijingMidnight is the time from now to the next midnight in
// Beijing, when the Chinese vendors' daily quotas (Xiaomi, OPPO, vivo,
// Honor, Meizu) reset.
func UntilBeijingMidnight(now time.Time) time.Duration { return core.NextQuotaDay(now).Sub(now) }
