package bots

import (
	"embed"
	"fmt"
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
}

func newCatalog() (*catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(localeFS, "locales/"+l+".yaml"); err != nil {
			return nil, fmt.Errorf("bots: locale %s: %w", l, err)
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
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(kv) > 0 {
		data := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			data[fmt.Sprint(kv[i])] = kv[i+1]
		}
		cfg.TemplateData = data
	}
	if n >= 0 {
		cfg.PluralCount = n
	}
	s, err := c.localizer(lang).Localize(cfg)
	if err != nil {
		return id
	}
	return s
}
