package lessons

import (
	"testing"
	"time"
)

func TestStreakInTheLearnersZone(t *testing.T) {
	lj, err := time.LoadLocation("Europe/Ljubljana")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	at := func(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, loc)
	}
	tests := []struct {
		name     string
		activity []time.Time
		now      time.Time
		loc      *time.Location
		want     int
	}{
		{"nothing yet", nil, at(lj, 2026, 3, 10, 12, 0), lj, 0},
		{"today only", []time.Time{at(lj, 2026, 3, 10, 8, 0)}, at(lj, 2026, 3, 10, 20, 0), lj, 1},
		{"yesterday keeps the streak alive",
			[]time.Time{at(lj, 2026, 3, 8, 8, 0), at(lj, 2026, 3, 9, 21, 0)},
			at(lj, 2026, 3, 10, 7, 0), lj, 2},
		{"a missed day breaks it",
			[]time.Time{at(lj, 2026, 3, 7, 8, 0), at(lj, 2026, 3, 9, 8, 0), at(lj, 2026, 3, 10, 8, 0)},
			at(lj, 2026, 3, 10, 9, 0), lj, 2},
		{"two days without answers",
			[]time.Time{at(lj, 2026, 3, 7, 8, 0)}, at(lj, 2026, 3, 9, 8, 0), lj, 0},
		// 23:30 and 00:30 in Ljubljana (UTC+1) are both on 2026-01-14 in
		// UTC: two local days, one UTC day.
		{"local midnight, local zone",
			[]time.Time{at(lj, 2026, 1, 14, 23, 30), at(lj, 2026, 1, 15, 0, 30)},
			at(lj, 2026, 1, 15, 10, 0), lj, 2},
		{"local midnight, seen in UTC",
			[]time.Time{at(lj, 2026, 1, 14, 23, 30), at(lj, 2026, 1, 15, 0, 30)},
			at(lj, 2026, 1, 15, 10, 0), time.UTC, 1},
		{"half-hour zone",
			[]time.Time{at(kolkata, 2026, 5, 1, 23, 50), at(kolkata, 2026, 5, 2, 0, 10)},
			at(kolkata, 2026, 5, 2, 9, 0), kolkata, 2},
		// Clocks go forward in Ljubljana on 2026-03-29 (a 23-hour day).
		{"across daylight saving",
			[]time.Time{at(lj, 2026, 3, 28, 23, 0), at(lj, 2026, 3, 29, 23, 0), at(lj, 2026, 3, 30, 0, 30)},
			at(lj, 2026, 3, 30, 8, 0), lj, 3},
	}
	for _, tt := range tests {
		var p Progress
		for _, a := range tt.activity {
			p.touch(a)
		}
		if got := p.Streak(tt.now, tt.loc); got != tt.want {
			t.Errorf("%s: Streak = %d, want %d (active %v)", tt.name, got, tt.want, p.Active)
		}
	}
}

func TestActivityStaysShort(t *testing.T) {
	var p Progress
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	// Every 10 minutes for 30 days: 2 records per UTC day.
	for m := 0; m < 30*24*60; m += 10 {
		p.touch(start.Add(time.Duration(m) * time.Minute))
	}
	if len(p.Active) != 60 {
		t.Errorf("%d records for 30 days", len(p.Active))
	}
	if got := p.Streak(start.AddDate(0, 0, 29).Add(12*time.Hour), time.UTC); got != 30 {
		t.Errorf("streak %d, want 30", got)
	}
	// After a break of three days only the new activity is kept.
	p.touch(start.AddDate(0, 0, 33))
	if len(p.Active) != 1 {
		t.Errorf("%d records after a break, want 1", len(p.Active))
	}
}
