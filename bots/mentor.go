package bots

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/talentjourney/talentbot/matching"
	"github.com/talentjourney/talentbot/skills"
)

// Mentoring dialogue: tutor profiles (mentor_tutor.go), requests that move
// on by themselves (mentor_request.go), and mentorships with meetings,
// messages and reports (mentor_meet.go).
//
// Request and mentorship changes (matching.Requests) are made directly in
// the handler: each is one guarded step in Redis that a repeated turn
// (a commit that failed) finds already done and answers again. Profile
// saves and scheduler jobs are EffectMentor effects applied after the
// commit; they read the current truth when applied, so applying twice
// does no harm. Other users learn of a change through EffectNotify
// internal events with stable ids ("mt:<op>" data, arguments in Args).
//
// No id names a user: request and mentorship ids are opaque (see
// matching.Requests), and event and job ids are built from them and the
// side ("t" tutor, "l" learner), never from user keys, so that /delete
// leaves nothing that points back at the user.

// Mentor is the mentoring part of a user's State.
type Mentor struct {
	// Skills (id -> level 1..3), Langs, Capacity and Paused are the tutor
	// profile being edited; it is saved to matching.Profiles on change.
	Skills   map[string]int `json:"skills,omitempty"`
	Langs    []string       `json:"langs,omitempty"`
	Capacity int            `json:"cap,omitempty"`
	Paused   bool           `json:"paused,omitempty"`
	// Avail is the weekly availability in the user's zone, in the text
	// form of matching.Availability ("mon-thu 17:00-20:00").
	Avail string `json:"avail,omitempty"`
	// Days is the day range chosen in the hours editor ("mon-fri").
	Days string `json:"days,omitempty"`
	// Setup is true while a new tutor goes through the profile sections;
	// Section is the one open (shown again when the chat is reopened).
	Setup   bool   `json:"setup,omitempty"`
	Section string `json:"sec,omitempty"`
	// Draft is the request the learner is making.
	Draft *Draft `json:"draft,omitempty"`
	// Offers are requests offered to this tutor: request id -> the
	// learner's name.
	Offers map[string]string `json:"offers,omitempty"`
	// Links are the user's running mentorships.
	Links []Link `json:"links,omitempty"`
}

// Draft is a mentoring request being made: the skill, the ranked tutors
// shown, and when the ranking was made.
type Draft struct {
	Skill string    `json:"skill"`
	Cands []string  `json:"cands,omitempty"`
	Pick  int       `json:"pick"`
	At    time.Time `json:"at"`
	// Hours is true while the learner is asked their availability first.
	Hours bool `json:"hours,omitempty"`
}

// Link is one running mentorship as one side sees it.
type Link struct {
	ID    string `json:"id"`
	With  string `json:"with"`
	Name  string `json:"name,omitempty"`
	Skill string `json:"skill"`
	// Tutor is true when this user is the tutor.
	Tutor bool `json:"tutor,omitempty"`
	// Room is the meeting room id of the link's meeting URL.
	Room string `json:"room,omitempty"`
	// Share: this user agreed to exchange contacts; Asked: the other did.
	Share bool `json:"share,omitempty"`
	Asked bool `json:"asked,omitempty"`
}

// Dialogue steps of mentoring.
const (
	stepMentorNote   = "mentornote"
	stepMentorHours  = "mentorhours"
	stepMentorMsg    = "mentormsg"
	stepMentorReport = "mentorreport"
	stepMentorAsk    = "mentorask"
	stepMentorAnswer = "mentoranswer"
	stepMentorCap    = "mentorcap"
)

// mentoring holds the matching stores and the in-process tutor index.
type mentoring struct {
	profiles *matching.Profiles
	requests *matching.Requests
	index    *matching.Index
	mu       sync.Mutex
}

// registerMentoring adds the mentoring commands, buttons and steps.
func (e *Engine) registerMentoring(r *Router) {
	p := matching.NewProfiles(e.st)
	e.ment = &mentoring{profiles: p, requests: matching.NewRequests(e.st, p, matching.RequestConfig{}),
		index: matching.NewIndex(matching.DefaultWeights())}
	e.AddForgetter(e.forgetMentoring)

	r.command(Command{Name: "mentor"}, e.cmdMentor)
	r.command(Command{Name: "tutor", Roles: []string{RoleTutor, RoleCoordinator}}, e.cmdTutor)
	r.command(Command{Name: "msg"}, e.cmdMsg)
	r.command(Command{Name: "meetings"}, e.cmdMeetings)
	r.command(Command{Name: "end"}, e.cmdEnd)
	r.command(Command{Name: "report"}, e.cmdReport)
	r.button("mt", e.btnMentor)
	r.step(stepMentorNote, e.stepNoteText)
	r.step(stepMentorHours, e.stepHoursText)
	r.step(stepMentorMsg, e.stepMsgText)
	r.step(stepMentorReport, e.stepReportText)
	r.step(stepMentorAsk, e.stepAskText)
	r.step(stepMentorAnswer, e.stepAnswerText)
	r.step(stepMentorCap, e.stepCapacityText)
}

// mentor returns the user's mentoring state, creating it.
func (s *State) mentor() *Mentor {
	if s.Mentor == nil {
		s.Mentor = &Mentor{}
	}
	return s.Mentor
}

// btnMentor dispatches "mt:<op>:<arg>" buttons.
func (e *Engine) btnMentor(t *Turn) error {
	rest := strings.TrimPrefix(t.Event.Data, "mt:")
	op, arg, _ := strings.Cut(rest, ":")
	if !t.State.Onboarded {
		t.SayT("error.stale_button", nil)
		return nil
	}
	if h, ok := mentorButtons[op]; ok {
		return h(e, t, arg)
	}
	t.SayT("error.stale_button", nil)
	return nil
}

var mentorButtons map[string]func(e *Engine, t *Turn, arg string) error

func init() {
	mentorButtons = map[string]func(e *Engine, t *Turn, arg string) error{
		// tutor profile
		"te": (*Engine).btnTutorSection, "tl": (*Engine).btnTutorLevel,
		"tp": (*Engine).btnTutorPage, "tg": (*Engine).btnTutorLang,
		"tc": (*Engine).btnTutorCapacity, "tz": (*Engine).btnTutorPause,
		// hours
		"hd": (*Engine).btnHoursDays, "hw": (*Engine).btnHoursWindow,
		"hc": (*Engine).btnHoursClear, "hx": (*Engine).btnHoursDone,
		// requests
		"k": (*Engine).btnMentorSkill, "p": (*Engine).btnMentorPick, "n": (*Engine).btnNoteSkip,
		"w": (*Engine).btnWithdraw, "a": (*Engine).btnAccept, "d": (*Engine).btnDecline,
		"q": (*Engine).btnAsk, "r": (*Engine).btnAnswer,
		// mentorships
		"m": (*Engine).btnMsgTo, "s": (*Engine).btnShare, "mv": (*Engine).btnMove,
		"mc": (*Engine).btnMeetCancel, "ms": (*Engine).btnMeetSet, "e": (*Engine).btnEnd,
		"ey": (*Engine).btnEndYes, "x": (*Engine).btnKept,
	}
}

func (e *Engine) btnKept(t *Turn, _ string) error {
	t.SayT("mentor.kept", nil)
	return nil
}

// handleMentorJob handles the mentoring jobs and internal events; false
// when the event is none of them.
func (e *Engine) handleMentorJob(t *Turn) (bool, error) {
	data := strings.TrimSuffix(t.Event.Data, ":late")
	kind, arg, _ := strings.Cut(data, ":")
	if st := t.State; kind == "mt" && (st.Deleted || !st.Onboarded && st.Profile.Role == "" && st.Seq == 0) {
		// For a user who was deleted (or never was): an effect of the
		// other side applied again must not bring their state back.
		st.Deleted = true
		return true, nil
	}
	switch kind {
	case "rq":
		return true, e.jobRemind(t, arg)
	case "rx":
		return true, e.jobDeadline(t, arg)
	case "mm":
		return true, e.jobMeeting(t, arg)
	case "mt":
		return true, e.mentorEvent(t, arg)
	}
	return false, nil
}

// mentorEvent handles an internal event another user's turn sent.
func (e *Engine) mentorEvent(t *Turn, op string) error {
	args := t.Event.Args
	// Each event names its mentorship or request first; the messages it
	// sends are about that one (taken back if the other person leaves).
	t.about, _, _ = strings.Cut(args, "\n")
	switch op {
	case "offer":
		return e.evOffer(t, args)
	case "moved":
		return e.evMoved(t, args)
	case "gone":
		return e.evGone(t, args)
	case "acc":
		return e.evAccepted(t, args)
	case "ask":
		return e.evAsk(t, args)
	case "answer":
		return e.evAnswer(t, args)
	case "msg":
		return e.evMsg(t, args)
	case "share":
		return e.evShare(t, args)
	case "handle":
		return e.evHandle(t, args)
	case "meet":
		return e.evMeet(t, args)
	case "end":
		return e.evEnd(t, args)
	case "report":
		return e.evReport(t, args)
	}
	return nil
}

// notify sends an internal event "mt:<op>" to another user; id makes it
// have its effect once.
func (t *Turn) notify(to, id, op string, args ...string) {
	t.Effect(Effect{Kind: EffectNotify, ID: "mt:" + op + ":" + id, Target: to, Data: "mt:" + op,
		Args: strings.Join(args, "\n")})
}

// mentorEffect records an EffectMentor: op is "tutor", "learner", "req"
// (request jobs of id) or "meet" (meeting reminders of mentorship id).
func (t *Turn) mentorEffect(op, id string) {
	t.Effect(Effect{Kind: EffectMentor, Data: op, Args: id})
}

// applyMentorEffect applies an EffectMentor.
func (e *Engine) applyMentorEffect(ctx context.Context, st *State, ef Effect) error {
	switch ef.Data {
	case "tutor":
		tu, ok := tutorProfile(st)
		if !ok {
			return nil
		}
		return e.ment.profiles.SaveTutor(ctx, tu)
	case "learner":
		l, ok := learnerProfile(st)
		if !ok {
			return nil
		}
		return e.ment.profiles.SaveLearner(ctx, l)
	case "req":
		return e.syncRequestJobs(ctx, ef.Args)
	case "meet":
		return e.syncMeetingJobs(ctx, st, ef.Args)
	}
	return nil
}

// tutorProfile is the matching profile of a tutor's state; false when it
// cannot be saved yet.
func tutorProfile(st *State) (matching.Tutor, bool) {
	m := st.Mentor
	if m == nil || st.Profile.Role != RoleTutor {
		return matching.Tutor{}, false
	}
	a, _ := matching.ParseAvailability(m.Avail)
	tu := matching.Tutor{User: st.User, Skills: m.Skills, Languages: m.Langs,
		Country: st.Profile.Country, Zone: st.Profile.Zone, Availability: a, Capacity: m.Capacity,
		Paused: m.Paused || st.Paused || st.Inactive}
	return tu, tu.Validate() == nil
}

// learnerProfile is the matching profile of a learner's state.
func learnerProfile(st *State) (matching.Learner, bool) {
	var a matching.Availability
	if st.Mentor != nil {
		a, _ = matching.ParseAvailability(st.Mentor.Avail)
	}
	l := matching.Learner{User: st.User, Skills: st.Profile.Skills, Languages: []string{st.lang()},
		Country: st.Profile.Country, Zone: st.Profile.Zone, Availability: a}
	return l, l.Validate() == nil
}

// saveProfiles records the effects that store the user's matching
// profiles.
func (e *Engine) saveProfiles(t *Turn) {
	if t.State.Profile.Role == RoleTutor {
		t.mentorEffect("tutor", "")
	}
	if t.State.Mentor != nil && t.State.Mentor.Avail != "" {
		t.mentorEffect("learner", "")
	}
}

// mentorPaused follows /pause and /resume: a paused tutor is not offered.
func (e *Engine) mentorPaused(t *Turn) {
	if t.State.Profile.Role == RoleTutor && t.State.Mentor != nil {
		t.mentorEffect("tutor", "")
	}
}

// mentorOnboarded starts the tutor profile after onboarding.
func (e *Engine) mentorOnboarded(t *Turn) {
	st := t.State
	if st.Profile.Role != RoleTutor {
		return
	}
	m := st.mentor()
	if m.Skills == nil {
		m.Skills = map[string]int{}
		for _, id := range st.Profile.Skills {
			m.Skills[id] = 2
		}
	}
	if len(m.Langs) == 0 {
		m.Langs = []string{st.lang()}
	}
	m.Setup = true
	t.SayT("mentor.tutor_welcome", nil)
	m.Section = "skills"
	e.askTutorSkills(t, 0)
}

// forgetMentoring removes a deleted user's requests, mentorships and
// profiles, frees tutors' places, cancels the other sides' jobs about
// them and tells the other sides (internal events whose ids and
// arguments name no user), who drop their links and offers.
func (e *Engine) forgetMentoring(ctx context.Context, user string) error {
	rs, now := e.ment.requests, e.cfg.Clock()
	lf, err := rs.ForgetLearner(ctx, user, now)
	if err != nil {
		return err
	}
	tf, err := rs.ForgetTutor(ctx, user, now)
	if err != nil {
		return err
	}
	if err := e.ment.profiles.Forget(ctx, user); err != nil {
		return err
	}
	for _, r := range lf.Withdrawn {
		if err := e.cancelRequestJobs(ctx, r); err != nil {
			return err
		}
		if err := e.tell(ctx, r.Tutor, r.ID+"."+itoa(r.Current)+".w", "gone", r.ID); err != nil {
			return err
		}
	}
	for _, m := range append(lf.Ended, tf.Ended...) {
		peer := m.Learner
		if peer == user {
			peer = m.Tutor
		}
		if err := e.cancelMeetingJobs(ctx, m.ID); err != nil {
			return err
		}
		if err := e.tell(ctx, peer, m.ID+".end", "end", m.ID, "left"); err != nil {
			return err
		}
	}
	for _, mv := range tf.Moved {
		r := mv.Request
		if err := e.tell(ctx, r.Learner, r.ID+"."+itoa(mv.Prev), "moved", r.ID, itoa(mv.Prev), "x"); err != nil {
			return err
		}
	}
	return nil
}

// tell submits the internal event "mt:<op>" to user outside a turn; id
// as in Turn.notify.
func (e *Engine) tell(ctx context.Context, user, id, op string, args ...string) error {
	if user == "" {
		return nil
	}
	return e.Submit(ctx, Event{ID: "mt:" + op + ":" + id, Platform: Internal, User: user,
		Kind: KindJob, Data: "mt:" + op, Args: strings.Join(args, "\n"), Time: e.cfg.Clock()})
}

// link finds the user's running mentorship id.
func (m *Mentor) link(id string) (*Link, bool) {
	for i := range m.Links {
		if m.Links[i].ID == id {
			return &m.Links[i], true
		}
	}
	return nil, false
}

func (m *Mentor) dropLink(id string) {
	for i := range m.Links {
		if m.Links[i].ID == id {
			m.Links = append(m.Links[:i], m.Links[i+1:]...)
			return
		}
	}
}

// skillName is a skill's name in the user's language.
func (t *Turn) skillName(id string) string { return skills.Name(id, t.State.lang()) }

// langName is a language's name in the user's language.
func (t *Turn) langName(code string) string {
	if s := t.T("mentor.lang." + code); s != "mentor.lang."+code {
		return s
	}
	return matching.LanguageName(code)
}

// countryLong is a country's name in the user's language, or in English.
func (t *Turn) countryLong(code string) string {
	if s := t.T("country." + code); s != "country."+code {
		return s
	}
	return matching.CountryName(code)
}

// when formats an instant in loc with a translated weekday.
func (t *Turn) when(at time.Time, loc *time.Location) string {
	at = at.In(loc)
	return t.T("mentor.wd."+itoa(int(at.Weekday()))) + " " + at.Format("2006-01-02 15:04")
}

// nameOr is name, or the translated stand-in for a person without a name
// ("a learner", "a tutor"; "N. N." where the case of a noun would change).
func (t *Turn) nameOr(name, fallback string) string {
	if strings.TrimSpace(name) == "" {
		return t.T(fallback)
	}
	return name
}

func zoneOf(name string) *time.Location {
	if loc, err := matching.LoadZone(name); err == nil {
		return loc
	}
	return time.UTC
}

// reopenMentoring shows, when the chat is opened again, what mentoring
// waits for: the open question, or the requests offered to this tutor
// (which a tutor may not have seen, or whose buttons a terminal restart
// forgot). It reports whether it showed anything.
func (e *Engine) reopenMentoring(t *Turn) (bool, error) {
	st := t.State
	switch st.Step {
	case stepMentorHours:
		e.askHours(t)
		return true, nil
	case stepMentorNote:
		t.SayT("mentor.note_ask", [][]Button{{{Label: t.T("mentor.note_skip"), Data: "mt:n"}}})
		return true, nil
	case stepMentorReport:
		t.SayT("mentor.report_type", nil)
		return true, nil
	case stepMentorMsg:
		t.SayT("mentor.msg_type", nil)
		return true, nil
	case stepMentorAsk:
		t.SayT("mentor.ask_type", nil)
		return true, nil
	case stepMentorAnswer:
		t.SayT("mentor.answer_type", nil)
		return true, nil
	case stepMentorCap:
		e.askCapacity(t)
		return true, nil
	}
	m := st.Mentor
	if m != nil && m.Setup && st.Step == "" && st.Onboarded {
		// A new tutor's profile set-up: the section that was open.
		switch m.Section {
		case "skills":
			e.askTutorSkills(t, 0)
			return true, nil
		case "langs":
			e.askTutorLangs(t)
			return true, nil
		case "cap":
			e.askCapacity(t)
			return true, nil
		}
	}
	if m == nil || len(m.Offers) == 0 || !st.Onboarded {
		return false, nil
	}
	shown := false
	for _, id := range slices.Sorted(maps.Keys(m.Offers)) {
		r, err := e.ment.requests.Get(t.Ctx, id)
		if errors.Is(err, matching.ErrNotFound) {
			continue
		}
		if err != nil {
			return shown, err
		}
		if r.State == matching.StateOpen && r.Tutor == st.User {
			if err := e.showRequest(t, r, "mentor.request_title"); err != nil {
				return shown, err
			}
			shown = true
		}
	}
	return shown, nil
}
