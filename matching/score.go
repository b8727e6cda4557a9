package matching

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Weights set how much each part of a score counts. The zero value scores
// everything 0; use DefaultWeights.
type Weights struct {
	// Skill is the points for covering every wanted skill at MaxLevel.
	Skill float64
	// Hours is the points for HoursCap or more minutes a week in common.
	Hours float64
	// HoursCap is the minutes a week in common that earn all Hours points.
	HoursCap int
	// CrossBorder is the points for a tutor in another country than the
	// learner (the programme's aim); zero turns the preference off.
	CrossBorder float64
	// Load is the points a tutor loses at full capacity, in proportion to
	// load/capacity, so that demand spreads.
	Load float64
}

// DefaultWeights returns the weights the bot uses: Skill 60, Hours 30 up to
// 6 h a week, CrossBorder 10, Load 15.
func DefaultWeights() Weights {
	return Weights{Skill: 60, Hours: 30, HoursCap: 360, CrossBorder: 10, Load: 15}
}

// Query says what a ranking is for.
type Query struct {
	// Skill, when set, is the skill the learner asks help for: the tutor
	// must teach it, and it counts among the wanted skills.
	Skill string
	// Declined are tutors who declined this learner for Skill; never offered.
	Declined []string
	// Limit is how many candidates to return; zero means 3.
	Limit int
}

func (q Query) limit() int {
	if q.Limit <= 0 {
		return 3
	}
	return q.Limit
}

// Candidate is one ranked tutor.
type Candidate struct {
	Tutor  string
	Score  float64
	Reason Reason
}

// Reason says why a tutor was ranked where they are. Its fields let the
// engine say it in any language; String says it in English.
type Reason struct {
	// Skills are the wanted skills the tutor teaches, in the learner's order.
	Skills []string
	// Wanted is how many skills the learner wants.
	Wanted int
	// WeeklyMinutes is the average minutes a week in common over the next
	// AverageWeeks weeks.
	WeeklyMinutes int
	// Languages are the languages both speak, in the learner's order.
	Languages []string
	// TutorCountry and LearnerCountry are ISO 3166 alpha-2 codes.
	TutorCountry, LearnerCountry string
}

// String gives the reason in English, for example
// "3 of your 4 skills · 6 h a week in common · both speak German · Slovenia → Estonia"
// (the tutor's country, then the learner's).
func (r Reason) String() string {
	parts := []string{fmt.Sprintf("%d of your %d skills", len(r.Skills), r.Wanted)}
	if r.Wanted == 1 && len(r.Skills) == 1 {
		parts[0] = "the skill you asked for"
	}
	if r.WeeklyMinutes > 0 {
		parts = append(parts, FormatMinutes(r.WeeklyMinutes)+" a week in common")
	} else {
		parts = append(parts, "no hours in common yet")
	}
	if len(r.Languages) > 0 {
		parts = append(parts, "both speak "+LanguageName(r.Languages[0]))
	}
	switch {
	case r.TutorCountry == "" || r.LearnerCountry == "":
	case r.TutorCountry == r.LearnerCountry:
		parts = append(parts, "both in "+CountryName(r.TutorCountry))
	default:
		parts = append(parts, CountryName(r.TutorCountry)+" → "+CountryName(r.LearnerCountry))
	}
	return strings.Join(parts, " · ")
}

// FormatMinutes writes a duration rounded down to a quarter hour, in
// English: "6 h", "1 h 45 min", "45 min".
func FormatMinutes(m int) string {
	m = m / 15 * 15
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// wanted gives the skills a query wants from a tutor: the asked skill
// first, then the learner's others.
func wanted(l *Learner, q Query) []string {
	if q.Skill == "" {
		return l.Skills
	}
	out := make([]string, 0, len(l.Skills)+1)
	out = append(out, q.Skill)
	for _, s := range l.Skills {
		if s != q.Skill {
			out = append(out, s)
		}
	}
	return out
}

// Eligible applies the hard rules: a shared language; the tutor active and
// under capacity; never the learner themself; never a tutor who declined;
// and the tutor teaches the asked skill (or, without one, a wanted skill).
func Eligible(l *Learner, t *Tutor, q Query) bool {
	if t.User == l.User || !t.Free() || slices.Contains(q.Declined, t.User) {
		return false
	}
	if len(sharedLanguages(l.Languages, t.Languages)) == 0 {
		return false
	}
	if q.Skill != "" {
		return t.Skills[q.Skill] > 0
	}
	for _, s := range l.Skills {
		if t.Skills[s] > 0 {
			return true
		}
	}
	return false
}

func sharedLanguages(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// Score gives the score of tutor t for learner l with weeklyMinutes in
// common, and its reason. It does not apply the hard rules (see Eligible).
func Score(l *Learner, t *Tutor, q Query, weeklyMinutes int, w Weights) (float64, Reason) {
	want := wanted(l, q)
	r := Reason{
		Wanted: len(want), WeeklyMinutes: weeklyMinutes,
		Languages:    sharedLanguages(l.Languages, t.Languages),
		TutorCountry: t.Country, LearnerCountry: l.Country,
	}
	levels := 0
	for _, s := range want {
		if lv := t.Skills[s]; lv > 0 {
			r.Skills = append(r.Skills, s)
			levels += lv
		}
	}
	cross := t.Country != "" && l.Country != "" && t.Country != l.Country
	return combine(w, levels, len(want), weeklyMinutes, cross, t.Load, t.Capacity), r
}

// combine is the score formula, shared by Score and the index.
func combine(w Weights, levels, wanted, minutes int, cross bool, load, capacity int) float64 {
	s := 0.0
	if wanted > 0 {
		s += w.Skill * float64(levels) / float64(wanted*MaxLevel)
	}
	if w.HoursCap > 0 {
		s += w.Hours * float64(min(minutes, w.HoursCap)) / float64(w.HoursCap)
	}
	if cross {
		s += w.CrossBorder
	}
	if capacity > 0 {
		s -= w.Load * float64(load) / float64(capacity)
	}
	return s
}

// RankTutors ranks tutors for l, best first, with the exact overlap of each
// pair over the AverageWeeks weeks from now. It is the reference the Index
// must agree with, and fine for a few hundred tutors.
func RankTutors(l *Learner, tutors []Tutor, q Query, now time.Time, w Weights) []Candidate {
	var out []Candidate
	ls := l.side()
	for i := range tutors {
		t := &tutors[i]
		if !Eligible(l, t, q) {
			continue
		}
		s, r := Score(l, t, q, WeeklyMinutes(ls, t.side(), now), w)
		out = append(out, Candidate{Tutor: t.User, Score: s, Reason: r})
	}
	sortCandidates(out)
	return out[:min(len(out), q.limit())]
}

// sortCandidates orders by score, then by user for a stable order.
func sortCandidates(cs []Candidate) {
	slices.SortFunc(cs, func(a, b Candidate) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Tutor, b.Tutor)
	})
}
