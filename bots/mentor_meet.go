package bots

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/talentjourney/talentbot/matching"
	"github.com/talentjourney/talentbot/scheduler"
)

// meetingLength is the length of a proposed meeting.
const meetingLength = 45 * time.Minute

// startMentorship runs in the tutor's turn after an accept: it proposes
// the first meeting, introduces the tutor and tells the learner.
func (e *Engine) startMentorship(t *Turn, m matching.Mentorship) error {
	st := t.State
	mt := st.mentor()
	if len(m.Meetings) == 0 {
		if p, ok := e.propose(t, m, t.Now); ok {
			m.Meetings = []matching.Meeting{{Start: p.Start, End: p.End}}
			if err := e.ment.requests.SetMeetings(t.Ctx, m.ID, m.Meetings); err != nil {
				return err
			}
		}
	}
	reqID := m.ID[:max(strings.LastIndexByte(m.ID, '.'), 0)]
	ln, ok := mt.link(m.ID)
	if !ok {
		mt.Links = append(mt.Links, Link{ID: m.ID, With: m.Learner, Name: mt.Offers[reqID],
			Skill: m.Skill, Tutor: true, Room: newToken()})
		ln = &mt.Links[len(mt.Links)-1]
	}
	delete(mt.Offers, reqID)
	t.mentorEffect("meet", m.ID)
	e.introduce(t, ln, m, "mentor.intro_tutor")
	t.notify(m.Learner, m.ID, "acc", m.ID, ln.Room, st.Name)
	return nil
}

// propose finds a meeting inside both sides' common hours.
func (e *Engine) propose(t *Turn, m matching.Mentorship, after time.Time) (matching.Proposal, bool) {
	ls, ts, err := e.sides(t.Ctx, m)
	if err != nil {
		return matching.Proposal{}, false
	}
	return matching.ProposeMeeting(ls, ts, after, meetingLength)
}

// sides reads both profiles of a mentorship.
func (e *Engine) sides(ctx context.Context, m matching.Mentorship) (ls, ts matching.Side, err error) {
	l, err := e.ment.profiles.Learner(ctx, m.Learner)
	if err != nil {
		return ls, ts, err
	}
	tu, err := e.ment.profiles.Tutor(ctx, m.Tutor)
	if err != nil {
		return ls, ts, err
	}
	return matching.Side{Loc: zoneOf(l.Zone), Avail: l.Availability},
		matching.Side{Loc: zoneOf(tu.Zone), Avail: tu.Availability}, nil
}

// evAccepted runs in the learner's turn: their tutor accepted.
func (e *Engine) evAccepted(t *Turn, args string) error {
	parts := strings.SplitN(args, "\n", 3)
	if len(parts) < 3 {
		return nil
	}
	m, err := e.ment.requests.Mentorship(t.Ctx, parts[0])
	if errors.Is(err, matching.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	mt := t.State.mentor()
	ln, ok := mt.link(m.ID)
	if !ok {
		mt.Links = append(mt.Links, Link{ID: m.ID, With: m.Tutor, Name: parts[2], Skill: m.Skill,
			Room: parts[1]})
		ln = &mt.Links[len(mt.Links)-1]
	}
	t.mentorEffect("meet", m.ID)
	tu, _ := e.ment.profiles.Tutor(t.Ctx, m.Tutor)
	var langs []string
	for _, l := range tu.Languages {
		langs = append(langs, t.langName(l))
	}
	e.introduce(t, ln, m, "mentor.intro_learner", "Country", t.countryLong(tu.Country),
		"Langs", strings.Join(langs, ", "))
	return nil
}

// introduce sends the introduction with the first meeting in the user's
// own time and the meeting link.
func (e *Engine) introduce(t *Turn, ln *Link, m matching.Mentorship, id string, kv ...any) {
	name := t.other(ln)
	if !ln.Tutor {
		name = t.other(ln)
	}
	text := Text{{Text: t.T(id, append(kv, "Name", name, "Skill", t.skillName(m.Skill))...)}}
	url := e.meetingURL(ln.Room)
	if len(m.Meetings) > 0 {
		mt := m.Meetings[0]
		text = append(text, Span{Text: "\n\n"})
		text = append(text, t.TTime("mentor.first_meeting", mt.Start, t.when(mt.Start, t.State.location()),
			"Zone", t.State.Profile.Zone, "Minutes", int(mt.End.Sub(mt.Start).Minutes()))...)
		text = append(text, Span{Text: "\n" + url})
	} else {
		text = append(text, Span{Text: "\n\n" + t.T("mentor.no_common")})
	}
	text = append(text, Span{Text: "\n\n" + t.T("mentor.intro_help")})
	t.Say(text, []Button{{Label: t.T("mentor.join"), URL: url}},
		[]Button{{Label: t.T("mentor.share"), Data: "mt:s:" + ln.ID}})
}

// other is the name of the other side of ln, or "a learner" / "your
// tutor" when the platform gave none.
func (t *Turn) other(ln *Link) string {
	if ln.Tutor {
		return t.nameOr(ln.Name, "mentor.a_learner")
	}
	return t.nameOr(ln.Name, "mentor.your_tutor")
}

// meetingURL fills the room id into Config.MeetingURL.
func (e *Engine) meetingURL(room string) string {
	return strings.ReplaceAll(e.cfg.MeetingURL, "{id}", room)
}

// Meeting reminder jobs of one side: 24 h and 1 h before.
var meetingLeads = []struct {
	tag  string
	lead time.Duration
}{{"24", 24 * time.Hour}, {"1", time.Hour}}

// meetJobID is the id of one side's ("t" tutor, "l" learner) reminder.
func meetJobID(mentID, side, tag string) string { return "m" + tag + ":" + side + ":" + mentID }

// sideOf is "t" when ln is the tutor's side, else "l".
func sideOf(ln *Link) string {
	if ln.Tutor {
		return "t"
	}
	return "l"
}

// cancelMeetingJobs cancels both sides' meeting reminders of mentorship id.
func (e *Engine) cancelMeetingJobs(ctx context.Context, id string) error {
	s := e.cfg.Scheduler
	if s == nil {
		return nil
	}
	for _, side := range []string{"t", "l"} {
		for _, l := range meetingLeads {
			if err := s.Cancel(ctx, meetJobID(id, side, l.tag)); err != nil && !errors.Is(err, scheduler.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// syncMeetingJobs schedules the user's reminders of the mentorship's next
// meeting, or cancels them when there is none (or it ended).
func (e *Engine) syncMeetingJobs(ctx context.Context, st *State, id string) error {
	s := e.cfg.Scheduler
	if s == nil {
		return nil
	}
	m, err := e.ment.requests.Mentorship(ctx, id)
	if errors.Is(err, matching.ErrNotFound) {
		return e.cancelMeetingJobs(ctx, id)
	}
	if err != nil {
		return err
	}
	side := "l"
	if m.Tutor == st.User {
		side = "t"
	}
	var next *matching.Meeting
	now := e.cfg.Clock()
	for i := range m.Meetings {
		if m.Ended.IsZero() && m.Meetings[i].Start.After(now) {
			next = &m.Meetings[i]
			break
		}
	}
	for _, l := range meetingLeads {
		jid := meetJobID(id, side, l.tag)
		if next == nil || !next.Start.Add(-l.lead).After(now) {
			if err := s.Cancel(ctx, jid); err != nil && !errors.Is(err, scheduler.ErrNotFound) {
				return err
			}
			continue
		}
		err := s.Schedule(ctx, scheduler.Job{ID: jid, User: st.User, Kind: scheduler.KindMeeting,
			Payload: "mm:" + id + "@" + strconv.FormatInt(next.Start.Unix(), 10) + "@" + l.tag,
			At:      next.Start.Add(-l.lead), Zone: st.Profile.Zone})
		if err != nil {
			return err
		}
	}
	return nil
}

// jobMeeting reminds the user of a meeting, in their own time.
func (e *Engine) jobMeeting(t *Turn, arg string) error {
	parts := strings.Split(arg, "@")
	if len(parts) != 3 {
		return nil
	}
	ln, ok := t.State.mentor().link(parts[0])
	m, err := e.ment.requests.Mentorship(t.Ctx, parts[0])
	if !ok || err != nil {
		return nil
	}
	unix, _ := strconv.ParseInt(parts[1], 10, 64)
	start := time.Unix(unix, 0)
	planned := false
	for _, mm := range m.Meetings {
		planned = planned || mm.Start.Equal(start)
	}
	if !planned || !m.Ended.IsZero() {
		return nil
	}
	url := e.meetingURL(ln.Room)
	id := "mentor.remind_24"
	if parts[2] == "1" {
		id = "mentor.remind_1"
	}
	text := t.TTime(id, start, t.when(start, t.State.location()), "Name", t.other(ln))
	t.Send(Message{Kind: KindReminder, Text: append(text, Span{Text: "\n" + url})})
	return nil
}

// chooseLink runs do on the user's only mentorship, or asks which one
// with buttons "mt:<op>:<id>".
func (e *Engine) chooseLink(t *Turn, op string, do func(ln *Link) error) error {
	links := t.State.mentor().Links
	switch len(links) {
	case 0:
		t.SayT("mentor.no_mentorship", nil)
		return nil
	case 1:
		return do(&links[0])
	}
	var rows [][]Button
	for _, ln := range links[:min(5, len(links))] {
		rows = append(rows, []Button{{Label: t.other(&ln) + " · " + t.skillName(ln.Skill),
			Data: "mt:" + op + ":" + ln.ID}})
	}
	t.SayT("mentor.which", rows)
	return nil
}

// cmdMsg: "/msg <text>" sends the other side of the mentorship a message.
func (e *Engine) cmdMsg(t *Turn) error {
	text := cleanText(strings.TrimSpace(t.Event.Args))
	if text != "" && len(t.State.mentor().Links) > 1 {
		// Kept until the user picks whom it is for.
		t.State.Step, t.State.Ask = "", []string{"msg", text}
	}
	return e.chooseLink(t, "m", func(ln *Link) error {
		if text == "" {
			t.State.Step, t.State.Ask = stepMentorMsg, []string{ln.ID}
			t.SayT("mentor.msg_type", nil)
			return nil
		}
		e.sendMsg(t, ln, text)
		return nil
	})
}

func (e *Engine) btnMsgTo(t *Turn, id string) error {
	st := t.State
	ln, ok := st.mentor().link(id)
	if !ok {
		t.SayT("error.stale_button", nil)
		return nil
	}
	if st.Step == "" && len(st.Ask) == 2 && st.Ask[0] == "msg" {
		text := st.Ask[1]
		st.Ask = nil
		e.sendMsg(t, ln, text)
		return nil
	}
	st.Step, st.Ask = stepMentorMsg, []string{id}
	t.SayT("mentor.msg_type", nil)
	return nil
}

func (e *Engine) stepMsgText(t *Turn) error {
	st := t.State
	var id string
	if len(st.Ask) == 1 {
		id = st.Ask[0]
	}
	st.Step, st.Ask = "", nil
	ln, ok := st.mentor().link(id)
	if !ok {
		t.SayT("mentor.no_mentorship", nil)
		return nil
	}
	e.sendMsg(t, ln, t.Event.Text)
	return nil
}

func (e *Engine) sendMsg(t *Turn, ln *Link, text string) {
	if len([]rune(text)) > maxInput {
		t.SayT("error.too_long", nil)
		return
	}
	t.notify(ln.With, ln.ID+"."+sideOf(ln)+"."+strconv.FormatInt(t.State.Seq, 36), "msg", ln.ID, text)
	t.SayT("mentor.msg_sent", nil)
}

// evMsg shows a message from the other side, the text as a plain span.
func (e *Engine) evMsg(t *Turn, args string) error {
	id, text, _ := strings.Cut(args, "\n")
	ln, ok := t.State.mentor().link(id)
	if !ok {
		return nil
	}
	t.Say(Text{{Text: t.T("mentor.msg_from", "Name", t.other(ln)) + "\n", Style: Bold},
		{Text: text}}, []Button{{Label: t.T("mentor.reply"), Data: "mt:m:" + id}})
	return nil
}

// btnShare records that the user agrees to exchange contact handles.
func (e *Engine) btnShare(t *Turn, id string) error {
	ln, ok := t.State.mentor().link(id)
	if !ok {
		t.SayT("error.stale_button", nil)
		return nil
	}
	ln.Share = true
	if ln.Asked {
		// Both agree: send our handle; the other answers with theirs.
		t.notify(ln.With, id+"."+sideOf(ln)+".h", "handle", id, e.contact(t))
		t.SayT("mentor.share_both", nil)
		return nil
	}
	t.notify(ln.With, id+"."+sideOf(ln)+".s", "share", id)
	t.SayT("mentor.share_asked", nil)
	return nil
}

// contact is the user's handle and platform, for a contact exchange.
func (e *Engine) contact(t *Turn) string {
	st := t.State
	if st.Handle == "" {
		return ""
	}
	return st.Handle + " (" + platformName(st.Platform) + ")"
}

func platformName(p string) string {
	switch p {
	case Telegram:
		return "Telegram"
	case Discord:
		return "Discord"
	}
	return p
}

// evShare: the other side would like to exchange contacts.
func (e *Engine) evShare(t *Turn, id string) error {
	ln, ok := t.State.mentor().link(id)
	if !ok {
		return nil
	}
	ln.Asked = true
	if ln.Share {
		t.notify(ln.With, id+"."+sideOf(ln)+".h", "handle", id, e.contact(t))
		return nil
	}
	t.SayT("mentor.share_ask", [][]Button{{{Label: t.T("mentor.share"), Data: "mt:s:" + id}}},
		"Name", t.other(ln))
	return nil
}

// evHandle shows the other side's handle once both agreed, and answers
// with ours if not sent yet.
func (e *Engine) evHandle(t *Turn, args string) error {
	id, handle, _ := strings.Cut(args, "\n")
	ln, ok := t.State.mentor().link(id)
	if !ok || !ln.Share {
		return nil
	}
	if !ln.Asked {
		ln.Asked = true
		t.notify(ln.With, id+"."+sideOf(ln)+".h", "handle", id, e.contact(t))
	}
	name := t.other(ln)
	if handle == "" {
		t.SayT("mentor.no_handle", nil, "Name", name)
		return nil
	}
	t.Say(Text{{Text: t.T("mentor.handle", "Name", name) + " "}, {Text: handle, Style: Code}})
	return nil
}

// cmdMeetings lists the planned meetings with move and cancel buttons.
func (e *Engine) cmdMeetings(t *Turn) error {
	links := t.State.mentor().Links
	if len(links) == 0 {
		t.SayT("mentor.no_mentorship", nil)
		return nil
	}
	for _, ln := range links {
		m, err := e.ment.requests.Mentorship(t.Ctx, ln.ID)
		if err != nil {
			continue
		}
		head := t.other(&ln) + " · " + t.skillName(ln.Skill) + "\n"
		if mm, ok := nextMeeting(m, t.Now); ok {
			t.Say(Text{{Text: head, Style: Bold}, {Text: t.T("mentor.meeting_at", "When", t.when(mm.Start, t.State.location()),
				"Zone", t.State.Profile.Zone)}},
				[]Button{{Label: t.T("mentor.move"), Data: "mt:mv:" + ln.ID},
					{Label: t.T("mentor.cancel_meeting"), Data: "mt:mc:" + ln.ID}})
			continue
		}
		t.Say(Text{{Text: head, Style: Bold}, {Text: t.T("mentor.no_meeting")}},
			[]Button{{Label: t.T("mentor.plan"), Data: "mt:mv:" + ln.ID}})
	}
	return nil
}

func nextMeeting(m matching.Mentorship, now time.Time) (matching.Meeting, bool) {
	for _, mm := range m.Meetings {
		if mm.Start.After(now) {
			return mm, true
		}
	}
	return matching.Meeting{}, false
}

// btnMove offers up to three other times inside the common hours.
func (e *Engine) btnMove(t *Turn, id string) error {
	if _, ok := t.State.mentor().link(id); !ok {
		t.SayT("error.stale_button", nil)
		return nil
	}
	m, err := e.ment.requests.Mentorship(t.Ctx, id)
	if err != nil {
		return err
	}
	var rows [][]Button
	after := t.Now
	cur, hasCur := nextMeeting(m, t.Now)
	for len(rows) < 3 {
		p, ok := e.propose(t, m, after)
		if !ok {
			break
		}
		after = p.Start.Add(24*time.Hour - matching.MeetingNotice)
		if hasCur && p.Start.Equal(cur.Start) {
			continue
		}
		rows = append(rows, []Button{{Label: t.when(p.Start, t.State.location()),
			Data: "mt:ms:" + strconv.FormatInt(p.Start.Unix()/60, 36) + ":" + id}})
	}
	if len(rows) == 0 {
		t.SayT("mentor.common_none", nil)
		return nil
	}
	t.SayT("mentor.move_ask", rows, "Zone", t.State.Profile.Zone)
	return nil
}

// btnMeetSet moves the mentorship's meeting to the chosen time.
func (e *Engine) btnMeetSet(t *Turn, arg string) error {
	at, id, _ := strings.Cut(arg, ":")
	mins, err := strconv.ParseInt(at, 36, 64)
	if _, ok := t.State.mentor().link(id); !ok || err != nil {
		t.SayT("error.stale_button", nil)
		return nil
	}
	start := time.Unix(mins*60, 0).UTC()
	return e.setMeeting(t, id, []matching.Meeting{{Start: start, End: start.Add(meetingLength)}}, "mentor.meeting_moved")
}

func (e *Engine) btnMeetCancel(t *Turn, id string) error {
	if _, ok := t.State.mentor().link(id); !ok {
		t.SayT("error.stale_button", nil)
		return nil
	}
	return e.setMeeting(t, id, nil, "mentor.meeting_cancelled")
}

// setMeeting stores the meetings, reschedules this side's reminders and
// tells the other side.
func (e *Engine) setMeeting(t *Turn, id string, ms []matching.Meeting, msg string) error {
	if err := e.ment.requests.SetMeetings(t.Ctx, id, ms); err != nil {
		return err
	}
	ln, _ := t.State.mentor().link(id)
	t.mentorEffect("meet", id)
	when := ""
	if len(ms) > 0 {
		when = t.when(ms[0].Start, t.State.location())
	}
	t.SayT(msg, nil, "When", when, "Name", t.other(ln))
	t.notify(ln.With, id+"."+sideOf(ln)+"."+strconv.FormatInt(t.State.Seq, 36), "meet", id, msg)
	return nil
}

// evMeet: the other side moved or cancelled the meeting.
func (e *Engine) evMeet(t *Turn, args string) error {
	id, msg, _ := strings.Cut(args, "\n")
	ln, ok := t.State.mentor().link(id)
	if !ok {
		return nil
	}
	m, err := e.ment.requests.Mentorship(t.Ctx, id)
	if err != nil {
		return err
	}
	t.mentorEffect("meet", id)
	when := ""
	if mm, ok := nextMeeting(m, t.Now); ok {
		when = t.when(mm.Start, t.State.location())
	}
	t.SayT(msg+"_by", nil, "When", when, "Name", t.other(ln))
	return nil
}

// cmdEnd asks to confirm ending a mentorship.
func (e *Engine) cmdEnd(t *Turn) error {
	return e.chooseLink(t, "e", func(ln *Link) error { return e.btnEnd(t, ln.ID) })
}

func (e *Engine) btnEnd(t *Turn, id string) error {
	ln, ok := t.State.mentor().link(id)
	if !ok {
		t.SayT("error.stale_button", nil)
		return nil
	}
	t.SayT("mentor.end_ask", [][]Button{{{Label: t.T("mentor.end_yes"), Data: "mt:ey:" + id},
		{Label: t.T("mentor.end_no"), Data: "mt:x"}}}, "Name", t.other(ln))
	return nil
}

// btnEndYes ends the mentorship, which frees the tutor's place.
func (e *Engine) btnEndYes(t *Turn, id string) error {
	mt := t.State.mentor()
	ln, ok := mt.link(id)
	if !ok {
		t.SayT("error.stale_button", nil)
		return nil
	}
	if _, err := e.ment.requests.End(t.Ctx, id, t.State.User, t.Now); err != nil &&
		!errors.Is(err, matching.ErrNotFound) {
		return err
	}
	t.notify(ln.With, id+".end", "end", id)
	t.mentorEffect("meet", id)
	mt.dropLink(id)
	t.SayT("mentor.ended", nil)
	return nil
}

// evEnd: the other side ended the mentorship, or left the programme
// ("left": their data is gone, and the message does not name them).
func (e *Engine) evEnd(t *Turn, args string) error {
	id, why, _ := strings.Cut(args, "\n")
	mt := t.State.mentor()
	ln, ok := mt.link(id)
	if !ok {
		return nil
	}
	name := t.other(ln)
	mt.dropLink(id)
	t.mentorEffect("meet", id)
	if why == "left" {
		// Their messages not yet delivered go too; this one stays.
		t.about = ""
		t.Effect(Effect{Kind: EffectUnsend, ID: id})
	}
	switch {
	case why == "left" && ln.Tutor:
		t.SayT("mentor.left_mentee", nil)
	case why == "left":
		t.SayT("mentor.left_tutor", nil)
	default:
		t.SayT("mentor.ended_by", nil, "Name", name)
	}
	return nil
}

// upperFirst returns s with its first letter in upper case.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// cmdReport: "/report <text>" tells the coordinators about a problem.
func (e *Engine) cmdReport(t *Turn) error {
	text := cleanText(strings.TrimSpace(t.Event.Args))
	if text == "" {
		t.State.Step = stepMentorReport
		t.SayT("mentor.report_type", nil)
		return nil
	}
	return e.sendReport(t, text)
}

func (e *Engine) stepReportText(t *Turn) error {
	t.State.Step = ""
	return e.sendReport(t, t.Event.Text)
}

func (e *Engine) sendReport(t *Turn, text string) error {
	var with []string
	for _, ln := range t.State.mentor().Links {
		with = append(with, ln.With)
	}
	p, err := e.ment.requests.Pseudonym(t.Ctx, t.State.User)
	if err != nil {
		return err
	}
	id := p + "." + strconv.FormatInt(t.State.Seq, 36)
	for _, c := range e.cfg.Coordinators {
		t.notify(c, id, "report", t.State.User, strings.Join(with, " "), text)
	}
	if len(e.cfg.Coordinators) == 0 {
		t.SayT("mentor.report_nobody", nil)
		return nil
	}
	t.SayT("mentor.report_sent", nil)
	return nil
}

// evReport shows a coordinator a report; user keys, not names.
func (e *Engine) evReport(t *Turn, args string) error {
	parts := strings.SplitN(args, "\n", 3)
	if len(parts) < 3 || e.role(t.State) != RoleCoordinator {
		return nil
	}
	t.Say(Text{{Text: t.T("mentor.report_title", "From", parts[0], "About", orDash(strings.Fields(parts[1]))) + "\n",
		Style: Bold}, {Text: parts[2]}})
	return nil
}
