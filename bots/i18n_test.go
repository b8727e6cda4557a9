package bots

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

// sameAsEnglish lists the translations that may equal the English text,
// by key and language: words that really are the same in that language.
// Entries that are no longer identical fail the test, so the list stays short.
var sameAsEnglish = map[string][]string{
	// "min" is the abbreviation for minutes in these languages too.
	"lesson.header": {"sl", "fi", "et", "it"},
	// Italian schools and companies call the role "tutor" (tutor aziendale).
	"role.tutor": {"it"},
	// Country names spelt as in English.
	"country.SI": {"fi", "it"},
	"country.EE": {"it"},
}

// localeLabelMax is the longest translation, in characters, of a short
// English label (a button): longer ones are cut off on a phone.
const localeLabelMax = 32

// localeMessage is one message of a locale file: a plain text is the
// single form "other"; a plural message has one text per CLDR category.
type localeMessage struct {
	plural bool
	forms  map[string]string
}

var pluralCategories = []string{"zero", "one", "two", "few", "many", "other"}

// loadLocale reads locales/<lang>.yaml from the embedded files.
func loadLocale(t *testing.T, lang string) map[string]localeMessage {
	t.Helper()
	b, err := localeFS.ReadFile("locales/" + lang + ".yaml")
	if err != nil {
		t.Fatalf("locale %s: %v", lang, err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		t.Fatalf("locale %s: %v", lang, err)
	}
	msgs := make(map[string]localeMessage, len(raw))
	for key, v := range raw {
		switch v := v.(type) {
		case string:
			msgs[key] = localeMessage{forms: map[string]string{"other": v}}
		case map[string]any:
			m := localeMessage{plural: true, forms: map[string]string{}}
			for cat, text := range v {
				s, ok := text.(string)
				if !ok || !slices.Contains(pluralCategories, cat) {
					t.Errorf("%s.yaml: %s: %q is not a plural category with a text", lang, key, cat)
					continue
				}
				m.forms[cat] = s
			}
			msgs[key] = m
		default:
			t.Errorf("%s.yaml: %s: want a text or a map of plural forms, got %T", lang, key, v)
		}
	}
	return msgs
}

// localePluralForms returns the CLDR cardinal categories lang uses for
// whole numbers, the only counts the engine passes.
func localePluralForms(lang string) []string {
	names := map[plural.Form]string{
		plural.Zero: "zero", plural.One: "one", plural.Two: "two",
		plural.Few: "few", plural.Many: "many", plural.Other: "other",
	}
	tag := language.MustParse(lang)
	seen := map[string]bool{}
	for n := range 1000 {
		seen[names[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]] = true
	}
	var forms []string
	for _, c := range pluralCategories {
		if seen[c] {
			forms = append(forms, c)
		}
	}
	return forms
}

var (
	localeAction  = regexp.MustCompile(`\{\{[^}]*\}\}`)
	localeField   = regexp.MustCompile(`\.[A-Za-z_][A-Za-z0-9_]*`)
	localeCommand = regexp.MustCompile(`(?:^|[\s(«»"“”„'])(/[a-z][a-z_]*)`)
)

// localeFields returns the sorted template fields of s ("Count", "Name").
func localeFields(s string) []string {
	var fields []string
	for _, a := range localeAction.FindAllString(s, -1) {
		for _, f := range localeField.FindAllString(a, -1) {
			fields = append(fields, f[1:])
		}
	}
	sort.Strings(fields)
	return slices.Compact(fields)
}

// localeKeep returns what a translation must keep from s: its commands and
// its symbols (emoji, ✅ ❌ ◀ ▶ • →), sorted.
func localeKeep(s string) string {
	var keep []string
	for _, m := range localeCommand.FindAllStringSubmatch(localeAction.ReplaceAllString(s, ""), -1) {
		keep = append(keep, m[1])
	}
	for _, r := range s {
		if unicode.Is(unicode.So, r) || r == '•' || r == '→' {
			keep = append(keep, string(r))
		}
	}
	sort.Strings(keep)
	return strings.Join(keep, " ")
}

// localeIsLabel reports whether English s reads as a button label: short,
// one line, no template, no closing punctuation.
func localeIsLabel(key, s string) bool {
	if strings.HasPrefix(key, "cmd.") || strings.Contains(s, "{{") || strings.Contains(s, "\n") {
		return false
	}
	return utf8.RuneCountInString(s) <= 30 && !strings.ContainsAny(s[len(s)-1:], ".?!:")
}

func TestLocaleFilesMatchLanguages(t *testing.T) {
	files, err := localeFS.ReadDir("locales")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, strings.TrimSuffix(f.Name(), path.Ext(f.Name())))
	}
	want := slices.Clone(Languages)
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("locale files %v, want one per language %v", got, want)
	}
}

func TestLocaleComplete(t *testing.T) {
	en := loadLocale(t, "en")
	if len(en) == 0 {
		t.Fatal("en.yaml has no messages")
	}
	for _, lang := range Languages[1:] {
		t.Run(lang, func(t *testing.T) {
			tr := loadLocale(t, lang)
			for key := range en {
				if _, ok := tr[key]; !ok {
					t.Errorf("%s.yaml lacks %s", lang, key)
				}
			}
			for key := range tr {
				if _, ok := en[key]; !ok {
					t.Errorf("%s.yaml has %s, which en.yaml lacks", lang, key)
				}
			}
		})
	}
}

func TestLocalePluralForms(t *testing.T) {
	en := loadLocale(t, "en")
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			need := localePluralForms(lang)
			for key, m := range loadLocale(t, lang) {
				if e, ok := en[key]; ok && e.plural != m.plural {
					t.Errorf("%s.yaml: %s: plural is %v, in en.yaml %v", lang, key, m.plural, e.plural)
				}
				if !m.plural {
					continue
				}
				for _, c := range need {
					if _, ok := m.forms[c]; !ok {
						t.Errorf("%s.yaml: %s lacks plural form %q (%s needs %v)", lang, key, c, lang, need)
					}
				}
				for c := range m.forms {
					if !slices.Contains(need, c) {
						t.Errorf("%s.yaml: %s has plural form %q, which %s never uses", lang, key, c, lang)
					}
				}
			}
		})
	}
}

func TestLocaleTranslations(t *testing.T) {
	en := loadLocale(t, "en")
	for _, lang := range Languages[1:] {
		t.Run(lang, func(t *testing.T) {
			for key, m := range loadLocale(t, lang) {
				e, ok := en[key]
				if !ok {
					continue // TestLocaleComplete reports it
				}
				checkLocaleMessage(t, lang, key, e, m)
			}
		})
	}
}

// checkLocaleMessage compares every form of translation m of key with the
// English message e.
func checkLocaleMessage(t *testing.T, lang, key string, e, m localeMessage) {
	t.Helper()
	var enFields []string
	enText := e.forms["other"]
	for _, s := range e.forms {
		enFields = append(enFields, localeFields(s)...)
	}
	sort.Strings(enFields)
	enFields = slices.Compact(enFields)

	identical := true
	for cat, s := range m.forms {
		where := fmt.Sprintf("%s.yaml: %s", lang, key)
		if m.plural {
			where += "." + cat
		}
		if strings.TrimSpace(s) == "" {
			t.Errorf("%s is empty", where)
		}
		if got := localeFields(s); !slices.Equal(got, enFields) {
			t.Errorf("%s has template fields %v, en.yaml %v", where, got, enFields)
		}
		if got, want := localeKeep(s), localeKeep(enText); got != want {
			t.Errorf("%s keeps commands and symbols %q, en.yaml %q", where, got, want)
		}
		if localeIsLabel(key, enText) && utf8.RuneCountInString(s) > localeLabelMax {
			t.Errorf("%s: label %q is longer than %d characters", where, s, localeLabelMax)
		}
		if s != e.forms[cat] && s != enText {
			identical = false
		}
	}
	allowed := slices.Contains(sameAsEnglish[key], lang)
	switch {
	case identical && !allowed:
		t.Errorf("%s.yaml: %s is the English text %q; translate it or add it to sameAsEnglish",
			lang, key, enText)
	case !identical && allowed:
		t.Errorf("%s.yaml: %s is translated; remove it from sameAsEnglish", lang, key)
	}
}

func TestCatalogRendersEveryKey(t *testing.T) {
	c, err := newCatalog()
	if err != nil {
		t.Fatal(err)
	}
	en := loadLocale(t, "en")
	for _, lang := range Languages {
		for key, e := range en {
			var fields []string
			for _, s := range e.forms {
				fields = append(fields, localeFields(s)...)
			}
			var kv []any
			for _, f := range fields {
				if f != "Count" {
					kv = append(kv, f, "⟨"+f+"⟩")
				}
			}
			counts := []int{-1}
			if e.plural {
				counts = nil
				for n := range 112 {
					counts = append(counts, n)
				}
			}
			for _, n := range counts {
				args := kv
				if n >= 0 {
					args = append(slices.Clone(kv), "Count", n)
				}
				checkLocaleRender(t, lang, key, c.text(lang, key, n, args...), args)
			}
		}
	}
}

// checkLocaleRender checks one rendered message: it is not the key, has no
// missing or unrendered data, and shows every sample value.
func checkLocaleRender(t *testing.T, lang, key, got string, kv []any) {
	t.Helper()
	switch {
	case got == key || strings.TrimSpace(got) == "":
		t.Errorf("%s %s %v: not found, rendered %q", lang, key, kv, got)
	case strings.Contains(got, "<no value>") || strings.Contains(got, "{{"):
		t.Errorf("%s %s %v: template data missing: %q", lang, key, kv, got)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if v := fmt.Sprint(kv[i+1]); !strings.Contains(got, v) {
			t.Errorf("%s %s: %q does not show %s=%s", lang, key, got, kv[i], v)
		}
	}
}
