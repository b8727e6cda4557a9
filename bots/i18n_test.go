package bots

import (
	"fmt"
	"io/fs"
	"maps"
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
	// The role is called "Tutor" in these languages too (tutor aziendale).
	"role.tutor": {"fi", "de", "it"},
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

// localeFiles returns the locale files' names by area and language:
// en.yaml is named "en", area "", language "en"; mentor.en.yaml is named
// "mentor.en", area "mentor".
func localeFiles(t *testing.T) map[string]map[string]string {
	t.Helper()
	files, err := fs.Glob(localeFS, "locales/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no locale files: %v", err)
	}
	areas := map[string]map[string]string{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".yaml")
		area, lang := "", name
		if i := strings.LastIndex(name, "."); i >= 0 {
			area, lang = name[:i], name[i+1:]
		}
		if areas[area] == nil {
			areas[area] = map[string]string{}
		}
		areas[area][lang] = name
	}
	return areas
}

// loadLocale reads the embedded locale file named name ("en", "mentor.en").
func loadLocale(t *testing.T, name string) map[string]localeMessage {
	t.Helper()
	file := name + ".yaml"
	b, err := localeFS.ReadFile("locales/" + file)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", file, err)
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
					t.Errorf("%s: %s: %q is not a plural category with a text", file, key, cat)
					continue
				}
				m.forms[cat] = s
			}
			msgs[key] = m
		default:
			t.Errorf("%s: %s: want a text or a map of plural forms, got %T", file, key, v)
		}
	}
	return msgs
}

// eachLocale calls f in a subtest for every translated file, with the
// English messages of its area and its own.
func eachLocale(t *testing.T, f func(t *testing.T, name string, en, tr map[string]localeMessage)) {
	for _, langs := range localeFiles(t) {
		en := loadLocale(t, langs["en"])
		for _, lang := range Languages[1:] {
			name, ok := langs[lang]
			if !ok {
				continue // TestLocaleFilesMatchLanguages reports it
			}
			t.Run(name, func(t *testing.T) {
				f(t, name, en, loadLocale(t, name))
			})
		}
	}
}

// onlyOne reports whether the plural category cat of lang is used for the
// number 1 alone (in English, but not in Slovenian, where 101 is "one").
func onlyOne(lang, cat string) bool {
	tag := language.MustParse(lang)
	for n := range 1000 {
		if is := plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0) == plural.One; is != (n == 1) {
			return false
		}
	}
	return cat == "one"
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
	want := slices.Sorted(slices.Values(Languages))
	seen := map[string]map[string]string{} // language, key: file name
	for area, langs := range localeFiles(t) {
		got := slices.Sorted(maps.Keys(langs))
		if !slices.Equal(got, want) {
			t.Errorf("area %q has files for %v, want one per language %v", area, got, want)
		}
		for lang, name := range langs {
			if seen[lang] == nil {
				seen[lang] = map[string]string{}
			}
			for key := range loadLocale(t, name) {
				if other, ok := seen[lang][key]; ok {
					t.Errorf("%s is in both %s.yaml and %s.yaml", key, other, name)
				}
				seen[lang][key] = name
			}
		}
	}
}

func TestLocaleComplete(t *testing.T) {
	eachLocale(t, func(t *testing.T, name string, en, tr map[string]localeMessage) {
		if len(en) == 0 {
			t.Fatalf("English of %s.yaml has no messages", name)
		}
		for key := range en {
			if _, ok := tr[key]; !ok {
				t.Errorf("%s.yaml lacks %s", name, key)
			}
		}
		for key := range tr {
			if _, ok := en[key]; !ok {
				t.Errorf("%s.yaml has %s, which English lacks", name, key)
			}
		}
	})
}

func TestLocalePluralForms(t *testing.T) {
	for _, langs := range localeFiles(t) {
		en := loadLocale(t, langs["en"])
		for lang, name := range langs {
			need := localePluralForms(lang)
			file := name + ".yaml"
			for key, m := range loadLocale(t, name) {
				if e, ok := en[key]; ok && e.plural != m.plural {
					t.Errorf("%s: %s: plural is %v, in English %v", file, key, m.plural, e.plural)
				}
				if !m.plural {
					continue
				}
				for _, c := range need {
					if _, ok := m.forms[c]; !ok {
						t.Errorf("%s: %s lacks plural form %q (%s needs %v)", file, key, c, lang, need)
					}
				}
				for c := range m.forms {
					if !slices.Contains(need, c) {
						t.Errorf("%s: %s has plural form %q, which %s never uses", file, key, c, lang)
					}
				}
			}
		}
	}
}

func TestLocaleTranslations(t *testing.T) {
	eachLocale(t, func(t *testing.T, name string, en, tr map[string]localeMessage) {
		for key, m := range tr {
			if e, ok := en[key]; ok {
				checkLocaleMessage(t, name, key, e, m)
			}
		}
	})
}

// checkLocaleMessage compares every form of translation m of key, in the
// locale file named name ("sl", "mentor.sl"), with the English message e.
func checkLocaleMessage(t *testing.T, name, key string, e, m localeMessage) {
	t.Helper()
	file, lang := name+".yaml", name[strings.LastIndex(name, ".")+1:]
	var enFields []string
	enText := e.forms["other"]
	for _, s := range e.forms {
		enFields = append(enFields, localeFields(s)...)
	}
	sort.Strings(enFields)
	enFields = slices.Compact(enFields)

	identical := true
	for cat, s := range m.forms {
		where := file + ": " + key
		if m.plural {
			where += "." + cat
		}
		if strings.TrimSpace(s) == "" {
			t.Errorf("%s is empty", where)
		}
		want := enFields
		if m.plural && onlyOne(lang, cat) {
			// "tomorrow", "the question you missed": the form of 1 alone
			// may leave the number out.
			want = slices.DeleteFunc(slices.Clone(enFields), func(f string) bool { return f == "Count" })
		}
		if got := localeFields(s); !slices.Equal(got, enFields) && !slices.Equal(got, want) {
			t.Errorf("%s has template fields %v, English %v", where, got, enFields)
		}
		if got, want := localeKeep(s), localeKeep(enText); got != want {
			t.Errorf("%s keeps commands and symbols %q, English %q", where, got, want)
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
		t.Errorf("%s: %s is the English text %q; translate it or add it to sameAsEnglish",
			file, key, enText)
	case !identical && allowed:
		t.Errorf("%s: %s is translated; remove it from sameAsEnglish", file, key)
	}
}

func TestCatalogRendersEveryKey(t *testing.T) {
	c, err := newCatalog()
	if err != nil {
		t.Fatal(err)
	}
	en := map[string]localeMessage{}
	for _, langs := range localeFiles(t) {
		maps.Copy(en, loadLocale(t, langs["en"]))
	}
	for _, lang := range Languages {
		for key, e := range en {
			var fields []string
			for _, s := range e.forms {
				fields = append(fields, localeFields(s)...)
			}
			var kv []any
			for _, f := range slices.Compact(slices.Sorted(slices.Values(fields))) {
				if f != "Count" || !e.plural {
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
				args, shown := kv, kv
				if n >= 0 {
					args = append(slices.Clone(kv), "Count", n)
					if n != 1 || !onlyOne(lang, "one") {
						shown = args // the form of 1 alone may leave it out
					}
				}
				checkLocaleRender(t, lang, key, c.text(lang, key, n, args...), shown)
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
