package bots

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/talentjourney/talentbot/lessons"
	"github.com/talentjourney/talentbot/skills"
)

// cmdLesson sends the next lesson for the learner's skills and level, and
// its first quiz question.
func (e *Engine) cmdLesson(t *Turn) error {
	st := t.State
	if !st.Onboarded {
		t.SayT("lesson.need_start", nil)
		return nil
	}
	if arg := strings.TrimSpace(t.Event.Args); arg != "" && t.Event.Kind == KindCommand {
		if tr := findTrack(arg); tr != "" {
			st.Track = tr
		} else {
			var ids []string
			for _, tr := range skills.Tracks() {
				ids = append(ids, tr.ID)
			}
			t.SayT("lesson.unknown_track", nil, "Tracks", strings.Join(ids, ", "))
		}
	}
	if st.Track != "" {
		if l, ok := e.cfg.Lessons.NextInTrack(&st.Progress, st.Track); ok {
			e.sendLesson(t, l)
			return nil
		}
		t.SayT("lesson.track_done", nil, "Track", skills.TrackName(st.Track, st.lang()))
		st.Track = ""
	}
	l, ok := e.cfg.Lessons.Next(&st.Progress, st.Profile.Skills, st.Profile.Level)
	if !ok {
		t.SayT("lesson.none", nil)
		return nil
	}
	e.sendLesson(t, l)
	return nil
}

// findTrack reads a track id or its name in any language, or the start of
// one name ("Sensoren" for "Sensoren und Signale") when only one track's
// name starts so; then the first word alone ("mqtt please"); "" if none.
func findTrack(arg string) string {
	arg = strings.ToLower(strings.TrimSpace(arg))
	var starts []string
	for _, tr := range skills.Tracks() {
		if arg == tr.ID {
			return tr.ID
		}
		for _, name := range tr.Names {
			name = strings.ToLower(name)
			if arg == name {
				return tr.ID
			}
			long := utf8.RuneCountInString(arg) >= 3
			if long && strings.HasPrefix(name, arg) && !slices.Contains(starts, tr.ID) {
				starts = append(starts, tr.ID)
			}
		}
	}
	if len(starts) == 1 {
		return starts[0]
	}
	if first, _, ok := strings.Cut(arg, " "); ok {
		return findTrack(first)
	}
	return ""
}

func (e *Engine) sendLesson(t *Turn, l *lessons.Lesson) {
	st := t.State
	view, fellBack := l.In(st.lang())
	st.Lesson = l.ID
	text := Text{{Text: t.T("lesson.header", "Title", view.Title, "Minutes", l.Minutes,
		"Level", t.T("level."+l.Level)), Style: Bold}, {Text: "\n\n"}}
	if fellBack {
		text = append(text, Span{Text: t.T("lesson.fallback") + "\n\n", Style: Italic})
	}
	text = append(text, FromMarkdown(view.Body)...)
	t.Send(Message{Kind: KindLesson, Text: text, Private: true})
	e.sendQuestion(t, l, firstOpen(&st.Progress, l))
}

// firstOpen is the first question of l not answered yet.
func firstOpen(p *lessons.Progress, l *lessons.Lesson) int {
	lp := p.Lessons[l.ID]
	for q := range l.Quiz {
		if answered, _ := lp.Result(q); !answered {
			return q
		}
	}
	return 0
}

// sendQuestion sends question q of l as buttons (and as a native quiz where
// the platform can and the item fits).
func (e *Engine) sendQuestion(t *Turn, l *lessons.Lesson, q int) {
	view, _ := l.In(t.State.lang())
	qq := view.Quiz[q]
	prefix := "q:" + l.ID + ":" + itoa(q) + ":"
	var rows [][]Button
	quiz := &Quiz{Question: qq.Text, Correct: l.Quiz[q].Correct, Explanation: qq.Explanation}
	for i, o := range qq.Options {
		rows = append(rows, []Button{{Label: o, Data: prefix + itoa(i)}})
		quiz.Options = append(quiz.Options, o)
		quiz.OptionData = append(quiz.OptionData, prefix+itoa(i))
	}
	if !l.Quiz[q].FitsPoll() {
		quiz = nil
	}
	text := Text{{Text: t.T("lesson.quiz_intro", "N", q+1, "Of", len(l.Quiz)) + "\n", Style: Italic},
		{Text: qq.Text}}
	t.Send(Message{Text: text, Buttons: rows, Quiz: quiz, Private: true})
}

// btnQuiz takes an answer "q:<lesson>:<question>:<option>".
func (e *Engine) btnQuiz(t *Turn) error {
	st := t.State
	parts := strings.Split(t.Event.Data, ":")
	if len(parts) != 4 || !st.Onboarded {
		t.SayT("error.stale_button", nil)
		return nil
	}
	l, ok := e.cfg.Lessons.Lesson(parts[1])
	q, choice := atoi(parts[2]), atoi(parts[3])
	_, started := st.Progress.Lessons[parts[1]]
	if !ok || (st.Lesson != l.ID && !started) || q < 0 || q >= len(l.Quiz) ||
		choice < 0 || choice >= len(l.Quiz[q].Options) {
		t.SayT("error.stale_button", nil)
		return nil
	}
	correct, counted := st.Progress.Answer(l, q, choice, t.Now)
	if !counted {
		t.SayT("lesson.already", nil)
		return nil
	}
	e.feedback(t, l, q, correct)
	if q+1 < len(l.Quiz) {
		e.sendQuestion(t, l, q+1)
		return nil
	}
	e.lessonDone(t, l)
	return nil
}

// feedback says right or wrong, and the explanation.
func (e *Engine) feedback(t *Turn, l *lessons.Lesson, q int, correct bool) {
	view, _ := l.In(t.State.lang())
	qq := view.Quiz[q]
	head := t.T("lesson.right")
	if !correct {
		head = t.T("lesson.wrong", "Answer", qq.Options[l.Quiz[q].Correct])
	}
	t.Send(Message{Text: Text{{Text: head, Style: Bold}, {Text: "\n" + qq.Explanation}},
		Private: true})
}

func (e *Engine) lessonDone(t *Turn, l *lessons.Lesson) {
	st := t.State
	lp := st.Progress.Lessons[l.ID]
	right := strings.Count(lp.Answers, "r")
	msg := t.T("lesson.done", "Right", right, "Of", len(l.Quiz))
	if missed := len(l.Quiz) - right; missed > 0 {
		// When the first missed question of this lesson comes back.
		days := 0
		for _, it := range st.Progress.Reviews {
			if it.Lesson == l.ID {
				d := int(math.Ceil(time.Unix(it.Due, 0).Sub(t.Now).Hours() / 24))
				if days == 0 || d < days {
					days = d
				}
			}
		}
		days = max(1, days)
		msg += "\n" + t.TN("lesson.review_later", missed, "When", t.TN("lesson.in_days", days))
	}
	st.Lesson = ""
	e.reindex(t)
	t.Send(Message{Text: Text{{Text: msg}}, Private: true,
		Buttons: [][]Button{{{Label: t.T("lesson.next"), Data: "next"}}}})
}

func (e *Engine) btnNext(t *Turn) error { return e.cmdLesson(t) }

// cmdProgress shows lessons done, accuracy per skill and the streak.
func (e *Engine) cmdProgress(t *Turn) error {
	st := t.State
	if !st.Onboarded {
		t.SayT("lesson.need_start", nil)
		return nil
	}
	p := &st.Progress
	lines := []string{t.TN("progress.lessons", p.LessonsDone()),
		t.TN("progress.streak", p.Streak(t.Now, st.location()))}
	acc := p.Accuracy()
	ids := make([]string, 0, len(acc.Skills))
	for id := range acc.Skills {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return skills.Index(ids[i]) < skills.Index(ids[j]) })
	for _, id := range ids {
		a := acc.Skills[id]
		lines = append(lines, "• "+t.T("progress.skill", "Skill", skills.Name(id, st.lang()),
			"Right", a.Right, "Total", a.Total, "Percent", a.Percent()))
	}
	if len(ids) == 0 {
		lines = append(lines, t.T("progress.none"))
	}
	if n := len(p.Due(t.Now)); n > 0 {
		lines = append(lines, t.TN("progress.reviews", n))
	}
	t.Send(Message{Text: Text{{Text: t.T("progress.title"), Style: Bold},
		{Text: "\n" + strings.Join(lines, "\n")}}, Private: true})
	return nil
}
