package bots

import (
	"slices"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/talentjourney/talentbot/matching"
	"github.com/talentjourney/talentbot/skills"
)

// Onboarding steps, in the order they are asked.
const (
	stepConsent    = "consent"
	stepAge        = "age"
	stepCode       = "code"
	stepLang       = "lang"
	stepRole       = "role"
	stepTutorCode  = "tutorcode"
	stepCountry    = "country"
	stepCountryTxt = "countrytext"
	stepZone       = "zone"
	stepZoneTxt    = "zonetext"
	stepSkills     = "skills"
	stepTime       = "time"
)

// Countries offered as buttons; others are typed.
var Countries = []string{"SI", "FI", "EE", "DE", "IT"}

// cmdStart begins onboarding, or points an onboarded user to /settings.
func (e *Engine) cmdStart(t *Turn) error {
	st := t.State
	if arg := strings.TrimSpace(t.Event.Args); arg != "" && st.Consent == "yes" {
		if e.redeemInvite(t, arg) {
			return nil
		}
	}
	if st.Onboarded {
		t.SayT("start.already", nil)
		return nil
	}
	st.Settings = false
	if st.Consent == "yes" {
		return e.askNext(t)
	}
	e.askConsent(t)
	return nil
}

func (e *Engine) askConsent(t *Turn) {
	t.State.Step = stepConsent
	t.SayT("consent.text", consentButtons(t), "Bot", e.cfg.BotName)
}

// askConsentAgain asks the consent question without the welcome, which
// the user has seen.
func (e *Engine) askConsentAgain(t *Turn) {
	t.State.Step = stepConsent
	t.SayT("consent.again", consentButtons(t))
}

func consentButtons(t *Turn) [][]Button {
	return [][]Button{{
		{Label: t.T("consent.yes"), Data: "consent:yes"},
		{Label: t.T("consent.no"), Data: "consent:no"},
	}}
}

func (e *Engine) btnConsent(t *Turn) error {
	st := t.State
	if st.Step != stepConsent {
		e.stale(t)
		return nil
	}
	if t.Event.Data == "consent:yes" {
		st.Consent, st.ConsentAt = "yes", t.Now
		return e.askNext(t)
	}
	// Declining keeps nothing but the refusal.
	lang := st.Profile.Lang
	*st = State{V: stateVersion, User: st.User, Platform: st.Platform, Chat: st.Chat,
		Consent: "no", ConsentAt: t.Now, Profile: Profile{Lang: lang}}
	t.SayT("consent.declined", nil)
	return nil
}

// askNext asks the first onboarding question not answered yet, or
// finishes onboarding.
func (e *Engine) askNext(t *Turn) error {
	st := t.State
	p := &st.Profile
	switch {
	case st.Step == stepCode || (st.Step == stepAge && p.Under16):
		e.askCode(t)
	case !st.answered(stepAge):
		e.askAge(t)
	case !st.answered(stepLang):
		e.askLang(t)
	case p.Role == "":
		e.askRole(t)
	case p.Country == "":
		e.askCountry(t)
	case p.Zone == "":
		e.askZone(t)
	case !st.answered(stepSkills):
		e.askSkills(t, 0)
	case !st.answered(stepTime):
		e.askTime(t)
	default:
		e.finishOnboarding(t)
	}
	return nil
}

// answered tells whether an optional step was answered; the answers are
// kept in Ask-free flags inside Profile.
func (s *State) answered(step string) bool {
	return slices.Contains(s.Done, step)
}

func (s *State) markDone(step string) {
	if !slices.Contains(s.Done, step) {
		s.Done = append(s.Done, step)
	}
}

func (e *Engine) askAge(t *Turn) {
	t.State.Step = stepAge
	t.SayT("age.ask", [][]Button{{
		{Label: t.T("age.adult"), Data: "age:adult"},
		{Label: t.T("age.minor"), Data: "age:minor"},
	}})
}

func (e *Engine) btnAge(t *Turn) error {
	st := t.State
	if t.Event.Data == "age:back" && st.Step == stepCode {
		// Chose "under 16" by mistake: the button says "I am 16 or older",
		// and it is taken as that answer.
		st.Profile.Under16 = false
		st.markDone(stepAge)
		st.Step = ""
		return e.askNext(t)
	}
	if st.Step != stepAge {
		e.stale(t)
		return nil
	}
	st.Profile.Under16 = t.Event.Data == "age:minor"
	if st.Profile.Under16 {
		e.askCode(t)
		return nil
	}
	st.markDone(stepAge)
	return e.askNext(t)
}

func (e *Engine) askCode(t *Turn) {
	t.State.Step = stepCode
	t.SayT("age.code_ask", [][]Button{{{Label: t.T("age.back"), Data: "age:back"}}})
}

func (e *Engine) stepCodeText(t *Turn) error {
	code := strings.TrimSpace(t.Event.Text)
	if !slices.Contains(e.cfg.EnrolmentCodes, code) {
		t.SayT("age.code_wrong", nil)
		return nil
	}
	t.State.markDone(stepAge)
	t.State.Step = ""
	return e.askNext(t)
}

func (e *Engine) askLang(t *Turn) {
	t.State.Step = stepLang
	var row []Button
	var rows [][]Button
	for _, l := range Languages {
		row = append(row, Button{Label: LanguageNames[l], Data: "lang:" + l})
		if len(row) == 3 {
			rows, row = append(rows, row), nil
		}
	}
	t.SayT("lang.ask", rows)
}

func (e *Engine) btnLang(t *Turn) error {
	st := t.State
	l := strings.TrimPrefix(t.Event.Data, "lang:")
	if st.Step != stepLang || !slices.Contains(Languages, l) {
		e.stale(t)
		return nil
	}
	st.Profile.Lang = l
	st.markDone(stepLang)
	return e.answered(t)
}

// answered continues after an answer: the next onboarding question, or
// back to normal after a change from /settings.
func (e *Engine) answered(t *Turn) error {
	st := t.State
	st.Step, st.Ask = "", nil
	if st.Settings {
		st.Settings = false
		t.SayT("settings.saved", nil)
		e.reindex(t)
		// The daily lesson and reminders follow the new zone, country
		// (holidays), time or quiet hours.
		e.scheduleDaily(t)
		st.ReviewPlanned, st.NudgePlanned = time.Time{}, 0
		return nil
	}
	return e.askNext(t)
}

func (e *Engine) askRole(t *Turn) {
	t.State.Step = stepRole
	t.SayT("role.ask", [][]Button{{
		{Label: t.T("role.learner"), Data: "role:learner"},
		{Label: t.T("role.tutor"), Data: "role:tutor"},
	}})
}

func (e *Engine) btnRole(t *Turn) error {
	st := t.State
	if st.Step != stepRole && st.Step != stepTutorCode {
		e.stale(t)
		return nil
	}
	if t.Event.Data == "role:tutor" && st.Profile.Under16 {
		t.SayT("role.minor", nil)
		st.Profile.Role = RoleLearner
		return e.answered(t)
	}
	if t.Event.Data == "role:tutor" {
		st.Step = stepTutorCode
		t.SayT("role.code_ask", [][]Button{{{Label: t.T("role.as_learner"), Data: "role:learner"}}})
		return nil
	}
	st.Profile.Role = RoleLearner
	return e.answered(t)
}

func (e *Engine) stepTutorCodeText(t *Turn) error {
	code := strings.TrimSpace(t.Event.Text)
	if !slices.Contains(e.cfg.TutorCodes, code) && !e.redeemInvite(t, code) {
		t.SayT("role.code_wrong", [][]Button{{{Label: t.T("role.as_learner"), Data: "role:learner"}}})
		return nil
	}
	if t.State.Profile.Role == "" {
		t.State.Profile.Role = RoleTutor
	}
	return e.answered(t)
}

func (e *Engine) askCountry(t *Turn) {
	t.State.Step = stepCountry
	var row []Button
	for _, c := range Countries {
		row = append(row, Button{Label: t.T("country." + c), Data: "country:" + c})
	}
	t.SayT("country.ask", [][]Button{row, {{Label: t.T("country.other"), Data: "country:other"}}})
}

func (e *Engine) btnCountry(t *Turn) error {
	st := t.State
	c := strings.TrimPrefix(t.Event.Data, "country:")
	// A country button answers the typed-country question too (the
	// terminal reads a typed "Slovenia" as the earlier button).
	if st.Step != stepCountry && st.Step != stepCountryTxt ||
		c != "other" && !slices.Contains(Countries, c) {
		e.stale(t)
		return nil
	}
	if c == "other" {
		st.Step = stepCountryTxt
		t.SayT("country.type_ask", nil)
		return nil
	}
	return e.setCountry(t, c)
}

func (e *Engine) stepCountryText(t *Turn) error {
	c := matching.CountryCode(t.Event.Text)
	if c == "" {
		t.SayT("country.bad", nil)
		return nil
	}
	return e.setCountry(t, c)
}

func (e *Engine) setCountry(t *Turn, c string) error {
	st := t.State
	st.Profile.Country = c
	if st.Settings {
		err := e.answered(t)
		if guess, _ := matching.ParseZone("", c); !slices.Contains(guess.Zones, st.Profile.Zone) {
			// A zone of another country: the zone is asked next, still
			// from /settings.
			st.Settings = true
			e.askZone(t)
		}
		return err
	}
	st.Step = ""
	return e.askNext(t)
}

func (e *Engine) askZone(t *Turn) {
	st := t.State
	st.Step = stepZone
	guess, _ := matching.ParseZone("", st.Profile.Country)
	var rows [][]Button
	for _, z := range guess.Zones {
		if len(rows) == 3 {
			break
		}
		rows = append(rows, []Button{{Label: zoneLabel(z, t.Now), Data: "zone:" + z}})
	}
	rows = append(rows, []Button{{Label: t.T("zone.other"), Data: "zone:other"}})
	t.SayT("zone.ask", rows)
}

func zoneLabel(zone string, now time.Time) string {
	loc, err := matching.LoadZone(zone)
	if err != nil {
		return zone
	}
	return zone + " (" + now.In(loc).Format("15:04") + ")"
}

func (e *Engine) btnZone(t *Turn) error {
	st := t.State
	z := strings.TrimPrefix(t.Event.Data, "zone:")
	fixed := strings.HasPrefix(z, "fixed:")
	z = strings.TrimPrefix(z, "fixed:")
	if st.Step != stepZone && st.Step != stepZoneTxt {
		e.stale(t)
		return nil
	}
	if z == "other" {
		st.Step = stepZoneTxt
		t.SayT("zone.type_ask", nil)
		return nil
	}
	offered := slices.Contains(st.Ask, z)
	if !offered && (st.Step == stepZone || len(st.Ask) == 0) {
		// One of the country's zones, offered with the question.
		guess, _ := matching.ParseZone("", st.Profile.Country)
		offered = slices.Contains(guess.Zones, z)
	}
	if _, err := matching.LoadZone(z); err != nil || !offered {
		e.stale(t)
		return nil
	}
	st.Profile.Zone, st.Profile.Fixed = z, fixed
	if fixed {
		t.SayT("zone.fixed_note", nil, "Zone", z)
	}
	return e.answered(t)
}

// stepZoneText reads a typed city, abbreviation or offset and asks the
// user to confirm the zone it means.
func (e *Engine) stepZoneText(t *Turn) error {
	st := t.State
	guess, err := matching.ParseZone(t.Event.Text, st.Profile.Country)
	if err != nil || len(guess.Zones) == 0 {
		t.SayT("zone.unknown", nil)
		return nil
	}
	st.Ask = guess.Zones
	if guess.Fixed {
		fixed := guess.Zones[0]
		st.Ask = []string{fixed}
		if z := suggestZone(fixed, st.Profile.Country, t.Now); z != "" {
			st.Ask = []string{z, fixed}
		}
	}
	e.askZoneChoice(t)
	return nil
}

// askZoneChoice asks the user to confirm the zones in Ask, read from what
// they typed: one or several named zones, or a fixed offset last, after
// the named zone that has its offset now.
func (e *Engine) askZoneChoice(t *Turn) {
	st := t.State
	if len(st.Ask) == 0 {
		e.askZone(t)
		return
	}
	st.Step = stepZoneTxt
	var rows [][]Button
	if n := len(st.Ask); n <= 2 && matching.IsFixedZoneName(st.Ask[n-1]) {
		fixed := st.Ask[n-1]
		keep := []Button{{Label: t.T("zone.keep_fixed", "Zone", fixed), Data: "zone:fixed:" + fixed}}
		other := []Button{{Label: t.T("zone.other"), Data: "zone:other"}}
		if n == 2 {
			z := st.Ask[0]
			rows = append(rows, []Button{{Label: zoneLabel(z, t.Now), Data: "zone:" + z}}, keep, other)
			t.SayT("zone.confirm_offset", rows, "Offset", fixed, "Zone", z)
			return
		}
		t.SayT("zone.confirm_fixed", [][]Button{keep, other}, "Zone", fixed)
		return
	}
	for _, z := range st.Ask {
		rows = append(rows, []Button{{Label: zoneLabel(z, t.Now), Data: "zone:" + z}})
	}
	rows = append(rows, []Button{{Label: t.T("zone.other"), Data: "zone:other"}})
	if len(st.Ask) > 1 {
		t.SayT("zone.ambiguous", rows)
	} else {
		t.SayT("zone.confirm", rows, "Zone", st.Ask[0])
	}
}

// suggestZone gives an IANA zone that has the fixed zone's offset now:
// one of the country's, else a well-known one.
func suggestZone(fixed, country string, now time.Time) string {
	loc, err := matching.LoadZone(fixed)
	if err != nil {
		return ""
	}
	_, want := now.In(loc).Zone()
	guess, _ := matching.ParseZone("", country)
	for _, z := range append(guess.Zones, wellKnownZones...) {
		if l, err := matching.LoadZone(z); err == nil {
			if _, off := now.In(l).Zone(); off == want {
				return z
			}
		}
	}
	return ""
}

var wellKnownZones = []string{
	"Europe/London", "Europe/Berlin", "Europe/Helsinki", "Europe/Moscow", "Asia/Dubai",
	"Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok",
	"Asia/Shanghai", "Asia/Tokyo", "Australia/Adelaide", "Australia/Sydney",
	"Pacific/Auckland", "America/Sao_Paulo", "America/New_York", "America/Chicago",
	"America/Denver", "America/Los_Angeles", "Africa/Lagos", "Africa/Nairobi",
	"America/St_Johns", "Asia/Tehran", "Asia/Kabul", "Asia/Yangon",
}

// skillsPerPage: one track per page.
func (e *Engine) askSkills(t *Turn, page int) {
	st := t.State
	st.Step = stepSkills
	tracks := skills.Tracks()
	page = (page%len(tracks) + len(tracks)) % len(tracks)
	st.Ask = []string{itoa(page)} // shown again on this page after a typed answer
	tr := tracks[page]
	var rows [][]Button
	for _, s := range skills.All() {
		if s.Track != tr.ID {
			continue
		}
		label := skills.Name(s.ID, st.lang())
		if slices.Contains(st.Profile.Skills, s.ID) {
			label = "✓ " + label
		}
		rows = append(rows, []Button{{Label: label, Data: "skill:" + s.ID}})
	}
	rows = append(rows, []Button{
		{Label: "◀", Data: "skp:" + itoa(page-1)},
		{Label: t.T("skills.done"), Data: "skills:done"},
		{Label: "▶", Data: "skp:" + itoa(page+1)},
	})
	ask := "skills.ask"
	if st.Profile.Role == RoleTutor {
		ask = "skills.ask_tutor"
	}
	t.SayT(ask, rows, "Track", skills.TrackName(tr.ID, st.lang()),
		"Page", page+1, "Pages", len(tracks), "Chosen", len(st.Profile.Skills))
}

func (e *Engine) btnSkill(t *Turn) error {
	st := t.State
	if st.Step != stepSkills {
		e.stale(t)
		return nil
	}
	d := t.Event.Data
	switch {
	case d == "skills:done":
		if len(st.Profile.Skills) == 0 {
			t.SayT("skills.none_chosen", nil)
			e.askSkills(t, 0) // the buttons again, below the reminder
			return nil
		}
		st.markDone(stepSkills)
		return e.answered(t)
	case strings.HasPrefix(d, "skp:"):
		e.askSkills(t, atoi(strings.TrimPrefix(d, "skp:")))
		return nil
	}
	id := strings.TrimPrefix(d, "skill:")
	s, ok := skills.ByID(id)
	if !ok {
		e.stale(t)
		return nil
	}
	if i := slices.Index(st.Profile.Skills, id); i >= 0 {
		st.Profile.Skills = slices.Delete(st.Profile.Skills, i, i+1)
	} else {
		st.Profile.Skills = append(st.Profile.Skills, id)
	}
	e.askSkills(t, trackIndex(s.Track))
	return nil
}

func trackIndex(id string) int {
	for i, tr := range skills.Tracks() {
		if tr.ID == id {
			return i
		}
	}
	return 0
}

var lessonTimes = []string{"07:00", "12:00", "18:00", "20:00"}

func (e *Engine) askTime(t *Turn) {
	t.State.Step = stepTime
	var row []Button
	for _, hm := range lessonTimes {
		row = append(row, Button{Label: hm, Data: "time:" + hm})
	}
	t.SayT("time.ask", [][]Button{row, {{Label: t.T("time.none"), Data: "time:none"}}})
}

func (e *Engine) btnTime(t *Turn) error {
	if t.State.Step != stepTime {
		e.stale(t)
		return nil
	}
	v := strings.TrimPrefix(t.Event.Data, "time:")
	if v != "none" && !slices.Contains(lessonTimes, v) {
		e.stale(t)
		return nil
	}
	return e.setTime(t, v)
}

func (e *Engine) stepTimeText(t *Turn) error {
	if offWords[strings.ToLower(strings.TrimSpace(t.Event.Text))] {
		return e.setTime(t, "none") // "none", "keine": no daily lesson
	}
	hm, ok := parseHM(t.Event.Text)
	if !ok {
		t.SayT("time.bad", nil)
		return nil
	}
	return e.setTime(t, hm)
}

func (e *Engine) setTime(t *Turn, hm string) error {
	st := t.State
	if hm == "none" {
		hm = ""
	}
	st.Profile.LessonTime = hm
	st.markDone(stepTime)
	e.scheduleDaily(t)
	return e.answered(t)
}

// parseHM reads "18:00", "18.30", "7:05" or "18" as "HH:MM".
// parseHM reads a time of day as people type it: "17:30", "17.30", "17",
// "5pm", "5:30 pm", "12 am"; full-width digits count as digits.
func parseHM(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(width.Narrow.String(s)))
	s = strings.ReplaceAll(s, ".", ":")
	half := ""
	for _, suffix := range []string{"am", "pm", "a:m:", "p:m:"} {
		if rest, ok := strings.CutSuffix(s, suffix); ok {
			s, half = strings.TrimSpace(rest), suffix[:1]
			break
		}
	}
	h, m, found := strings.Cut(s, ":")
	if !found {
		m = "00"
	}
	hh, mm := atoi(h), atoi(m)
	if half != "" {
		if hh < 1 || hh > 12 {
			return "", false
		}
		hh %= 12
		if half == "p" {
			hh += 12
		}
	}
	if hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(h) > 2 || len(m) != 2 {
		return "", false
	}
	return twoDigits(hh) + ":" + twoDigits(mm), true
}

func (e *Engine) finishOnboarding(t *Turn) {
	st := t.State
	st.Step, st.Onboarded = "", true
	e.reindex(t)
	p := st.Profile
	when := p.LessonTime
	if when == "" {
		when = t.T("time.off")
	}
	t.SayT("onboard.done", nil, "Role", t.T("role."+p.Role), "Country", t.countryName(p.Country),
		"Zone", p.Zone, "Skills", skillNames(p.Skills, st.lang()), "Time", when)
	e.mentorOnboarded(t)
}

// skillNames lists skills by name in lang.
func skillNames(ids []string, lang string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = skills.Name(id, lang)
	}
	return strings.Join(names, ", ")
}
