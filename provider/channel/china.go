package channel

import "time"

// UntilBeijingMidnight is the time from now to the next midnight in
// Beijing, when the Chinese vendors' daily quotas (Xiaomi, OPPO, vivo,
// Honor, Meizu) reset. Beijing is UTC+8 all year (China has no daylight
// saving time), so no time zone database is needed.
func UntilBeijingMidnight(now time.Time) time.Duration {
	beijing := time.FixedZone("CST", 8*60*60)
	t := now.In(beijing)
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, beijing).Sub(now)
}
