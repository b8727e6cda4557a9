package scheduler_test

import (
	"fmt"
	"time"

	"github.com/talentjourney/talentbot/scheduler"
)

// A daily 03:30 in Helsinki on the night clocks jump from 03:00 to 04:00
// fires once, at the jump; on the night they go back it fires once, at the
// first 03:30.
func ExampleNextAfter() {
	spec, _ := scheduler.ParseSpec("30 3 * * *")
	hel, _ := time.LoadLocation("Europe/Helsinki")
	for _, from := range []string{"2027-03-27T12:00:00Z", "2027-10-30T12:00:00Z"} {
		at, _ := time.Parse(time.RFC3339, from)
		for range 2 {
			at = scheduler.NextAfter(spec, hel, at)
			fmt.Println(at.UTC().Format(time.RFC3339), at.Format("15:04 -07:00"))
		}
	}
	// Output:
	// 2027-03-28T01:00:00Z 04:00 +03:00
	// 2027-03-29T00:30:00Z 03:30 +03:00
	// 2027-10-31T00:30:00Z 03:30 +03:00
	// 2027-11-01T01:30:00Z 03:30 +02:00
}

// A nudge that falls in quiet hours or on a public holiday moves to the
// next allowed time: 22:30 on the eve of Whit Monday in Germany moves to
// Tuesday 08:00.
func ExampleNextAllowed() {
	ber, _ := time.LoadLocation("Europe/Berlin")
	at := time.Date(2027, 5, 16, 22, 30, 0, 0, ber)
	fmt.Println(scheduler.NextAllowed(at, ber, scheduler.DefaultQuiet, "DE").Format(time.RFC3339))
	// Output: 2027-05-18T08:00:00+02:00
}
