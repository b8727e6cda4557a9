package lessons

import (
	"strings"
	"time"

	"github.com/talentjourney/talentbot/skills"
)

// Progress is what one learner has done: lessons, quiz answers, accuracy per
// skill, days of activity and missed questions under review. It is stored as
// compact JSON inside the learner's state; its zero value is a learner who
// has done nothing. It is not safe for concurrent use (the engine handles
// one event of a user at a time).
type Progress struct {
	// Lessons maps a lesson id to what the learner did in it.
	Lessons map[string]LessonProgress `json:"l,omitempty"`
	// Skills maps a skill id to the first answers given to questions of
	// lessons teaching it.
	Skills map[string]Tally `json:"s,omitempty"`
	// Reviews are missed questions on their spaced schedule.
	Reviews []ReviewItem `json:"r,omitempty"`
	// Active holds times the learner answered, in minutes since the Unix
	// epoch, ascending: only the first and last of each UTC day, and none
	// from before a gap of more than two days (enough to count a streak in
	// any zone).
	Active []int32 `json:"a,omitempty"`
}

// LessonProgress is what a learner did in one lesson.
type LessonProgress struct {
	// Done is when the last quiz question was answered, in seconds since
	// the Unix epoch; 0 means the lesson is not finished.
	Done int64 `json:"d,omitempty"`
	// Answers holds one letter per question: 'r' answered right, 'w'
	// answered wrong, '-' not answered yet. Only the first answer counts.
	Answers string `json:"a,omitempty"`
}

// Result returns the first answer to question q: answered, and if so
// whether it was right.
func (lp LessonProgress) Result(q int) (answered, right bool) {
	if q < 0 || q >= len(lp.Answers) || lp.Answers[q] == '-' {
		return false, false
	}
	return true, lp.Answers[q] == 'r'
}

// Tally counts answers.
type Tally struct {
	// Right counts right answers, of Total answers.
	Right int `json:"r,omitempty"`
	Total int `json:"t,omitempty"`
}

// Percent returns Right as a whole percentage of Total, 0 when Total is 0.
func (t Tally) Percent() int {
	if t.Total == 0 {
		return 0
	}
	return (t.Right*100 + t.Total/2) / t.Total
}

// Answer records the learner's choice (an index into the question's
// options) for question q of lesson l at now. It reports whether the choice
// is right and whether it counted: only the first answer to a question
// counts, so pressing an old quiz button again changes nothing. A wrong
// first answer makes the question a review item. The lesson is done when
// every question has an answer.
func (p *Progress) Answer(l *Lesson, q, choice int, now time.Time) (correct, counted bool) {
	if q < 0 || q >= len(l.Quiz) || choice < 0 || choice >= len(l.Quiz[q].Options) {
		return false, false
	}
	correct = choice == l.Quiz[q].Correct
	lp := p.Lessons[l.ID]
	if answered, _ := lp.Result(q); answered {
		return correct, false
	}

	if n := len(l.Quiz); len(lp.Answers) < n {
		lp.Answers += strings.Repeat("-", n-len(lp.Answers))
	}
	mark := byte('w')
	if correct {
		mark = 'r'
	}
	lp.Answers = lp.Answers[:q] + string(mark) + lp.Answers[q+1:]
	if lp.Done == 0 && !strings.Contains(lp.Answers[:len(l.Quiz)], "-") {
		lp.Done = now.Unix()
	}
	if p.Lessons == nil {
		p.Lessons = map[string]LessonProgress{}
	}
	p.Lessons[l.ID] = lp

	p.tally(l.Skills, correct)
	if !correct {
		p.addReview(l.ID, q, now)
	}
	p.touch(now)
	return correct, true
}

func (p *Progress) tally(skillIDs []string, correct bool) {
	if p.Skills == nil {
		p.Skills = map[string]Tally{}
	}
	for _, s := range skillIDs {
		t := p.Skills[s]
		t.Total++
		if correct {
			t.Right++
		}
		p.Skills[s] = t
	}
}

// Done reports whether the learner finished the lesson, and when.
func (p *Progress) Done(lessonID string) (time.Time, bool) {
	lp, ok := p.Lessons[lessonID]
	if !ok || lp.Done == 0 {
		return time.Time{}, false
	}
	return time.Unix(lp.Done, 0), true
}

// LessonsDone returns the number of lessons finished.
func (p *Progress) LessonsDone() int {
	n := 0
	for _, lp := range p.Lessons {
		if lp.Done != 0 {
			n++
		}
	}
	return n
}

// Accuracy holds first-answer results per skill and per track.
type Accuracy struct {
	// Skills maps a skill id to its tally.
	Skills map[string]Tally
	// Tracks maps a track id to the sum of its skills' tallies.
	Tracks map[string]Tally
}

// Accuracy returns the learner's quiz accuracy per skill and per track.
// Answers to reviews do not count here.
func (p *Progress) Accuracy() Accuracy {
	a := Accuracy{Skills: map[string]Tally{}, Tracks: map[string]Tally{}}
	for id, t := range p.Skills {
		a.Skills[id] = t
		s, ok := skills.ByID(id)
		if !ok {
			continue
		}
		tt := a.Tracks[s.Track]
		tt.Right += t.Right
		tt.Total += t.Total
		a.Tracks[s.Track] = tt
	}
	return a
}
