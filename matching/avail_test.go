package matching

import (
	"testing"
	"time"
)

func TestParseAvailability(t *testing.T) {
	tests := []struct {
		in, want string
		windows  int
	}{
		{"mon-thu 17:00-20:00", "mon-thu 17:00-20:00", 4},
		{"Sat 09:00-12:00, mon 17:00-20:00", "mon 17:00-20:00, sat 09:00-12:00", 2},
		{"fri-mon 08:30-09:15", "mon 08:30-09:15, fri-sun 08:30-09:15", 4},
		{"mon;wed 22:00-02:00", "mon 22:00-02:00, wed 22:00-02:00", 2},
		{"sun 00:00-24:00", "sun 00:00-24:00", 1},
		{"", "", 0},
	}
	for _, tt := range tests {
		a, err := ParseAvailability(tt.in)
		if err != nil {
			t.Errorf("ParseAvailability(%q): %v", tt.in, err)
			continue
		}
		if a.String() != tt.want || len(a) != tt.windows {
			t.Errorf("ParseAvailability(%q) = %q (%d windows), want %q (%d)",
				tt.in, a, len(a), tt.want, tt.windows)
		}
	}
	for _, bad := range []string{"mon", "mon 17-20", "xyz 10:00-11:00", "mon 25:00-26:00",
		"mon 10:00-10:00", "mon 10:60-11:00"} {
		if _, err := ParseAvailability(bad); err == nil {
			t.Errorf("ParseAvailability(%q) accepted", bad)
		}
	}
}

func TestIntervalsSpringForward(t *testing.T) {
	// 2027-03-28 is the EU spring change: Ljubljana is UTC+1 before, UTC+2 after.
	loc, _ := LoadZone("Europe/Ljubljana")
	a, _ := ParseAvailability("sat-sun 10:00-11:00")
	from := time.Date(2027, 3, 27, 0, 0, 0, 0, time.UTC)
	ivs := a.Intervals(loc, from, from.Add(48*time.Hour))
	if len(ivs) != 2 {
		t.Fatalf("got %d intervals, want 2", len(ivs))
	}
	if h := ivs[0].Start.UTC().Hour(); h != 9 {
		t.Errorf("Saturday starts %02d:00 UTC, want 09:00", h)
	}
	if h := ivs[1].Start.UTC().Hour(); h != 8 {
		t.Errorf("Sunday starts %02d:00 UTC, want 08:00", h)
	}
}
