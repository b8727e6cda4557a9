package matching

// abbrev is what a zone abbreviation can mean: its distinct meanings
// (more than one: ask back) and the zone it means in a given country.
type abbrev struct {
	zones     []string
	byCountry map[string]string
}

var cetCountries = map[string]string{
	"SI": "Europe/Ljubljana", "DE": "Europe/Berlin", "IT": "Europe/Rome", "AT": "Europe/Vienna",
	"FR": "Europe/Paris", "ES": "Europe/Madrid", "NL": "Europe/Amsterdam", "BE": "Europe/Brussels",
	"PL": "Europe/Warsaw", "CZ": "Europe/Prague", "SK": "Europe/Bratislava", "HU": "Europe/Budapest",
	"HR": "Europe/Zagreb", "RS": "Europe/Belgrade", "CH": "Europe/Zurich", "DK": "Europe/Copenhagen",
	"SE": "Europe/Stockholm", "NO": "Europe/Oslo", "LU": "Europe/Luxembourg", "BA": "Europe/Sarajevo",
}

var eetCountries = map[string]string{
	"FI": "Europe/Helsinki", "EE": "Europe/Tallinn", "LV": "Europe/Riga", "LT": "Europe/Vilnius",
	"RO": "Europe/Bucharest", "BG": "Europe/Sofia", "GR": "Europe/Athens", "UA": "Europe/Kyiv",
	"CY": "Asia/Nicosia",
}

// abbrevZones maps upper-case abbreviations to their meanings. Summer
// abbreviations (CEST) mean the same zone as winter ones: a zone follows
// its own daylight saving whatever the person typed.
var abbrevZones = map[string]abbrev{
	"CET":  {zones: []string{"Europe/Berlin"}, byCountry: cetCountries},
	"CEST": {zones: []string{"Europe/Berlin"}, byCountry: cetCountries},
	"MEZ":  {zones: []string{"Europe/Berlin"}, byCountry: cetCountries},
	"EET":  {zones: []string{"Europe/Helsinki"}, byCountry: eetCountries},
	"EEST": {zones: []string{"Europe/Helsinki"}, byCountry: eetCountries},
	"WET":  {zones: []string{"Europe/Lisbon"}, byCountry: map[string]string{"PT": "Europe/Lisbon"}},
	"IST": {zones: []string{"Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"},
		byCountry: map[string]string{"IN": "Asia/Kolkata", "IE": "Europe/Dublin", "IL": "Asia/Jerusalem"}},
	"BST": {zones: []string{"Europe/London", "Asia/Dhaka"},
		byCountry: map[string]string{"GB": "Europe/London", "BD": "Asia/Dhaka"}},
	"CST": {zones: []string{"America/Chicago", "Asia/Shanghai"},
		byCountry: map[string]string{"US": "America/Chicago", "CN": "Asia/Shanghai"}},
	"EST":  {zones: []string{"America/New_York"}},
	"EDT":  {zones: []string{"America/New_York"}},
	"CDT":  {zones: []string{"America/Chicago"}},
	"MST":  {zones: []string{"America/Denver"}},
	"PST":  {zones: []string{"America/Los_Angeles"}},
	"PDT":  {zones: []string{"America/Los_Angeles"}},
	"MSK":  {zones: []string{"Europe/Moscow"}},
	"JST":  {zones: []string{"Asia/Tokyo"}},
	"KST":  {zones: []string{"Asia/Seoul"}},
	"HKT":  {zones: []string{"Asia/Hong_Kong"}},
	"SGT":  {zones: []string{"Asia/Singapore"}},
	"NPT":  {zones: []string{"Asia/Kathmandu"}},
	"PKT":  {zones: []string{"Asia/Karachi"}},
	"AEST": {zones: []string{"Australia/Sydney"}},
	"AEDT": {zones: []string{"Australia/Sydney"}},
	"NZST": {zones: []string{"Pacific/Auckland"}},
	"NZDT": {zones: []string{"Pacific/Auckland"}},
}

// countryZones gives the zones of a country, main one first, for the
// countries the programme starts in and a few large ones.
var countryZones = map[string][]string{
	"SI": {"Europe/Ljubljana"}, "FI": {"Europe/Helsinki"}, "EE": {"Europe/Tallinn"},
	"DE": {"Europe/Berlin"}, "IT": {"Europe/Rome"}, "AT": {"Europe/Vienna"},
	"FR": {"Europe/Paris"}, "ES": {"Europe/Madrid", "Atlantic/Canary"}, "GB": {"Europe/London"},
	"IE": {"Europe/Dublin"}, "IN": {"Asia/Kolkata"}, "NP": {"Asia/Kathmandu"},
	"IL": {"Asia/Jerusalem"}, "JP": {"Asia/Tokyo"}, "CN": {"Asia/Shanghai"},
	"NZ": {"Pacific/Auckland", "Pacific/Chatham"}, "PL": {"Europe/Warsaw"},
	"US": {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"},
	"BR": {"America/Sao_Paulo"}, "AU": {"Australia/Sydney", "Australia/Perth", "Australia/Adelaide"},
}

// cityZones maps folded city names (see foldName) to zones: the main cities
// of Slovenia, Finland, Estonia, Germany and Italy, and large cities of the
// world.
var cityZones = map[string]string{
	// Slovenia
	"ljubljana": "Europe/Ljubljana", "maribor": "Europe/Ljubljana", "celje": "Europe/Ljubljana",
	"kranj": "Europe/Ljubljana", "koper": "Europe/Ljubljana", "novo mesto": "Europe/Ljubljana",
	"velenje": "Europe/Ljubljana", "nova gorica": "Europe/Ljubljana", "ptuj": "Europe/Ljubljana",
	// Finland
	"helsinki": "Europe/Helsinki", "espoo": "Europe/Helsinki", "tampere": "Europe/Helsinki",
	"vantaa": "Europe/Helsinki", "oulu": "Europe/Helsinki", "turku": "Europe/Helsinki",
	"jyvaskyla": "Europe/Helsinki", "lahti": "Europe/Helsinki", "kuopio": "Europe/Helsinki",
	// Estonia
	"tallinn": "Europe/Tallinn", "tartu": "Europe/Tallinn", "narva": "Europe/Tallinn",
	"parnu": "Europe/Tallinn", "kohtla jarve": "Europe/Tallinn",
	// Germany
	"berlin": "Europe/Berlin", "hamburg": "Europe/Berlin", "munich": "Europe/Berlin",
	"munchen": "Europe/Berlin", "muenchen": "Europe/Berlin", "cologne": "Europe/Berlin",
	"koln": "Europe/Berlin", "koeln": "Europe/Berlin", "frankfurt": "Europe/Berlin",
	"stuttgart": "Europe/Berlin", "dusseldorf": "Europe/Berlin", "duesseldorf": "Europe/Berlin",
	"leipzig": "Europe/Berlin", "dortmund": "Europe/Berlin", "essen": "Europe/Berlin",
	"bremen": "Europe/Berlin", "dresden": "Europe/Berlin", "hanover": "Europe/Berlin",
	"hannover": "Europe/Berlin", "nuremberg": "Europe/Berlin", "nurnberg": "Europe/Berlin",
	// Italy
	"rome": "Europe/Rome", "roma": "Europe/Rome", "milan": "Europe/Rome", "milano": "Europe/Rome",
	"naples": "Europe/Rome", "napoli": "Europe/Rome", "turin": "Europe/Rome", "torino": "Europe/Rome",
	"palermo": "Europe/Rome", "genoa": "Europe/Rome", "genova": "Europe/Rome",
	"bologna": "Europe/Rome", "florence": "Europe/Rome", "firenze": "Europe/Rome",
	"venice": "Europe/Rome", "venezia": "Europe/Rome", "trieste": "Europe/Rome", "bari": "Europe/Rome",
	// Europe
	"london": "Europe/London", "dublin": "Europe/Dublin", "paris": "Europe/Paris",
	"madrid": "Europe/Madrid", "barcelona": "Europe/Madrid", "lisbon": "Europe/Lisbon",
	"amsterdam": "Europe/Amsterdam", "brussels": "Europe/Brussels", "vienna": "Europe/Vienna",
	"wien": "Europe/Vienna", "zurich": "Europe/Zurich", "prague": "Europe/Prague",
	"warsaw": "Europe/Warsaw", "budapest": "Europe/Budapest", "zagreb": "Europe/Zagreb",
	"belgrade": "Europe/Belgrade", "stockholm": "Europe/Stockholm", "oslo": "Europe/Oslo",
	"copenhagen": "Europe/Copenhagen", "riga": "Europe/Riga", "vilnius": "Europe/Vilnius",
	"athens": "Europe/Athens", "bucharest": "Europe/Bucharest", "sofia": "Europe/Sofia",
	"kyiv": "Europe/Kyiv", "kiev": "Europe/Kyiv", "istanbul": "Europe/Istanbul",
	"moscow": "Europe/Moscow",
	// Americas
	"new york": "America/New_York", "nyc": "America/New_York", "boston": "America/New_York",
	"washington": "America/New_York", "toronto": "America/Toronto", "chicago": "America/Chicago",
	"denver": "America/Denver", "los angeles": "America/Los_Angeles",
	"san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
	"vancouver": "America/Vancouver", "mexico city": "America/Mexico_City",
	"sao paulo": "America/Sao_Paulo", "rio de janeiro": "America/Sao_Paulo",
	"buenos aires": "America/Argentina/Buenos_Aires", "bogota": "America/Bogota",
	"lima": "America/Lima", "santiago": "America/Santiago", "st johns": "America/St_Johns",
	// Africa and Middle East
	"cairo": "Africa/Cairo", "lagos": "Africa/Lagos", "nairobi": "Africa/Nairobi",
	"johannesburg": "Africa/Johannesburg", "casablanca": "Africa/Casablanca",
	"dubai": "Asia/Dubai", "tehran": "Asia/Tehran", "jerusalem": "Asia/Jerusalem",
	"tel aviv": "Asia/Jerusalem", "riyadh": "Asia/Riyadh",
	// Asia and Oceania
	"kolkata": "Asia/Kolkata", "calcutta": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
	"delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata",
	"bengaluru": "Asia/Kolkata", "chennai": "Asia/Kolkata", "hyderabad": "Asia/Kolkata",
	"kathmandu": "Asia/Kathmandu", "karachi": "Asia/Karachi", "lahore": "Asia/Karachi",
	"dhaka": "Asia/Dhaka", "kabul": "Asia/Kabul", "yangon": "Asia/Yangon",
	"bangkok": "Asia/Bangkok", "jakarta": "Asia/Jakarta", "singapore": "Asia/Singapore",
	"kuala lumpur": "Asia/Kuala_Lumpur", "manila": "Asia/Manila", "hong kong": "Asia/Hong_Kong",
	"beijing": "Asia/Shanghai", "shanghai": "Asia/Shanghai", "shenzhen": "Asia/Shanghai",
	"taipei": "Asia/Taipei", "seoul": "Asia/Seoul", "tokyo": "Asia/Tokyo", "osaka": "Asia/Tokyo",
	"sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne",
	"brisbane": "Australia/Brisbane", "perth": "Australia/Perth", "adelaide": "Australia/Adelaide",
	"darwin": "Australia/Darwin", "eucla": "Australia/Eucla", "auckland": "Pacific/Auckland",
	"wellington": "Pacific/Auckland", "chatham": "Pacific/Chatham",
	"chatham islands": "Pacific/Chatham",
}
