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

// countryName is the country's name in the user's language, or its code.
func (t *Turn) countryName(code string) string {
	if s := t.T("country." + code); s != "country."+code {
		return s
	}
	return matching.CountryName(code)
}
