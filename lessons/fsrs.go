package lessons

import "math"

// This file implements the memory model and scheduler of FSRS-4.5 (Free
// Spaced Repetition Scheduler), written from its published description
// ("The Algorithm", FSRS-4.5 section, in the open-spaced-repetition
// fsrs4anki wiki), with its published default weights:
//
//	R(t,S)       = (1 + FACTOR·t/S)^DECAY,  DECAY = −0.5, FACTOR = 19/81
//	I(r,S)       = S/FACTOR · (r^(1/DECAY) − 1)      (= S when r = 0.9)
//	S0(G)        = w[G−1]
//	D0(G)        = w4 − (G−3)·w5,                    clamped to [1, 10]
//	D'(D,G)      = w7·D0(3) + (1−w7)·(D − w6·(G−3)), clamped to [1, 10]
//	S'r(D,S,R,G) = S·(1 + e^w8·(11−D)·S^−w9·(e^(w10·(1−R)) − 1)
//	                   ·w15 if G = Hard ·w16 if G = Easy)
//	S'f(D,S,R)   = w11·D^−w12·((S+1)^w13 − 1)·e^(w14·(1−R))
//
// G is the grade: 1 Again, 2 Hard, 3 Good, 4 Easy. A review after t days
// uses the difficulty from before the review in S'r and S'f. Stability and
// intervals are in days; here t may be a fraction of a day, and an interval
// is rounded to whole days, at least one.

// grade rates one answer to a review.
type grade int

// Grades. The bot asks a multiple-choice question, so it only uses Again
// (wrong) and Good (right); Hard and Easy complete the model.
const (
	gradeAgain grade = 1
	gradeHard  grade = 2
	gradeGood  grade = 3
	gradeEasy  grade = 4
)

// fsrsWeights are the FSRS-4.5 default weights w0..w16.
var fsrsWeights = [17]float64{
	0.4872, 1.4003, 3.7145, 13.8206, // w0..w3: initial stability per grade
	5.1618, 1.2298, // w4, w5: initial difficulty
	0.8975, 0.031, // w6, w7: difficulty change and mean reversion
	1.6474, 0.1367, 1.0461, // w8..w10: stability after recall
	2.1072, 0.0793, 0.3246, 1.587, // w11..w14: stability after forgetting
	0.2272, 2.8755, // w15, w16: hard penalty, easy bonus
}

const (
	fsrsDecay  = -0.5
	fsrsFactor = 19.0 / 81.0
	// requestRetention is the probability of recall a review is scheduled at.
	requestRetention = 0.9
	// maxIntervalDays caps an interval at about a hundred years.
	maxIntervalDays = 36500
)

// memory is the FSRS state of one item.
type memory struct {
	stability  float64 // days until recall probability falls to 90%
	difficulty float64 // 1 (easy) to 10 (hard)
}

// firstMemory is the state after the first answer to an item.
func firstMemory(g grade) memory {
	w := &fsrsWeights
	return memory{stability: w[g-1], difficulty: initDifficulty(g)}
}

func initDifficulty(g grade) float64 {
	w := &fsrsWeights
	return clampDifficulty(w[4] - float64(g-3)*w[5])
}

// retrievability is the probability of recall t days after a review.
func retrievability(t, s float64) float64 {
	return math.Pow(1+fsrsFactor*t/s, fsrsDecay)
}

// review returns the state after answering with grade g, t days after the
// previous answer.
func (m memory) review(t float64, g grade) memory {
	w := &fsrsWeights
	r := retrievability(math.Max(t, 0), m.stability)
	d := clampDifficulty(w[7]*initDifficulty(gradeGood) + (1-w[7])*(m.difficulty-w[6]*float64(g-3)))
	if g == gradeAgain {
		s := w[11] * math.Pow(m.difficulty, -w[12]) * (math.Pow(m.stability+1, w[13]) - 1) *
			math.Exp(w[14]*(1-r))
		return memory{stability: s, difficulty: d}
	}
	bonus := 1.0
	switch g {
	case gradeHard:
		bonus = w[15]
	case gradeEasy:
		bonus = w[16]
	}
	s := m.stability * (1 + math.Exp(w[8])*(11-m.difficulty)*math.Pow(m.stability, -w[9])*
		(math.Exp(w[10]*(1-r))-1)*bonus)
	return memory{stability: s, difficulty: d}
}

// intervalDays is the number of whole days until the next review, at which
// the probability of recall is expected to have fallen to requestRetention.
func intervalDays(s float64) int {
	i := s / fsrsFactor * (math.Pow(requestRetention, 1/fsrsDecay) - 1)
	return int(math.Min(math.Max(math.Round(i), 1), maxIntervalDays))
}

func clampDifficulty(d float64) float64 { return math.Min(math.Max(d, 1), 10) }
