package matching

import "strings"

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
	"NZ": "New Zealand", "TR": "Turkey",
}
