package bots

import (
	"slices"
	"strings"

	"github.com/talentjourney/talentbot/matching"
	"github.com/talentjourney/talentbot/skills"
)

// tutorSections are the parts of a tutor profile, in the order a new
// tutor is asked them.
var tutorSections = []string{"skills", "langs", "hours", "cap"}

// cmdTutor shows the tutor profile with buttons to change each part.
func (e *Engine) cmdTutor(t *Turn) error {
	if t.State.Profile.Role != RoleTutor || !t.State.Onboarded {
		t.SayT("mentor.tutor_only", nil)
		return nil
	}
	e.showTutor(t)
	return nil
}

func (e *Engine) showTutor(t *Turn) {
	st := t.State
	m := st.mentor()
	m.Setup = false
	st.Step = ""
	var sk []string
	for _, s := range skills.All() {
		if lv := m.Skills[s.ID]; lv > 0 {
			sk = append(sk, t.skillName(s.ID)+" "+stars(lv))
		}
	}
	var langs []string
	for _, l := range m.Langs {
		langs = append(langs, t.langName(l))
	}
	status := t.T("mentor.tutor_open")
	if tu, ok := tutorProfile(st); !ok || !tu.Active() {
		status = t.T("mentor.tutor_closed")
	}
	pause := t.T("mentor.tutor_pause")
	if m.Paused {
		pause = t.T("mentor.tutor_resume")
	}
	t.SayT("mentor.tutor_summary", [][]Button{
		{{Label: t.T("mentor.sec.skills"), Data: "mt:te:skills"}, {Label: t.T("mentor.sec.langs"), Data: "mt:te:langs"}},
		{{Label: t.T("mentor.sec.hours"), Data: "mt:te:hours"}, {Label: t.T("mentor.sec.cap"), Data: "mt:te:cap"}},
		{{Label: pause, Data: "mt:tz"}},
	}, "Skills", orDash(sk), "Langs", orDash(langs), "Hours", orDash(nonEmpty(m.Avail)),
		"Capacity", m.Capacity, "Status", status)
}

func stars(lv int) string { return strings.Repeat("★", lv) + strings.Repeat("☆", 3-lv) }

func orDash(list []string) string {
	if len(list) == 0 {
		return "—"
	}
	return strings.Join(list, ", ")
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// btnTutorSection opens one part of the tutor profile.
func (e *Engine) btnTutorSection(t *Turn, sec string) error {
	if t.State.Profile.Role != RoleTutor {
		t.SayT("mentor.tutor_only", nil)
		return nil
	}
	if slices.Contains(tutorSections, sec) {
		t.State.mentor().Section = sec
	}
	switch sec {
	case "skills":
		e.askTutorSkills(t, 0)
	case "langs":
		e.askTutorLangs(t)
	case "hours":
		// The tutor's own hours: a request the user began as a learner
		// and left at its hours question is not resumed by this editor.
		if d := t.State.mentor().Draft; d != nil && d.Hours {
			t.State.mentor().Draft = nil
		}
		e.askHours(t)
	case "cap":
		e.askCapacity(t)
	case "skillsdone":
		return e.nextSection(t, "skills")
	default:
		e.showTutor(t)
	}
	return nil
}

// nextSection goes on after sec: the next part for a new tutor, else the
// profile.
func (e *Engine) nextSection(t *Turn, sec string) error {
	e.saveProfiles(t)
	m := t.State.mentor()
	i := slices.Index(tutorSections, sec)
	if m.Setup && i >= 0 && i+1 < len(tutorSections) {
		return e.btnTutorSection(t, tutorSections[i+1])
	}
	if m.Setup {
		t.SayT("mentor.tutor_ready", nil)
	}
	e.showTutor(t)
	return nil
}

// askTutorSkills shows one track's skills; each press cycles the level.
func (e *Engine) askTutorSkills(t *Turn, page int) {
	m := t.State.mentor()
	tracks := skills.Tracks()
	page = (page%len(tracks) + len(tracks)) % len(tracks)
	tr := tracks[page]
	var rows [][]Button
	for _, s := range skills.All() {
		if s.Track == tr.ID {
			rows = append(rows, []Button{{Label: t.skillName(s.ID) + " " + stars(m.Skills[s.ID]),
				Data: "mt:tl:" + s.ID}})
		}
	}
	rows = append(rows, []Button{
		{Label: "◀", Data: "mt:tp:" + itoa(page-1)},
		{Label: t.T("skills.done"), Data: "mt:te:skillsdone"},
		{Label: "▶", Data: "mt:tp:" + itoa(page+1)},
	})
	t.SayT("mentor.skills_ask", rows, "Track", skills.TrackName(tr.ID, t.State.lang()),
		"Page", page+1, "Pages", len(tracks))
}

func (e *Engine) btnTutorPage(t *Turn, arg string) error {
	e.askTutorSkills(t, atoi(arg))
	return nil
}

// btnTutorLevel cycles a skill's level 0 → 1 → 2 → 3 → 0.
func (e *Engine) btnTutorLevel(t *Turn, id string) error {
	s, ok := skills.ByID(id)
	if !ok || t.State.Profile.Role != RoleTutor {
		t.SayT("error.stale_button", nil)
		return nil
	}
	m := t.State.mentor()
	if m.Skills == nil {
		m.Skills = map[string]int{}
	}
	m.Skills[id] = (m.Skills[id] + 1) % (matching.MaxLevel + 1)
	if m.Skills[id] == 0 {
		delete(m.Skills, id)
	}
	e.saveProfiles(t)
	e.askTutorSkills(t, trackIndex(s.Track))
	return nil
}

func (e *Engine) askTutorLangs(t *Turn) {
	m := t.State.mentor()
	var rows [][]Button
	var row []Button
	for _, l := range Languages {
		label := LanguageNames[l]
		if slices.Contains(m.Langs, l) {
			label = "✓ " + label
		}
		row = append(row, Button{Label: label, Data: "mt:tg:" + l})
		if len(row) == 3 {
			rows, row = append(rows, row), nil
		}
	}
	rows = append(rows, []Button{{Label: t.T("skills.done"), Data: "mt:tg:done"}})
	t.SayT("mentor.langs_ask", rows)
}

// btnTutorLang toggles a language; "done" goes on.
func (e *Engine) btnTutorLang(t *Turn, l string) error {
	m := t.State.mentor()
	if l == "done" {
		if len(m.Langs) == 0 {
			t.SayT("mentor.langs_none", nil)
			return nil
		}
		return e.nextSection(t, "langs")
	}
	if !slices.Contains(Languages, l) {
		t.SayT("error.stale_button", nil)
		return nil
	}
	if i := slices.Index(m.Langs, l); i >= 0 {
		m.Langs = slices.Delete(m.Langs, i, i+1)
	} else {
		m.Langs = append(m.Langs, l)
	}
	e.askTutorLangs(t)
	return nil
}

func (e *Engine) askCapacity(t *Turn) {
	t.State.Step = stepMentorCap
	var rows [][]Button
	for r := 0; r < 2; r++ {
		var row []Button
		for c := 1; c <= 4; c++ {
			n := r*4 + c
			row = append(row, Button{Label: itoa(n), Data: "mt:tc:" + itoa(n)})
		}
		rows = append(rows, row)
	}
	t.SayT("mentor.cap_ask", rows)
}

func (e *Engine) btnTutorCapacity(t *Turn, arg string) error {
	n := atoi(arg)
	if n < 1 || n > 8 {
		t.SayT("error.stale_button", nil)
		return nil
	}
	if t.State.Step == stepMentorCap {
		t.State.Step = ""
	}
	t.State.mentor().Capacity = n
	return e.nextSection(t, "cap")
}

// stepCapacityText reads a typed number of mentees (1 to 8); anything else
// asks again.
func (e *Engine) stepCapacityText(t *Turn) error {
	if n := atoi(t.Event.Text); n >= 1 && n <= 8 {
		return e.btnTutorCapacity(t, itoa(n))
	}
	t.SayT("error.use_buttons", nil)
	e.askCapacity(t)
	return nil
}

// btnTutorPause pauses or resumes new requests.
func (e *Engine) btnTutorPause(t *Turn, _ string) error {
	m := t.State.mentor()
	m.Paused = !m.Paused
	e.saveProfiles(t)
	if m.Paused {
		t.SayT("mentor.paused", nil)
	} else {
		t.SayT("mentor.resumed", nil)
	}
	return nil
}

// dayRanges and hourWindows are the hours editor's buttons.
var (
	dayRanges   = []string{"mon-fri", "mon-thu", "sat-sun", "mon-sun"}
	hourWindows = []string{"08:00-12:00", "12:00-16:00", "16:00-19:00", "17:00-20:00", "19:00-22:00"}
)

// askHours shows the weekly availability editor.
func (e *Engine) askHours(t *Turn) {
	st := t.State
	m := st.mentor()
	st.Step = stepMentorHours
	if m.Days == "" {
		m.Days = dayRanges[0]
	}
	var days, wins []Button
	for _, d := range dayRanges {
		label := t.T("mentor.days." + d)
		if d == m.Days {
			label = "✓ " + label
		}
		days = append(days, Button{Label: label, Data: "mt:hd:" + d})
	}
	for _, w := range hourWindows {
		wins = append(wins, Button{Label: strings.ReplaceAll(w, "-", "–"), Data: "mt:hw:" + w})
	}
	t.SayT("mentor.hours_ask", [][]Button{days, wins, {
		{Label: t.T("mentor.hours_clear"), Data: "mt:hc"},
		{Label: t.T("skills.done"), Data: "mt:hx"},
	}}, "Zone", st.Profile.Zone, "Hours", orDash(nonEmpty(m.Avail)))
}

func (e *Engine) btnHoursDays(t *Turn, d string) error {
	if !slices.Contains(dayRanges, d) {
		t.SayT("error.stale_button", nil)
		return nil
	}
	t.State.mentor().Days = d
	e.askHours(t)
	return nil
}

// btnHoursWindow adds the chosen days at a time window.
func (e *Engine) btnHoursWindow(t *Turn, w string) error {
	m := t.State.mentor()
	if !slices.Contains(hourWindows, w) {
		t.SayT("error.stale_button", nil)
		return nil
	}
	text := m.Days + " " + w
	if m.Avail != "" {
		text = m.Avail + ", " + text
	}
	if a, err := matching.ParseAvailability(text); err == nil {
		m.Avail = a.String()
	}
	e.askHours(t)
	return nil
}

func (e *Engine) btnHoursClear(t *Turn, _ string) error {
	t.State.mentor().Avail = ""
	e.askHours(t)
	return nil
}

// stepHoursText reads typed availability, "mon-thu 17:00-20:00, sat
// 09:00-12:00", and adds it to what was there, as a tapped time is added
// ("Clear" empties the hours).
func (e *Engine) stepHoursText(t *Turn) error {
	text := strings.NewReplacer("–", "-", "—", "-").Replace(strings.ToLower(t.Event.Text))
	a, err := matching.ParseAvailability(text)
	if err != nil || len(a) == 0 {
		t.SayT("mentor.hours_bad", nil)
		return nil
	}
	m := t.State.mentor()
	if m.Avail != "" {
		if both, err := matching.ParseAvailability(m.Avail + ", " + a.String()); err == nil {
			a = both
		}
	}
	m.Avail = a.String()
	e.askHours(t)
	return nil
}

// btnHoursDone saves the availability and goes on: to the request the
// learner was making, or to the tutor's next section.
func (e *Engine) btnHoursDone(t *Turn, _ string) error {
	st := t.State
	m := st.mentor()
	if m.Avail == "" {
		t.SayT("mentor.hours_none", nil)
		return nil
	}
	st.Step = ""
	if d := m.Draft; d != nil && d.Hours {
		d.Hours = false
		e.saveProfiles(t)
		return e.mentorFor(t, d.Skill)
	}
	if st.Profile.Role == RoleTutor {
		return e.nextSection(t, "hours")
	}
	e.saveProfiles(t)
	t.SayT("settings.saved", nil)
	return nil
}

// weekMinutes is "6 h" style text of a number of minutes.
func weekMinutes(m int) string {
	if m <= 0 {
		return "0 min"
	}
	return matching.FormatMinutes(m)
}
