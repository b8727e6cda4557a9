package bots

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"
)

// Segment chooses the recipients of a broadcast from the user index. Empty
// fields match everyone; fields combine with AND, values of one field with
// OR.
type Segment struct {
	// Role is "learner", "tutor" or "coordinator"; empty: every role.
	Role      string   `json:"r,omitempty"`
	Countries []string `json:"c,omitempty"`
	Langs     []string `json:"l,omitempty"`
	Tracks    []string `json:"t,omitempty"`
	Skills    []string `json:"s,omitempty"`
	Cohort    string   `json:"co,omitempty"`
	// ActiveDays keeps users seen in the last N days; zero: everyone.
	ActiveDays int `json:"a,omitempty"`
	// Channel is a Discord announcement channel id: the broadcast is posted
	// there once, and Discord users get no direct message. Empty: Discord
	// users get direct messages like everyone else.
	Channel string `json:"ch,omitempty"`
}

// Match reports whether the user summarised by u is in the segment on day
// today (Unix days).
func (s Segment) Match(u Summary, today int64) bool {
	if s.Role != "" && u.Role != s.Role {
		return false
	}
	if s.Channel != "" && u.Platform == Discord {
		return false
	}
	if len(s.Countries) > 0 && !slices.Contains(s.Countries, u.Country) {
		return false
	}
	if len(s.Langs) > 0 && !slices.Contains(s.Langs, u.Lang) {
		return false
	}
	if len(s.Tracks) > 0 && !overlaps(s.Tracks, u.Tracks) {
		return false
	}
	if len(s.Skills) > 0 && !overlaps(s.Skills, u.Skills) {
		return false
	}
	if s.Cohort != "" && !strings.EqualFold(s.Cohort, u.Cohort) {
		return false
	}
	if s.ActiveDays > 0 && u.Seen < today-int64(s.ActiveDays) {
		return false
	}
	return true
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// segmentUsers lists the users of the index in segment s, sorted.
func (e *Engine) segmentUsers(ctx context.Context, s Segment, now time.Time) ([]string, error) {
	var out []string
	today := now.Unix() / 86400
	err := e.eachSummary(ctx, func(user string, u Summary) {
		if s.Match(u, today) {
			out = append(out, user)
		}
	})
	sort.Strings(out)
	return out, err
}

// eachSummary calls f for each entry of the user index.
func (e *Engine) eachSummary(ctx context.Context, f func(user string, u Summary)) error {
	return eachSummary(ctx, e.st, f)
}

// describe is the segment in the coordinator's words.
func (s Segment) describe(t *Turn) string {
	var parts []string
	if s.Role != "" {
		parts = append(parts, t.T("role."+s.Role))
	}
	if len(s.Countries) > 0 {
		var names []string
		for _, c := range s.Countries {
			names = append(names, t.countryName(c))
		}
		parts = append(parts, strings.Join(names, ", "))
	}
	if len(s.Langs) > 0 {
		var names []string
		for _, l := range s.Langs {
			names = append(names, LanguageNames[l])
		}
		parts = append(parts, strings.Join(names, ", "))
	}
	if len(s.Tracks) > 0 {
		parts = append(parts, t.T("seg.tracks")+": "+strings.Join(s.Tracks, ", "))
	}
	if len(s.Skills) > 0 {
		parts = append(parts, t.T("seg.skills")+": "+strings.Join(s.Skills, ", "))
	}
	if s.Channel != "" {
		parts = append(parts, t.T("seg.channel")+" "+s.Channel)
	}
	if s.Cohort != "" {
		parts = append(parts, t.T("seg.cohort")+": "+s.Cohort)
	}
	if s.ActiveDays > 0 {
		parts = append(parts, t.T("seg.active_days", "Days", s.ActiveDays))
	}
	if len(parts) == 0 {
		return t.T("seg.everyone")
	}
	return strings.Join(parts, "; ")
}

// toggle adds v to list, or removes it when present.
func toggle(list []string, v string) []string {
	if i := slices.Index(list, v); i >= 0 {
		return slices.Delete(list, i, i+1)
	}
	return append(list, v)
}
