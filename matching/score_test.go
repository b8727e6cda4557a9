package matching

import (
	"math"
	"testing"
	"time"
)

func baseLearner() Learner {
	return Learner{User: "tg:1", Skills: []string{"mqtt.qos", "opcua.model", "modbus.rtu", "tsn.basics"},
		Languages: []string{"et", "de"}, Country: "EE", Zone: "Europe/Tallinn",
		Availability: mustAvail("mon-thu 17:00-20:00")}
}

func baseTutor() Tutor {
	return Tutor{User: "dc:9", Skills: map[string]int{"mqtt.qos": 3, "opcua.model": 2, "modbus.rtu": 1},
		Languages: []string{"sl", "de"}, Country: "SI", Zone: "Europe/Ljubljana",
		Availability: mustAvail("mon-fri 16:00-18:30"), Capacity: 3}
}

func mustAvail(s string) Availability {
	a, err := ParseAvailability(s)
	if err != nil {
		panic(err)
	}
	return a
}

func TestEligible(t *testing.T) {
	tests := []struct {
		name   string
		change func(l *Learner, tu *Tutor, q *Query)
		want   bool
	}{
		{"shares German and skills", func(*Learner, *Tutor, *Query) {}, true},
		{"no shared language", func(_ *Learner, tu *Tutor, _ *Query) { tu.Languages = []string{"it"} }, false},
		{"paused", func(_ *Learner, tu *Tutor, _ *Query) { tu.Paused = true }, false},
		{"at capacity", func(_ *Learner, tu *Tutor, _ *Query) { tu.Load = 3 }, false},
		{"one place left", func(_ *Learner, tu *Tutor, _ *Query) { tu.Load = 2 }, true},
		{"the learner themself", func(l *Learner, tu *Tutor, _ *Query) { tu.User = l.User }, false},
		{"declined this learner", func(_ *Learner, _ *Tutor, q *Query) { q.Declined = []string{"dc:9"} }, false},
		{"teaches the asked skill", func(_ *Learner, _ *Tutor, q *Query) { q.Skill = "modbus.rtu" }, true},
		{"not the asked skill", func(_ *Learner, _ *Tutor, q *Query) { q.Skill = "tsn.basics" }, false},
		{"none of the skills", func(_ *Learner, tu *Tutor, _ *Query) { tu.Skills = map[string]int{"x": 2} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, tu, q := baseLearner(), baseTutor(), Query{}
			tt.change(&l, &tu, &q)
			if got := Eligible(&l, &tu, q); got != tt.want {
				t.Errorf("Eligible = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestScoreAndReason(t *testing.T) {
	w := DefaultWeights()
	tests := []struct {
		name    string
		change  func(l *Learner, tu *Tutor)
		minutes int
		score   float64
		reason  string
	}{
		{"example of the issue", func(*Learner, *Tutor) {}, 360,
			60*6.0/12 + 30 + 10, "3 of your 4 skills · 6 h a week in common · both speak German · Slovenia → Estonia"},
		{"same country, no bonus", func(_ *Learner, tu *Tutor) { tu.Country = "EE" }, 360,
			60*6.0/12 + 30, "3 of your 4 skills · 6 h a week in common · both speak German · both in Estonia"},
		{"hours capped at 6 h", func(*Learner, *Tutor) {}, 600,
			60*6.0/12 + 30 + 10, "3 of your 4 skills · 10 h a week in common · both speak German · Slovenia → Estonia"},
		{"load lowers the score", func(_ *Learner, tu *Tutor) { tu.Load = 2 }, 105,
			60*6.0/12 + 30*105.0/360 + 10 - 15*2.0/3,
			"3 of your 4 skills · 1 h 45 min a week in common · both speak German · Slovenia → Estonia"},
		{"no hours", func(*Learner, *Tutor) {}, 0,
			60*6.0/12 + 10, "3 of your 4 skills · no hours in common yet · both speak German · Slovenia → Estonia"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, tu := baseLearner(), baseTutor()
			tt.change(&l, &tu)
			s, r := Score(&l, &tu, Query{}, tt.minutes, w)
			if math.Abs(s-tt.score) > 1e-9 {
				t.Errorf("score %.3f, want %.3f", s, tt.score)
			}
			if r.String() != tt.reason {
				t.Errorf("reason %q\nwant   %q", r.String(), tt.reason)
			}
		})
	}
}

func TestCrossBorderPreferenceRanksAbroadFirst(t *testing.T) {
	l := baseLearner()
	home, abroad := baseTutor(), baseTutor()
	home.User, home.Country, home.Zone = "tg:home", "EE", "Europe/Tallinn"
	abroad.User, abroad.Zone = "tg:abroad", "Europe/Tallinn" // same hours, other country
	got := RankTutors(&l, []Tutor{home, abroad}, Query{}, genNow, DefaultWeights())
	if len(got) != 2 || got[0].Tutor != "tg:abroad" {
		t.Fatalf("ranking %v, want tg:abroad first", got)
	}
	w := DefaultWeights()
	w.CrossBorder = 0
	got = RankTutors(&l, []Tutor{home, abroad}, Query{}, genNow, w)
	if got[0].Score != got[1].Score {
		t.Errorf("without the preference scores differ: %v", got)
	}
}

func TestRankTutorsReason(t *testing.T) {
	l, tu := baseLearner(), baseTutor()
	// Tallinn 17-20 is Ljubljana 16-19 all year; the tutor is free 16:00-18:30
	// Mon-Fri: 2 h 30 min on each of Mon-Thu = 10 h a week.
	got := RankTutors(&l, []Tutor{tu}, Query{}, genNow, DefaultWeights())
	if len(got) != 1 {
		t.Fatalf("got %d candidates", len(got))
	}
	want := "3 of your 4 skills · 10 h a week in common · both speak German · Slovenia → Estonia"
	if got[0].Reason.String() != want {
		t.Errorf("reason %q, want %q", got[0].Reason.String(), want)
	}
}

func TestIndexAgreesWithRankTutors(t *testing.T) {
	g := newGenerator(7)
	var tutors []Tutor
	x := NewIndex(DefaultWeights())
	for i := 0; i < 400; i++ {
		tu := g.tutor(i)
		tutors = append(tutors, tu)
		x.Upsert(tu, genNow)
	}
	for i := 0; i < 50; i++ {
		l := g.learner(i)
		// Start on a quarter hour so that the index's slots are exact.
		now := genNow.Add(time.Duration(i) * 6 * time.Hour)
		q := Query{Limit: 5}
		if i%2 == 0 {
			q.Skill = l.Skills[0]
		}
		want := RankTutors(&l, tutors, q, now, DefaultWeights())
		got := x.Rank(&l, q, now)
		if len(got) != len(want) {
			t.Fatalf("learner %d: index gives %d, reference %d", i, len(got), len(want))
		}
		for k := range want {
			if got[k].Tutor != want[k].Tutor || math.Abs(got[k].Score-want[k].Score) > 1e-9 ||
				got[k].Reason.String() != want[k].Reason.String() {
				t.Fatalf("learner %d #%d: index %+v, reference %+v", i, k, got[k], want[k])
			}
		}
	}
}

func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{
		"at": "AT", "Austria": "AT", "Österreich": "AT", "suomi": "FI", " Estonia ": "EE",
		"United Kingdom": "GB", "usa": "US", "Atlantis": "", "12": "",
		"UK": "GB", "uk": "GB", "lu": "LU", "ZZ": "", "QQ": "", "EU": "", "xa": "",
	} {
		if got := CountryCode(in); got != want {
			t.Errorf("CountryCode(%q) = %q, want %q", in, got, want)
		}
	}
}
