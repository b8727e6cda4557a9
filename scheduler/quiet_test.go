package scheduler

import (
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	for y, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05",
		2027: "2027-03-28", 2028: "2028-04-16", 2038: "2038-04-25"} {
		if got := Easter(y).Format(time.DateOnly); got != want {
			t.Errorf("Easter(%d) = %s, want %s", y, got, want)
		}
	}
}

func TestIsHoliday(t *testing.T) {
	tests := []struct {
		country, date string
		want          bool
	}{
		{"DE", "2027-05-17", true},  // Whit Monday (Easter 28 March + 50)
		{"DE", "2027-05-16", false}, // Whit Sunday is not a national holiday in Germany
		{"DE", "2027-05-06", true},  // Ascension Day
		{"DE", "2027-03-26", true},  // Good Friday
		{"DE", "2027-10-03", true},  // Day of German Unity
		{"DE", "2027-08-15", false}, // Assumption is regional only
		{"IT", "2027-08-15", true},  // Ferragosto
		{"IT", "2027-03-29", true},  // Easter Monday
		{"IT", "2027-06-02", true},  // Republic Day
		{"IT", "2027-10-04", true},  // St Francis, national again from 2026
		{"IT", "2025-10-04", false},
		{"FI", "2027-06-26", true},  // Midsummer Day: Saturday between 20 and 26 June
		{"FI", "2026-06-20", true},  // Midsummer Day 2026
		{"FI", "2027-06-25", false}, // Midsummer Eve is not a public holiday
		{"FI", "2027-11-06", true},  // All Saints' Day: Saturday between 31 Oct and 6 Nov
		{"FI", "2027-12-06", true},  // Independence Day
		{"EE", "2027-02-24", true},  // Independence Day
		{"EE", "2027-08-20", true},  // Restoration of Independence
		{"EE", "2027-06-23", true},  // Victory Day
		{"EE", "2027-03-29", false}, // no Easter Monday in Estonia
		{"SI", "2027-02-08", true},  // Prešeren Day
		{"SI", "2027-06-25", true},  // Statehood Day
		{"SI", "2027-05-16", true},  // Whit Sunday
		{"SI", "2027-12-26", true},  // Independence and Unity Day
		{"si", "2027-10-31", true},  // Reformation Day, code in lower case
		{"SI", "2027-02-09", false},
		{"FR", "2027-07-14", false}, // unknown country: no holidays
	}
	for _, tt := range tests {
		d, _ := time.Parse(time.DateOnly, tt.date)
		if got := IsHoliday(tt.country, d.Year(), d.Month(), d.Day()); got != tt.want {
			t.Errorf("IsHoliday(%s, %s) = %v, want %v", tt.country, tt.date, got, tt.want)
		}
	}
}

func TestQuietHours(t *testing.T) {
	lj := mustLoc(t, "Europe/Ljubljana")
	at := func(h, m int) time.Time { return time.Date(2027, 5, 12, h, m, 0, 0, lj) }
	custom, err := ParseQuiet("22:30-07:00")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    QuietHours
		t    time.Time
		want bool
	}{
		{QuietHours{}, at(20, 59), false},
		{QuietHours{}, at(21, 0), true},
		{QuietHours{}, at(3, 0), true},
		{QuietHours{}, at(7, 59), true},
		{QuietHours{}, at(8, 0), false},
		{NoQuiet, at(3, 0), false},
		{custom, at(22, 0), false},
		{custom, at(22, 30), true},
		{custom, at(7, 0), false},
		{QuietHours{Start: 13 * 60, End: 14 * 60}, at(13, 30), true},
	}
	for _, tt := range tests {
		if got := tt.q.Contains(tt.t); got != tt.want {
			t.Errorf("%v.Contains(%s) = %v, want %v", tt.q, tt.t.Format("15:04"), got, tt.want)
		}
	}
}

func TestParseQuietRejects(t *testing.T) {
	for _, s := range []string{"", "21:00", "25:00-08:00", "21:00-8", "ab:cd-08:00"} {
		if _, err := ParseQuiet(s); err == nil {
			t.Errorf("ParseQuiet(%q) accepted", s)
		}
	}
}

func TestNextAllowed(t *testing.T) {
	tests := []struct {
		name, zone, country, at, want string
		q                             QuietHours
	}{
		{"allowed stays", "Europe/Berlin", "", "2027-05-12T10:00:00+02:00", "2027-05-12T10:00:00+02:00", QuietHours{}},
		{"evening moves to morning", "Europe/Berlin", "", "2027-05-12T22:15:00+02:00", "2027-05-13T08:00:00+02:00", QuietHours{}},
		{"early morning moves to 08:00", "Europe/Berlin", "", "2027-05-12T06:00:00+02:00", "2027-05-12T08:00:00+02:00", QuietHours{}},
		{"holiday moves to next day's morning", "Europe/Berlin", "DE", "2027-05-17T10:00:00+02:00", "2027-05-18T08:00:00+02:00", QuietHours{}},
		{"holiday without quiet hours moves to midnight", "Europe/Rome", "IT", "2027-08-15T10:00:00+02:00", "2027-08-16T00:00:00+02:00", NoQuiet},
		{"Easter Sunday and Monday in Finland", "Europe/Helsinki", "FI", "2027-03-28T12:00:00+03:00", "2027-03-30T08:00:00+03:00", QuietHours{}},
		{"quiet night across spring change", "Europe/Helsinki", "", "2027-03-27T23:00:00+02:00", "2027-03-28T08:00:00+03:00", QuietHours{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextAllowed(mustTime(t, tt.at), mustLoc(t, tt.zone), tt.q, tt.country)
			if want := mustTime(t, tt.want); !got.Equal(want) {
				t.Fatalf("got %s, want %s", got.Format(time.RFC3339), tt.want)
			}
		})
	}
}

func TestJobEncodingRoundTrip(t *testing.T) {
	j := Job{ID: "n:tg:1", User: "tg:1", Kind: KindNudge, Payload: "a\x1fb|c", Spec: "0 9 * * *",
		Zone: "Europe/Tallinn", Quiet: QuietHours{Start: 1320, End: 420}, Holidays: "EE", Grace: 2 * time.Hour}
	got, paused, err := decodeJob(j.ID, encodeJob(j, true))
	if err != nil || !paused || got != j {
		t.Fatalf("got %+v paused=%v err=%v, want %+v", got, paused, err, j)
	}
	one := Job{ID: "r1", User: "dc:2", Kind: KindReview, At: time.UnixMilli(1810000000123).UTC(), Quiet: NoQuiet}
	got, paused, err = decodeJob(one.ID, encodeJob(one, false))
	if err != nil || paused || got != one {
		t.Fatalf("got %+v paused=%v err=%v, want %+v", got, paused, err, one)
	}
	daily := Job{ID: "l:tg:123456789", User: "tg:123456789", Kind: KindLesson, Spec: "30 18 * * 1-5", Zone: "Europe/Ljubljana"}
	if n := len(encodeJob(daily, false)); n > 64 {
		t.Errorf("a daily lesson encodes in %d bytes, want at most 64 (listpack value limit)", n)
	}
}

func TestKnownCountryIsOneWithHolidays(t *testing.T) {
	for _, c := range []string{"SI", "FI", "EE", "DE", "IT", "si", "de", "US", "IN", "", "XX"} {
		if got, want := KnownCountry(c), Holidays(c, 2027) != nil; got != want {
			t.Errorf("KnownCountry(%q) = %v, but it has holidays: %v", c, got, want)
		}
	}
}

// A job in a fixed offset such as UTC+05:30 (a person who kept their offset
// rather than a named zone) fires at its local hour; a malformed offset is
// refused.
func TestFixedOffsetZone(t *testing.T) {
	now := time.Date(2027, 3, 10, 0, 0, 0, 0, time.UTC)
	for zone, want := range map[string]string{
		"UTC+05:30": "2027-03-10T12:30:00Z",
		"UTC-03:00": "2027-03-10T21:00:00Z",
		"UTC":       "2027-03-10T18:00:00Z",
	} {
		p, err := newPlan(Job{ID: "l:1", User: "tg:1", Kind: KindLesson, Spec: "0 18 * * *",
			Zone: zone, Quiet: NoQuiet})
		if err != nil {
			t.Fatalf("zone %s: %v", zone, err)
		}
		if got := p.first(now).UTC().Format(time.RFC3339); got != want {
			t.Errorf("18:00 in %s is %s, want %s", zone, got, want)
		}
	}
	for _, zone := range []string{"UTC+5:30", "UTC+15:00", "UTC*05:30", "UTC+05:60"} {
		if _, err := newPlan(Job{ID: "l:1", User: "tg:1", Spec: "@daily", Zone: zone}); err == nil {
			t.Errorf("zone %q was accepted", zone)
		}
	}
}
