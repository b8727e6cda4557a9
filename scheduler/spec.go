package scheduler

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Spec is a parsed recurring schedule: a 5-field cron spec ("30 18 * * 1-5")
// or a descriptor ("@daily", "@every 1h"). The zero Spec never fires.
type Spec struct {
	text  string
	spec  *cron.SpecSchedule
	every *cron.ConstantDelaySchedule
}

// ErrBadSpec reports a cron spec that does not parse.
var ErrBadSpec = errors.New("scheduler: bad cron spec")

// ParseSpec parses a 5-field cron spec or a descriptor with
// cron.ParseStandard. A "TZ=" or "CRON_TZ=" prefix is refused: the zone is
// given separately. Errors wrap ErrBadSpec.
func ParseSpec(s string) (Spec, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "TZ=") || strings.HasPrefix(s, "CRON_TZ=") {
		return Spec{}, fmt.Errorf("%w %q: give the zone separately", ErrBadSpec, s)
	}
	sch, err := cron.ParseStandard(s)
	if err != nil {
		return Spec{}, fmt.Errorf("%w %q: %v", ErrBadSpec, s, err)
	}
	switch v := sch.(type) {
	case *cron.SpecSchedule:
		return Spec{text: s, spec: v}, nil
	case cron.ConstantDelaySchedule:
		return Spec{text: s, every: &v}, nil
	}
	return Spec{}, fmt.Errorf("%w %q: unsupported schedule", ErrBadSpec, s)
}

// String returns the spec as it was parsed.
func (s Spec) String() string { return s.text }

// searchDays bounds the search for the next matching day: a spec such as
// "0 0 29 2 1" (29 February on a Monday) can wait many years.
const searchDays = 366 * 30

// NextAfter returns the first occurrence of spec in loc strictly after the
// instant after, or the zero time if there is none within 30 years. Local
// wall times are evaluated in loc: a wall time that does not exist that day
// (clocks jump forward) fires at the first instant after the jump; a wall
// time that happens twice (clocks go back) fires once, at its first
// occurrence. An "@every" spec ignores loc.
func NextAfter(spec Spec, loc *time.Location, after time.Time) time.Time {
	if spec.every != nil {
		return spec.every.Next(after)
	}
	s := spec.spec
	if s == nil {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	local := after.In(loc)
	// Wall clock of after, as seconds of a naive calendar; candidates more
	// than a few hours of wall time before it cannot be after it.
	afterWall := wallSeconds(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute()) +
		int64(local.Second())
	day := time.Date(local.Year(), local.Month(), local.Day()-1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < searchDays; i++ {
		d := day.AddDate(0, 0, i)
		if !dayMatches(s, d) {
			continue
		}
		if t, ok := firstOnDay(s, loc, d, after, afterWall); ok {
			return t
		}
	}
	return time.Time{}
}

// firstOnDay returns the first wall time of spec on day d whose instant is
// after after.
func firstOnDay(s *cron.SpecSchedule, loc *time.Location, d, after time.Time, afterWall int64) (time.Time, bool) {
	for h := 0; h < 24; h++ {
		if s.Hour&(1<<uint(h)) == 0 {
			continue
		}
		for m := 0; m < 60; m++ {
			if s.Minute&(1<<uint(m)) == 0 {
				continue
			}
			w := wallSeconds(d.Year(), d.Month(), d.Day(), h, m)
			if w < afterWall-maxShift {
				continue
			}
			if t := resolveWall(w, loc); t.After(after) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// maxShift is more than any change of a zone's offset within a day.
const maxShift = 4 * 3600

func dayMatches(s *cron.SpecSchedule, d time.Time) bool {
	const starBit = 1 << 63
	if s.Month&(1<<uint(d.Month())) == 0 {
		return false
	}
	dom := s.Dom&(1<<uint(d.Day())) != 0
	dow := s.Dow&(1<<uint(d.Weekday())) != 0
	if s.Dom&starBit != 0 || s.Dow&starBit != 0 {
		return dom && dow
	}
	return dom || dow
}

// wallSeconds counts seconds of a wall-clock time as if it were UTC.
func wallSeconds(y int, mo time.Month, d, h, m int) int64 {
	return time.Date(y, mo, d, h, m, 0, 0, time.UTC).Unix()
}

// resolveWall returns the instant of wall-clock seconds w in loc: the
// earliest instant showing w, or, when no instant shows w (a gap), the first
// instant after the jump.
func resolveWall(w int64, loc *time.Location) time.Time {
	_, before := time.Unix(w-86400, 0).In(loc).Zone()
	_, later := time.Unix(w+86400, 0).In(loc).Zone()
	var best time.Time
	for _, off := range []int{before, later} {
		t := time.Unix(w-int64(off), 0)
		if _, o := t.In(loc).Zone(); o == off && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if !best.IsZero() {
		return best.In(loc)
	}
	// In a gap: w - before lies after the jump; its zone starts at the jump.
	start, _ := time.Unix(w-int64(before), 0).In(loc).ZoneBounds()
	return start.In(loc)
}
