package lessons

import "time"

const (
	minutesPerDay = 24 * 60
	// streakGap is a gap between two answers, in minutes, that always
	// holds a whole calendar day without answers, in any zone and across a
	// daylight-saving change (two days of at most 25 hours).
	streakGap = 50 * 60
)

// touch records activity at now, keeping Active short: the first and last
// minute of each UTC day are enough to know, for any zone, whether a local
// day had activity (a local day covers the end of one UTC day, the start of
// the next, or both), and nothing before a gap of streakGap can belong to a
// current streak.
func (p *Progress) touch(now time.Time) {
	m := int32(now.Unix() / 60)
	n := len(p.Active)
	switch {
	case n > 0 && m <= p.Active[n-1]:
		return // not later than the last record: adds nothing
	case n >= 2 && sameUTCDay(p.Active[n-2], m) && sameUTCDay(p.Active[n-1], m):
		p.Active[n-1] = m
	default:
		p.Active = append(p.Active, m)
	}
	for i := len(p.Active) - 1; i > 0; i-- {
		if p.Active[i]-p.Active[i-1] > streakGap {
			p.Active = append(p.Active[:0], p.Active[i:]...)
			break
		}
	}
}

func sameUTCDay(a, b int32) bool { return a/minutesPerDay == b/minutesPerDay }

// Streak returns the number of consecutive days, in the learner's zone loc,
// on which the learner answered a quiz or review question, ending today or,
// when there is no answer yet today, yesterday. It is 0 when the learner
// answered neither today nor yesterday.
func (p *Progress) Streak(now time.Time, loc *time.Location) int {
	if loc == nil {
		loc = time.UTC
	}
	days := make(map[civilDay]bool, len(p.Active))
	for _, m := range p.Active {
		days[dayOf(time.Unix(int64(m)*60, 0).In(loc))] = true
	}
	d := dayOf(now.In(loc))
	if !days[d] {
		d = d.prev()
	}
	n := 0
	for days[d] {
		n++
		d = d.prev()
	}
	return n
}

// civilDay is a calendar date without a zone.
type civilDay struct {
	y int
	m time.Month
	d int
}

func dayOf(t time.Time) civilDay {
	y, m, d := t.Date()
	return civilDay{y, m, d}
}

func (c civilDay) prev() civilDay {
	return dayOf(time.Date(c.y, c.m, c.d-1, 12, 0, 0, 0, time.UTC))
}
