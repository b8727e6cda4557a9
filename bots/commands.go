package bots

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/talentjourney/talentbot/scheduler"
)

// newRouter registers every command, button and dialogue step.
func newRouter(e *Engine) *Router {
	r := &Router{commands: map[string]*Command{}, buttons: map[string]Handler{},
		steps: map[string]Handler{}}
	r.mw = []Middleware{recoverMiddleware(e.log), logMiddleware(e)}

	all := Command{}
	cmd := func(name string, h HandlerFunc, roles ...string) {
		c := all
		c.Name, c.Roles = name, roles
		r.command(c, h)
	}
	r.command(Command{Name: "start", BeforeConsent: true}, e.cmdStart)
	cmd("lesson", e.cmdLesson)
	cmd("review", e.cmdReview)
	cmd("progress", e.cmdProgress)
	cmd("settings", e.cmdSettings)
	cmd("pause", e.cmdPause)
	cmd("resume", e.cmdResume)
	r.command(Command{Name: "help", BeforeConsent: true}, e.cmdHelp)
	r.command(Command{Name: "privacy", BeforeConsent: true}, e.cmdPrivacy)
	// Before consent too: a refusal is stored, and may be seen.
	r.command(Command{Name: "export", BeforeConsent: true}, e.cmdExport)
	r.command(Command{Name: "delete", BeforeConsent: true}, e.cmdDelete)
	r.command(Command{Name: "cancel", BeforeConsent: true}, e.cmdCancel)

	r.button("consent", e.btnConsent)
	r.button("age", e.btnAge)
	r.button("lang", e.btnLang)
	r.button("role", e.btnRole)
	r.button("country", e.btnCountry)
	r.button("zone", e.btnZone)
	r.button("skill", e.btnSkill)
	r.button("skills", e.btnSkill)
	r.button("skp", e.btnSkill)
	r.button("time", e.btnTime)
	r.button("set", e.btnSettings)
	r.button("del", e.btnDelete)
	r.button("q", e.btnQuiz)
	r.button("rv", e.btnReview)
	r.button("next", e.btnNext)

	e.registerMentoring(r)
	e.registerCoordinator(r)

	r.step(stepCode, e.stepCodeText)
	r.step(stepTutorCode, e.stepTutorCodeText)
	r.step(stepCountryTxt, e.stepCountryText)
	r.step(stepZoneTxt, e.stepZoneText)
	r.step(stepTime, e.stepTimeText)
	r.step(stepQuiet, e.stepQuietText)
	// A typed country or zone answers the question with buttons as well
	// ("EST" at the time-zone question).
	r.step(stepCountry, e.stepCountryText)
	r.step(stepZone, e.stepZoneText)
	for _, s := range []string{stepConsent, stepAge, stepLang, stepRole,
		stepSkills, stepDelete, stepSettings} {
		r.step(s, e.stepUseButtons)
	}
	return r
}

// Commands lists the engine's commands for a role ("" for all), for
// platform command menus.
func (e *Engine) Commands(role string) []Command { return e.router.Commands(role) }

// CommandDescription is the description of command name in lang.
func (e *Engine) CommandDescription(name, lang string) string {
	return e.i18n.text(lang, "cmd."+name, -1)
}

// stepUseButtons answers typed text where a button is expected.
// It asks the question again, with its buttons: after a restart the chat
// may no longer show them.
func (e *Engine) stepUseButtons(t *Turn) error {
	t.SayT("error.use_buttons", nil)
	e.askAgain(t)
	return nil
}

// reopen answers KindOpen: the open onboarding question or quiz question
// again, with its buttons; nothing when none is open.
func (e *Engine) reopen(t *Turn) error {
	st := t.State
	if st.Deleted || st.Consent == "no" {
		return nil
	}
	switch st.Step {
	case stepZoneTxt:
		if len(st.Ask) > 0 {
			e.askZoneChoice(t) // the zones read from the typed city
		} else {
			t.SayT("zone.type_ask", nil)
		}
		return nil
	case stepCountryTxt:
		t.SayT("country.type_ask", nil)
		return nil
	case stepTutorCode:
		t.SayT("role.code_ask", [][]Button{{{Label: t.T("role.as_learner"), Data: "role:learner"}}})
		return nil
	case stepQuiet:
		e.askQuiet(t)
		return nil
	case stepTime:
		e.askTime(t)
		return nil
	case stepCode:
		e.askCode(t)
		return nil
	case "":
	default:
		if shown, err := e.reopenMentoring(t); shown || err != nil {
			return err
		}
		e.askAgain(t)
		return nil
	}
	if shown, err := e.reopenMentoring(t); shown || err != nil {
		return err
	}
	if l, ok := e.cfg.Lessons.Lesson(st.Lesson); ok && st.Lesson != "" {
		e.sendQuestion(t, l, firstOpen(&st.Progress, l))
	}
	return nil
}

// stale answers a button that is no longer active. During the set-up or a
// change from /settings the open question follows: another chat of the
// same user may have moved on.
func (e *Engine) stale(t *Turn) {
	t.SayT("error.stale_button", nil)
	if st := t.State; st.Step != "" && (!st.Onboarded || st.Settings) {
		_ = e.reopen(t)
	}
}

// askAgain repeats the open question that is answered with buttons.
func (e *Engine) askAgain(t *Turn) {
	switch t.State.Step {
	case stepConsent:
		e.askConsentAgain(t)
	case stepAge:
		e.askAge(t)
	case stepLang:
		e.askLang(t)
	case stepRole:
		e.askRole(t)
	case stepCountry:
		e.askCountry(t)
	case stepZone:
		e.askZone(t)
	case stepSkills:
		page := 0
		if len(t.State.Ask) == 1 {
			page = atoi(t.State.Ask[0])
		}
		e.askSkills(t, page)
	case stepDelete:
		e.askDelete(t)
	case stepSettings:
		e.cmdSettings(t)
	}
}

func (e *Engine) cmdHelp(t *Turn) error {
	var b strings.Builder
	b.WriteString(t.T("help.title"))
	for _, c := range e.router.Commands(e.role(t.State)) {
		b.WriteString("\n/" + c.Name + " — " + t.T("cmd."+c.Name))
	}
	t.Say(Text{{Text: b.String()}})
	return nil
}

func (e *Engine) cmdCancel(t *Turn) error {
	st := t.State
	if t.abandoned {
		t.SayT("cancel.done", nil)
		if st.Step != "" {
			return e.reopen(t) // the set-up question /delete interrupted
		}
		return nil
	}
	if st.Step != "" && !st.Onboarded {
		// The set-up cannot be cancelled half way; /delete removes it.
		t.SayT("cancel.setup", nil)
		return e.reopen(t)
	}
	if st.Lesson != "" {
		t.SayT("cancel.quiz", nil)
		return nil
	}
	t.SayT("cancel.nothing", nil)
	return nil
}

// stepSettings is the open /settings menu: typed text shows it again.
const stepSettings = "settings"

func (e *Engine) cmdSettings(t *Turn) error {
	st := t.State
	if !st.Onboarded {
		return e.askNext(t)
	}
	st.Step, st.Ask, st.Settings = stepSettings, nil, false
	p := st.Profile
	rows := [][]Button{
		{{Label: t.T("settings.lang") + ": " + LanguageNames[t.State.lang()], Data: "set:lang"}},
		{{Label: t.T("settings.country") + ": " + t.countryName(p.Country), Data: "set:country"}},
		{{Label: t.T("settings.zone") + ": " + p.Zone, Data: "set:zone"}},
		{{Label: t.T("settings.skills"), Data: "set:skills"},
			{Label: t.T("settings.time") + ": " + orNone(t, p.LessonTime), Data: "set:time"}},
		{{Label: t.T("settings.quiet") + ": " + quietText(p.Quiet), Data: "set:quiet"}},
	}
	t.SayT("settings.ask", rows)
	return nil
}

func orNone(t *Turn, s string) string {
	if s == "" {
		return t.T("time.off")
	}
	return s
}

func (e *Engine) btnSettings(t *Turn) error {
	st := t.State
	if !st.Onboarded {
		t.SayT("error.stale_button", nil)
		return nil
	}
	if st.Step != stepSettings {
		// The menu was closed: by /cancel, another command, or a choice.
		t.SayT("settings.closed", nil)
		return nil
	}
	st.Settings = true
	switch strings.TrimPrefix(t.Event.Data, "set:") {
	case "lang":
		e.askLang(t)
	case "country":
		e.askCountry(t)
	case "zone":
		e.askZone(t)
	case "skills":
		e.askSkills(t, 0)
	case "time":
		e.askTime(t)
	case "quiet":
		e.askQuiet(t)
	default:
		st.Settings = false
		if st.Step == stepSettings {
			st.Step = ""
		}
		t.SayT("error.stale_button", nil)
	}
	return nil
}

func (e *Engine) cmdPause(t *Turn) error {
	if t.State.Paused {
		t.SayT("pause.already", nil)
		return nil
	}
	// Lessons and reminders are dropped while paused (handleJob); the
	// jobs stay, so that mentoring deadlines keep running.
	t.State.Paused = true
	e.mentorPaused(t)
	t.SayT("pause.done", nil)
	return nil
}

func (e *Engine) cmdResume(t *Turn) error {
	if !t.State.Paused {
		t.SayT("resume.not_paused", nil)
		return nil
	}
	t.State.Paused = false
	e.mentorPaused(t)
	t.SayT("resume.done", nil)
	return nil
}

func (e *Engine) cmdPrivacy(t *Turn) error {
	t.SayT("privacy.text", nil)
	return nil
}

// cmdExport sends everything the bot holds about the user as JSON.
func (e *Engine) cmdExport(t *Turn) error {
	view := *t.State
	view.Effects = nil
	b, err := json.MarshalIndent(&view, "", "  ")
	if err != nil {
		return err
	}
	t.Send(Message{Text: Text{{Text: t.T("export.title") + "\n"}, {Text: string(b), Style: Code}},
		Private: true})
	return nil
}

// stepDelete is the open question of /delete: until it is answered, typed
// text asks it again rather than reaching an older question.
const stepDelete = "delete"

func (e *Engine) cmdDelete(t *Turn) error {
	st := t.State
	if st.Consent == "" && !st.Onboarded {
		// Someone who never agreed has nothing stored but the place in the
		// consent question: no need to ask.
		e.deleteUser(t, "delete.nothing")
		return nil
	}
	// An open onboarding question is asked again once the user keeps
	// their data (closeDelete).
	if onboardingSteps[st.Step] {
		st.Resume = st.Step
	}
	st.Step = stepDelete
	e.askDelete(t)
	return nil
}

// closeDelete ends the /delete question: the onboarding question it
// interrupted, if any, is open again (its data in Ask is kept).
func closeDelete(st *State) {
	st.Step, st.Resume = st.Resume, ""
}

func (e *Engine) askDelete(t *Turn) {
	t.SayT("delete.ask", [][]Button{{
		{Label: t.T("delete.yes"), Data: "del:yes"},
		{Label: t.T("delete.no"), Data: "del:no"},
	}})
}

// btnDelete removes the user after confirmation: the state becomes a
// tombstone whose effects clear the shared keys, then the user's own keys
// go; only the goodbye message stays, until it is sent.
func (e *Engine) btnDelete(t *Turn) error {
	st := t.State
	if st.Step != stepDelete {
		// The question was answered or left: a "Yes" pressed later must
		// not delete anything.
		t.SayT("error.stale_button", nil)
		return nil
	}
	if t.Event.Data != "del:yes" {
		closeDelete(st)
		t.SayT("delete.kept", nil)
		if st.Step != "" {
			return e.reopen(t) // the interrupted set-up question
		}
		return nil
	}
	e.deleteUser(t, "delete.done")
	return nil
}

// deleteUser makes the user's state a tombstone whose effects clear the
// shared keys, and says goodbye with the text of key (none when "").
func (e *Engine) deleteUser(t *Turn, key string) {
	st := t.State
	lang := st.lang()
	user, platform, chat := st.User, st.Platform, st.Chat
	if t.Event.Chat != "" && !t.Event.Group {
		platform, chat = t.Event.Platform, t.Event.Chat
	}
	seq := st.Seq
	*st = State{V: stateVersion, User: user, Deleted: true, Seq: seq}
	t.Effect(Effect{Kind: EffectForget})
	if key != "" {
		bye := e.i18n.text(lang, key, -1)
		t.Send(Message{Platform: platform, Chat: chat, Text: Text{{Text: bye}}})
	}
}

// stepQuiet asks for the user's quiet hours, when reminders wait.
const stepQuiet = "quiet"

// askQuiet asks for the quiet hours, showing the present ones.
func (e *Engine) askQuiet(t *Turn) {
	t.State.Step = stepQuiet
	t.SayT("quiet.ask", nil, "Quiet", quietText(t.State.Profile.Quiet))
}

// offWords turn quiet hours off, in the bot's languages.
var offWords = map[string]bool{"off": true, "none": true, "aus": true, "keine": true,
	"välja": true, "väljas": true, "pois": true, "ei": true, "spento": true, "nessuna": true,
	"izklop": true, "izklopi": true, "ne": true, "no": true}

// quietInput reads typed quiet hours as ParseQuiet wants them: "off" for
// any word meaning off, and "22:00-07:30" also when written "22:00 – 07:30".
func quietInput(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if offWords[s] {
		return "off"
	}
	s = strings.NewReplacer("–", "-", "—", "-", " ", "").Replace(s)
	return strings.ReplaceAll(s, ".", ":")
}

// quietText shows quiet hours, the default when none were chosen.
func quietText(q string) string {
	if q == "" {
		return scheduler.DefaultQuiet.String()
	}
	return q
}

// stepQuietText reads quiet hours such as "22:00-07:30" or "off".
func (e *Engine) stepQuietText(t *Turn) error {
	text := quietInput(t.Event.Text)
	q, err := scheduler.ParseQuiet(text)
	// Hours that end when they start are refused, not taken as "off".
	if err != nil || q == scheduler.NoQuiet && text != "off" {
		t.SayT("quiet.bad", nil)
		return nil
	}
	t.State.Profile.Quiet = q.String()
	t.State.ReviewPlanned = time.Time{} // plan the review reminder again
	return e.answered(t)
}
