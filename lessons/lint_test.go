package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/talentjourney/talentbot/skills"
)

func TestEmbeddedCatalogueHasNoErrors(t *testing.T) {
	r := Lint(EmbeddedFS(), EmbeddedName)
	for _, p := range r.Errors {
		t.Error(p)
	}
	if r.Summary.Lessons < 2 || r.Summary.Skills != 24 {
		t.Errorf("summary %q", r.Summary)
	}
	c, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != r.Summary.Lessons {
		t.Errorf("LoadDefault has %d lessons, Lint counted %d", c.Len(), r.Summary.Lessons)
	}
}

// TestBrokenExamples lints testdata/broken, one file per kind of problem,
// and checks every problem's file, line and message.
func TestBrokenExamples(t *testing.T) {
	const dir = "testdata/broken"
	want := []string{
		`bad-level.md:6: level "expert" is not beginner, intermediate or advanced`,
		`cycle-b.md:8: prerequisite cycle: cycle-a -> cycle-b -> cycle-a`,
		`duplicate-field.md:7: field "level" appears twice (first on line 5)`,
		`long-label.md:16: question 1: option is 92 characters, a button label takes at most 80`,
		`minutes.md:7: minutes 7 is outside 1..5`,
		`missing-field.md:1: missing field "title"`,
		`mqtt/duplicate-id.md:2: duplicate id "duplicate-id" (first in testdata/broken/duplicate-id.md:2)`,
		`no-body.md:19: the lesson has no body after the front matter`,
		`no-front-matter.md:1: no front matter: the file must start with a line "---"`,
		`no-questions.md:12: quiz has no questions, want 1 to 3`,
		`no-right-answer.md:12: question 1 has 0 right answers, want exactly 1 (mark it with "text: ..." and "correct: true")`,
		`poll-limits.md:12: warning: question 1 is 394 characters, a quiz poll takes 300; it will be shown as buttons`,
		`poll-limits.md:12: warning: question 1: explanation is 259 characters, a quiz poll takes 200; it will be shown as buttons`,
		`too-few-options.md:12: question 1 has 2 options, want 3 or 4`,
		`too-many-options.md:12: question 1 has 5 options, want 3 or 4`,
		`too-many-questions.md:12: quiz has 4 questions, want 1 to 3`,
		`translation-options.md:24: translation de: question 1 has 2 options, English has 3`,
		`two-right-answers.md:12: question 1 has 2 right answers, want exactly 1 (mark it with "text: ..." and "correct: true")`,
		`unknown-field.md:19: unknown field "author"`,
		`unknown-language.md:20: unknown language "xx" (want one of sl, fi, et, de, it)`,
		`unknown-prerequisite.md:8: unknown prerequisite "no-such-lesson"`,
		`unknown-skill.md:5: unknown skill "mqtt.telepathy"`,
		`unknown-track.md:4: unknown track "fieldbus"`,
		`yaml-syntax.md:3: front matter: did not find expected ',' or ']'`,
	}
	r := Lint(os.DirFS(dir), dir)
	var got []string
	for _, p := range r.Problems() {
		got = append(got, strings.TrimPrefix(p.String(), dir+"/"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(r.Warnings) != 2 || len(r.Errors) != len(want)-2 {
		t.Errorf("%d errors and %d warnings", len(r.Errors), len(r.Warnings))
	}

	// Every file in the folder is there for at least one problem.
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, f := range files {
		name := filepath.Base(f)
		if name == "duplicate-id.md" || name == "cycle-a.md" {
			continue // the problem is reported at their twin
		}
		if !strings.Contains(strings.Join(got, "\n"), name+":") {
			t.Errorf("%s: no problem reported", name)
		}
	}

	if _, err := Load(os.DirFS(dir)); !errors.As(err, new(*LintError)) {
		t.Errorf("Load of the broken folder: err = %v, want a *LintError", err)
	}
}

func TestSummaryCountsLanguagesTracksAndSkills(t *testing.T) {
	fsys := fstest.MapFS{
		"mqtt/mqtt-a.md": {Data: []byte(testLesson("mqtt-a", "mqtt", "[]", "de"))},
		"mqtt/mqtt-b.md": {Data: []byte(testLesson("mqtt-b", "mqtt", "[mqtt-a]", "fi"))},
		"edge/edge-a.md": {Data: []byte(testLesson("edge-a", "edge", "[mqtt-b]", ""))},
	}
	r := Lint(fsys, "x")
	if !r.OK() {
		t.Fatal(r.Errors)
	}
	if got := r.Summary.String(); got != "3 lessons, 2 tracks, 24 skills, 3 languages" {
		t.Errorf("summary = %q", got)
	}
}

func TestExtendReplacesEmbeddedLessons(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Replace mqtt-qos (same id) and add a lesson that needs an embedded one.
	write("mqtt/mqtt-qos.md", strings.Replace(testLesson("mqtt-qos", "mqtt", "[mqtt-topics]", ""),
		"title: Test mqtt-qos", "title: Our own QoS lesson", 1))
	write("mqtt/partner-extra.md", testLesson("partner-extra", "mqtt", "[mqtt-qos]", ""))

	base, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Extend(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != base.Len()+1 {
		t.Errorf("extended catalogue has %d lessons, want %d", c.Len(), base.Len()+1)
	}
	if l, _ := c.Lesson("mqtt-qos"); l.Title != "Our own QoS lesson" {
		t.Errorf("mqtt-qos title = %q, want the partner's", l.Title)
	}
	if l, _ := base.Lesson("mqtt-qos"); l.Title == "Our own QoS lesson" {
		t.Error("Extend changed the embedded catalogue")
	}
	if r := LintExtension(os.DirFS(dir), dir); !r.OK() || r.Summary.Lessons != base.Len()+1 {
		t.Errorf("LintExtension: %v", r)
	}

	// A broken file stops the extension with problems naming it.
	write("mqtt/broken.md", testLesson("broken", "mqtt", "[no-such]", ""))
	_, err = Extend(dir)
	var le *LintError
	if !errors.As(err, &le) || len(le.Report.Errors) != 1 {
		t.Fatalf("Extend with a broken file: %v", err)
	}
	if got, want := le.Report.Errors[0].String(),
		filepath.ToSlash(dir)+`/mqtt/broken.md:8: unknown prerequisite "no-such"`; got != want {
		t.Errorf("problem = %q, want %q", got, want)
	}
}

// testLesson returns a valid lesson file; lang, when set, adds a translation.
func testLesson(id, track, prereqs, lang string) string {
	skill := map[string]string{"mqtt": "mqtt.basics", "edge": "edge.gateway",
		"security": "security.segmentation"}[track]
	s := `---
id: ` + id + `
title: Test ` + id + `
track: ` + track + `
skills: [` + skill + `]
level: beginner
minutes: 2
prerequisites: ` + prereqs + `
sources:
  - https://example.org/spec
quiz:
  - question: Which one?
    options:
      - A
      - text: B
        correct: true
      - C
    explanation: B, because.
`
	if lang != "" {
		s += `translations:
  ` + lang + `:
    title: T
    body: Text.
    quiz:
      - question: Q?
        options: [a, b, c]
        explanation: E.
`
	}
	return s + "---\nThe body of " + id + ".\n"
}

// TestEmbeddedCatalogueCoverage checks what issue 4 asks of the content:
// at least 40 lessons in the 6 tracks, and at least one whole track in
// every language of the programme.
func TestEmbeddedCatalogueCoverage(t *testing.T) {
	c, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Summary(); s.Lessons < 40 || s.Tracks < 6 || s.Languages < 6 {
		t.Errorf("embedded catalogue: %s; want at least 40 lessons, 6 tracks, 6 languages", s)
	}
	var complete []string
	for _, tr := range skills.Tracks() {
		ok := len(c.Track(tr.ID)) > 0
		for _, l := range c.Track(tr.ID) {
			ok = ok && len(l.Languages()) == len(skills.Languages)
		}
		if ok {
			complete = append(complete, tr.ID)
		}
	}
	if len(complete) == 0 {
		t.Error("no track has every lesson in all six languages")
	}
	t.Logf("tracks in every language: %v", complete)
}
