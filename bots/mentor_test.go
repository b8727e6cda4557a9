package bots_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
	"github.com/talentjourney/talentbot/matching"
	"github.com/talentjourney/talentbot/scheduler"
	"github.com/talentjourney/talentbot/store/storetest"
)

const tutorCode = "TUTOR-2027"

// mentorHarness is an engine with a scheduler, both on one fake clock
// that starts on Monday 2027-01-11 06:00 UTC (winter time in Europe).
func mentorHarness(t *testing.T) (*harness, *scheduler.FakeClock) {
	st := storetest.New(t)
	clock := scheduler.NewFakeClock(time.Date(2027, 1, 11, 6, 0, 0, 0, time.UTC))
	sch := scheduler.New(st, scheduler.Config{Clock: clock, Poll: 10 * time.Millisecond})
	h := newHarness(t, st, bots.Config{Clock: clock.Now, Scheduler: sch, TutorCodes: []string{tutorCode}})
	return h, clock
}

// chat is the harness seen from one platform: users are "<p>:<name>".
// The harness's own methods are the terminal's; chat adds Telegram, so
// that tutor and learner can be on different platforms.
type chat struct {
	h *harness
	p string
}

func (h *harness) on(platform string) chat {
	if platform != bots.Terminal {
		h.eng.AddSender(platform, h.rec)
	}
	return chat{h, platform}
}

func (c chat) event(user string, kind bots.EventKind) bots.Event {
	return bots.Event{Platform: c.p, User: c.p + ":" + user, Chat: user, Kind: kind}
}

// Send implements bottest.Platform.
func (c chat) Send(t testing.TB, user, text string) {
	t.Helper()
	ev := c.event(user, bots.KindText)
	ev.Text = text
	if strings.HasPrefix(text, "/") {
		name, args, _ := strings.Cut(text[1:], " ")
		ev.Kind, ev.Command, ev.Args, ev.Text = bots.KindCommand, name, args, ""
	}
	c.h.submit(t, ev)
}

// Press implements bottest.Platform.
func (c chat) Press(t testing.TB, user, label string) {
	t.Helper()
	msgs := c.h.rec.got(c.p + ":" + user)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons {
			for _, b := range row {
				if b.Label == label {
					c.pressData(t, user, b.Data)
					return
				}
			}
		}
	}
	t.Fatalf("%s has no button %q", user, label)
}

// Received implements bottest.Platform.
func (c chat) Received(_ testing.TB, user string) []bottest.Received {
	var out []bottest.Received
	for _, m := range c.h.rec.got(c.p + ":" + user) {
		r := bottest.Received{Text: m.Text.Plain()}
		for _, row := range m.Buttons {
			for _, b := range row {
				r.Buttons = append(r.Buttons, b.Label)
			}
		}
		out = append(out, r)
	}
	return out
}

// pressData submits button payloads as if user pressed them.
func (c chat) pressData(t testing.TB, user string, data ...string) {
	t.Helper()
	for _, d := range data {
		ev := c.event(user, bots.KindButton)
		ev.Data = d
		c.h.submit(t, ev)
	}
}

func (h *harness) pressData(t testing.TB, user string, data ...string) {
	t.Helper()
	h.on(bots.Terminal).pressData(t, user, data...)
}

// onboardTutor makes user a tutor in country and zone who teaches
// mqtt.qos at level (2 or 3) and is free every day 17:00-20:00 local.
func onboardTutor(t *testing.T, h *harness, user, country, zone string, level int) int {
	t.Helper()
	return onboardTutorOn(t, h.on(bots.Terminal), user, country, zone, level)
}

func onboardTutorOn(t *testing.T, h chat, user, country, zone string, level int) int {
	t.Helper()
	n := startTutorOn(t, h, user, country, zone)
	for ; level > 2; level-- {
		h.pressData(t, user, "mt:tl:mqtt.qos")
	}
	h.pressData(t, user, "mt:te:skillsdone", "mt:tg:done", "mt:hd:mon-sun", "mt:hw:17:00-20:00",
		"mt:hx", "mt:tc:2")
	n = bottest.WaitFor(t, h, user, n, "Your tutor profile is ready")
	i := bottest.WaitFor(t, h, user, n, "Weekly hours: mon-sun 17:00-20:00")
	if txt := h.Received(t, user)[i].Text; !strings.Contains(txt, "open to new requests") {
		t.Fatalf("tutor %s's profile %q is not open to requests", user, txt)
	}
	// The reply goes out before the profile is saved (an effect of the
	// commit): wait for the saved profile, which learners are matched on.
	profiles := matching.NewProfiles(h.h.st)
	for deadline := time.Now().Add(bottest.Timeout); ; time.Sleep(5 * time.Millisecond) {
		tu, err := profiles.Tutor(context.Background(), h.p+":"+user)
		if err == nil && tu.Capacity == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("tutor %s's profile is not saved: %+v %v", user, tu, err)
		}
	}
	return i + 1
}

// startTutorOn takes user through the set-up as a tutor in country and
// zone who learns mqtt.qos, and returns the index of the first question of
// the tutor profile.
func startTutorOn(t *testing.T, h chat, user, country, zone string) int {
	t.Helper()
	h.Send(t, user, "/start")
	h.pressData(t, user, "consent:yes", "age:adult", "lang:en", "role:tutor")
	h.Send(t, user, tutorCode)
	h.pressData(t, user, "country:"+country, "zone:"+zone, "skill:mqtt.qos", "skills:done",
		"time:none")
	return bottest.WaitFor(t, h, user, 0, "Which skills do you teach?")
}

// onboardLearner makes user a learner in Ljubljana who wants mqtt.qos.
func onboardLearner(t *testing.T, h *harness, user string) int {
	t.Helper()
	h.Send(t, user, "/start")
	h.pressData(t, user, "consent:yes", "age:adult", "lang:en", "role:learner", "country:SI",
		"zone:Europe/Ljubljana", "skill:mqtt.qos", "skills:done", "time:none")
	return bottest.WaitFor(t, h, user, 0, "All set!") + 1
}

// askMentor sends /mentor, gives the learner's hours (every day
// 17:00-20:00 Ljubljana), picks "Best for me" and sends note.
func askMentor(t *testing.T, h *harness, user string, n int, note string) int {
	t.Helper()
	h.Send(t, user, "/mentor")
	n = bottest.WaitFor(t, h, user, n, "When are you free each week")
	h.pressData(t, user, "mt:hd:mon-sun", "mt:hw:17:00-20:00", "mt:hx")
	n = bottest.WaitFor(t, h, user, n, "Tutors for")
	h.Press(t, user, "Best for me")
	n = bottest.WaitFor(t, h, user, n+1, "short note")
	h.Send(t, user, note)
	return bottest.WaitFor(t, h, user, n+1, "Request sent") + 1
}

// TestMentorRequestAccepted: a learner asks, the tutor gets the request
// with the note and Accept / Decline, accepts, and both get the
// introduction with the same meeting in their own local times.
func TestMentorRequestAccepted(t *testing.T) {
	h, clock := mentorHarness(t)
	tn := onboardTutor(t, h, "tiina", "EE", "Europe/Tallinn", 2)
	ln := onboardLearner(t, h, "luka")

	// A paused tutor is not offered.
	h.Send(t, "tiina", "/pause")
	tn = bottest.WaitFor(t, h, "tiina", tn, "Paused") + 1
	h.Send(t, "luka", "/mentor")
	ln = bottest.WaitFor(t, h, "luka", ln, "When are you free each week")
	h.pressData(t, "luka", "mt:hd:mon-sun", "mt:hw:17:00-20:00", "mt:hx")
	ln = bottest.WaitFor(t, h, "luka", ln, "No tutor is free") + 1
	h.Send(t, "tiina", "/resume")
	tn = bottest.WaitFor(t, h, "tiina", tn, "Welcome back") + 1

	h.Send(t, "luka", "/mentor")
	i := bottest.WaitFor(t, h, "luka", ln, "Tutors for")
	top := h.Received(t, "luka")[i]
	for _, want := range []string{"Tutor 1: 1 of your 1 skills", "14 h a week in common",
		"both speak English", "Estonia → Slovenia"} {
		if !strings.Contains(top.Text, want) {
			t.Errorf("the ranking %q does not say %q", top.Text, want)
		}
	}
	h.Press(t, "luka", "Tutor 1")
	ln = bottest.WaitFor(t, h, "luka", i+1, "short note")
	h.Send(t, "luka", bottest.UserTextAnswer)
	bottest.WaitFor(t, h, "luka", ln+1, "Request sent")

	// The tutor's request: the note unchanged, the common hours in
	// Tallinn time (18:00-20:00 there is 17:00-19:00 in Ljubljana).
	j := bottest.WaitFor(t, h, "tiina", tn, "New mentoring request")
	req := h.Received(t, "tiina")[j]
	for _, want := range []string{bottest.UserTextAnswer, "Wants to learn: MQTT", "(Europe/Tallinn)",
		"Tue 2027-01-12 18:00–20:00", "Slovenia"} {
		if !strings.Contains(req.Text, want) {
			t.Errorf("the request %q does not show %q", req.Text, want)
		}
	}
	if strings.Join(req.Buttons, "|") != "Accept|Decline|Ask a question" {
		t.Fatalf("the request has buttons %v", req.Buttons)
	}
	h.Press(t, "tiina", "Accept")

	// Both get the first meeting, Tuesday 16:00 UTC, in their own time.
	k := bottest.WaitFor(t, h, "tiina", j+1, "You are now the mentor of")
	tutorIntro := h.Received(t, "tiina")[k].Text
	if !strings.Contains(tutorIntro, "Tue 2027-01-12 18:00, your time (Europe/Tallinn)") {
		t.Errorf("the tutor's introduction %q lacks the meeting at 18:00 Tallinn time", tutorIntro)
	}
	m := bottest.WaitFor(t, h, "luka", ln, "is now your mentor")
	learnerIntro := h.Received(t, "luka")[m].Text
	if !strings.Contains(learnerIntro, "Tue 2027-01-12 17:00, your time (Europe/Ljubljana)") {
		t.Errorf("the learner's introduction %q lacks the meeting at 17:00 Ljubljana time", learnerIntro)
	}
	link := meetingLink(t, tutorIntro)
	if link != meetingLink(t, learnerIntro) {
		t.Errorf("tutor and learner got different meeting links: %q, %q", tutorIntro, learnerIntro)
	}

	// /msg reaches the other side with the text unchanged.
	h.Send(t, "luka", "/msg "+bottest.UserTextAnswer)
	p := bottest.WaitFor(t, h, "tiina", k+1, "Message from")
	if got := h.Received(t, "tiina")[p].Text; !strings.Contains(got, bottest.UserTextAnswer) {
		t.Errorf("the tutor got %q, want the learner's message unchanged", got)
	}

	// 24 h before the meeting, each side is reminded in their own time.
	clock.Set(time.Date(2027, 1, 11, 16, 0, 0, 0, time.UTC))
	r := bottest.WaitFor(t, h, "tiina", p+1, "you meet")
	if got := h.Received(t, "tiina")[r].Text; !strings.Contains(got, "tomorrow, Tue 2027-01-12 18:00") {
		t.Errorf("the tutor's reminder %q lacks 18:00 Tallinn time", got)
	}
	r = bottest.WaitFor(t, h, "luka", m+1, "you meet")
	if got := h.Received(t, "luka")[r].Text; !strings.Contains(got, "tomorrow, Tue 2027-01-12 17:00") {
		t.Errorf("the learner's reminder %q lacks 17:00 Ljubljana time", got)
	}

	// With capacity 1 the tutor is full; /end frees the place.
	h.pressData(t, "tiina", "mt:te:cap", "mt:tc:1")
	p = bottest.WaitFor(t, h, "tiina", p+1, "Mentees at most: 1")
	h.Send(t, "luka", "/mentor")
	r = bottest.WaitFor(t, h, "luka", r+1, "No tutor is free")
	h.Send(t, "luka", "/end")
	r = bottest.WaitFor(t, h, "luka", r+1, "End your mentorship")
	h.Press(t, "luka", "Yes, end it")
	bottest.WaitFor(t, h, "luka", r+1, "The mentorship has ended")
	bottest.WaitFor(t, h, "tiina", p+1, "has ended your mentorship")
	h.Send(t, "luka", "/mentor")
	bottest.WaitFor(t, h, "luka", r+1, "Tutors for")
}

func meetingLink(t *testing.T, text string) string {
	t.Helper()
	i := strings.Index(text, "https://meet.jit.si/talentjourney-")
	if i < 0 {
		t.Fatalf("no meeting link in %q", text)
	}
	return strings.Fields(text[i:])[0]
}

// TestMentorRequestMovesOn: the best tutor declines and the request goes
// to the next by itself; that one is reminded at half time and does not
// answer, so after 24 h the request goes to the third; when the third
// declines too, the learner is told nobody is left.
func TestMentorRequestMovesOn(t *testing.T) {
	h, clock := mentorHarness(t)
	bn := onboardTutor(t, h, "berta", "DE", "Europe/Berlin", 3)
	tn := onboardTutor(t, h, "tiit", "EE", "Europe/Tallinn", 2)
	sn := onboardTutor(t, h, "sara", "SI", "Europe/Ljubljana", 2)
	ln := onboardLearner(t, h, "lea")
	ln = askMentor(t, h, "lea", ln, "QoS 2 confuses me")

	// Berlin ranks first (expert, 3 h a day in common, abroad).
	bn = bottest.WaitFor(t, h, "berta", bn, "New mentoring request")
	h.Press(t, "berta", "Decline")
	bottest.WaitFor(t, h, "berta", bn+1, "Declined")
	ln = bottest.WaitFor(t, h, "lea", ln, "cannot take you. I asked the next one")
	tn = bottest.WaitFor(t, h, "tiit", tn, "New mentoring request") + 1

	// Half time: only the tutor asked now is reminded.
	clock.Set(time.Date(2027, 1, 11, 18, 0, 0, 0, time.UTC))
	tn = bottest.WaitFor(t, h, "tiit", tn, "Reminder: a learner is waiting") + 1
	time.Sleep(200 * time.Millisecond)
	for _, got := range h.Received(t, "berta")[bn:] {
		if strings.Contains(got.Text, "Reminder") {
			t.Errorf("the tutor who declined was reminded: %q", got.Text)
		}
	}

	// Not yet at 23:59 after the offer; at 24 h the request moves on.
	clock.Set(time.Date(2027, 1, 12, 5, 59, 0, 0, time.UTC))
	time.Sleep(200 * time.Millisecond)
	if got := h.Received(t, "sara"); len(got) > sn {
		t.Fatalf("before the deadline the third tutor got %q", got[sn].Text)
	}
	clock.Set(time.Date(2027, 1, 12, 6, 0, 0, 0, time.UTC))
	ln = bottest.WaitFor(t, h, "lea", ln+1, "did not answer your request") + 1
	tn = bottest.WaitFor(t, h, "tiit", tn, "no longer waiting for you") + 1
	bottest.WaitFor(t, h, "sara", sn, "New mentoring request")

	h.Press(t, "sara", "Decline")
	bottest.WaitFor(t, h, "lea", ln, "I have asked every tutor")
	// A late accept finds the request gone.
	h.Press(t, "tiit", "Accept")
	bottest.WaitFor(t, h, "tiit", tn, "no longer waiting for you")
}

// TestMentorAcrossPlatforms: a tutor on Telegram accepts the request of a
// learner in the terminal; each gets the introduction in their own chat.
func TestMentorAcrossPlatforms(t *testing.T) {
	h, _ := mentorHarness(t)
	tg := h.on(bots.Telegram)
	tn := onboardTutorOn(t, tg, "501", "DE", "Europe/Berlin", 2)
	ln := onboardLearner(t, h, "ana")
	askMentor(t, h, "ana", ln, "hello")

	tn = bottest.WaitFor(t, tg, "501", tn, "New mentoring request")
	tg.Press(t, "501", "Accept")
	i := bottest.WaitFor(t, tg, "501", tn+1, "You are now the mentor of")
	if got := tg.Received(t, "501")[i].Text; !strings.Contains(got, "Tue 2027-01-12 17:00, your time (Europe/Berlin)") {
		t.Errorf("the Telegram tutor's introduction %q lacks 17:00 Berlin time", got)
	}
	j := bottest.WaitFor(t, h, "ana", ln, "is now your mentor")
	if got := h.Received(t, "ana")[j].Text; !strings.Contains(got, "Tue 2027-01-12 17:00, your time (Europe/Ljubljana)") {
		t.Errorf("the terminal learner's introduction %q lacks 17:00 Ljubljana time", got)
	}
	for _, m := range h.rec.got("tg:501") {
		if m.Platform != bots.Telegram || m.Chat != "501" {
			t.Fatalf("a message to the Telegram tutor went to %s chat %s", m.Platform, m.Chat)
		}
	}
}

// mentorAndOpenRequest sets up tutor "tut" (mqtt.qos and mqtt.session,
// two places) who mentors learner "lea" in mqtt.qos and has lea's open
// request for mqtt.session waiting. It returns how many messages each
// has received.
func mentorAndOpenRequest(t *testing.T, h *harness) (tn, ln int) {
	t.Helper()
	tn = onboardTutor(t, h, "tut", "DE", "Europe/Berlin", 2)
	h.pressData(t, "tut", "mt:tl:mqtt.session", "mt:tl:mqtt.session")
	h.Send(t, "tut", "/tutor")
	tn = bottest.WaitFor(t, h, "tut", tn, "Sessions, retained messages and last will ★★☆") + 1
	ln = onboardLearner(t, h, "lea")
	ln = askMentor(t, h, "lea", ln, "hello")
	tn = bottest.WaitFor(t, h, "tut", tn, "New mentoring request")
	h.Press(t, "tut", "Accept")
	tn = bottest.WaitFor(t, h, "tut", tn+1, "You are now the mentor of") + 1
	ln = bottest.WaitFor(t, h, "lea", ln, "is now your mentor") + 1

	h.Send(t, "lea", "/mentor mqtt.session")
	ln = bottest.WaitFor(t, h, "lea", ln, "Tutors for")
	h.Press(t, "lea", "Best for me")
	ln = bottest.WaitFor(t, h, "lea", ln+1, "short note")
	h.Send(t, "lea", "sessions too")
	ln = bottest.WaitFor(t, h, "lea", ln+1, "Request sent") + 1
	tn = bottest.WaitFor(t, h, "tut", tn, "New mentoring request") + 1
	return tn, ln
}

// deleteUser sends /delete, confirms, and waits until Redis no longer
// names the user anywhere, key or value.
func deleteUser(t *testing.T, h *harness, user string) {
	t.Helper()
	n := len(h.Received(t, user))
	h.Send(t, user, "/delete")
	n = bottest.WaitFor(t, h, user, n, "Delete all your data?")
	h.Press(t, user, "Yes, delete everything")
	bottest.WaitFor(t, h, user, n+1, "All your data is deleted")
	ctx := context.Background()
	var traces []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if traces = storetest.Traces(ctx, t, h.st, "term:"+user); len(traces) == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("after /delete Redis still names %s: %v", user, traces)
}

// TestMentorLearnerDeleteLeavesNoTrace: a learner with a mentorship and
// an open request deletes their data; nothing in Redis names them (not
// the tutor's links, offers, jobs or dedup ids, nor shared streams), the
// tutor is told, and the tutor's place and meeting reminders are gone.
func TestMentorLearnerDeleteLeavesNoTrace(t *testing.T) {
	h, clock := mentorHarness(t)
	tn, _ := mentorAndOpenRequest(t, h)
	ctx := context.Background()
	pseud := h.st.Keys.User("term:lea", "match:pseud")
	p, err := h.st.Client.Get(ctx, pseud).Result()
	if err != nil || p == "" {
		t.Fatalf("the learner's pseudonym: %q, %v", p, err)
	}
	deleteUser(t, h, "lea")
	// Ids made from the pseudonym may stay in the tutor's keys; with the
	// pseudonym's key gone (and no salt to compute it again), nothing
	// leads from them back to the learner.
	if n, _ := h.st.Client.Exists(ctx, pseud).Result(); n != 0 {
		t.Fatal("the learner's pseudonym is still stored")
	}
	if keys, _ := h.st.Client.Keys(ctx, h.st.Keys.Global("*salt*")).Result(); len(keys) != 0 {
		t.Fatalf("a salt that could compute pseudonyms again: %v", keys)
	}
	bottest.WaitFor(t, h, "tut", tn, "no longer waiting for you")
	tn = bottest.WaitFor(t, h, "tut", tn, "Your mentee has left the programme") + 1

	// The meeting's 24 h reminder is due Monday 16:00 UTC: it is cancelled.
	clock.Set(time.Date(2027, 1, 11, 16, 0, 0, 0, time.UTC))
	time.Sleep(300 * time.Millisecond)
	for _, got := range h.Received(t, "tut") {
		if strings.Contains(got.Text, "you meet") {
			t.Errorf("the tutor was reminded of a meeting with a deleted learner: %q", got.Text)
		}
	}
	h.Send(t, "tut", "/meetings")
	bottest.WaitFor(t, h, "tut", tn, "You have no mentorship yet")
}

// TestMentorTutorDeleteLeavesNoTrace: a tutor who mentors a learner and
// has the learner's other request waiting deletes their data; nothing in
// Redis names them, and the learner is told both times.
func TestMentorTutorDeleteLeavesNoTrace(t *testing.T) {
	h, _ := mentorHarness(t)
	_, ln := mentorAndOpenRequest(t, h)
	deleteUser(t, h, "tut")
	bottest.WaitFor(t, h, "lea", ln, "Your tutor has left the programme")
	bottest.WaitFor(t, h, "lea", ln, "I have asked every tutor")
	h.Send(t, "lea", "/mentor mqtt.qos")
	bottest.WaitFor(t, h, "lea", ln, "No tutor is free")
}

// TestTutorHoursEditorOnlySaves: a new tutor who began /mentor (which
// asked their hours first) and then sets their hours in /tutor gets the
// profile saved, not a mentoring answer.
func TestTutorHoursEditorOnlySaves(t *testing.T) {
	h, _ := mentorHarness(t)
	n := startTutorOn(t, h.on(bots.Terminal), "tom", "DE", "Europe/Berlin")
	h.Send(t, "tom", "/mentor")
	n = bottest.WaitFor(t, h, "tom", n, "When are you free each week") + 1
	h.Send(t, "tom", "/tutor")
	h.pressData(t, "tom", "mt:te:hours", "mt:hd:mon-fri", "mt:hw:17:00-20:00", "mt:hx")
	i := bottest.WaitFor(t, h, "tom", n, "Weekly hours: mon-fri 17:00-20:00")
	for _, got := range h.Received(t, "tom")[n : i+1] {
		if strings.Contains(got.Text, "No tutor is free") || strings.Contains(got.Text, "Tutors for") {
			t.Errorf("saving the tutor's hours answered as a mentoring request: %q", got.Text)
		}
	}
	// Typed hours are added to the tapped ones.
	h.pressData(t, "tom", "mt:te:hours")
	i = bottest.WaitFor(t, h, "tom", i+1, "When are you free each week")
	h.Send(t, "tom", "sat 09:00-12:00")
	i = bottest.WaitFor(t, h, "tom", i+1, "Now: mon-fri 17:00-20:00, sat 09:00-12:00")
	// The number of mentees: one out of range is asked again, one typed
	// in range is taken.
	h.pressData(t, "tom", "mt:hx", "mt:te:cap")
	i = bottest.WaitFor(t, h, "tom", i+1, "How many mentees")
	h.Send(t, "tom", "9")
	i = bottest.WaitFor(t, h, "tom", i+1, "one of the buttons")
	i = bottest.WaitFor(t, h, "tom", i+1, "How many mentees")
	h.Send(t, "tom", "3")
	bottest.WaitFor(t, h, "tom", i+1, "Mentees at most: 3")
}

// TestReopenShowsOfferedRequests: a tutor whose chat is opened again (a
// terminal restarted) gets the waiting request again, with its buttons,
// and can accept it; a learner in the middle of the hours question gets
// that question again.
func TestReopenShowsOfferedRequests(t *testing.T) {
	h, _ := mentorHarness(t)
	tn := onboardTutor(t, h, "tia", "EE", "Europe/Tallinn", 2)
	ln := onboardLearner(t, h, "lu")
	askMentor(t, h, "lu", ln, "hello")
	tn = bottest.WaitFor(t, h, "tia", tn, "New mentoring request")
	h.open(t, "tia")
	tn = bottest.WaitFor(t, h, "tia", tn+1, "New mentoring request")
	if got := h.Received(t, "tia")[tn].Buttons; len(got) != 3 || got[0] != "Accept" {
		t.Fatalf("reopened request has buttons %v", got)
	}
	h.Press(t, "tia", "Accept")
	bottest.WaitFor(t, h, "tia", tn+1, "You are now the mentor of")

	ln = onboardLearner(t, h, "hr")
	h.Send(t, "hr", "/mentor")
	ln = bottest.WaitFor(t, h, "hr", ln, "When are you free each week")
	h.open(t, "hr")
	bottest.WaitFor(t, h, "hr", ln+1, "When are you free each week")
}

// TestTutorSetUpComesBack: the section of a new tutor's profile set-up is
// shown again when the chat is reopened and after /help; an open /msg
// text question comes back after /privacy and takes the text.
func TestTutorSetUpComesBack(t *testing.T) {
	h, _ := mentorHarness(t)
	user := "nt"
	n := startTutorOn(t, h.on(bots.Terminal), user, "EE", "Europe/Tallinn")
	h.open(t, user)
	n = bottest.WaitFor(t, h, user, n+1, "Which skills do you teach?")
	h.pressData(t, user, "mt:te:skillsdone")
	n = bottest.WaitFor(t, h, user, n+1, "languages")
	h.Send(t, user, "/help")
	n = bottest.WaitFor(t, h, user, n+1, "/tutor")
	bottest.WaitFor(t, h, user, n+1, "languages")

	_, ln := mentorAndOpenRequest(t, h)
	h.Send(t, "lea", "/msg")
	ln = bottest.WaitFor(t, h, "lea", ln, "Type your message")
	h.Send(t, "lea", "/privacy")
	ln = bottest.WaitFor(t, h, "lea", ln+1, "What I store")
	ln = bottest.WaitFor(t, h, "lea", ln+1, "Type your message")
	h.Send(t, "lea", "see you soon")
	bottest.WaitFor(t, h, "lea", ln+1, "sent")
}

// TestLeaverMessagesAreTakenBack: a learner's message still waiting for a
// tutor who is not chatting is taken back when the learner deletes their
// data; the tutor later gets only the notice that the mentee left.
func TestLeaverMessagesAreTakenBack(t *testing.T) {
	h, _ := mentorHarness(t)
	ctx := context.Background()
	tn, ln := mentorAndOpenRequest(t, h)
	h.rec.setAway("term:tut", true)
	const text = "hello from lea 7c1f"
	h.Send(t, "lea", "/msg "+text)
	bottest.WaitFor(t, h, "lea", ln, "Message sent")
	for deadline := time.Now().Add(bottest.Timeout); len(storetest.Traces(ctx, t, h.st, text)) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the message never waited in the tutor's outbox")
		}
		time.Sleep(10 * time.Millisecond)
	}
	deleteUser(t, h, "lea")
	var traces []string
	for deadline := time.Now().Add(bottest.Timeout); ; time.Sleep(10 * time.Millisecond) {
		if traces = storetest.Traces(ctx, t, h.st, text); len(traces) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the learner's /delete their message is still stored: %v", traces)
		}
	}
	h.rec.setAway("term:tut", false)
	if err := h.eng.Flush(ctx, "term:tut"); err != nil {
		t.Fatal(err)
	}
	bottest.WaitFor(t, h, "tut", tn, "Your mentee has left the programme")
	for _, got := range h.Received(t, "tut") {
		if strings.Contains(got.Text, text) {
			t.Fatalf("the tutor got the message of a learner who left: %q", got.Text)
		}
	}
}
