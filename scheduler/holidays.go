package scheduler

import (
	"slices"
	"strings"
	"time"
)

// Countries lists the country codes whose public holidays IsHoliday knows.
var Countries = []string{"DE", "EE", "FI", "IT", "SI"}

// Easter returns the date of Western (Gregorian) Easter Sunday in year y,
// at midnight UTC.
func Easter(y int) time.Time {
	// Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// Holiday is one public holiday.
type Holiday struct {
	// Date is the day, at midnight UTC.
	Date time.Time
	// Name is the holiday's English name.
	Name string
}

// Holidays returns the national public holidays of country (ISO 3166
// alpha-2, case-insensitive) in year y, in date order; nil for a country it
// does not know. Regional holidays are not included.
func Holidays(country string, y int) []Holiday {
	e := Easter(y)
	day := func(m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	easter := func(n int) time.Time { return e.AddDate(0, 0, n) }
	var hs []Holiday
	add := func(t time.Time, name string) { hs = append(hs, Holiday{t, name}) }
	switch strings.ToUpper(country) {
	case "SI":
		add(day(1, 1), "New Year's Day")
		add(day(1, 2), "New Year's Day (second day)")
		add(day(2, 8), "Prešeren Day")
		add(easter(0), "Easter Sunday")
		add(easter(1), "Easter Monday")
		add(day(4, 27), "Day of Uprising Against Occupation")
		add(day(5, 1), "Labour Day")
		add(day(5, 2), "Labour Day (second day)")
		add(easter(49), "Whit Sunday")
		add(day(6, 25), "Statehood Day")
		add(day(8, 15), "Assumption Day")
		add(day(10, 31), "Reformation Day")
		add(day(11, 1), "Remembrance Day")
		add(day(12, 25), "Christmas Day")
		add(day(12, 26), "Independence and Unity Day")
	case "FI":
		add(day(1, 1), "New Year's Day")
		add(day(1, 6), "Epiphany")
		add(easter(-2), "Good Friday")
		add(easter(0), "Easter Sunday")
		add(easter(1), "Easter Monday")
		add(day(5, 1), "May Day")
		add(easter(39), "Ascension Day")
		add(easter(49), "Whit Sunday")
		add(saturdayFrom(y, 6, 20), "Midsummer Day")
		add(saturdayFrom(y, 10, 31), "All Saints' Day")
		add(day(12, 6), "Independence Day")
		add(day(12, 25), "Christmas Day")
		add(day(12, 26), "St Stephen's Day")
	case "EE":
		add(day(1, 1), "New Year's Day")
		add(day(2, 24), "Independence Day")
		add(easter(-2), "Good Friday")
		add(easter(0), "Easter Sunday")
		add(day(5, 1), "Spring Day")
		add(easter(49), "Whit Sunday")
		add(day(6, 23), "Victory Day")
		add(day(6, 24), "Midsummer Day")
		add(day(8, 20), "Day of Restoration of Independence")
		add(day(12, 24), "Christmas Eve")
		add(day(12, 25), "Christmas Day")
		add(day(12, 26), "Boxing Day")
	case "DE":
		add(day(1, 1), "New Year's Day")
		add(easter(-2), "Good Friday")
		add(easter(1), "Easter Monday")
		add(day(5, 1), "Labour Day")
		add(easter(39), "Ascension Day")
		add(easter(50), "Whit Monday")
		add(day(10, 3), "Day of German Unity")
		add(day(12, 25), "Christmas Day")
		add(day(12, 26), "Second Day of Christmas")
	case "IT":
		add(day(1, 1), "New Year's Day")
		add(day(1, 6), "Epiphany")
		add(easter(0), "Easter Sunday")
		add(easter(1), "Easter Monday")
		add(day(4, 25), "Liberation Day")
		add(day(5, 1), "Labour Day")
		add(day(6, 2), "Republic Day")
		add(day(8, 15), "Ferragosto")
		if y >= 2026 {
			add(day(10, 4), "St Francis of Assisi")
		}
		add(day(11, 1), "All Saints' Day")
		add(day(12, 8), "Immaculate Conception")
		add(day(12, 25), "Christmas Day")
		add(day(12, 26), "St Stephen's Day")
	default:
		return nil
	}
	slices.SortFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return hs
}

// saturdayFrom returns the first Saturday on or after month/day of year y.
func saturdayFrom(y int, m time.Month, d int) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t.AddDate(0, 0, (int(time.Saturday)-int(t.Weekday())+7)%7)
}

// IsHoliday reports whether the local date y-m-d is a national public
// holiday of country; false for a country Holidays does not know.
func IsHoliday(country string, y int, m time.Month, d int) bool {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for _, h := range Holidays(country, y) {
		if h.Date.Equal(t) {
			return true
		}
	}
	return false
}

// KnownCountry reports whether Holidays knows country.
func KnownCountry(country string) bool {
	switch strings.ToUpper(country) {
	case "SI", "FI", "EE", "DE", "IT":
		return true
	}
	return false
}
