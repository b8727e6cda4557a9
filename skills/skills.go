// Package skills holds the one list of Connectivity Devices and Services
// (CDS) skills and the tracks that group them, with their names in every
// language of the programme. Lessons, matching and reports all refer to
// skills by the ids defined here.
package skills

import "strings"

// Languages lists the interface languages of the programme, English first.
// Every name in this package exists in each of them.
var Languages = []string{"en", "sl", "fi", "et", "de", "it"}

// Skill is one thing a learner can learn and a tutor can teach.
type Skill struct {
	// ID is stable and never shown: "mqtt.qos". Its prefix before the dot
	// is the id of its track.
	ID string
	// Track is the id of the track the skill belongs to.
	Track string
	// Names maps a language code ("en", "de") to the skill's name.
	Names map[string]string
}

// Track is a group of related skills, taught as a sequence of lessons.
type Track struct {
	// ID is stable and never shown: "mqtt".
	ID string
	// Names maps a language code to the track's name.
	Names map[string]string
}

var (
	byID      = map[string]int{}
	trackByID = map[string]int{}
)

func init() {
	for i, t := range tracks {
		trackByID[t.ID] = i
	}
	for i, s := range all {
		byID[s.ID] = i
	}
}

// All returns every skill, grouped by track in the order of Tracks. The
// caller may not modify the returned slice or its maps.
func All() []Skill { return all }

// Tracks returns every track in teaching order. The caller may not modify
// the returned slice or its maps.
func Tracks() []Track { return tracks }

// ByID returns the skill with the given id.
func ByID(id string) (Skill, bool) {
	i, ok := byID[id]
	if !ok {
		return Skill{}, false
	}
	return all[i], true
}

// TrackByID returns the track with the given id.
func TrackByID(id string) (Track, bool) {
	i, ok := trackByID[id]
	if !ok {
		return Track{}, false
	}
	return tracks[i], true
}

// Index returns the position of the skill in All, or -1 if there is no
// such skill. It lets callers keep sets of skills as bit masks.
func Index(id string) int {
	i, ok := byID[id]
	if !ok {
		return -1
	}
	return i
}

// Name returns the skill's name in lang ("de", "de-AT", "pt_BR"), or in
// English when there is none in that language. It returns id itself for an
// unknown skill.
func Name(id, lang string) string {
	s, ok := ByID(id)
	if !ok {
		return id
	}
	return pick(s.Names, lang, id)
}

// TrackName returns the track's name in lang, or in English when there is
// none in that language. It returns id itself for an unknown track.
func TrackName(id, lang string) string {
	t, ok := TrackByID(id)
	if !ok {
		return id
	}
	return pick(t.Names, lang, id)
}

// BaseLanguage reduces a language tag to its primary subtag in lower case:
// "de-AT" and "DE_at" become "de".
func BaseLanguage(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(strings.TrimSpace(tag))
}

func pick(names map[string]string, lang, fallback string) string {
	if n, ok := names[BaseLanguage(lang)]; ok {
		return n
	}
	if n, ok := names["en"]; ok {
		return n
	}
	return fallback
}
