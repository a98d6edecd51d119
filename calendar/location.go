package calendar

import (
	"sync"
	"time"

	// The binary carries the zone database, so Asia/Ho_Chi_Minh loads on a
	// bare container too.
	_ "time/tzdata"
)

// Zone is the IANA name of the zone of every planbot day and reminder.
const Zone = "Asia/Ho_Chi_Minh"

var location = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		// Vietnam has kept UTC+7 without daylight saving since 1975.
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
})

// Location returns Asia/Ho_Chi_Minh, or a fixed UTC+7 zone named ICT if
// the zone cannot be loaded.
func Location() *time.Location { return location() }
