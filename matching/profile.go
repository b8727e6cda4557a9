package matching

import (
	"errors"
	"fmt"
	"strings"
)

// MaxLevel is the highest skill level a tutor can give: 1 knows it,
// 2 teaches it, 3 is an expert.
const MaxLevel = 3

// ErrInvalidProfile says a profile breaks a rule; the message says which.
var ErrInvalidProfile = errors.New("matching: invalid profile")

// Tutor is the profile of a tutor.
type Tutor struct {
	User string `json:"user"` // user key, for example "tg:123"
	// Skills maps skill ids (package skills, "mqtt.qos") to a level 1..MaxLevel.
	Skills map[string]int `json:"skills"`
	// Languages are ISO 639-1 codes ("de", "sl"), at least one.
	Languages []string `json:"languages"`
	// Country is an ISO 3166 alpha-2 code ("SI"); empty means unknown.
	Country string `json:"country"`
	// Zone is an IANA zone name or a fixed offset that LoadZone reads.
	Zone string `json:"zone"`
	// Availability is the tutor's weekly windows in Zone.
	Availability Availability `json:"availability"`
	// Capacity is the most mentees at once; zero takes nobody.
	Capacity int `json:"capacity"`
	// Paused tutors are never offered.
	Paused bool `json:"paused,omitempty"`
	// Load is the number of current mentees; it is kept beside the profile
	// (the tutor's mentee set) and filled in when the profile is read.
	Load int `json:"-"`
}

// Learner is the profile of a learner.
type Learner struct {
	User string `json:"user"`
	// Skills are the skill ids the learner wants help with, most wanted first.
	Skills       []string     `json:"skills"`
	Languages    []string     `json:"languages"`
	Country      string       `json:"country"`
	Zone         string       `json:"zone"`
	Availability Availability `json:"availability"`
}

// Active reports whether the tutor takes new mentees at all.
func (t *Tutor) Active() bool { return !t.Paused && t.Capacity > 0 }

// Free reports whether the tutor is active and under capacity.
func (t *Tutor) Free() bool { return t.Active() && t.Load < t.Capacity }

// Validate checks the rules of a tutor profile.
func (t *Tutor) Validate() error {
	if err := validateCommon(t.User, t.Languages, t.Country, t.Zone); err != nil {
		return err
	}
	for id, lv := range t.Skills {
		if id == "" || lv < 1 || lv > MaxLevel {
			return fmt.Errorf("%w: skill %q level %d (want 1..%d)", ErrInvalidProfile, id, lv, MaxLevel)
		}
	}
	if t.Capacity < 0 {
		return fmt.Errorf("%w: capacity %d", ErrInvalidProfile, t.Capacity)
	}
	return nil
}

// Validate checks the rules of a learner profile.
func (l *Learner) Validate() error {
	return validateCommon(l.User, l.Languages, l.Country, l.Zone)
}

func validateCommon(user string, langs []string, country, zone string) error {
	if user == "" || strings.ContainsAny(user, "#{}") {
		return fmt.Errorf("%w: user %q", ErrInvalidProfile, user)
	}
	if len(langs) == 0 {
		return fmt.Errorf("%w: no language", ErrInvalidProfile)
	}
	if country != "" && len(country) != 2 {
		return fmt.Errorf("%w: country %q is not ISO 3166 alpha-2", ErrInvalidProfile, country)
	}
	if _, err := LoadZone(zone); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidProfile, err)
	}
	return nil
}

func (l *Learner) side() Side { return sideOf(l.Zone, l.Availability) }

func (t *Tutor) side() Side { return sideOf(t.Zone, t.Availability) }

func sideOf(zone string, a Availability) Side {
	loc, err := LoadZone(zone)
	if err != nil {
		return Side{} // a profile that failed validation shares no hours
	}
	return Side{Loc: loc, Avail: a}
}
