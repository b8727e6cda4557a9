package bots

import "strings"

// cmdReview sends the first due review question.
func (e *Engine) cmdReview(t *Turn) error {
	due := t.State.Progress.Due(t.Now)
	if len(due) == 0 {
		if next, ok := t.State.Progress.NextDue(); ok {
			t.SayT("review.next", nil, "When", localTime(t.State, next))
			return nil
		}
		if len(t.State.Progress.Lessons) == 0 {
			t.SayT("review.empty", nil) // no lesson yet: nothing to praise
			return nil
		}
		t.SayT("review.none", nil)
		return nil
	}
	t.Send(Message{Text: Text{{Text: t.TN("review.intro", len(due))}}, Private: true})
	return e.sendReview(t, due[0].Lesson, due[0].Q)
}

func (e *Engine) sendReview(t *Turn, lessonID string, q int) error {
	l, ok := e.cfg.Lessons.Lesson(lessonID)
	if !ok || q >= len(l.Quiz) {
		return nil
	}
	view, _ := l.In(t.State.lang())
	qq := view.Quiz[q]
	prefix := "rv:" + l.ID + ":" + itoa(q) + ":"
	var rows [][]Button
	for i, o := range qq.Options {
		rows = append(rows, []Button{{Label: o, Data: prefix + itoa(i)}})
	}
	t.Send(Message{Text: Text{{Text: view.Title + "\n", Style: Italic}, {Text: qq.Text}},
		Buttons: rows, Private: true})
	return nil
}

// btnReview takes an answer "rv:<lesson>:<question>:<option>".
func (e *Engine) btnReview(t *Turn) error {
	st := t.State
	if t.Event.Data == "rv:start" {
		return e.cmdReview(t)
	}
	parts := strings.Split(t.Event.Data, ":")
	if len(parts) != 4 {
		t.SayT("error.stale_button", nil)
		return nil
	}
	l, ok := e.cfg.Lessons.Lesson(parts[1])
	q, choice := atoi(parts[2]), atoi(parts[3])
	if !ok || q < 0 || q >= len(l.Quiz) || choice < 0 || choice >= len(l.Quiz[q].Options) {
		t.SayT("error.stale_button", nil)
		return nil
	}
	correct, counted := st.Progress.AnswerReview(l, q, choice, t.Now)
	if !counted {
		t.SayT("lesson.already", nil)
		return nil
	}
	e.feedback(t, l, q, correct)
	if due := st.Progress.Due(t.Now); len(due) > 0 {
		return e.sendReview(t, due[0].Lesson, due[0].Q)
	}
	t.SayT("review.none", nil)
	return nil
}
