package lessons

import (
	"unicode/utf8"

	"github.com/talentjourney/talentbot/skills"
)

// Levels of a lesson, from easiest to hardest.
const (
	Beginner     = "beginner"
	Intermediate = "intermediate"
	Advanced     = "advanced"
)

// Limits of a lesson and of its quiz.
const (
	MinMinutes   = 1
	MaxMinutes   = 5
	MaxQuestions = 3
	MinOptions   = 3
	MaxOptions   = 4
	// MaxButtonLabel is the longest option text, in characters, that may
	// become a button.
	MaxButtonLabel = 80
	// Telegram's quiz poll limits, in characters. An item past any of them
	// is shown as buttons instead of a poll.
	MaxPollQuestion    = 300
	MaxPollOption      = 100
	MaxPollExplanation = 200
	// MaxPollExplanationLines is the most line feeds a poll explanation
	// may hold.
	MaxPollExplanationLines = 2
)

// LevelRank returns 0, 1 or 2 for beginner, intermediate and advanced, and
// -1 for anything else.
func LevelRank(level string) int {
	switch level {
	case Beginner:
		return 0
	case Intermediate:
		return 1
	case Advanced:
		return 2
	}
	return -1
}

// Lesson is one micro-lesson: one idea, a few minutes of reading and a
// short quiz. A Lesson in a Catalog is shared and must not be modified.
type Lesson struct {
	// ID is unique in the catalogue: "mqtt-qos".
	ID string
	// Title is the English title.
	Title string
	// Track is the id of the skills.Track the lesson belongs to.
	Track string
	// Skills are ids from the skills package that the lesson teaches.
	Skills []string
	// Level is Beginner, Intermediate or Advanced.
	Level string
	// Minutes is the reading time, 1 to 5.
	Minutes int
	// Prerequisites are ids of lessons to take before this one.
	Prerequisites []string
	// Sources are the addresses of the public documents the facts were
	// checked against.
	Sources []string
	// Body is the English text in Markdown.
	Body string
	// Quiz holds 1 to 3 questions, in English.
	Quiz []Question
	// Translations maps a language code ("de") to the lesson in that
	// language. English is the lesson itself and has no entry.
	Translations map[string]Translation
	// Lang is the language of Title, Body and Quiz: "en", or the language
	// of the view In returned.
	Lang string
	// Path is the file the lesson was read from, as shown in problems.
	Path string

	lines lessonLines
}

// lessonLines records where fields were found, for problems found after
// parsing (duplicates, prerequisites).
type lessonLines struct {
	id      int
	prereqs []int
}

// Question is one quiz item: a question, 3 or 4 options and exactly one
// right answer.
type Question struct {
	// Text is the question.
	Text string
	// Options are the answers offered, in the order shown.
	Options []string
	// Correct is the index in Options of the right answer.
	Correct int
	// Explanation says why the right answer is right.
	Explanation string
}

// FitsPoll reports whether the item fits Telegram's quiz poll limits. An
// item that does not is shown as buttons on every platform.
func (q Question) FitsPoll() bool {
	if textLen(q.Text) > MaxPollQuestion || textLen(q.Explanation) > MaxPollExplanation {
		return false
	}
	if lineFeeds(q.Explanation) > MaxPollExplanationLines {
		return false
	}
	for _, o := range q.Options {
		if textLen(o) > MaxPollOption {
			return false
		}
	}
	return true
}

// Translation is a lesson's text in one language other than English. Its
// quiz has the English quiz's questions and options in the same order;
// which option is right comes from the English quiz.
type Translation struct {
	// Title and Body (Markdown) in the translation's language.
	Title string
	Body  string
	// Quiz has as many questions as the English quiz, each with as many
	// options in the same order; Correct is copied from English.
	Quiz []Question
}

// In returns the lesson in lang ("de", "de-AT"): a copy whose Title, Body,
// Quiz and Lang are in that language. When the lesson has no translation
// into lang, it returns the English lesson and fellBack is true (never for
// English itself).
func (l *Lesson) In(lang string) (view Lesson, fellBack bool) {
	view = *l
	view.Translations = nil
	lang = skills.BaseLanguage(lang)
	if lang == "" || lang == "en" {
		return view, false
	}
	t, ok := l.Translations[lang]
	if !ok {
		return view, true
	}
	view.Lang, view.Title, view.Body, view.Quiz = lang, t.Title, t.Body, t.Quiz
	return view, false
}

// Languages returns the languages the lesson can be read in, English first.
func (l *Lesson) Languages() []string {
	langs := []string{"en"}
	for _, lang := range skills.Languages[1:] {
		if _, ok := l.Translations[lang]; ok {
			langs = append(langs, lang)
		}
	}
	return langs
}

// textLen is the length of s in characters, as the limits count them.
func textLen(s string) int { return utf8.RuneCountInString(s) }

func lineFeeds(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			n++
		}
	}
	return n
}
