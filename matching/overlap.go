package matching

import (
	"time"
)

// Side is one person's weekly availability in their own zone.
type Side struct {
	Loc   *time.Location
	Avail Availability
}

// AverageWeeks is how many weeks ahead the average hours in common look.
const AverageWeeks = 4

// Common gives the stretches of [from, to) in which both a and b are free.
func Common(a, b Side, from, to time.Time) []Interval {
	return intersect(a.Avail.Intervals(a.Loc, from, to), b.Avail.Intervals(b.Loc, from, to))
}

func intersect(x, y []Interval) []Interval {
	var out []Interval
	for i, j := 0, 0; i < len(x) && j < len(y); {
		s, e := later(x[i].Start, y[j].Start), earlier(x[i].End, y[j].End)
		if s.Before(e) {
			out = append(out, Interval{Start: s, End: e})
		}
		if x[i].End.Before(y[j].End) {
			i++
		} else {
			j++
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func totalMinutes(ivs []Interval) int {
	n := 0
	for _, iv := range ivs {
		n += iv.Minutes()
	}
	return n
}

// MinutesOn gives the minutes in common on one local date of a: the part of
// a's windows that start on year-month-day in a's zone during which b is
// free too (b's windows may fall on any of b's dates).
func MinutesOn(a, b Side, year int, month time.Month, day int) int {
	d := time.Date(year, month, day, 0, 0, 0, 0, a.Loc)
	var own []Interval
	for _, w := range a.Avail {
		if w.Day == d.Weekday() {
			own = append(own, w.on(d, a.Loc))
		}
	}
	own = mergeIntervals(own)
	if len(own) == 0 {
		return 0
	}
	from, to := own[0].Start, own[len(own)-1].End
	for _, iv := range own {
		to = later(to, iv.End)
	}
	return totalMinutes(intersect(own, b.Avail.Intervals(b.Loc, from, to)))
}

// WeeklyMinutes gives the average minutes a week that a and b have in
// common over the AverageWeeks whole weeks from the start of now's UTC
// day, computed in UTC with each side's own daylight-saving dates. Whole
// days, so that the part of today's windows already past counts and
// seconds of now do not cut minutes off.
func WeeklyMinutes(a, b Side, now time.Time) int {
	from, to := averageSpan(now)
	return totalMinutes(Common(a, b, from, to)) / AverageWeeks
}

// averageSpan is the span over which weekly minutes are averaged: the
// AverageWeeks whole weeks from the start of now's UTC day.
func averageSpan(now time.Time) (from, to time.Time) {
	y, m, d := now.UTC().Date()
	from = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(0, 0, AverageWeeks*7)
}
