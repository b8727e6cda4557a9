package lessons

import (
	"encoding/json"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestAnswerCountsOnlyTheFirstPress(t *testing.T) {
	l, _ := mustDefault(t).Lesson("mqtt-qos") // right answers: 2, 1, 0
	var p Progress

	steps := []struct {
		q, choice        int
		correct, counted bool
	}{
		{0, 2, true, true},
		{0, 2, true, false},  // the same button again
		{0, 0, false, false}, // another button of an answered question
		{1, 0, false, true},
		{1, 1, true, false},
		{5, 0, false, false}, // no such question
		{2, 9, false, false}, // no such option
	}
	for i, s := range steps {
		correct, counted := p.Answer(l, s.q, s.choice, t0.Add(time.Duration(i)*time.Minute))
		if correct != s.correct || counted != s.counted {
			t.Errorf("step %d: Answer(q%d, %d) = %v, %v; want %v, %v",
				i, s.q, s.choice, correct, counted, s.correct, s.counted)
		}
	}
	if _, done := p.Done(l.ID); done {
		t.Fatal("lesson done with question 3 unanswered")
	}
	if got := p.Skills["mqtt.qos"]; got != (Tally{Right: 1, Total: 2}) {
		t.Errorf("mqtt.qos tally %+v, want 1 of 2", got)
	}

	finish := t0.Add(time.Hour)
	p.Answer(l, 2, 0, finish)
	if at, done := p.Done(l.ID); !done || !at.Equal(finish) {
		t.Errorf("Done = %v, %v; want %v", at, done, finish)
	}
	if p.LessonsDone() != 1 || p.Lessons[l.ID].Answers != "rwr" {
		t.Errorf("lessons done %d, answers %q", p.LessonsDone(), p.Lessons[l.ID].Answers)
	}
	a := p.Accuracy()
	if a.Skills["mqtt.qos"].Percent() != 67 || a.Tracks["mqtt"] != (Tally{Right: 2, Total: 3}) {
		t.Errorf("accuracy %+v", a)
	}
}

// TestMissedQuestionComesBackWhenDue follows a missed question through
// its reviews with explicit times, using the intervals worked out in
// fsrs_test.go: 1 day after the miss, 2 days after a right review.
func TestMissedQuestionComesBackWhenDue(t *testing.T) {
	l, _ := mustDefault(t).Lesson("mqtt-qos")
	var p Progress
	p.Answer(l, 0, 0, t0) // wrong
	p.Answer(l, 1, 1, t0) // right

	if len(p.Reviews) != 1 || p.Reviews[0].Q != 0 {
		t.Fatalf("reviews %+v, want question 0 only", p.Reviews)
	}
	if due := p.Due(t0.Add(23 * time.Hour)); len(due) != 0 {
		t.Errorf("due after 23 h: %+v", due)
	}
	day1 := t0.Add(24 * time.Hour)
	due := p.Due(day1)
	if len(due) != 1 || due[0].Lesson != "mqtt-qos" || !due[0].DueAt().Equal(day1) {
		t.Fatalf("due after 24 h: %+v", due)
	}
	if next, ok := p.NextDue(); !ok || !next.Equal(day1) {
		t.Errorf("NextDue = %v, %v", next, ok)
	}

	// Right in the review: S = 2.422474, next in 2 days.
	if correct, counted := p.AnswerReview(l, 0, 2, day1); !correct || !counted {
		t.Fatalf("review answer: %v, %v", correct, counted)
	}
	if correct, counted := p.AnswerReview(l, 0, 2, day1.Add(time.Minute)); !correct || counted {
		t.Errorf("pressing the review button again counted: %v, %v", correct, counted)
	}
	it := p.Reviews[0]
	if it.Stability != 2.4225 || it.Difficulty != 7.5452 || it.Reviews != 1 || it.Lapses != 0 {
		t.Errorf("after a right review: %+v", it)
	}
	if got, want := it.DueAt(), day1.Add(48*time.Hour); !got.Equal(want) {
		t.Errorf("due %v, want %v", got, want)
	}
	if len(p.Due(day1.Add(47*time.Hour))) != 0 || len(p.Due(day1.Add(48*time.Hour))) != 1 {
		t.Error("not due exactly 2 days after the review")
	}

	// Wrong in the next review: a lapse, back one day later.
	day3 := day1.Add(48 * time.Hour)
	if correct, counted := p.AnswerReview(l, 0, 1, day3); correct || !counted {
		t.Fatalf("wrong review answer: %v, %v", correct, counted)
	}
	it = p.Reviews[0]
	if it.Lapses != 1 || !it.DueAt().Equal(day3.Add(24*time.Hour)) || it.Stability >= 2.4225 {
		t.Errorf("after a lapse: %+v", it)
	}
	// Reviews do not change first-answer accuracy.
	if got := p.Skills["mqtt.qos"]; got != (Tally{Right: 1, Total: 2}) {
		t.Errorf("tally %+v after reviews", got)
	}
	if _, counted := p.AnswerReview(l, 1, 1, day3); counted {
		t.Error("a question never missed counted as a review")
	}
}

func TestProgressJSONIsCompactAndRoundTrips(t *testing.T) {
	c := mustDefault(t)
	var p Progress
	now := t0
	for _, l := range c.Lessons()[:10] {
		for q := range l.Quiz {
			p.Answer(l, q, (l.Quiz[q].Correct+q%2)%len(l.Quiz[q].Options), now)
			now = now.Add(7 * time.Minute)
		}
		now = now.Add(20 * time.Hour)
	}
	b, err := json.Marshal(&p)
	if err != nil {
		t.Fatal(err)
	}
	var back Progress
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.LessonsDone() != 10 || len(back.Reviews) != len(p.Reviews) || back.Streak(now, time.UTC) != p.Streak(now, time.UTC) {
		t.Errorf("round trip lost data: %s", b)
	}
	if len(b) > 2000 {
		t.Errorf("10 lessons take %d bytes of JSON: %s", len(b), b)
	}
	t.Logf("10 lessons, %d reviews: %d bytes", len(p.Reviews), len(b))
}
