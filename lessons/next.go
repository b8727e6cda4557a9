package lessons

import "github.com/talentjourney/talentbot/skills"

// bitset is a small set of skills, by skills.Index.
type bitset [2]uint64

// TODO: widen bitset if the skills list ever passes 128 skills; Next then
// ignores the skills past that.
func (b *bitset) set(i int) {
	if i >= 0 && i < 128 {
		b[i/64] |= 1 << (i % 64)
	}
}

func (b bitset) intersects(o bitset) bool { return b[0]&o[0] != 0 || b[1]&o[1] != 0 }

// addAll adds o to b and reports whether b changed.
func (b *bitset) addAll(o bitset) bool {
	before := *b
	b[0] |= o[0]
	b[1] |= o[1]
	return *b != before
}

// Scores of a candidate lesson in Next; a higher one wins.
const (
	scoreResume    = 1000 // started but not finished
	scoreSkill     = 100  // teaches a skill the learner wants
	scoreLeadsTo   = 50   // prepares a lesson that teaches such a skill
	scoreSameTrack = 10   // continues the track of the lesson done last
)

// Next returns the next lesson for a learner: one not done whose
// prerequisites are done. It prefers, in this order, a lesson the learner
// started and did not finish, one teaching a skill in wantSkills, one that
// leads to such a lesson, one in the track of the lesson done last, and one
// at the learner's level (Beginner when level is unknown); ties go to the
// earlier lesson in Lessons order, so that a track is taken in teaching
// order. It returns false when every reachable lesson is done.
func (c *Catalog) Next(p *Progress, wantSkills []string, level string) (*Lesson, bool) {
	var want bitset
	for _, s := range wantSkills {
		want.set(skills.Index(s))
	}
	lv := LevelRank(level)
	if lv < 0 {
		lv = 0
	}
	st := c.scan(p)

	best, bestScore := -1, 0
	for i := range c.lessons {
		if st.done.has(i) || !c.ready(i, st.done) {
			continue
		}
		score := -absDiff(c.level[i], lv)
		switch {
		case st.started.has(i):
			score += scoreResume
		case c.skillSet[i].intersects(want):
			score += scoreSkill
		case c.leadsTo[i].intersects(want):
			score += scoreLeadsTo
		}
		if c.track[i] == st.lastTrack {
			score += scoreSameTrack
		}
		if best < 0 || score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return nil, false
	}
	return c.lessons[best], true
}

// NextInTrack returns the next lesson of a track in teaching order: the
// first one not done, or, when that one needs a lesson of another track
// not done yet, the first such prerequisite that can be taken now. It
// returns false when the track is complete.
func (c *Catalog) NextInTrack(p *Progress, track string) (*Lesson, bool) {
	st := c.scan(p)
	for _, l := range c.tracks[track] {
		i := c.index[l.ID]
		if st.done.has(i) {
			continue
		}
		if j := c.firstReady(i, st.done, map[int]bool{}); j >= 0 {
			return c.lessons[j], true
		}
	}
	return nil, false
}

// firstReady returns i if its prerequisites are done, else the first
// prerequisite (depth first) that is not done and can be taken, or -1.
func (c *Catalog) firstReady(i int, done lessonSet, seen map[int]bool) int {
	if seen[i] {
		return -1
	}
	seen[i] = true
	if c.ready(i, done) {
		return i
	}
	for _, p := range c.prereqs[i] {
		if done.has(p) {
			continue
		}
		if j := c.firstReady(p, done, seen); j >= 0 {
			return j
		}
	}
	return -1
}

func (c *Catalog) ready(i int, done lessonSet) bool {
	for _, p := range c.prereqs[i] {
		if !done.has(p) {
			return false
		}
	}
	return true
}

// scanned is what Next needs from a learner's progress.
type scanned struct {
	done, started lessonSet
	lastTrack     int // track of the lesson done last, -1 if none
}

func (c *Catalog) scan(p *Progress) scanned {
	st := scanned{done: newLessonSet(len(c.lessons)), started: newLessonSet(len(c.lessons)),
		lastTrack: -1}
	if p == nil {
		return st
	}
	var last int64
	for id, lp := range p.Lessons {
		i, ok := c.index[id]
		if !ok {
			continue
		}
		if lp.Done == 0 {
			st.started.add(i)
			continue
		}
		st.done.add(i)
		if lp.Done > last {
			last, st.lastTrack = lp.Done, c.track[i]
		}
	}
	return st
}

// lessonSet is a set of lesson positions in a catalogue.
type lessonSet []uint64

func newLessonSet(n int) lessonSet { return make(lessonSet, (n+63)/64) }
func (s lessonSet) add(i int)      { s[i/64] |= 1 << (i % 64) }
func (s lessonSet) has(i int) bool { return s[i/64]&(1<<(i%64)) != 0 }

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}
