package lessons

import (
	"math"
	"testing"
)

// The expected values below were worked out by hand from the FSRS-4.5
// formulas (see fsrs.go) and the default weights, to 6 significant digits:
//
// New item, first answer Again (a question missed in a lesson):
//
//	S0(1) = w0 = 0.4872
//	D0(1) = w4 − (1−3)·w5 = 5.1618 + 2·1.2298 = 7.6214
//	I = S·(0.9^−2 − 1)/(19/81) = S·(19/81)/(19/81) = S = 0.4872 → rounds to 0 → 1 day
//
// One day later, R = (1 + (19/81)·1/0.4872)^−0.5 = (1 + 0.481461)^−0.5
// = 1/1.217153 = 0.821589.
//
// Answered Good (G = 3), with the old D = 7.6214:
//
//	e^w8 = e^1.6474 = 5.193459;  11 − D = 3.3786
//	S^−w9 = e^(−0.1367·ln 0.4872) = e^(0.1367·0.719081) = e^0.098298 = 1.103289
//	e^(w10·(1−R)) − 1 = e^(1.0461·0.178411) − 1 = e^0.186635 − 1 = 0.205188
//	S' = 0.4872·(1 + 5.193459·3.3786·1.103289·0.205188) = 0.4872·(1 + 3.972237) = 2.422474
//	D' = w7·D0(3) + (1−w7)·(D − 0) = 0.031·5.1618 + 0.969·7.6214 = 0.160016 + 7.385137 = 7.545152
//	I = round(2.422474) = 2 days
//
// Answered Again (G = 1) instead:
//
//	D^−w12 = e^(−0.0793·ln 7.6214) = e^(−0.0793·2.030960) = e^−0.161055 = 0.851245
//	(S+1)^w13 − 1 = e^(0.3246·ln 1.4872) − 1 = e^(0.3246·0.396895) − 1 = e^0.128832 − 1 = 0.137499
//	e^(w14·(1−R)) = e^(1.587·0.178411) = e^0.283138 = 1.327288
//	S' = 2.1072·0.851245·0.137499·1.327288 = 0.327360
//	D' = 0.031·5.1618 + 0.969·(7.6214 + 2·0.8975) = 0.160016 + 0.969·9.4164 = 9.284507
//	I = round(0.327360) → 0 → 1 day
//
// New item, first answer Good: S0(3) = w2 = 3.7145, D0(3) = w4 = 5.1618,
// I = round(3.7145) = 4 days. First answer Easy: S0(4) = w3 = 13.8206,
// D0(4) = 5.1618 − 1.2298 = 3.9320, I = 14 days.
func TestFSRSAgainstHandWorkedValues(t *testing.T) {
	missed := firstMemory(gradeAgain)
	tests := []struct {
		name       string
		got        memory
		stability  float64
		difficulty float64
		interval   int
	}{
		{"first answer Again", missed, 0.4872, 7.6214, 1},
		{"first answer Good", firstMemory(gradeGood), 3.7145, 5.1618, 4},
		{"first answer Easy", firstMemory(gradeEasy), 13.8206, 3.9320, 14},
		{"Again, then Good a day later", missed.review(1, gradeGood), 2.422474, 7.545152, 2},
		{"Again, then Again a day later", missed.review(1, gradeAgain), 0.327360, 9.284507, 1},
	}
	for _, tt := range tests {
		if !near(tt.got.stability, tt.stability) || !near(tt.got.difficulty, tt.difficulty) {
			t.Errorf("%s: S = %.6f, D = %.6f; want S = %.6f, D = %.6f",
				tt.name, tt.got.stability, tt.got.difficulty, tt.stability, tt.difficulty)
		}
		if got := intervalDays(tt.got.stability); got != tt.interval {
			t.Errorf("%s: interval %d days, want %d", tt.name, got, tt.interval)
		}
	}
}

func TestRetrievability(t *testing.T) {
	// By definition of stability, R is 90% after S days; R(0) = 1.
	for _, s := range []float64{0.4872, 2.5, 40} {
		if r := retrievability(s, s); !near(r, 0.9) {
			t.Errorf("R(S=%v, t=S) = %v, want 0.9", s, r)
		}
		if r := retrievability(0, s); r != 1 {
			t.Errorf("R(t=0) = %v, want 1", r)
		}
	}
	// Worked above: R(1 day, S = 0.4872) = 0.821589.
	if r := retrievability(1, 0.4872); !near(r, 0.821589) {
		t.Errorf("R(1, 0.4872) = %v, want 0.821589", r)
	}
}

func TestFSRSDirections(t *testing.T) {
	m := firstMemory(gradeGood)
	good, hard, easy, again := m.review(4, gradeGood), m.review(4, gradeHard),
		m.review(4, gradeEasy), m.review(4, gradeAgain)
	if !(again.stability < m.stability && m.stability < hard.stability &&
		hard.stability < good.stability && good.stability < easy.stability) {
		t.Errorf("stabilities again %v < before %v < hard %v < good %v < easy %v do not hold",
			again.stability, m.stability, hard.stability, good.stability, easy.stability)
	}
	if !(again.difficulty > good.difficulty && easy.difficulty < good.difficulty) {
		t.Errorf("difficulty does not rise after Again and fall after Easy")
	}
	for d := firstMemory(gradeAgain); ; d = d.review(1, gradeAgain) {
		if d.difficulty > 10 || d.difficulty < 1 {
			t.Fatalf("difficulty %v left [1, 10]", d.difficulty)
		}
		if d.difficulty == 10 {
			break
		}
	}
}

// near compares to the 6 significant digits of the hand-worked values.
func near(got, want float64) bool { return math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want)) }
