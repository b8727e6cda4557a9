package matching

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// CohortPair is one learner given to one tutor by AssignCohort.
type CohortPair struct {
	Learner, Tutor string
	Skill          string // the first of the learner's skills the tutor teaches
	Score          float64
	Reason         Reason
	// Alternatives are the learner's next best eligible tutors, best first,
	// to ask if Tutor declines.
	Alternatives []string
}

// CohortResult is the assignment of a whole cohort.
type CohortResult struct {
	Pairs      []CohortPair
	Unmatched  []string // learners left without a tutor
	TotalScore float64
}

// maxAlternatives is how many further tutors a cohort pair carries.
const maxAlternatives = 4

// AssignCohort gives learners to tutors at once: first as many learners as
// the tutors' free places allow (Capacity - Load, taken as before the
// batch; paused tutors none), then the highest total score, under the hard
// rules of Eligible. It is exact: a min-cost assignment over tutor places
// in which leaving a learner out costs more than any score can win back.
func AssignCohort(learners []Learner, tutors []Tutor, now time.Time, w Weights) CohortResult {
	sc := newCohortScorer(learners, tutors, now, w)
	capacity := make([]int, len(tutors))
	for t := range tutors {
		if tutors[t].Active() {
			capacity[t] = max(tutors[t].Capacity-tutors[t].Load, 0)
		}
	}
	tutorOf := newTransport(len(tutors), len(learners), sc.costs(true), capacity).solve()
	return sc.result(tutorOf)
}

// cohortScorer scores every learner-tutor pair once.
type cohortScorer struct {
	learners []Learner
	tutors   []Tutor
	w        Weights
	score    []float64 // learner*len(tutors)+tutor; NaN when not eligible
	maxScore float64
	lp, tp   []int   // availability pattern of each learner and tutor
	common   [][]int // weekly minutes in common by pattern pair
}

func newCohortScorer(learners []Learner, tutors []Tutor, now time.Time, w Weights) *cohortScorer {
	sc := &cohortScorer{learners: learners, tutors: tutors, w: w,
		score: make([]float64, len(learners)*len(tutors))}
	base, span := averageSpan(now)
	pat := patterns{base: base, span: span, ids: map[string]int{}}
	lp := make([]int, len(learners))
	for i := range learners {
		lp[i] = pat.id(learners[i].Zone, learners[i].Availability)
	}
	tp := make([]int, len(tutors))
	for i := range tutors {
		tp[i] = pat.id(tutors[i].Zone, tutors[i].Availability)
	}
	sc.lp, sc.tp, sc.common = lp, tp, pat.commonMinutes()
	sc.scoreAll()
	return sc
}

// scoreAll fills sc.score with the same rules and formula as Eligible and
// Score, on integer ids and bit masks (5 million pairs in a cohort).
func (sc *cohortScorer) scoreAll() {
	langs, skills := map[string]uint{}, map[string]int{}
	mask := func(ls []string) uint64 {
		var m uint64
		for _, l := range ls {
			b, ok := langs[l]
			if !ok && len(langs) < 64 {
				b, ok = uint(len(langs)), true
				langs[l] = b
			}
			if ok {
				m |= 1 << b
			}
		}
		return m
	}
	for _, t := range sc.tutors {
		for id := range t.Skills {
			if _, ok := skills[id]; !ok {
				skills[id] = len(skills)
			}
		}
	}
	nt, ns := len(sc.tutors), len(skills)
	tmask := make([]uint64, nt)
	levels := make([]int8, nt*ns) // tutor*ns+skill
	for t, tu := range sc.tutors {
		tmask[t] = mask(tu.Languages)
		for id, lv := range tu.Skills {
			levels[t*ns+skills[id]] = int8(lv)
		}
	}
	want := make([]int, 0, 8)
	for l := range sc.learners {
		lr := &sc.learners[l]
		lm := mask(lr.Languages)
		want = want[:0]
		for _, id := range lr.Skills {
			if k, ok := skills[id]; ok {
				want = append(want, k)
			}
		}
		for t := range sc.tutors {
			tu := &sc.tutors[t]
			sum := 0
			for _, k := range want {
				sum += int(levels[t*ns+k])
			}
			if sum == 0 || tmask[t]&lm == 0 || !tu.Active() || tu.User == lr.User {
				sc.score[l*nt+t] = math.NaN()
				continue
			}
			cross := tu.Country != "" && lr.Country != "" && tu.Country != lr.Country
			s := combine(sc.w, sum, len(lr.Skills), sc.minutes(l, t), cross, tu.Load, tu.Capacity)
			sc.score[l*nt+t] = s
			sc.maxScore = max(sc.maxScore, s)
		}
	}
}

// scale turns scores into integer costs: two decimals are kept.
const scoreScale = 100

func (sc *cohortScorer) costOf(s float64) int64 {
	return int64(math.Round((sc.maxScore-s)*scoreScale)) + 1
}

// costs gives the cost matrix by learner and tutor, or by tutor and
// learner when byTutor.
func (sc *cohortScorer) costs(byTutor bool) []int64 {
	nl, nt := len(sc.learners), len(sc.tutors)
	out := make([]int64, nl*nt)
	for l := 0; l < nl; l++ {
		for t := 0; t < nt; t++ {
			c := Forbidden
			if s := sc.score[l*nt+t]; !math.IsNaN(s) {
				c = sc.costOf(s)
			}
			if byTutor {
				out[t*nl+l] = c
			} else {
				out[l*nt+t] = c
			}
		}
	}
	return out
}

func (sc *cohortScorer) result(tutorOf []int) CohortResult {
	var res CohortResult
	nt := len(sc.tutors)
	for l := range sc.learners {
		if tutorOf[l] < 0 {
			res.Unmatched = append(res.Unmatched, sc.learners[l].User)
			continue
		}
		t := tutorOf[l]
		lr, tu := &sc.learners[l], &sc.tutors[t]
		s := sc.score[l*nt+t]
		_, r := Score(lr, tu, Query{}, sc.minutes(l, t), sc.w)
		p := CohortPair{Learner: lr.User, Tutor: tu.User, Score: s, Reason: r,
			Alternatives: sc.alternatives(l, t)}
		if len(r.Skills) > 0 {
			p.Skill = r.Skills[0]
		}
		res.Pairs = append(res.Pairs, p)
		res.TotalScore += s
	}
	return res
}

// minutes gives the weekly minutes in common of learner l and tutor t.
func (sc *cohortScorer) minutes(l, t int) int { return sc.common[sc.lp[l]][sc.tp[t]] }

// alternatives gives the learner's best other eligible tutors.
func (sc *cohortScorer) alternatives(l, chosen int) []string {
	nt := len(sc.tutors)
	idx := make([]int, 0, nt)
	for t := 0; t < nt; t++ {
		if t != chosen && !math.IsNaN(sc.score[l*nt+t]) {
			idx = append(idx, t)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		sa, sb := sc.score[l*nt+a], sc.score[l*nt+b]
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return a - b
	})
	var out []string
	for _, t := range idx[:min(len(idx), maxAlternatives)] {
		out = append(out, sc.tutors[t].User)
	}
	return out
}

// patterns numbers the distinct (zone, availability) pairs of a cohort
// and their quarter hours over the span, so that the hours in common are
// counted once per pair of patterns.
type patterns struct {
	base, span time.Time
	ids        map[string]int
	bits       []*bitset
}

func (p *patterns) id(zone string, a Availability) int {
	key := zone + "|" + a.String()
	if id, ok := p.ids[key]; ok {
		return id
	}
	id := len(p.bits)
	p.ids[key] = id
	p.bits = append(p.bits, slotsOf(sideOf(zone, a), p.base, p.span, p.base))
	return id
}

// commonMinutes gives the average weekly minutes in common of every pair
// of patterns.
func (p *patterns) commonMinutes() [][]int {
	out := make([][]int, len(p.bits))
	for i, a := range p.bits {
		out[i] = make([]int, len(p.bits))
		for j, b := range p.bits {
			n := 0
			for k := range a {
				n += bits.OnesCount64(a[k] & b[k])
			}
			out[i][j] = n * slotMinutes / AverageWeeks
		}
	}
	return out
}
