package scheduler

import (
	"errors"
	"testing"
	"time"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// nextN lists the next n occurrences of spec after from, in UTC RFC 3339.
func nextN(t *testing.T, spec, zone, from string, n int) []string {
	t.Helper()
	sp, err := ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	at := mustTime(t, from)
	var out []string
	for range n {
		at = NextAfter(sp, mustLoc(t, zone), at)
		out = append(out, at.UTC().Format(time.RFC3339))
	}
	return out
}

func TestNextAfterDaylightSaving(t *testing.T) {
	tests := []struct {
		name, spec, zone, from string
		want                   []string
	}{
		{"helsinki spring gap fires at the jump", "30 3 * * *", "Europe/Helsinki", "2027-03-27T12:00:00Z",
			[]string{"2027-03-28T01:00:00Z", "2027-03-29T00:30:00Z"}},
		{"new york spring gap fires at the jump", "30 2 * * *", "America/New_York", "2027-03-13T12:00:00Z",
			[]string{"2027-03-14T07:00:00Z", "2027-03-15T06:30:00Z"}},
		{"helsinki fall back fires once, first", "30 3 * * *", "Europe/Helsinki", "2027-10-30T12:00:00Z",
			[]string{"2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z"}},
		{"lord howe half-hour fall back fires once", "45 1 * * *", "Australia/Lord_Howe", "2027-04-03T00:00:00Z",
			[]string{"2027-04-03T14:45:00Z", "2027-04-04T15:15:00Z"}},
		{"lord howe half-hour spring gap", "15 2 * * *", "Australia/Lord_Howe", "2027-10-02T00:00:00Z",
			[]string{"2027-10-02T15:30:00Z", "2027-10-03T15:15:00Z"}},
		{"hourly in a gap fires once at the jump", "0 * * * *", "Europe/Helsinki", "2027-03-27T23:30:00Z",
			[]string{"2027-03-28T00:00:00Z", "2027-03-28T01:00:00Z", "2027-03-28T02:00:00Z"}},
		{"quarter hours skip the repeated hour", "*/30 * * * *", "Europe/Helsinki", "2027-10-31T00:15:00Z",
			[]string{"2027-10-31T00:30:00Z", "2027-10-31T02:00:00Z"}},
		{"weekdays only", "0 18 * * 1-5", "Europe/Ljubljana", "2027-05-14T17:00:00Z",
			[]string{"2027-05-17T16:00:00Z", "2027-05-18T16:00:00Z"}},
		{"descriptor daily", "@daily", "Asia/Kolkata", "2027-01-01T00:00:00Z",
			[]string{"2027-01-01T18:30:00Z", "2027-01-02T18:30:00Z"}},
		{"strictly after", "30 3 * * *", "Europe/Helsinki", "2027-10-31T00:30:00Z",
			[]string{"2027-11-01T01:30:00Z"}},
		{"leap day", "0 9 29 2 *", "UTC", "2027-01-01T00:00:00Z",
			[]string{"2028-02-29T09:00:00Z", "2032-02-29T09:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nextN(t, tt.spec, tt.zone, tt.from, len(tt.want))
			for i := range tt.want {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestParseSpecRejects(t *testing.T) {
	for _, s := range []string{"", "61 * * * *", "* * *", "CRON_TZ=Europe/Rome 0 8 * * *", "@sometimes"} {
		if _, err := ParseSpec(s); !errors.Is(err, ErrBadSpec) {
			t.Errorf("ParseSpec(%q) = %v, want ErrBadSpec", s, err)
		}
	}
}

func TestNextAfterEvery(t *testing.T) {
	sp, err := ParseSpec("@every 90m")
	if err != nil {
		t.Fatal(err)
	}
	got := NextAfter(sp, mustLoc(t, "Europe/Helsinki"), mustTime(t, "2027-03-28T00:30:00Z"))
	if want := mustTime(t, "2027-03-28T02:00:00Z"); !got.Equal(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
