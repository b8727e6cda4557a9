package lessons

import (
	"math"
	"sort"
	"time"
)

// ReviewItem is a quiz question the learner missed, scheduled for review
// with FSRS-4.5.
type ReviewItem struct {
	// Lesson is the lesson's id and Q the question's index in its quiz.
	Lesson string `json:"l"`
	Q      int    `json:"q,omitempty"`
	// Stability is in days; Difficulty runs from 1 to 10.
	Stability  float64 `json:"s"`
	Difficulty float64 `json:"d"`
	// Last is when the item was last answered and Due when it should come
	// back, in seconds since the Unix epoch.
	Last int64 `json:"t"`
	Due  int64 `json:"u"`
	// Reviews counts answers given in reviews and Lapses the wrong ones.
	Reviews int `json:"n,omitempty"`
	Lapses  int `json:"x,omitempty"`
}

// DueAt returns when the item is due.
func (r ReviewItem) DueAt() time.Time { return time.Unix(r.Due, 0) }

func (r ReviewItem) memory() memory {
	return memory{stability: r.Stability, difficulty: r.Difficulty}
}

// schedule stores m, answered at now, and the due time that follows.
func (r *ReviewItem) schedule(m memory, now time.Time) {
	r.Stability, r.Difficulty = round4(m.stability), round4(m.difficulty)
	r.Last = now.Unix()
	r.Due = now.Add(time.Duration(intervalDays(m.stability)) * 24 * time.Hour).Unix()
}

// round4 keeps 4 decimals, which keeps the stored JSON short.
func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// addReview schedules a question missed at now, as a first answer graded
// Again. A question already under review keeps its schedule.
func (p *Progress) addReview(lessonID string, q int, now time.Time) {
	if p.review(lessonID, q) >= 0 {
		return
	}
	it := ReviewItem{Lesson: lessonID, Q: q}
	it.schedule(firstMemory(gradeAgain), now)
	p.Reviews = append(p.Reviews, it)
}

func (p *Progress) review(lessonID string, q int) int {
	for i, it := range p.Reviews {
		if it.Lesson == lessonID && it.Q == q {
			return i
		}
	}
	return -1
}

// Due returns the review items due at now, the longest overdue first.
func (p *Progress) Due(now time.Time) []ReviewItem {
	var due []ReviewItem
	for _, it := range p.Reviews {
		if it.Due <= now.Unix() {
			due = append(due, it)
		}
	}
	sort.SliceStable(due, func(i, j int) bool { return due[i].Due < due[j].Due })
	return due
}

// NextDue returns when the next review item falls due, for a reminder; false
// when nothing is under review.
func (p *Progress) NextDue() (time.Time, bool) {
	if len(p.Reviews) == 0 {
		return time.Time{}, false
	}
	next := p.Reviews[0].Due
	for _, it := range p.Reviews[1:] {
		next = min(next, it.Due)
	}
	return time.Unix(next, 0), true
}

// AnswerReview records the learner's choice for a review of question q of
// lesson l at now, and reports whether it is right and whether it counted.
// It counts only while the item is due: a right answer (grade Good) sends
// the item further into the future, a wrong one (grade Again) brings it
// back sooner. Pressing the same button again after that changes nothing,
// since the item is no longer due.
func (p *Progress) AnswerReview(l *Lesson, q, choice int, now time.Time) (correct, counted bool) {
	if q < 0 || q >= len(l.Quiz) || choice < 0 || choice >= len(l.Quiz[q].Options) {
		return false, false
	}
	correct = choice == l.Quiz[q].Correct
	i := p.review(l.ID, q)
	if i < 0 || p.Reviews[i].Due > now.Unix() {
		return correct, false
	}

	it := &p.Reviews[i]
	g := gradeGood
	if !correct {
		g = gradeAgain
		it.Lapses++
	}
	days := float64(now.Unix()-it.Last) / (24 * 60 * 60)
	it.schedule(it.memory().review(days, g), now)
	it.Reviews++
	p.touch(now)
	return correct, true
}
