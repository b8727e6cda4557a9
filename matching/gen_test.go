package matching

import (
	"fmt"
	"math/rand"
	"time"
)

var (
	genZones = []string{"Europe/Ljubljana", "Europe/Helsinki", "Europe/Tallinn", "Europe/Berlin",
		"Europe/Rome", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York",
		"Pacific/Chatham", "Australia/Adelaide", "America/Sao_Paulo"}
	genCountries = []string{"SI", "FI", "EE", "DE", "IT", "GB", "IN", "NP", "US", "NZ", "AU", "BR"}
	genLangs     = []string{"en", "sl", "fi", "et", "de", "it"}
	genAvail     = []string{"mon-thu 17:00-20:00", "mon-fri 08:00-10:00", "sat-sun 09:00-13:00",
		"tue;thu 18:30-21:00", "mon-fri 12:00-13:00, sat 10:00-12:00", "wed-fri 19:00-22:00",
		"mon-sun 07:00-08:00", "fri 16:00-20:00, sun 14:00-18:00"}
)

// generator makes seeded profiles: 40 skills, 6 languages, 12 zones.
type generator struct{ rng *rand.Rand }

func newGenerator(seed int64) generator { return generator{rand.New(rand.NewSource(seed))} }

func (g generator) skill() string { return fmt.Sprintf("skill.%02d", g.rng.Intn(40)) }

func (g generator) langs() []string {
	n := 1 + g.rng.Intn(2)
	out := []string{genLangs[g.rng.Intn(len(genLangs))]}
	if n == 2 && out[0] != "en" {
		out = append(out, "en")
	}
	return out
}

func (g generator) avail() Availability {
	a, err := ParseAvailability(genAvail[g.rng.Intn(len(genAvail))])
	if err != nil {
		panic(err)
	}
	return a
}

func (g generator) tutor(i int) Tutor {
	z := g.rng.Intn(len(genZones))
	t := Tutor{User: fmt.Sprintf("t:%d", i), Skills: map[string]int{}, Languages: g.langs(),
		Country: genCountries[z], Zone: genZones[z], Availability: g.avail(),
		Capacity: 1 + g.rng.Intn(8)}
	for k := 0; k < 3+g.rng.Intn(5); k++ {
		t.Skills[g.skill()] = 1 + g.rng.Intn(MaxLevel)
	}
	t.Load = g.rng.Intn(t.Capacity + 1)
	return t
}

func (g generator) learner(i int) Learner {
	z := g.rng.Intn(len(genZones))
	l := Learner{User: fmt.Sprintf("l:%d", i), Languages: g.langs(), Country: genCountries[z],
		Zone: genZones[z], Availability: g.avail()}
	for k := 0; k < 1+g.rng.Intn(4); k++ {
		l.Skills = append(l.Skills, g.skill())
	}
	return l
}

var genNow = time.Date(2027, 3, 24, 10, 0, 0, 0, time.UTC)
