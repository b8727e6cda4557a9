package matching

import (
	"testing"
	"time"
)

func side(t *testing.T, zone, avail string) Side {
	t.Helper()
	loc, err := LoadZone(zone)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAvailability(avail)
	if err != nil {
		t.Fatal(err)
	}
	return Side{Loc: loc, Avail: a}
}

// Case 1 of the issue: India is UTC+5:30, Nepal UTC+5:45.
func TestMinutesOnKolkataKathmandu(t *testing.T) {
	tutor := side(t, "Asia/Kolkata", "mon 18:00-20:00")
	learner := side(t, "Asia/Kathmandu", "mon 18:00-20:00")
	for _, d := range []int{4, 11, 18, 25} { // Mondays of January 2027
		if got := MinutesOn(learner, tutor, 2027, time.January, d); got != 105 {
			t.Errorf("2027-01-%02d: %d min in common, want 105 (1 h 45 min)", d, got)
		}
	}
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := WeeklyMinutes(learner, tutor, now); got != 105 {
		t.Errorf("weekly average %d min, want 105", got)
	}
}

// Case 3 of the issue: Chatham (UTC+12:45/+13:45, southern DST) against
// Helsinki (UTC+2/+3, EU DST).
func TestMinutesOnChathamHelsinki(t *testing.T) {
	tutor := side(t, "Pacific/Chatham", "mon 19:00-22:00")
	learner := side(t, "Europe/Helsinki", "mon 07:00-09:00")
	tests := []struct {
		month time.Month
		day   int
		want  int
	}{
		{time.March, 22, 105},
		{time.March, 29, 45},
		{time.April, 5, 0},
		{time.September, 27, 45},
		{time.November, 1, 105},
	}
	for _, tt := range tests {
		if got := MinutesOn(learner, tutor, 2027, tt.month, tt.day); got != tt.want {
			t.Errorf("2027-%02d-%02d: %d min, want %d", tt.month, tt.day, got, tt.want)
		}
		if got := MinutesOn(tutor, learner, 2027, tt.month, tt.day); got != tt.want {
			t.Errorf("2027-%02d-%02d seen from the tutor: %d min, want %d",
				tt.month, tt.day, got, tt.want)
		}
	}
}

func TestWeeklyMinutesAcrossDSTChange(t *testing.T) {
	tutor := side(t, "Pacific/Chatham", "mon 19:00-22:00")
	learner := side(t, "Europe/Helsinki", "mon 07:00-09:00")
	// From 2027-03-20: Mondays 22 (105), 29 (45), Apr 5 (0), Apr 12 (0).
	now := time.Date(2027, 3, 20, 0, 0, 0, 0, time.UTC)
	if got, want := WeeklyMinutes(learner, tutor, now), (105+45)/4; got != want {
		t.Errorf("weekly average %d min, want %d", got, want)
	}
}

func TestMinutesOnMidnightWindow(t *testing.T) {
	// Ljubljana 22:00-02:00 is 21:00-01:00 UTC in winter; London 00:00-01:00
	// on Tuesday is 00:00-01:00 UTC: one hour in common, counted on Monday.
	a := side(t, "Europe/Ljubljana", "mon 22:00-02:00")
	b := side(t, "Europe/London", "tue 00:00-01:00")
	if got := MinutesOn(a, b, 2027, time.January, 4); got != 60 {
		t.Errorf("got %d min, want 60", got)
	}
}

// A ranking made during one of today's windows, at an odd second, still
// counts whole windows: Mon-Fri 17-20 on both sides is 15 h a week.
func TestWeeklyMinutesDuringTodaysWindow(t *testing.T) {
	tutor := side(t, "Europe/Ljubljana", "mon-fri 17:00-20:00")
	learner := side(t, "Europe/Ljubljana", "mon-fri 17:00-20:00")
	loc := tutor.Loc
	for _, now := range []time.Time{
		time.Date(2026, 12, 2, 18, 7, 31, 500, loc), // a Wednesday, inside the window
		time.Date(2026, 12, 4, 23, 59, 59, 0, loc),  // Friday night
		time.Date(2026, 12, 7, 0, 30, 0, 0, loc),    // Monday, before UTC midnight ends
	} {
		if got := WeeklyMinutes(learner, tutor, now); got != 15*60 {
			t.Errorf("at %v: %d min a week (%s), want 900 (15 h)", now, got, FormatMinutes(got))
		}
	}
}
