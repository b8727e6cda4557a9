package matching

import (
	"strings"

	"golang.org/x/text/language"
)

// LanguageName gives the English name of an ISO 639-1 code, or the code.
func LanguageName(code string) string {
	if n, ok := languageNames[strings.ToLower(code)]; ok {
		return n
	}
	return code
}

// CountryName gives the English name of an ISO 3166 alpha-2 code, or the code.
func CountryName(code string) string {
	if n, ok := countryNames[strings.ToUpper(code)]; ok {
		return n
	}
	return code
}

// CountryCode reads a country as a person types it: an ISO 3166 two-letter
// code ("UK" is read as GB), or its name in English or in its own language;
// "" when not understood. Codes that name no country ("ZZ", "QQ", "EU")
// are not understood.
func CountryCode(text string) string {
	t := strings.TrimSpace(text)
	if len(t) == 2 && isLetters(t) {
		r, err := language.ParseRegion(t)
		if err != nil || !r.IsCountry() {
			return ""
		}
		return r.Canonicalize().String()
	}
	t = strings.ToLower(t)
	if c, ok := localCountryNames[t]; ok {
		return c
	}
	for code, name := range countryNames {
		if strings.ToLower(name) == t {
			return code
		}
	}
	return ""
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// localCountryNames are names in the countries' own languages and common
// short forms, besides the English names of countryNames.
var localCountryNames = map[string]string{
	"slovenija": "SI", "suomi": "FI", "eesti": "EE", "deutschland": "DE", "italia": "IT",
	"österreich": "AT", "hrvatska": "HR", "españa": "ES", "polska": "PL",
	"czech republic": "CZ", "uk": "GB", "usa": "US",
}

var languageNames = map[string]string{
	"en": "English", "sl": "Slovenian", "fi": "Finnish", "et": "Estonian", "de": "German",
	"it": "Italian", "fr": "French", "es": "Spanish", "pt": "Portuguese", "nl": "Dutch",
	"pl": "Polish", "cs": "Czech", "sk": "Slovak", "hr": "Croatian", "sr": "Serbian",
	"hu": "Hungarian", "sv": "Swedish", "no": "Norwegian", "da": "Danish", "ru": "Russian",
	"uk": "Ukrainian", "lv": "Latvian", "lt": "Lithuanian", "el": "Greek", "tr": "Turkish",
	"hi": "Hindi", "ne": "Nepali", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
	"ar": "Arabic", "he": "Hebrew",
}

var countryNames = map[string]string{
	"SI": "Slovenia", "FI": "Finland", "EE": "Estonia", "DE": "Germany", "IT": "Italy",
	"AT": "Austria", "FR": "France", "ES": "Spain", "PT": "Portugal", "NL": "Netherlands",
	"BE": "Belgium", "PL": "Poland", "CZ": "Czechia", "SK": "Slovakia", "HU": "Hungary",
	"HR": "Croatia", "RS": "Serbia", "CH": "Switzerland", "SE": "Sweden", "NO": "Norway",
	"DK": "Denmark", "LV": "Latvia", "LT": "Lithuania", "GR": "Greece", "RO": "Romania",
	"BG": "Bulgaria", "UA": "Ukraine", "IE": "Ireland", "GB": "United Kingdom",
	"US": "United States", "CA": "Canada", "BR": "Brazil", "IN": "India", "NP": "Nepal",
	"IL": "Israel", "CN": "China", "JP": "Japan", "KR": "South Korea", "AU": "Australia",
	"NZ": "New Zealand", "TR": "Turkey", "ZA": "South Africa", "NG": "Nigeria", "KE": "Kenya",
	"EG": "Egypt", "MX": "Mexico", "AR": "Argentina",
}
