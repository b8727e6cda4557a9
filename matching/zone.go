package matching

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrUnknownZone says a zone name or text was not understood.
var ErrUnknownZone = errors.New("matching: time zone not understood")

var zoneCache sync.Map // name -> *time.Location

// LoadZone gives the location of an IANA zone name ("Europe/Ljubljana") or
// of a fixed offset written "UTC+05:30" (the names FixedZoneName makes).
// Results are cached; safe for concurrent use.
func LoadZone(name string) (*time.Location, error) {
	if v, ok := zoneCache.Load(name); ok {
		return v.(*time.Location), nil
	}
	var loc *time.Location
	if off, ok := parseOffset(name); ok && strings.HasPrefix(name, "UTC") {
		loc = time.FixedZone(name, off)
	} else {
		l, err := time.LoadLocation(name)
		if err != nil || name == "" || name == "Local" {
			return nil, fmt.Errorf("%w: %q", ErrUnknownZone, name)
		}
		loc = l
	}
	zoneCache.Store(name, loc)
	return loc, nil
}

// FixedZoneName gives the zone name of a fixed offset east of UTC, written
// as a person writes it: "UTC+05:30", "UTC-03:00" ("UTC" for zero), which
// LoadZone and the scheduler read. (The IANA "Etc/GMT-2" names have their
// sign inverted, which confuses people who read them.)
func FixedZoneName(offsetSeconds int) string {
	if offsetSeconds == 0 {
		return "UTC"
	}
	sign := "+"
	if offsetSeconds < 0 {
		sign, offsetSeconds = "-", -offsetSeconds
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, offsetSeconds/3600, offsetSeconds%3600/60)
}

// IsFixedZoneName reports whether name is one that FixedZoneName makes:
// a fixed offset rather than a zone with daylight saving rules.
func IsFixedZoneName(name string) bool {
	return name == "UTC" || strings.HasPrefix(name, "Etc/GMT") ||
		strings.HasPrefix(name, "UTC+") || strings.HasPrefix(name, "UTC-")
}

// ZoneGuess is what ParseZone makes of a person's answer.
type ZoneGuess struct {
	// Zones are the candidate zone names, best first; more than one means
	// the engine should ask back (for example "IST": India, Ireland or Israel).
	Zones []string
	// Fixed is true when the text was an offset ("GMT+2", "UTC+05:30"),
	// which never follows daylight saving.
	Fixed bool
}

// ParseZone reads what a person typed for their time zone: an IANA name, a
// city, an abbreviation ("CET", "IST") or an offset ("GMT+2" means UTC+2,
// "UTC+05:30", "+0545"). country is an ISO 3166 alpha-2 code or empty; it
// picks the zone of an abbreviation that country uses, and an empty text
// gives the country's zones.
func ParseZone(text, country string) (ZoneGuess, error) {
	t := strings.TrimSpace(text)
	country = strings.ToUpper(strings.TrimSpace(country))
	if t == "" {
		if zs := countryZones[country]; len(zs) > 0 {
			return ZoneGuess{Zones: zs}, nil
		}
		// A country of one zone that an abbreviation names (CET: NL).
		for _, a := range abbrevZones {
			if z, ok := a.byCountry[country]; ok {
				return ZoneGuess{Zones: []string{z}}, nil
			}
		}
		return ZoneGuess{}, fmt.Errorf("%w: empty", ErrUnknownZone)
	}
	if off, ok := parseOffset(t); ok {
		return ZoneGuess{Zones: []string{FixedZoneName(off)}, Fixed: true}, nil
	}
	key := foldName(t)
	if z, ok := cityZones[key]; ok {
		return ZoneGuess{Zones: []string{z}}, nil
	}
	if cands, ok := abbrevZones[strings.ToUpper(t)]; ok {
		return ZoneGuess{Zones: pickByCountry(cands, country)}, nil
	}
	if strings.Contains(t, "/") {
		if _, err := LoadZone(t); err == nil {
			return ZoneGuess{Zones: []string{t}}, nil
		}
	}
	return ZoneGuess{}, fmt.Errorf("%w: %q", ErrUnknownZone, t)
}

// pickByCountry gives the zone an abbreviation means in country, or all
// its meanings when the country does not settle it.
func pickByCountry(a abbrev, country string) []string {
	if z, ok := a.byCountry[country]; ok {
		return []string{z}
	}
	return a.zones
}

// parseOffset reads "GMT+2", "UTC-03:30", "UTC+0545", "+02", "+5:45" as
// seconds east of UTC. "UTC" and "GMT" alone are zero.
func parseOffset(s string) (int, bool) {
	u := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	u = strings.ReplaceAll(u, "\u2212", "-") // a typographic minus sign
	for _, p := range []string{"UTC", "GMT", "Z"} {
		if strings.HasPrefix(u, p) {
			u = u[len(p):]
			if u == "" {
				return 0, true
			}
			break
		}
	}
	if len(u) < 2 || (u[0] != '+' && u[0] != '-') {
		return 0, false
	}
	sign := 1
	if u[0] == '-' {
		sign = -1
	}
	h, m, ok := splitHM(u[1:])
	if !ok || h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

func splitHM(s string) (h, m int, ok bool) {
	hs, ms := s, "0"
	if a, b, found := strings.Cut(s, ":"); found {
		hs, ms = a, b
	} else if len(s) == 4 {
		hs, ms = s[:2], s[2:]
	}
	hh, err1 := strconv.Atoi(hs)
	mm, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || len(hs) > 2 || len(ms) > 2 {
		return 0, 0, false
	}
	return hh, mm, true
}

// foldName lowercases a city name and drops accents and punctuation.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := foldRunes[r]; ok {
			b.WriteString(f)
			continue
		}
		if r == '-' || r == '_' || r == '.' || r == ' ' {
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

var foldRunes = map[rune]string{
	'ä': "a", 'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'å': "a", 'ö': "o", 'ó': "o", 'ò': "o",
	'ô': "o", 'õ': "o", 'ü': "u", 'ú': "u", 'ù': "u", 'é': "e", 'è': "e", 'ê': "e", 'í': "i",
	'ì': "i", 'ß': "ss", 'č': "c", 'ć': "c", 'ç': "c", 'š': "s", 'ž': "z", 'ñ': "n", 'ł': "l",
}
