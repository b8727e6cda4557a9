package bots

import (
	"encoding/json"
	"time"

	"github.com/talentjourney/talentbot/lessons"
	"github.com/talentjourney/talentbot/matching"
)

// stateVersion is the version of the State layout stored in Redis.
const stateVersion = 1

// Roles of a user.
const (
	RoleLearner     = "learner"
	RoleTutor       = "tutor"
	RoleCoordinator = "coordinator"
)

// State is everything the engine keeps about one user, stored as one JSON
// value under the user's hash tag, so that handling an event needs one read
// and one write.
type State struct {
	V    int    `json:"v"`
	User string `json:"user"`
	// Platform and Chat are where the user's private messages go.
	Platform string `json:"platform,omitempty"`
	Chat     string `json:"chat,omitempty"`
	// Consent is "" (not asked yet), "yes" or "no"; ConsentAt when given.
	Consent   string    `json:"consent,omitempty"`
	ConsentAt time.Time `json:"consent_at,omitzero"`
	// Step is the onboarding or dialogue question the user is answering;
	// empty when none. Ask holds data of that step (zone candidates).
	Step string   `json:"step,omitempty"`
	Ask  []string `json:"ask,omitempty"`
	// Settings is true while the user changes one answer from /settings.
	Settings bool `json:"settings,omitempty"`
	// Resume is the onboarding question the /delete question interrupted:
	// it is open again when the user keeps their data.
	Resume string `json:"resume,omitempty"`
	// Done lists the onboarding steps answered (for answers that may be
	// empty, such as "no daily lesson").
	Done []string `json:"done,omitempty"`

	Profile Profile `json:"profile"`

	Onboarded bool `json:"onboarded,omitempty"`
	Paused    bool `json:"paused,omitempty"`
	// Inactive is true after the platform said the user blocked the bot.
	Inactive bool `json:"inactive,omitempty"`
	// Name is the display name, for introductions; Handle the platform
	// handle, shared only with consent.
	Name   string `json:"name,omitempty"`
	Handle string `json:"handle,omitempty"`

	// Mentor is the user's mentoring data (tutor profile, requests being
	// made, mentorships); nil until the user first uses it. See mentor.go.
	Mentor *Mentor `json:"mentor,omitempty"`

	// Cohort is the cohort a coordinator put the user in; empty: none.
	Cohort string `json:"cohort,omitempty"`

	Progress lessons.Progress `json:"progress"`
	// Track is the track the learner chose to follow in order (/lesson
	// TRACK); empty: lessons follow the learner's skills.
	Track string `json:"track,omitempty"`
	// Lesson is the lesson whose quiz is open.
	Lesson string `json:"lesson,omitempty"`

	Created  time.Time `json:"created,omitzero"`
	LastSeen time.Time `json:"last_seen,omitzero"`
	// NudgePlanned is the day (Unix days) the nudge was last planned;
	// Nudges counts nudges sent since the user last wrote.
	NudgePlanned int64 `json:"nudge_day,omitempty"`
	// KeepPlanned is the day (Unix days) the end of retention was last
	// planned: Config.Retention after the user's last message.
	KeepPlanned int64 `json:"keep_day,omitempty"`
	Nudges      int   `json:"nudges,omitempty"`
	// ReviewPlanned is when the review reminder is planned.
	ReviewPlanned time.Time `json:"review_at,omitzero"`
	// Seq numbers outgoing messages.
	Seq int64 `json:"seq,omitempty"`
	// Effects are changes outside the user's keys, applied after the commit
	// (and again after a crash; each is idempotent).
	Effects []Effect `json:"effects,omitempty"`
	// FxSeq numbers the commits that carry effects; the user's "fx" key
	// holds the last one whose effects were applied, so that a later drain
	// does not apply them again.
	FxSeq int64 `json:"fx,omitempty"`
	// Deleted marks a user whose data is being removed.
	Deleted bool `json:"deleted,omitempty"`
}

// Profile holds the onboarding answers.
type Profile struct {
	Lang    string   `json:"lang,omitempty"`
	Role    string   `json:"role,omitempty"`
	Under16 bool     `json:"under16,omitempty"`
	Country string   `json:"country,omitempty"`
	Zone    string   `json:"zone,omitempty"`
	Fixed   bool     `json:"fixed,omitempty"`
	Skills  []string `json:"skills,omitempty"`
	// LessonTime is the local time of the daily lesson, "18:00"; empty: none.
	LessonTime string `json:"lesson_time,omitempty"`
	// Quiet are the user's quiet hours, "22:00-07:30" or "off"; empty
	// means the default [21:00, 08:00).
	Quiet string `json:"quiet,omitempty"`
	Level string `json:"level,omitempty"`
}

func newState(user string) *State {
	return &State{V: stateVersion, User: user}
}

func decodeState(user, raw string) (*State, error) {
	if raw == "" {
		return newState(user), nil
	}
	st := newState(user)
	if err := json.Unmarshal([]byte(raw), st); err != nil {
		return nil, err
	}
	return st, nil
}

// lang is the user's interface language, English until chosen.
func (s *State) lang() string {
	if s.Profile.Lang == "" {
		return "en"
	}
	return s.Profile.Lang
}

// location is the user's zone, UTC until chosen.
func (s *State) location() *time.Location {
	if s.Profile.Zone == "" {
		return time.UTC
	}
	loc, err := matching.LoadZone(s.Profile.Zone)
	if err != nil {
		return time.UTC
	}
	return loc
}
