package lessons

import (
	"strings"
	"testing"
)

func mustDefault(t testing.TB) *Catalog {
	t.Helper()
	c, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParsedLessonFields(t *testing.T) {
	c := mustDefault(t)
	l, ok := c.Lesson("mqtt-qos")
	if !ok {
		t.Fatal("mqtt-qos is not in the embedded catalogue")
	}
	if l.Track != "mqtt" || l.Level != Beginner || l.Minutes != 3 || l.Lang != "en" {
		t.Errorf("track %q, level %q, minutes %d, lang %q", l.Track, l.Level, l.Minutes, l.Lang)
	}
	if strings.Join(l.Prerequisites, ",") != "mqtt-topics" || strings.Join(l.Skills, ",") != "mqtt.qos" {
		t.Errorf("prerequisites %v, skills %v", l.Prerequisites, l.Skills)
	}
	if l.Path != "lessons/catalog/mqtt/mqtt-qos.md" {
		t.Errorf("path %q", l.Path)
	}
	wantCorrect := []string{"QoS 2", "QoS 1", "PUBACK"}
	for i, q := range l.Quiz {
		if q.Options[q.Correct] != wantCorrect[i] {
			t.Errorf("question %d: right answer %q, want %q", i+1, q.Options[q.Correct], wantCorrect[i])
		}
	}
	if !strings.HasPrefix(l.Body, "MQTT lets the sender choose") {
		t.Errorf("body starts %q", l.Body[:40])
	}
}

func TestInTranslatesOrFallsBack(t *testing.T) {
	l, _ := mustDefault(t).Lesson("mqtt-qos")
	tests := []struct {
		lang, title, firstOption string
		fellBack                 bool
	}{
		{"en", "MQTT quality of service levels", "QoS 0", false},
		{"", "MQTT quality of service levels", "QoS 0", false},
		{"de", "MQTT-Dienstgüte (QoS)", "QoS 0", false},
		{"de-AT", "MQTT-Dienstgüte (QoS)", "QoS 0", false},
		{"sl", "Ravni kakovosti storitve (QoS) v MQTT", "QoS 0", false},
		{"pt-BR", "MQTT quality of service levels", "QoS 0", true}, // no Portuguese: English
	}
	for _, tt := range tests {
		v, fellBack := l.In(tt.lang)
		if v.Title != tt.title || fellBack != tt.fellBack || v.Quiz[0].Options[0] != tt.firstOption {
			t.Errorf("In(%q) = %q, fell back %v", tt.lang, v.Title, fellBack)
		}
	}
	de, _ := l.In("de")
	if de.Lang != "de" || !strings.HasPrefix(de.Body, "Bei MQTT wählt der Absender") {
		t.Errorf("German view: lang %q, body %q", de.Lang, de.Body[:30])
	}
	if de.Quiz[1].Options[de.Quiz[1].Correct] != "QoS 1" || de.Quiz[2].Options[de.Quiz[2].Correct] != "PUBACK" {
		t.Error("the German quiz does not take its right answers from the English one")
	}
	if de.Quiz[0].Text == l.Quiz[0].Text {
		t.Error("the German quiz is in English")
	}
	if l.Title != "MQTT quality of service levels" {
		t.Error("In changed the catalogue's lesson")
	}

	// A lesson without the learner's language falls back to English.
	only := &Lesson{ID: "x", Title: "English", Lang: "en", Translations: map[string]Translation{
		"de": {Title: "Deutsch"}}}
	if v, fellBack := only.In("fi"); v.Title != "English" || v.Lang != "en" || !fellBack {
		t.Errorf("In(fi) without Finnish = %q (%s), fell back %v", v.Title, v.Lang, fellBack)
	}
	if got := strings.Join(l.Languages(), ","); got != "en,sl,fi,et,de,it" {
		t.Errorf("Languages() = %s", got)
	}
}

func TestFitsPoll(t *testing.T) {
	opts := []string{"a", "b", "c"}
	tests := []struct {
		name string
		q    Question
		want bool
	}{
		{"short", Question{Text: "Q?", Options: opts, Explanation: "E."}, true},
		{"question at the limit", Question{Text: strings.Repeat("ü", 300), Options: opts}, true},
		{"question too long", Question{Text: strings.Repeat("q", 301), Options: opts}, false},
		{"option too long", Question{Text: "Q?", Options: []string{"a", strings.Repeat("o", 101), "c"}}, false},
		{"explanation at the limit", Question{Text: "Q?", Options: opts, Explanation: strings.Repeat("e", 200)}, true},
		{"explanation too long", Question{Text: "Q?", Options: opts, Explanation: strings.Repeat("e", 201)}, false},
		{"explanation with 3 line feeds", Question{Text: "Q?", Options: opts, Explanation: "a\nb\nc\nd"}, false},
	}
	for _, tt := range tests {
		if got := tt.q.FitsPoll(); got != tt.want {
			t.Errorf("%s: FitsPoll() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
