package matching

import (
	"reflect"
	"testing"
	"time"
)

func TestParseZone(t *testing.T) {
	tests := []struct {
		text, country string
		want          []string
		fixed         bool
	}{
		{"GMT+2", "", []string{"UTC+02:00"}, true},
		{"", "PT", []string{"Europe/Lisbon"}, false},
		{"", "nl", []string{"Europe/Amsterdam"}, false},
		{"UTC-3", "", []string{"UTC-03:00"}, true},
		{"UTC+05:30", "", []string{"UTC+05:30"}, true},
		{"+0545", "", []string{"UTC+05:45"}, true},
		{"utc", "", []string{"UTC"}, true},
		{"CET", "", []string{"Europe/Berlin"}, false},
		{"CET", "SI", []string{"Europe/Ljubljana"}, false},
		{"IST", "", []string{"Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"}, false},
		{"IST", "IE", []string{"Europe/Dublin"}, false},
		{"München", "", []string{"Europe/Berlin"}, false},
		{"  tallinn ", "", []string{"Europe/Tallinn"}, false},
		{"Jyväskylä", "", []string{"Europe/Helsinki"}, false},
		{"New York", "", []string{"America/New_York"}, false},
		{"Europe/Ljubljana", "", []string{"Europe/Ljubljana"}, false},
		{"", "EE", []string{"Europe/Tallinn"}, false},
	}
	for _, tt := range tests {
		got, err := ParseZone(tt.text, tt.country)
		if err != nil {
			t.Errorf("ParseZone(%q, %q): %v", tt.text, tt.country, err)
			continue
		}
		if !reflect.DeepEqual(got.Zones, tt.want) || got.Fixed != tt.fixed {
			t.Errorf("ParseZone(%q, %q) = %v fixed=%v, want %v fixed=%v",
				tt.text, tt.country, got.Zones, got.Fixed, tt.want, tt.fixed)
		}
	}
	for _, bad := range []string{"Atlantis", "GMT+25", "Mars/Olympus"} {
		if _, err := ParseZone(bad, ""); err == nil {
			t.Errorf("ParseZone(%q) accepted", bad)
		}
	}
}

// Case 2 of the issue: "GMT+2" is two hours ahead of UTC, and CET follows
// central European daylight saving.
func TestZoneOffsets(t *testing.T) {
	offset := func(text string, at time.Time) int {
		g, err := ParseZone(text, "")
		if err != nil {
			t.Fatal(err)
		}
		loc, err := LoadZone(g.Zones[0])
		if err != nil {
			t.Fatal(err)
		}
		_, off := at.In(loc).Zone()
		return off / 60
	}
	winter := time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC)
	summer := time.Date(2027, 7, 15, 12, 0, 0, 0, time.UTC)
	if got := offset("GMT+2", winter); got != 120 {
		t.Errorf("GMT+2 in winter: UTC%+d min, want +120", got)
	}
	if got := offset("GMT+2", summer); got != 120 {
		t.Errorf("GMT+2 in summer: UTC%+d min, want +120 (fixed)", got)
	}
	if got := offset("CET", winter); got != 60 {
		t.Errorf("CET in winter: %+d min, want +60", got)
	}
	if got := offset("CET", summer); got != 120 {
		t.Errorf("CET in summer: %+d min, want +120", got)
	}
	if got := offset("UTC+05:30", summer); got != 330 {
		t.Errorf("UTC+05:30: %+d min, want +330", got)
	}
}
