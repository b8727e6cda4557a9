package lessons

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/talentjourney/talentbot/skills"
)

// quiz reads a list of questions. With english set it reads a translation's
// quiz (prefix names it in problems): the counts must match and the right
// answers come from english.
func (p *fileParser) quiz(v *yaml.Node, english []Question, prefix string) []Question {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.ps.errorf(p.path, p.line(v), "%squiz must be a list of questions", prefix)
		return nil
	}
	n := len(v.Content)
	switch {
	case english != nil && n != len(english):
		p.ps.errorf(p.path, p.line(v), "%squiz has %d questions, English has %d",
			prefix, n, len(english))
	case english == nil && n == 0:
		p.ps.errorf(p.path, p.line(v), "quiz has no questions, want 1 to %d", MaxQuestions)
	case english == nil && n > MaxQuestions:
		p.ps.errorf(p.path, p.line(v), "quiz has %d questions, want 1 to %d", n, MaxQuestions)
	}
	qs := make([]Question, 0, n)
	for i, qn := range v.Content {
		var en *Question
		if english != nil {
			if i >= len(english) {
				break
			}
			en = &english[i]
		}
		qs = append(qs, p.question(resolve(qn), i+1, en, prefix))
	}
	return qs
}

// question reads one quiz item, numbered from 1.
func (p *fileParser) question(v *yaml.Node, num int, en *Question, prefix string) Question {
	q := Question{Correct: -1}
	if v.Kind != yaml.MappingNode {
		p.ps.errorf(p.path, p.line(v), "%squestion %d must have question, options and explanation",
			prefix, num)
		return q
	}
	var options *yaml.Node
	p.duplicateKeys(v, prefix)
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], resolve(v.Content[i+1])
		switch k.Value {
		case "question":
			q.Text = p.str(val, "question")
		case "options":
			options = val
		case "explanation":
			q.Explanation = p.str(val, "explanation")
		default:
			p.ps.errorf(p.path, p.line(k), "%squestion %d: unknown field %q", prefix, num, k.Value)
		}
	}
	where := p.line(v)
	if q.Text == "" {
		p.ps.errorf(p.path, where, "%squestion %d: missing field \"question\"", prefix, num)
	}
	if q.Explanation == "" {
		p.ps.errorf(p.path, where, "%squestion %d: missing field \"explanation\"", prefix, num)
	}
	if options == nil || isNull(options) {
		p.ps.errorf(p.path, where, "%squestion %d: missing field \"options\"", prefix, num)
		return q
	}
	p.options(&q, options, where, num, en, prefix)
	p.pollLimits(q, where, num, prefix)
	return q
}

// options reads a question's options and checks their count, labels and
// right answer.
func (p *fileParser) options(q *Question, v *yaml.Node, line, num int, en *Question, prefix string) {
	if v.Kind != yaml.SequenceNode {
		p.ps.errorf(p.path, p.line(v), "%squestion %d: options must be a list", prefix, num)
		return
	}
	correct := 0
	seen := map[string]bool{}
	for _, on := range v.Content {
		text, right := p.option(resolve(on), num, prefix)
		if right {
			correct++
			q.Correct = len(q.Options)
		}
		if seen[text] && text != "" {
			p.ps.errorf(p.path, p.line(on), "%squestion %d: option %q appears twice",
				prefix, num, text)
		}
		seen[text] = true
		q.Options = append(q.Options, text)
	}

	n := len(q.Options)
	switch {
	case en != nil:
		q.Correct = en.Correct
		if n != len(en.Options) {
			p.ps.errorf(p.path, line, "%squestion %d has %d options, English has %d",
				prefix, num, n, len(en.Options))
		}
	case n < MinOptions || n > MaxOptions:
		p.ps.errorf(p.path, line, "question %d has %d options, want %d or %d",
			num, n, MinOptions, MaxOptions)
	}
	if en == nil && correct != 1 {
		p.ps.errorf(p.path, line, "question %d has %d right answers, want exactly 1 "+
			"(mark it with \"text: ...\" and \"correct: true\")", num, correct)
	}
}

// option reads one option: a plain text, or {text, correct}.
func (p *fileParser) option(v *yaml.Node, num int, prefix string) (text string, correct bool) {
	switch v.Kind {
	case yaml.ScalarNode:
		text = strings.TrimSpace(v.Value)
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], resolve(v.Content[i+1])
			switch k.Value {
			case "text":
				text = p.str(val, "text")
			case "correct":
				correct = val.Kind == yaml.ScalarNode && val.Value == "true"
			default:
				p.ps.errorf(p.path, p.line(k), "%squestion %d: unknown option field %q",
					prefix, num, k.Value)
			}
		}
	default:
		p.ps.errorf(p.path, p.line(v), "%squestion %d: an option must be text or {text, correct}",
			prefix, num)
	}
	if text == "" {
		p.ps.errorf(p.path, p.line(v), "%squestion %d: empty option", prefix, num)
	}
	if n := textLen(text); n > MaxButtonLabel {
		p.ps.errorf(p.path, p.line(v), "%squestion %d: option is %d characters, "+
			"a button label takes at most %d", prefix, num, n, MaxButtonLabel)
	}
	return text, correct
}

// pollLimits warns about text too long for a Telegram quiz poll.
func (p *fileParser) pollLimits(q Question, line, num int, prefix string) {
	const shown = "; it will be shown as buttons"
	if n := textLen(q.Text); n > MaxPollQuestion {
		p.ps.warnf(p.path, line, "%squestion %d is %d characters, a quiz poll takes %d%s",
			prefix, num, n, MaxPollQuestion, shown)
	}
	// Options need no check here: a button label (MaxButtonLabel) is
	// already shorter than a poll option (MaxPollOption).
	if n := textLen(q.Explanation); n > MaxPollExplanation {
		p.ps.warnf(p.path, line, "%squestion %d: explanation is %d characters, a quiz poll takes %d%s",
			prefix, num, n, MaxPollExplanation, shown)
	} else if lineFeeds(q.Explanation) > MaxPollExplanationLines {
		p.ps.warnf(p.path, line, "%squestion %d: explanation has more than %d line breaks%s",
			prefix, num, MaxPollExplanationLines, shown)
	}
}

// translations reads the lesson in other languages.
func (p *fileParser) translations(v *yaml.Node, english []Question) map[string]Translation {
	if v.Kind != yaml.MappingNode {
		p.ps.errorf(p.path, p.line(v), "translations must map a language code to title, body and quiz")
		return nil
	}
	ts := map[string]Translation{}
	p.duplicateKeys(v, "translations: ")
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], resolve(v.Content[i+1])
		lang := k.Value
		if !isTranslationLanguage(lang) {
			p.ps.errorf(p.path, p.line(k), "unknown language %q (want one of %s)",
				lang, strings.Join(skills.Languages[1:], ", "))
			continue
		}
		ts[lang] = p.translation(k, val, english)
	}
	return ts
}

func (p *fileParser) translation(k, v *yaml.Node, english []Question) Translation {
	var t Translation
	prefix := "translation " + k.Value + ": "
	if v.Kind != yaml.MappingNode {
		p.ps.errorf(p.path, p.line(k), "%smust have title, body and quiz", prefix)
		return t
	}
	hasQuiz := false
	p.duplicateKeys(v, prefix)
	for i := 0; i+1 < len(v.Content); i += 2 {
		f, val := v.Content[i], resolve(v.Content[i+1])
		switch f.Value {
		case "title":
			t.Title = p.str(val, "title")
		case "body":
			t.Body = p.str(val, "body")
		case "quiz":
			hasQuiz = true
			t.Quiz = p.quiz(val, english, prefix)
		default:
			p.ps.errorf(p.path, p.line(f), "%sunknown field %q", prefix, f.Value)
		}
	}
	for _, m := range []struct {
		name string
		ok   bool
	}{{"title", t.Title != ""}, {"body", t.Body != ""}, {"quiz", hasQuiz || len(english) == 0}} {
		if !m.ok {
			p.ps.errorf(p.path, p.line(k), "%smissing field %q", prefix, m.name)
		}
	}
	return t
}

func isTranslationLanguage(lang string) bool {
	for _, l := range skills.Languages[1:] {
		if l == lang {
			return true
		}
	}
	return false
}
