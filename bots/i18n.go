package bots

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

// Languages are the interface languages, in the order offered.
var Languages = []string{"en", "sl", "fi", "et", "de", "it"}

// LanguageNames are the languages' own names, for the language buttons.
var LanguageNames = map[string]string{
	"en": "English", "sl": "Slovenščina", "fi": "Suomi", "et": "Eesti", "de": "Deutsch",
	"it": "Italiano",
}

//go:embed locales/*.yaml
var localeFS embed.FS

// catalog translates interface messages with CLDR plural rules.
type catalog struct {
	bundle *i18n.Bundle
	mu     sync.Mutex
	locs   map[string]*i18n.Localizer
	// plain caches messages without template data or plural count.
	plain sync.Map // lang + "\x00" + id -> string
}

func newCatalog() (*catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	// Each language has a main file (en.yaml) and may have more files of
	// one area each (mentor.en.yaml).
	files, err := fs.Glob(localeFS, "locales/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := b.LoadMessageFileFS(localeFS, f); err != nil {
			return nil, fmt.Errorf("bots: locale file %s: %w", f, err)
		}
	}
	return &catalog{bundle: b, locs: map[string]*i18n.Localizer{}}, nil
}

func (c *catalog) localizer(lang string) *i18n.Localizer {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.locs[lang]
	if !ok {
		l = i18n.NewLocalizer(c.bundle, lang, "en")
		c.locs[lang] = l
	}
	return l
}

// text returns message id in lang; n >= 0 selects a plural form. kv are
// template data as name, value pairs.
func (c *catalog) text(lang, id string, n int, kv ...any) string {
	if len(kv) == 0 && n < 0 {
		key := lang + "\x00" + id
		if s, ok := c.plain.Load(key); ok {
			return s.(string)
		}
		s := c.localize(lang, &i18n.LocalizeConfig{MessageID: id}, id)
		c.plain.Store(key, s)
		return s
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	name := ""
	if len(kv) > 0 {
		data := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			data[fmt.Sprint(kv[i])] = kv[i+1]
		}
		cfg.TemplateData = data
		name, _ = data["Name"].(string)
	}
	if n >= 0 {
		cfg.PluralCount = n
	}
	s := c.localize(lang, cfg, id)
	if name != "" && strings.HasPrefix(s, name) {
		// A name that starts a sentence ("a learner") starts it with a
		// capital.
		s = upperFirst(s)
	}
	return s
}

func (c *catalog) localize(lang string, cfg *i18n.LocalizeConfig, id string) string {
	// go-i18n returns the English text with an error when a translation
	// is missing: English is better than the key.
	s, err := c.localizer(lang).Localize(cfg)
	if s == "" && err != nil {
		return id
	}
	return s
}
