package scheduler

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// QuietHours is a daily window of local wall-clock time, [Start, End), in
// which movable jobs do not fire. Start and End are minutes after local
// midnight (0-1439); the window wraps midnight when Start > End and is empty
// when Start == End. The zero value means DefaultQuiet; set Off for none.
type QuietHours struct {
	Start, End int
	// Off turns quiet hours off, whatever Start and End say.
	Off bool
}

// DefaultQuiet is [21:00, 08:00) local, the quiet hours of a person who has
// not chosen their own.
var DefaultQuiet = QuietHours{Start: 21 * 60, End: 8 * 60}

// NoQuiet has no quiet hours.
var NoQuiet = QuietHours{Off: true}

// effective resolves the zero value to DefaultQuiet.
func (q QuietHours) effective() QuietHours {
	if !q.Off && q.Start == 0 && q.End == 0 {
		return DefaultQuiet
	}
	return q
}

// Contains reports whether the local wall-clock time of t (in t's location)
// falls inside the quiet hours.
func (q QuietHours) Contains(t time.Time) bool {
	q = q.effective()
	if q.Off || q.Start == q.End {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	if q.Start < q.End {
		return m >= q.Start && m < q.End
	}
	return m >= q.Start || m < q.End
}

// String formats q as "21:00-08:00", or "off".
func (q QuietHours) String() string {
	q = q.effective()
	if q.Off {
		return "off"
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", q.Start/60, q.Start%60, q.End/60, q.End%60)
}

// ParseQuiet parses "HH:MM-HH:MM" (for example "22:00-07:30") or "off".
func ParseQuiet(s string) (QuietHours, error) {
	if s == "off" {
		return NoQuiet, nil
	}
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return QuietHours{}, fmt.Errorf("quiet hours %q: want HH:MM-HH:MM", s)
	}
	a, err := parseHHMM(from)
	if err != nil {
		return QuietHours{}, fmt.Errorf("quiet hours %q: %v", s, err)
	}
	b, err := parseHHMM(to)
	if err != nil {
		return QuietHours{}, fmt.Errorf("quiet hours %q: %v", s, err)
	}
	if a == b {
		return NoQuiet, nil
	}
	return QuietHours{Start: a, End: b}, nil
}

func parseHHMM(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(m) != 2 {
		return 0, fmt.Errorf("%q is not a time HH:MM", s)
	}
	return hh*60 + mm, nil
}

// NextAllowed returns the first instant at or after t that is neither inside
// the quiet hours nor on a public holiday of country (empty: no holidays),
// judged in loc. A day that is a holiday is skipped whole; quiet hours end
// at their End minute (resolved like a cron wall time on daylight-saving
// days).
func NextAllowed(t time.Time, loc *time.Location, q QuietHours, country string) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	q = q.effective()
	t = t.In(loc)
	for i := 0; i < 400; i++ {
		y, mo, d := t.Date()
		switch {
		case country != "" && IsHoliday(country, y, mo, d):
			t = resolveWall(wallSeconds(y, mo, d+1, 0, 0), loc)
		case q.Contains(t):
			t = quietEnd(t, loc, q)
		default:
			return t
		}
	}
	return t
}

// quietEnd returns the instant the quiet window that contains t ends.
func quietEnd(t time.Time, loc *time.Location, q QuietHours) time.Time {
	y, mo, d := t.Date()
	m := t.Hour()*60 + t.Minute()
	if q.Start > q.End && m >= q.Start {
		d++ // the window ends tomorrow
	}
	end := resolveWall(wallSeconds(y, mo, d, q.End/60, q.End%60), loc)
	if !end.After(t) { // a gap swallowed the end: step past it
		return t.Add(time.Minute).Truncate(time.Minute)
	}
	return end
}

// Policy says how one kind of job treats quiet hours, holidays and
// downtime.
type Policy struct {
	// Movable jobs that fall inside quiet hours or on a holiday move to
	// the next allowed time; others fire when scheduled.
	Movable bool
	// Grace is how late after downtime an occurrence may still fire
	// (marked late); older ones are recorded as missed. Zero means
	// DefaultGrace.
	Grace time.Duration
}

// DefaultGrace is the grace window of a kind that does not set its own.
const DefaultGrace = 60 * time.Minute

// Kind is the kind of a job; it selects the job's Policy.
type Kind string

// The kinds of job the product schedules.
const (
	// KindLesson is the daily lesson at the time the learner chose.
	KindLesson Kind = "lesson"
	// KindMeeting is a reminder of a meeting (24 h and 1 h before).
	KindMeeting Kind = "meeting"
	// KindNudge is a nudge after some silent days.
	KindNudge Kind = "nudge"
	// KindReview is a due spaced-repetition review.
	KindReview Kind = "review"
	// KindBroadcast is a coordinator's scheduled broadcast.
	KindBroadcast Kind = "broadcast"
	// KindRequest is a reminder of an open mentoring request.
	KindRequest Kind = "request"
	// KindDeadline is an internal deadline (a mentoring request expires).
	KindDeadline Kind = "deadline"
)

var policies = map[Kind]Policy{
	KindLesson:    {Movable: false},
	KindMeeting:   {Movable: false, Grace: 15 * time.Minute},
	KindNudge:     {Movable: true, Grace: 6 * time.Hour},
	KindReview:    {Movable: true, Grace: 6 * time.Hour},
	KindBroadcast: {Movable: true, Grace: 6 * time.Hour},
	KindRequest:   {Movable: true, Grace: 6 * time.Hour},
	KindDeadline:  {Movable: false, Grace: 7 * 24 * time.Hour},
}

// PolicyOf returns the policy of kind k. Unknown kinds never move and have
// DefaultGrace.
func PolicyOf(k Kind) Policy {
	p := policies[k]
	if p.Grace == 0 {
		p.Grace = DefaultGrace
	}
	return p
}
