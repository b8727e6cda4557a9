package matching

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Window is one weekly stretch of local time: Day from Start to End minutes
// after local midnight. End may be 1440 (24:00). A window whose End is not
// after Start runs past midnight into the next day ("22:00-02:00").
type Window struct {
	Day        time.Weekday
	Start, End int // minutes after local midnight, 0..1440
}

// Availability is a set of weekly windows in one person's local time. Its
// text form is a list of "days HH:MM-HH:MM" separated by commas, for example
// "mon-thu 17:00-20:00, sat 09:00-12:00". The zero value means never.
type Availability []Window

// ErrBadAvailability says an availability text could not be read.
var ErrBadAvailability = errors.New("matching: availability not understood")

var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseAvailability reads the text form of an Availability. Days are
// three-letter English names, single ("mon"), ranges ("mon-thu", "fri-mon"
// wraps) or lists ("mon;wed"); times are 24-hour "HH:MM".
func ParseAvailability(text string) (Availability, error) {
	var a Availability
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ws, err := parseWindowGroup(part)
		if err != nil {
			return nil, fmt.Errorf("%w: %q: %v", ErrBadAvailability, part, err)
		}
		a = append(a, ws...)
	}
	a.sort()
	return a, nil
}

func parseWindowGroup(part string) ([]Window, error) {
	fields := strings.Fields(part)
	if len(fields) != 2 {
		return nil, errors.New(`want "days HH:MM-HH:MM"`)
	}
	days, err := parseDays(strings.ToLower(fields[0]))
	if err != nil {
		return nil, err
	}
	from, to, ok := strings.Cut(fields[1], "-")
	if !ok {
		return nil, errors.New("want a time range HH:MM-HH:MM")
	}
	start, err := parseClock(from)
	if err != nil {
		return nil, err
	}
	end, err := parseClock(to)
	if err != nil {
		return nil, err
	}
	if start == 1440 || start == end {
		return nil, errors.New("empty time range")
	}
	ws := make([]Window, 0, len(days))
	for _, d := range days {
		ws = append(ws, Window{Day: d, Start: start, End: end})
	}
	return ws, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	var days []time.Weekday
	for _, item := range strings.Split(s, ";") {
		from, to, isRange := strings.Cut(item, "-")
		a, ok := dayIndex(from)
		if !ok {
			return nil, fmt.Errorf("unknown day %q", from)
		}
		if !isRange {
			days = append(days, a)
			continue
		}
		b, ok := dayIndex(to)
		if !ok {
			return nil, fmt.Errorf("unknown day %q", to)
		}
		for d := a; ; d = (d + 1) % 7 {
			days = append(days, d)
			if d == b {
				break
			}
		}
	}
	return days, nil
}

func dayIndex(s string) (time.Weekday, bool) {
	for i, n := range dayNames {
		if s == n {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok {
		return 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || mm < 0 || mm > 59 ||
		hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	return hh*60 + mm, nil
}

func (a Availability) sort() {
	// Monday first, the way people read a week.
	key := func(w Window) int { return (int(w.Day)+6)%7*2000 + w.Start }
	sort.Slice(a, func(i, j int) bool { return key(a[i]) < key(a[j]) })
}

// String gives the text form, merging consecutive days with the same hours
// into ranges ("mon-thu 17:00-20:00").
func (a Availability) String() string {
	b := append(Availability(nil), a...)
	b.sort()
	var parts []string
	for i := 0; i < len(b); {
		j := i + 1
		for j < len(b) && b[j].Start == b[i].Start && b[j].End == b[i].End &&
			b[j].Day == (b[j-1].Day+1)%7 && b[j].Day != time.Monday {
			j++
		}
		days := dayNames[b[i].Day]
		if j-i > 1 {
			days += "-" + dayNames[b[j-1].Day]
		}
		parts = append(parts, days+" "+clock(b[i].Start)+"-"+clock(b[i].End))
		i = j
	}
	return strings.Join(parts, ", ")
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// MarshalText implements encoding.TextMarshaler with the text form.
func (a Availability) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseAvailability.
func (a *Availability) UnmarshalText(b []byte) error {
	v, err := ParseAvailability(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Interval is a stretch of absolute time [Start, End).
type Interval struct{ Start, End time.Time }

// Minutes is the length of the interval in whole minutes.
func (iv Interval) Minutes() int { return int(iv.End.Sub(iv.Start) / time.Minute) }

// Intervals gives the windows of a in zone loc that overlap [from, to), as
// absolute intervals clipped to [from, to) and sorted. Each local date uses
// its own UTC offset, so daylight-saving changes are followed; a local time
// skipped by a change is moved forward the way time.Date does.
func (a Availability) Intervals(loc *time.Location, from, to time.Time) []Interval {
	var out []Interval
	lf := from.In(loc)
	day := time.Date(lf.Year(), lf.Month(), lf.Day()-1, 0, 0, 0, 0, loc)
	for ; day.Before(to); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		for _, w := range a {
			if w.Day != day.Weekday() {
				continue
			}
			iv := w.on(day, loc)
			if iv.Start.Before(from) {
				iv.Start = from
			}
			if iv.End.After(to) {
				iv.End = to
			}
			if iv.Start.Before(iv.End) {
				out = append(out, iv)
			}
		}
	}
	return mergeIntervals(out)
}

// on gives w as an absolute interval on the local date of day.
func (w Window) on(day time.Time, loc *time.Location) Interval {
	y, m, d := day.Date()
	s := time.Date(y, m, d, 0, w.Start, 0, 0, loc)
	endDay := d
	if w.End <= w.Start {
		endDay++
	}
	e := time.Date(y, m, endDay, 0, w.End, 0, 0, loc)
	return Interval{Start: s, End: e}
}

func mergeIntervals(ivs []Interval) []Interval {
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].Start.Before(ivs[j].Start) })
	var out []Interval
	for _, iv := range ivs {
		if n := len(out); n > 0 && !iv.Start.After(out[n-1].End) {
			if iv.End.After(out[n-1].End) {
				out[n-1].End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}
