package bots

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/talentjourney/talentbot/matching"
	"github.com/talentjourney/talentbot/scheduler"
	"github.com/talentjourney/talentbot/skills"
)

// rankLimit is how many ranked tutors a request may be offered to.
const rankLimit = 10

// cmdMentor starts a request: "/mentor [skill]".
func (e *Engine) cmdMentor(t *Turn) error {
	st := t.State
	if !st.Onboarded {
		t.SayT("lesson.need_start", nil)
		return nil
	}
	if arg := strings.TrimSpace(t.Event.Args); arg != "" {
		id := findSkill(arg)
		if id == "" {
			t.SayT("mentor.skill_unknown", nil)
			return nil
		}
		return e.mentorFor(t, id)
	}
	ids := st.Profile.Skills
	if len(ids) == 1 {
		return e.mentorFor(t, ids[0])
	}
	if len(ids) == 0 {
		ids = nil
		for _, s := range skills.All() {
			ids = append(ids, s.ID)
		}
	}
	var rows [][]Button
	for i := 0; i < len(ids) && len(rows) < 5; i += 2 {
		var row []Button
		for _, id := range ids[i:min(i+2, len(ids))] {
			row = append(row, Button{Label: t.skillName(id), Data: "mt:k:" + id})
		}
		rows = append(rows, row)
	}
	t.SayT("mentor.which_skill", rows)
	return nil
}

// findSkill reads a typed skill: an id, or a name in any language.
func findSkill(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if sk, ok := skills.ByID(s); ok {
		return sk.ID
	}
	for _, sk := range skills.All() {
		for _, l := range Languages {
			if strings.Contains(strings.ToLower(skills.Name(sk.ID, l)), s) {
				return sk.ID
			}
		}
	}
	return ""
}

func (e *Engine) btnMentorSkill(t *Turn, id string) error {
	if _, ok := skills.ByID(id); !ok {
		t.SayT("error.stale_button", nil)
		return nil
	}
	return e.mentorFor(t, id)
}

// mentorFor shows the best tutors for skill, after asking the learner's
// hours if they have none yet.
func (e *Engine) mentorFor(t *Turn, skill string) error {
	st := t.State
	m := st.mentor()
	if m.Avail == "" {
		m.Draft = &Draft{Skill: skill, Hours: true, At: t.Now}
		t.SayT("mentor.hours_first", nil)
		e.askHours(t)
		return nil
	}
	rs := e.ment.requests
	if r, err := rs.OpenFor(t.Ctx, st.User, skill); err == nil {
		t.SayT("mentor.already_open", [][]Button{{{Label: t.T("mentor.withdraw"), Data: "mt:w:" + r.ID}}},
			"Skill", t.skillName(skill), "Deadline", t.when(r.Deadline, st.location()))
		return nil
	} else if !errors.Is(err, matching.ErrNotFound) {
		return err
	}
	cands, err := e.rank(t, skill)
	if err != nil {
		return err
	}
	if len(cands) == 0 {
		t.SayT("mentor.no_tutors", nil, "Skill", t.skillName(skill))
		return nil
	}
	e.saveProfiles(t)
	m.Draft = &Draft{Skill: skill, At: t.Now}
	for _, c := range cands {
		m.Draft.Cands = append(m.Draft.Cands, c.Tutor)
	}
	e.showCandidates(t, skill, cands)
	return nil
}

// rank gives the best tutors for the learner and skill.
func (e *Engine) rank(t *Turn, skill string) ([]matching.Candidate, error) {
	st := t.State
	l, ok := learnerProfile(st)
	if !ok {
		return nil, nil
	}
	mt := e.ment
	mt.mu.Lock()
	err := mt.profiles.Sync(t.Ctx, mt.index, t.Now)
	mt.mu.Unlock()
	if err != nil {
		return nil, err
	}
	declined, err := mt.requests.Declined(t.Ctx, st.User, skill)
	if err != nil {
		return nil, err
	}
	q := matching.Query{Skill: skill, Declined: declined, Limit: rankLimit}
	return mt.index.Rank(&l, q, t.Now), nil
}

// showCandidates lists the top three with their reasons.
func (e *Engine) showCandidates(t *Turn, skill string, cands []matching.Candidate) {
	text := Text{{Text: t.T("mentor.top", "Skill", t.skillName(skill)), Style: Bold}}
	var row []Button
	for i, c := range cands[:min(3, len(cands))] {
		label := t.T("mentor.tutor_n", "N", i+1)
		text = append(text, Span{Text: "\n" + label + ": " + t.reason(c.Reason)})
		row = append(row, Button{Label: label, Data: "mt:p:" + itoa(i)})
	}
	text = append(text, Span{Text: "\n\n" + t.T("mentor.pick")})
	t.Say(text, row, []Button{{Label: t.T("mentor.best"), Data: "mt:p:b"}})
}

// reason says a matching.Reason in the user's language.
func (t *Turn) reason(r matching.Reason) string {
	var parts []string
	if r.Wanted > 0 {
		parts = append(parts, t.T("mentor.reason_skills", "N", len(r.Skills), "Of", r.Wanted))
	}
	parts = append(parts, t.T("mentor.reason_hours", "Hours", weekMinutes(r.WeeklyMinutes)))
	if len(r.Languages) > 0 {
		var names []string
		for _, l := range r.Languages {
			names = append(names, t.langName(l))
		}
		parts = append(parts, t.T("mentor.reason_langs", "Langs", strings.Join(names, ", ")))
	}
	if r.TutorCountry != "" && r.LearnerCountry != "" {
		parts = append(parts, t.countryLong(r.TutorCountry)+" → "+t.countryLong(r.LearnerCountry))
	}
	return strings.Join(parts, " · ")
}

// btnMentorPick takes the tutor picked ("b": best for me) and asks for a
// note.
func (e *Engine) btnMentorPick(t *Turn, arg string) error {
	st := t.State
	d := st.mentor().Draft
	i := atoi(arg)
	if arg == "b" {
		i = 0
	}
	if d == nil || d.Hours || i < 0 || i >= len(d.Cands) {
		t.SayT("error.stale_button", nil)
		return nil
	}
	d.Pick = i
	st.Step = stepMentorNote
	t.SayT("mentor.note_ask", [][]Button{{{Label: t.T("mentor.note_skip"), Data: "mt:n"}}})
	return nil
}

func (e *Engine) stepNoteText(t *Turn) error { return e.sendRequest(t, t.Event.Text) }

func (e *Engine) btnNoteSkip(t *Turn, _ string) error {
	if t.State.Step != stepMentorNote {
		t.SayT("error.stale_button", nil)
		return nil
	}
	return e.sendRequest(t, "")
}

// sendRequest opens the request with the picked tutor first and the rest
// of the ranking after.
func (e *Engine) sendRequest(t *Turn, note string) error {
	st := t.State
	m := st.mentor()
	d := m.Draft
	st.Step = ""
	if d == nil || len(d.Cands) == 0 {
		t.SayT("error.stale_button", nil)
		return nil
	}
	cands := append([]string{d.Cands[d.Pick]}, slices.Delete(slices.Clone(d.Cands), d.Pick, d.Pick+1)...)
	r, err := e.ment.requests.Open(t.Ctx, st.User, d.Skill, note, cands, t.Now)
	switch {
	case errors.Is(err, matching.ErrRequestOpen) && r.CreatedAt.Before(d.At):
		t.SayT("mentor.already_open", nil, "Skill", t.skillName(d.Skill),
			"Deadline", t.when(r.Deadline, st.location()))
		m.Draft = nil
		return nil
	case errors.Is(err, matching.ErrNoTutorAvailable):
		t.SayT("mentor.no_tutors", nil, "Skill", t.skillName(d.Skill))
		m.Draft = nil
		return nil
	case err != nil && !errors.Is(err, matching.ErrRequestOpen):
		return err
	}
	m.Draft = nil
	t.SayT("mentor.sent", nil, "Skill", t.skillName(r.Skill), "Deadline", t.when(r.Deadline, st.location()))
	e.offer(t, r)
	return nil
}

// offer tells the request's current tutor and schedules its reminder and
// deadline. It runs in the learner's turn.
func (e *Engine) offer(t *Turn, r matching.Request) {
	t.mentorEffect("req", r.ID)
	t.notify(r.Tutor, r.ID+"."+itoa(r.Current), "offer", r.ID, t.State.Name)
}

// btnWithdraw cancels the learner's open request.
func (e *Engine) btnWithdraw(t *Turn, id string) error {
	out, err := e.ment.requests.Cancel(t.Ctx, id, t.State.User, t.Now)
	if errors.Is(err, matching.ErrNotFound) {
		t.SayT("error.stale_button", nil)
		return nil
	}
	if err != nil {
		return err
	}
	t.mentorEffect("req", id)
	if out.Changed {
		t.notify(out.Previous, id+"."+itoa(out.Request.Current)+".w", "gone", id)
	}
	t.SayT("mentor.withdrawn", nil)
	return nil
}

// evOffer shows a request to the tutor it is offered to.
func (e *Engine) evOffer(t *Turn, args string) error {
	id, name, _ := strings.Cut(args, "\n")
	r, err := e.ment.requests.Get(t.Ctx, id)
	if errors.Is(err, matching.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if r.State != matching.StateOpen || r.Tutor != t.State.User {
		return nil
	}
	m := t.State.mentor()
	if m.Offers == nil {
		m.Offers = map[string]string{}
	}
	m.Offers[id] = name
	return e.showRequest(t, r, "mentor.request_title")
}

// showRequest sends the tutor the request: the learner's skills, note and
// the hours in common in the tutor's own time, with the answer buttons.
func (e *Engine) showRequest(t *Turn, r matching.Request, title string) error {
	st := t.State
	l, err := e.ment.profiles.Learner(t.Ctx, r.Learner)
	if err != nil && !errors.Is(err, matching.ErrNotFound) {
		return err
	}
	name := t.nameOr(st.mentor().Offers[r.ID], "mentor.a_learner")
	loc := st.location()
	text := Text{{Text: t.T(title, "Skill", t.skillName(r.Skill)), Style: Bold},
		{Text: "\n" + t.T("mentor.request_from", "Name", name, "Country", t.countryLong(l.Country))}}
	var sk []string
	for _, id := range l.Skills {
		sk = append(sk, t.skillName(id))
	}
	text = append(text, Span{Text: "\n" + t.T("mentor.request_skills", "Skills", orDash(sk))})
	if r.Note != "" {
		text = append(text, Span{Text: "\n" + t.T("mentor.request_note") + " "}, Span{Text: r.Note, Style: Italic})
	}
	text = append(text, Span{Text: "\n" + e.commonText(t, l, loc)},
		Span{Text: "\n\n" + t.T("mentor.request_deadline", "Deadline", t.when(r.Deadline, loc))})
	t.Say(text, []Button{{Label: t.T("mentor.accept"), Data: "mt:a:" + r.ID},
		{Label: t.T("mentor.decline"), Data: "mt:d:" + r.ID}},
		[]Button{{Label: t.T("mentor.ask"), Data: "mt:q:" + r.ID}})
	return nil
}

// commonText lists the hours the tutor (this turn's user) and learner l
// have in common next week, in the tutor's zone.
func (e *Engine) commonText(t *Turn, l matching.Learner, loc *time.Location) string {
	tu, _ := tutorProfile(t.State)
	ls := matching.Side{Loc: zoneOf(l.Zone), Avail: l.Availability}
	ts := matching.Side{Loc: loc, Avail: tu.Availability}
	from := t.Now
	ivs := matching.Common(ls, ts, from, from.Add(7*24*time.Hour))
	if len(ivs) == 0 {
		return t.T("mentor.common_none")
	}
	var lines []string
	for _, iv := range ivs[:min(5, len(ivs))] {
		lines = append(lines, "• "+t.when(iv.Start, loc)+"–"+iv.End.In(loc).Format("15:04"))
	}
	return t.T("mentor.common", "Hours", weekMinutes(matching.WeeklyMinutes(ls, ts, t.Now)),
		"Zone", t.State.Profile.Zone) + "\n" + strings.Join(lines, "\n")
}

// jobRemind reminds the tutor half way to the deadline.
func (e *Engine) jobRemind(t *Turn, id string) error {
	r, err := e.ment.requests.Get(t.Ctx, id)
	if errors.Is(err, matching.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if r.State != matching.StateOpen || r.Tutor != t.State.User || !t.Now.Before(r.Deadline) {
		return nil
	}
	return e.showRequest(t, r, "mentor.reminder_title")
}

// jobDeadline ends the current tutor's turn when nobody answered: the
// request moves on by itself. It runs in the learner's turn.
func (e *Engine) jobDeadline(t *Turn, id string) error {
	rs := e.ment.requests
	r, err := rs.Get(t.Ctx, id)
	if errors.Is(err, matching.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if r.State != matching.StateOpen || r.Learner != t.State.User {
		return nil
	}
	out, err := rs.Expire(t.Ctx, id, r.Tutor, t.Now)
	if err != nil || !out.Changed {
		return err
	}
	t.notify(out.Previous, id+"."+itoa(r.Current)+".x", "gone", id)
	return e.learnerMoved(t, out.Request, r.Current, "x")
}

// evMoved tells the learner their request moved on (a tutor declined or
// had no place) and offers it to the next tutor.
func (e *Engine) evMoved(t *Turn, args string) error {
	parts := strings.Split(args, "\n")
	if len(parts) < 3 {
		return nil
	}
	r, err := e.ment.requests.Get(t.Ctx, parts[0])
	if errors.Is(err, matching.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	// Tutors who declined are kept by matching.Requests (Declined).
	return e.learnerMoved(t, r, atoi(parts[1]), parts[2])
}

// learnerMoved tells the learner that the tutor at index prev declined
// ("d"), had no place ("f") or did not answer ("x"), and what happens now.
func (e *Engine) learnerMoved(t *Turn, r matching.Request, prev int, why string) error {
	skill := t.skillName(r.Skill)
	msg := "mentor.moved_declined"
	if why == "x" {
		msg = "mentor.moved_expired"
	}
	t.mentorEffect("req", r.ID)
	if r.State == matching.StateOpen && r.Current > prev {
		t.SayT(msg, nil, "Skill", skill, "Deadline", t.when(r.Deadline, t.State.location()))
		e.offer(t, r)
		return nil
	}
	if r.State == matching.StateDeclined || r.State == matching.StateExpired {
		t.SayT("mentor.none_left", nil, "Skill", skill)
	}
	return nil
}

// evGone tells a tutor that a request offered to them went on without
// them (time ran out, or the learner withdrew it).
func (e *Engine) evGone(t *Turn, id string) error {
	m := t.State.mentor()
	if _, ok := m.Offers[id]; !ok {
		return nil
	}
	delete(m.Offers, id)
	// The request, if not yet delivered, is taken back; this note stays.
	t.about = ""
	t.Effect(Effect{Kind: EffectUnsend, ID: id})
	t.SayT("mentor.offer_gone", nil)
	return nil
}

// btnAccept: the tutor accepts; both get an introduction and a meeting.
func (e *Engine) btnAccept(t *Turn, id string) error {
	st := t.State
	out, err := e.ment.requests.Accept(t.Ctx, id, st.User, t.Now)
	if errors.Is(err, matching.ErrNotYours) || errors.Is(err, matching.ErrClosed) ||
		errors.Is(err, matching.ErrNotFound) {
		t.SayT("mentor.offer_gone", nil)
		return nil
	}
	if err != nil {
		return err
	}
	t.mentorEffect("req", id)
	if out.Mentorship == nil {
		// No place left: the request moved on as if unanswered.
		t.SayT("mentor.full", nil)
		e.tutorLeft(t, out, "f")
		return nil
	}
	return e.startMentorship(t, *out.Mentorship)
}

// btnDecline: the tutor declines; the request moves on by itself.
func (e *Engine) btnDecline(t *Turn, id string) error {
	out, err := e.ment.requests.Decline(t.Ctx, id, t.State.User, t.Now)
	if errors.Is(err, matching.ErrNotYours) || errors.Is(err, matching.ErrClosed) ||
		errors.Is(err, matching.ErrNotFound) {
		t.SayT("mentor.offer_gone", nil)
		return nil
	}
	if err != nil {
		return err
	}
	t.mentorEffect("req", id)
	t.SayT("mentor.declined", nil)
	e.tutorLeft(t, out, "d")
	return nil
}

// tutorLeft tells the learner that this tutor is out of the request.
func (e *Engine) tutorLeft(t *Turn, out matching.Outcome, why string) {
	r := out.Request
	prev := slices.Index(r.Candidates, t.State.User)
	delete(t.State.mentor().Offers, r.ID)
	t.notify(r.Learner, r.ID+"."+itoa(prev), "moved", r.ID, itoa(prev), why)
}

// btnAsk lets the tutor ask the learner a question before answering.
func (e *Engine) btnAsk(t *Turn, id string) error {
	if _, ok := t.State.mentor().Offers[id]; !ok {
		t.SayT("mentor.offer_gone", nil)
		return nil
	}
	t.State.Step, t.State.Ask = stepMentorAsk, []string{id}
	t.SayT("mentor.ask_type", nil)
	return nil
}

func (e *Engine) stepAskText(t *Turn) error {
	st := t.State
	if len(st.Ask) != 1 {
		st.Step = ""
		return nil
	}
	id := st.Ask[0]
	r, err := e.ment.requests.Get(t.Ctx, id)
	if err != nil {
		return err
	}
	st.Step, st.Ask = "", nil
	t.notify(r.Learner, id+"."+strconv.FormatInt(st.Seq, 36), "ask", id, t.Event.Text)
	t.SayT("mentor.ask_sent", nil)
	return nil
}

// evAsk shows the learner the tutor's question, with a reply button.
func (e *Engine) evAsk(t *Turn, args string) error {
	id, text, _ := strings.Cut(args, "\n")
	t.Say(Text{{Text: t.T("mentor.question") + "\n", Style: Bold}, {Text: text}},
		[]Button{{Label: t.T("mentor.reply"), Data: "mt:r:" + id}})
	return nil
}

func (e *Engine) btnAnswer(t *Turn, id string) error {
	t.State.Step, t.State.Ask = stepMentorAnswer, []string{id}
	t.SayT("mentor.answer_type", nil)
	return nil
}

func (e *Engine) stepAnswerText(t *Turn) error {
	st := t.State
	if len(st.Ask) != 1 {
		st.Step = ""
		return nil
	}
	id := st.Ask[0]
	st.Step, st.Ask = "", nil
	r, err := e.ment.requests.Get(t.Ctx, id)
	if err != nil {
		return err
	}
	if r.State != matching.StateOpen || r.Learner != st.User {
		t.SayT("mentor.offer_gone", nil)
		return nil
	}
	t.notify(r.Tutor, id+"."+strconv.FormatInt(st.Seq, 36), "answer", id, t.Event.Text)
	t.SayT("mentor.ask_sent", nil)
	return nil
}

// evAnswer shows the tutor the learner's answer with the answer buttons.
func (e *Engine) evAnswer(t *Turn, args string) error {
	id, text, _ := strings.Cut(args, "\n")
	t.Say(Text{{Text: t.T("mentor.answer") + "\n", Style: Bold}, {Text: text}},
		[]Button{{Label: t.T("mentor.accept"), Data: "mt:a:" + id},
			{Label: t.T("mentor.decline"), Data: "mt:d:" + id}},
		[]Button{{Label: t.T("mentor.ask"), Data: "mt:q:" + id}})
	return nil
}

// Job ids of a request: the reminder of candidate k (a job of that
// tutor) and the deadline of candidate k (a job of the learner).
func remindJobID(id string, k int) string   { return "rq:" + id + "." + itoa(k) }
func deadlineJobID(id string, k int) string { return "rx:" + id + "." + itoa(k) }

// syncRequestJobs makes the scheduler hold the jobs the request needs
// now: the current tutor's reminder and deadline while it is open, none
// for earlier candidates or after it closed.
func (e *Engine) syncRequestJobs(ctx context.Context, id string) error {
	s := e.cfg.Scheduler
	if s == nil {
		return nil
	}
	r, err := e.ment.requests.Get(ctx, id)
	if errors.Is(err, matching.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	last := r.Current
	if r.State == matching.StateOpen {
		last--
		zone := ""
		if tu, err := e.ment.profiles.Tutor(ctx, r.Tutor); err == nil {
			zone = tu.Zone
		}
		err := s.Schedule(ctx,
			scheduler.Job{ID: remindJobID(id, r.Current), User: r.Tutor, Kind: scheduler.KindRequest,
				Payload: "rq:" + id, At: r.RemindAt, Zone: zone},
			scheduler.Job{ID: deadlineJobID(id, r.Current), User: r.Learner, Kind: scheduler.KindDeadline,
				Payload: "rx:" + id, At: r.Deadline})
		if err != nil {
			return err
		}
	}
	return e.cancelJobs(ctx, 0, last, id)
}

// cancelJobs cancels the reminders and deadlines of candidates from..to
// of request id.
func (e *Engine) cancelJobs(ctx context.Context, from, to int, id string) error {
	s := e.cfg.Scheduler
	if s == nil {
		return nil
	}
	for k := from; k <= to; k++ {
		for _, job := range []string{remindJobID(id, k), deadlineJobID(id, k)} {
			if err := s.Cancel(ctx, job); err != nil && !errors.Is(err, scheduler.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// cancelRequestJobs cancels every job of request r (it closed, and its
// record may be gone).
func (e *Engine) cancelRequestJobs(ctx context.Context, r matching.Request) error {
	return e.cancelJobs(ctx, 0, max(r.Current, len(r.Candidates)-1), r.ID)
}
