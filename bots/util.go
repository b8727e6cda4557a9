package bots

import (
	"strconv"
	"strings"

	"github.com/talentjourney/talentbot/matching"
)

func itoa(i int) string { return strconv.Itoa(i) }

// atoi reads a small decimal number; anything else is -1.
func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// countryNames maps names people type to ISO 3166 alpha-2 codes; a typed
// two-letter code is taken as it is.
var countryNames = map[string]string{
	"slovenia": "SI", "slovenija": "SI", "finland": "FI", "suomi": "FI", "estonia": "EE",
	"eesti": "EE", "germany": "DE", "deutschland": "DE", "italy": "IT", "italia": "IT",
	"austria": "AT", "österreich": "AT", "croatia": "HR", "hrvatska": "HR", "france": "FR",
	"spain": "ES", "españa": "ES", "portugal": "PT", "netherlands": "NL", "belgium": "BE",
	"poland": "PL", "polska": "PL", "czechia": "CZ", "czech republic": "CZ", "slovakia": "SK",
	"hungary": "HU", "romania": "RO", "bulgaria": "BG", "greece": "GR", "sweden": "SE",
	"norway": "NO", "denmark": "DK", "ireland": "IE", "united kingdom": "GB", "uk": "GB",
	"latvia": "LV", "lithuania": "LT", "switzerland": "CH", "serbia": "RS", "india": "IN",
	"nepal": "NP", "israel": "IL", "turkey": "TR", "ukraine": "UA", "united states": "US",
	"usa": "US", "canada": "CA", "brazil": "BR", "china": "CN", "japan": "JP",
	"australia": "AU", "new zealand": "NZ", "south africa": "ZA", "nigeria": "NG",
	"kenya": "KE", "egypt": "EG", "mexico": "MX", "argentina": "AR",
}

// countryCode reads a typed country: an ISO code or a known name; "" when
// not understood.
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 2 && isASCIILetters(s) {
		return strings.ToUpper(s)
	}
	return countryNames[strings.ToLower(s)]
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// countryName is the country's name in the user's language, or its code.
func (t *Turn) countryName(code string) string {
	if s := t.T("country." + code); s != "country."+code {
		return s
	}
	return matching.CountryName(code)
}
