package bots

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// maxInput is the longest text the engine reads; longer text is refused
// politely.
const maxInput = 4000

// handle runs one event through the router and returns the messages to
// send. It never panics.
func (e *Engine) handle(ctx context.Context, st *State, ev Event) []Message {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.HandleTimeout)
	defer cancel()
	t := &Turn{Ctx: ctx, Event: ev, State: st, Now: e.cfg.Clock(), e: e}
	h := Handler(HandlerFunc(e.route))
	for i := len(e.router.mw) - 1; i >= 0; i-- {
		h = e.router.mw[i](h)
	}
	err := h.Handle(t)
	if err == nil && ev.Kind != KindOpen {
		e.planReminders(t)
	}
	if err != nil {
		e.log.Error("bots: handling failed", "platform", ev.Platform, "learner_id", st.User,
			"err", err)
		t.out = nil
		t.SayT("error.internal", nil)
	}
	if e.cfg.OnHandled != nil {
		e.cfg.OnHandled(ev)
	}
	return t.out
}

// route picks the handler for the turn.
func (e *Engine) route(t *Turn) error {
	ev, st := t.Event, t.State
	if ev.Platform == Internal {
		return e.handleInternal(t)
	}
	if ev.Kind == KindOpen {
		return e.reopen(t)
	}
	if st.Deleted {
		// A new event after deletion starts a new user.
		*st = *newState(st.User)
	}
	e.touch(t)
	switch ev.Kind {
	case KindBlocked:
		return e.blocked(t)
	case KindCommand:
		return e.routeCommand(t)
	case KindButton, KindPollAnswer:
		return e.routeButton(t)
	case KindText:
		return e.routeText(t)
	}
	return nil
}

// touch records that the user is here and reachable again.
func (e *Engine) touch(t *Turn) {
	st, ev := t.State, t.Event
	if st.Created.IsZero() {
		st.Created = t.Now
	}
	st.LastSeen = t.Now
	if ev.Kind == KindBlocked {
		return
	}
	if !ev.Group && ev.Chat != "" {
		st.Platform, st.Chat = ev.Platform, ev.Chat
	} else if st.Platform == "" {
		st.Platform = ev.Platform
	}
	if ev.Name != "" {
		st.Name = ev.Name
	}
	if ev.Handle != "" {
		st.Handle = ev.Handle
	}
	if st.Inactive {
		st.Inactive = false
		t.Effect(Effect{Kind: EffectResumeJobs})
		e.mentorPaused(t)
		e.reindex(t)
	}
	if st.Profile.Lang == "" && st.Step == "" && st.Consent == "" {
		st.Profile.Lang = baseLang(ev.Locale)
	}
}

func (e *Engine) routeCommand(t *Turn) error {
	name := strings.ToLower(t.Event.Command)
	c, ok := e.router.commands[name]
	if !ok {
		t.SayT("error.unknown_command", nil)
		return nil
	}
	if t.State.Consent != "yes" && !c.BeforeConsent {
		t.SayT("consent.first", nil)
		return nil
	}
	if st := t.State; !st.Onboarded && !c.BeforeConsent && e.role(st) != RoleCoordinator {
		// Lessons, settings, mentoring and the rest need the set-up's
		// answers.
		if st.Step == "" {
			t.SayT("lesson.need_start", nil)
			return nil
		}
		t.SayT("lesson.finish_setup", nil)
		return e.reopen(t)
	}
	if !c.allows(e.role(t.State)) {
		t.SayT("error.not_allowed", nil)
		return nil
	}
	// A command abandons a half-typed answer (a /msg text, a note, a
	// change from /settings): only a set-up question stays open, so that
	// the set-up can be finished later.
	switch st := t.State; {
	case seeAlso[name]:
		// Answered, then the open question is asked again (below).
	case st.Step == stepDelete:
		closeDelete(st) // back to the set-up question it interrupted
		t.abandoned = true
	case st.Step != "" && (!onboardingSteps[st.Step] || st.Settings):
		st.Step, st.Ask, st.Settings = "", nil, false
		t.abandoned = true
	}
	if err := c.h.Handle(t); err != nil {
		return err
	}
	st := t.State
	if seeAlso[name] && !st.Deleted && (st.Step != "" || st.Mentor != nil && st.Mentor.Setup) {
		return e.reopen(t) // the open question, below the answer
	}
	return nil
}

// seeAlso are the commands that answer without changing anything; the
// open question (of the set-up, /settings, mentoring) is asked again after
// them.
var seeAlso = map[string]bool{"help": true, "privacy": true, "export": true}

var onboardingSteps = map[string]bool{
	stepConsent: true, stepAge: true, stepCode: true, stepLang: true, stepRole: true,
	stepTutorCode: true, stepCountry: true, stepCountryTxt: true, stepZone: true,
	stepZoneTxt: true, stepSkills: true, stepTime: true,
}

func (e *Engine) routeButton(t *Turn) error {
	prefix := payloadPrefix(t.Event.Data)
	h, ok := e.router.buttons[prefix]
	if !ok {
		t.SayT("error.stale_button", nil)
		return nil
	}
	// A button of another message leaves the open menu or /delete question.
	switch st := t.State; {
	case st.Step == stepSettings && prefix != "set":
		st.Step = ""
	case st.Step == stepDelete && prefix != "del":
		closeDelete(st)
	case st.Step == stepMentorCap && prefix != "mt":
		st.Step = ""
	}
	return h.Handle(t)
}

func (e *Engine) routeText(t *Turn) error {
	text := strings.TrimSpace(t.Event.Text)
	if !utf8.ValidString(text) || utf8.RuneCountInString(text) > maxInput {
		t.SayT("error.too_long", nil)
		if st := t.State; !st.Onboarded && st.Step != "" {
			return e.reopen(t)
		}
		return nil
	}
	t.Event.Text = cleanText(text)
	if h, ok := e.router.steps[t.State.Step]; ok && t.State.Step != "" {
		return h.Handle(t)
	}
	if t.State.Consent != "yes" {
		return e.cmdStart(t)
	}
	if l, ok := e.cfg.Lessons.Lesson(t.State.Lesson); ok && t.State.Lesson != "" {
		// A quiz is open: show its question again.
		t.SayT("error.use_buttons", nil)
		e.sendQuestion(t, l, firstOpen(&t.State.Progress, l))
		return nil
	}
	if strings.TrimSpace(t.Event.Text) == "" {
		// Only control or invisible characters.
		t.SayT("error.empty", nil)
		return nil
	}
	quote := []rune(t.Event.Text)
	if len(quote) > 200 {
		quote = append(quote[:200], '…')
	}
	if t.State.Name != "" {
		t.SayT("error.not_understood_named", nil, "Name", t.State.Name, "Text", string(quote))
		return nil
	}
	t.SayT("error.not_understood", nil, "Text", string(quote))
	return nil
}

// cleanText drops control characters (except line breaks), direction
// marks and invisible spaces from typed text.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x200e || r == 0x200f ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200b || r == 0x2060 || r == 0xfeff {
			return -1
		}
		return r
	}, s)
}

// baseLang maps a platform locale hint to an interface language, or "".
func baseLang(locale string) string {
	l := strings.ToLower(locale)
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	for _, x := range Languages {
		if x == l {
			return l
		}
	}
	return ""
}

// role is the user's role: a configured coordinator is one whatever the
// stored profile says.
func (e *Engine) role(st *State) string {
	for _, c := range e.cfg.Coordinators {
		if c == st.User {
			return RoleCoordinator
		}
	}
	if st.Profile.Role == "" {
		return RoleLearner
	}
	return st.Profile.Role
}

// blocked marks a user who blocked the bot inactive and pauses reminders.
func (e *Engine) blocked(t *Turn) error {
	if !t.State.Inactive {
		t.State.Inactive = true
		t.Effect(Effect{Kind: EffectPauseJobs})
		e.mentorPaused(t)
		e.reindex(t)
	}
	return nil
}

// localTime formats an instant in the user's zone, in a form that reads
// the same in every language.
func localTime(st *State, at time.Time) string {
	return at.In(st.location()).Format("2006-01-02 15:04 (MST)")
}
