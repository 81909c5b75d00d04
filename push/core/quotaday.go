package core

import "time"

// QuotaDay is the date, in Beijing, of t: the day the Chinese vendors'
// daily counts belong to. Beijing is UTC+8 all year (China has no
// daylight saving time), so no time zone database is needed.
func QuotaDay(t time.Time) string { return t.In(beijing()).Format(time.DateOnly) }

// NextQuotaDay is the next midnight in Beijing after t, when those counts
// reset.
func NextQuotaDay(t time.Time) time.Time {
	y, m, d := t.In(beijing()).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, beijing())
}

func beijing() *time.Location { return time.FixedZone("CST", 8*60*60) }
