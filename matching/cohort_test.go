package matching

import (
	"math"
	"testing"
)

// bruteCohort tries every way to give learners to tutors (or none) within
// the free places and returns the best (matched count, total score).
func bruteCohort(learners []Learner, tutors []Tutor) (int, float64) {
	free := make([]int, len(tutors))
	for t := range tutors {
		if tutors[t].Active() {
			free[t] = max(tutors[t].Capacity-tutors[t].Load, 0)
		}
	}
	bestN, bestS := 0, 0.0
	var rec func(l, n int, s float64)
	rec = func(l, n int, s float64) {
		if l == len(learners) {
			if n > bestN || (n == bestN && s > bestS+1e-9) {
				bestN, bestS = n, s
			}
			return
		}
		rec(l+1, n, s)
		for t := range tutors {
			tu := tutors[t]
			tu.Load = 0
			if free[t] == 0 || !Eligible(&learners[l], &tu, Query{}) {
				continue
			}
			sc, _ := Score(&learners[l], &tutors[t], Query{}, WeeklyMinutes(learners[l].side(), tutors[t].side(), genNow), DefaultWeights())
			free[t]--
			rec(l+1, n+1, s+sc)
			free[t]++
		}
	}
	rec(0, 0, 0)
	return bestN, bestS
}

func TestAssignCohortIsOptimal(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		g := newGenerator(seed)
		var learners []Learner
		var tutors []Tutor
		nl, nt := 2+int(seed%5), 1+int(seed%3)
		for i := 0; i < nl; i++ {
			learners = append(learners, g.learner(i))
		}
		for i := 0; i < nt; i++ {
			tu := g.tutor(i)
			tu.Capacity = 1 + int(seed%3)
			tu.Load = int(seed % 2)
			tutors = append(tutors, tu)
		}
		wantN, wantS := bruteCohort(learners, tutors)
		res := AssignCohort(learners, tutors, genNow, DefaultWeights())
		if len(res.Pairs) != wantN || math.Abs(res.TotalScore-wantS) > 0.02*float64(wantN) {
			t.Fatalf("seed %d (%d learners, %d tutors): %d matched, score %.2f; want %d, %.2f",
				seed, nl, nt, len(res.Pairs), res.TotalScore, wantN, wantS)
		}
		if len(res.Pairs)+len(res.Unmatched) != nl {
			t.Fatalf("seed %d: %d pairs + %d unmatched != %d learners", seed, len(res.Pairs), len(res.Unmatched), nl)
		}
	}
}

func TestAssignCohortPrefersMoreLearnersOverScore(t *testing.T) {
	// Tutor x teaches both skills at level 3; tutor y only "b" at level 1.
	// l1 scores best with x, but only l1 can take y: the most learners are
	// matched with l1-y and l2-x.
	l1 := Learner{User: "l1", Skills: []string{"a", "b"}, Languages: []string{"en"}, Zone: "UTC"}
	l2 := Learner{User: "l2", Skills: []string{"a"}, Languages: []string{"en"}, Zone: "UTC"}
	x := Tutor{User: "x", Skills: map[string]int{"a": 3, "b": 3}, Languages: []string{"en"}, Zone: "UTC", Capacity: 1}
	y := Tutor{User: "y", Skills: map[string]int{"b": 1}, Languages: []string{"en"}, Zone: "UTC", Capacity: 1}
	res := AssignCohort([]Learner{l1, l2}, []Tutor{x, y}, genNow, DefaultWeights())
	if len(res.Pairs) != 2 {
		t.Fatalf("matched %d, want 2: %+v", len(res.Pairs), res)
	}
	for _, p := range res.Pairs {
		if (p.Learner == "l1") != (p.Tutor == "y") {
			t.Errorf("pair %s-%s; want l1-y and l2-x", p.Learner, p.Tutor)
		}
	}
}

func BenchmarkCohort5000x1000(b *testing.B) {
	g := newGenerator(42)
	learners := make([]Learner, 5000)
	for i := range learners {
		learners[i] = g.learner(i)
	}
	tutors := make([]Tutor, 1000)
	for i := range tutors {
		tutors[i] = g.tutor(i)
		tutors[i].Load = 0
	}
	b.ReportAllocs()
	for b.Loop() {
		res := AssignCohort(learners, tutors, genNow, DefaultWeights())
		b.ReportMetric(float64(len(res.Pairs)), "matched")
		b.ReportMetric(res.TotalScore, "score")
	}
}
