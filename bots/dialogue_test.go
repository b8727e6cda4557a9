package bots_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
)

// state reads user's stored state.
func (h *harness) state(t testing.TB, user string) bots.State {
	t.Helper()
	ctx := context.Background()
	if err := h.eng.Settle(ctx, "term:"+user); err != nil {
		t.Fatal(err)
	}
	raw, err := h.st.Client.Get(ctx, h.st.Keys.User("term:"+user, "state")).Result()
	if err != nil {
		t.Fatalf("state of %s: %v", user, err)
	}
	var s bots.State
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// open opens user's chat again (a terminal started anew), and waits until
// the event is handled.
func (h *harness) open(t testing.TB, user string) {
	t.Helper()
	h.submit(t, bots.Event{Platform: bots.Terminal, User: "term:" + user, Chat: user,
		Kind: bots.KindOpen})
	if err := h.eng.Settle(context.Background(), "term:"+user); err != nil {
		t.Fatal(err)
	}
}

// toCountry takes a new user through the set-up up to the country
// question and returns the index of that question.
func toCountry(t *testing.T, h *harness, user string) int {
	t.Helper()
	h.Send(t, user, "/start")
	n := bottest.WaitFor(t, h, user, 0, "Do you agree?")
	for _, s := range []struct{ press, next string }{
		{"Yes, I agree", "How old are you?"}, {"16 or older", "Which language"},
		{"English", "learner or as a tutor"}, {"Learner", "Which country"},
	} {
		h.Press(t, user, s.press)
		n = bottest.WaitFor(t, h, user, n+1, s.next)
	}
	return n
}

// TestAnsweredDeleteQuestionCannotDelete: once the /delete question is
// answered "No" or left with /cancel, its "Yes" button pressed later
// deletes nothing; a /delete asked during the set-up returns to the set-up
// question.
func TestAnsweredDeleteQuestionCannotDelete(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "keep")
	for _, leave := range []func(){
		func() { h.Press(t, "keep", "No, keep it") },
		func() { h.Send(t, "keep", "/cancel") },
	} {
		h.Send(t, "keep", "/delete")
		n = bottest.WaitFor(t, h, "keep", n, "Delete all your data?")
		leave()
		n = bottest.WaitFor(t, h, "keep", n+1, "")
		h.Press(t, "keep", "Yes, delete everything")
		n = bottest.WaitFor(t, h, "keep", n+1, "no longer")
		if s := h.state(t, "keep"); s.Deleted || !s.Onboarded {
			t.Fatalf("a Yes pressed after the question was closed deleted the user: %+v", s)
		}
	}

	h.Send(t, "mid", "/start")
	n = bottest.WaitFor(t, h, "mid", 0, "Do you agree?")
	h.Press(t, "mid", "Yes, I agree")
	n = bottest.WaitFor(t, h, "mid", n+1, "How old are you?")
	h.Send(t, "mid", "/delete")
	n = bottest.WaitFor(t, h, "mid", n+1, "Delete all your data?")
	h.Send(t, "mid", "hello")
	n = bottest.WaitFor(t, h, "mid", n+1, "Delete all your data?") // not an age answer
	h.Press(t, "mid", "No, keep it")
	n = bottest.WaitFor(t, h, "mid", n+1, "Nothing was deleted")
	n = bottest.WaitFor(t, h, "mid", n+1, "How old are you?")
	h.Press(t, "mid", "Yes, delete everything")
	n = bottest.WaitFor(t, h, "mid", n+1, "no longer")
	h.Press(t, "mid", "16 or older")
	bottest.WaitFor(t, h, "mid", n+1, "Which language")
	if s := h.state(t, "mid"); s.Deleted || s.Consent != "yes" {
		t.Fatalf("state after keeping the data: %+v", s)
	}
}

// TestCancelDuringSetUp: /cancel cannot cancel the set-up half way; it says
// so and asks the open question again. During a quiz it says the quiz stays
// open.
func TestCancelDuringSetUp(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	h.Send(t, "cs", "/start")
	n := bottest.WaitFor(t, h, "cs", 0, "Do you agree?")
	h.Press(t, "cs", "Yes, I agree")
	n = bottest.WaitFor(t, h, "cs", n+1, "How old are you?")
	h.Send(t, "cs", "/cancel")
	n = bottest.WaitFor(t, h, "cs", n+1, "set-up is not finished")
	bottest.WaitFor(t, h, "cs", n+1, "How old are you?")

	n = bottest.Onboard(t, h, "cq")
	h.Send(t, "cq", "/lesson")
	n = bottest.WaitFor(t, h, "cq", n, "Quiz: question 1")
	h.Send(t, "cq", "/cancel")
	bottest.WaitFor(t, h, "cq", n+1, "quiz above stays open")
}

// TestTypedCountryMustBeACountry: a two-letter answer that names no
// country is asked again; "UK" is the United Kingdom.
func TestTypedCountryMustBeACountry(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := toCountry(t, h, "cc")
	h.Press(t, "cc", "Another country")
	n = bottest.WaitFor(t, h, "cc", n+1, "country")
	for _, bad := range []string{"ZZ", "qq", "EU"} {
		h.Send(t, "cc", bad)
		n = bottest.WaitFor(t, h, "cc", n+1, "")
		if s := h.state(t, "cc"); s.Profile.Country != "" {
			t.Fatalf("%q was stored as the country %q", bad, s.Profile.Country)
		}
	}
	h.Send(t, "cc", "UK")
	bottest.WaitFor(t, h, "cc", n+1, "Which time zone")
	if s := h.state(t, "cc"); s.Profile.Country != "GB" {
		t.Fatalf("UK was stored as %q, want GB", s.Profile.Country)
	}
}

// TestReopenKeepsTypedZone: a chat opened again while the user confirms
// the zone of a typed city shows that city's zone, not the country's.
func TestReopenKeepsTypedZone(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := toCountry(t, h, "tz")
	h.Press(t, "tz", "Slovenia")
	n = bottest.WaitFor(t, h, "tz", n+1, "Which time zone")
	h.Press(t, "tz", "Another time zone")
	n = bottest.WaitFor(t, h, "tz", n+1, "Type a city")
	h.Send(t, "tz", "UTC+05:30")
	n = bottest.WaitFor(t, h, "tz", n+1, "Asia/Kolkata?")
	h.open(t, "tz")
	n = bottest.WaitFor(t, h, "tz", n+1, "")
	got := h.Received(t, "tz")[n]
	if !strings.Contains(got.Text, "Asia/Kolkata?") || len(got.Buttons) != 3 {
		t.Fatalf("opened again during the zone confirmation: %q %v", got.Text, got.Buttons)
	}
	h.Press(t, "tz", got.Buttons[0])
	bottest.WaitFor(t, h, "tz", n+1, "Which skills")
	if s := h.state(t, "tz"); s.Profile.Zone != "Asia/Kolkata" {
		t.Fatalf("zone %q, want Asia/Kolkata", s.Profile.Zone)
	}
}

// TestSkillPageKeptAfterTypedText: typed text on the skills question shows
// the page the user was on, not the first one.
func TestSkillPageKeptAfterTypedText(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "sk")
	h.Send(t, "sk", "/settings")
	n = bottest.WaitFor(t, h, "sk", n, "What would you like to change?")
	h.Press(t, "sk", "Skills")
	n = bottest.WaitFor(t, h, "sk", n+1, "Which skills")
	h.Press(t, "sk", "▶")
	n = bottest.WaitFor(t, h, "sk", n+1, "Which skills")
	page := h.Received(t, "sk")[n].Text
	h.Send(t, "sk", "MQTT please")
	n = bottest.WaitFor(t, h, "sk", n+1, "one of the buttons")
	n = bottest.WaitFor(t, h, "sk", n+1, "Which skills")
	if got := h.Received(t, "sk")[n].Text; got != page {
		t.Fatalf("after typed text the skills question is\n%q\nwant the same page\n%q", got, page)
	}
}

// TestCommandLeavesASettingsChange: a command sent while a setting is being
// changed leaves the change; text typed next is not taken as its answer.
func TestCommandLeavesASettingsChange(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "sc")
	h.Send(t, "sc", "/settings")
	n = bottest.WaitFor(t, h, "sc", n, "What would you like to change?")
	h.Press(t, "sc", "Time zone: Europe/Ljubljana")
	n = bottest.WaitFor(t, h, "sc", n+1, "Which time zone")
	h.Send(t, "sc", "/start")
	n = bottest.WaitFor(t, h, "sc", n+1, "/settings")
	h.Send(t, "sc", "hello")
	n = bottest.WaitFor(t, h, "sc", n+1, "")
	if got := h.Received(t, "sc")[n].Text; strings.Contains(got, "time zone") {
		t.Fatalf("text after /start answered the zone question: %q", got)
	}
	if s := h.state(t, "sc"); s.Step != "" || s.Settings {
		t.Fatalf("step %q settings %v after a command, want none", s.Step, s.Settings)
	}
}

// TestPauseTwice says the second /pause changes nothing.
func TestPauseTwice(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "pp")
	h.Send(t, "pp", "/pause")
	n = bottest.WaitFor(t, h, "pp", n, "Paused")
	h.Send(t, "pp", "/pause")
	bottest.WaitFor(t, h, "pp", n+1, "already paused")
}

// TestClosedSettingsMenu: after /cancel, or once one answer is changed,
// the buttons of the /settings menu say the menu is closed.
func TestClosedSettingsMenu(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "sm")
	h.Send(t, "sm", "/settings")
	n = bottest.WaitFor(t, h, "sm", n, "What would you like to change?")
	h.Send(t, "sm", "/cancel")
	n = bottest.WaitFor(t, h, "sm", n+1, "Cancelled")
	h.Press(t, "sm", "Language: English")
	n = bottest.WaitFor(t, h, "sm", n+1, "menu is closed")
	h.Send(t, "sm", "/settings")
	n = bottest.WaitFor(t, h, "sm", n+1, "What would you like to change?")
	h.Press(t, "sm", "Language: English")
	n = bottest.WaitFor(t, h, "sm", n+1, "Which language")
	h.Press(t, "sm", "Deutsch")
	n = bottest.WaitFor(t, h, "sm", n+1, "")
	h.Press(t, "sm", "Time zone: Europe/Ljubljana")
	bottest.WaitFor(t, h, "sm", n+1, "Menü ist geschlossen")
	if s := h.state(t, "sm"); s.Step != "" || s.Profile.Lang != "de" {
		t.Fatalf("step %q lang %q, want no open question and German", s.Step, s.Profile.Lang)
	}
}

// TestCommandsDuringSetUp: a command that needs the set-up's answers, sent
// half way, says to finish the set-up and asks the open question again.
func TestCommandsDuringSetUp(t *testing.T) {
	h := newHarness(t, nil, bots.Config{TutorCodes: []string{"tutor-code"}})
	n := toCountry(t, h, "su")
	h.Press(t, "su", "Slovenia")
	n = bottest.WaitFor(t, h, "su", n+1, "Which time zone")
	h.Press(t, "su", "Another time zone")
	n = bottest.WaitFor(t, h, "su", n+1, "Type a city")
	for _, cmd := range []string{"/progress", "/tutor", "/mentor mqtt", "/lesson"} {
		h.Send(t, "su", cmd)
		n = bottest.WaitFor(t, h, "su", n+1, "finish the set-up first")
		n = bottest.WaitFor(t, h, "su", n+1, "Type a city")
	}
	h.Send(t, "su", "Ljubljana")
	bottest.WaitFor(t, h, "su", n+1, "Europe/Ljubljana?")
}

// TestOldSetUpButtonShowsTheOpenQuestion: a button of a set-up question
// already answered (from another chat of the same user, say) says so and
// shows the question that is open now.
func TestOldSetUpButtonShowsTheOpenQuestion(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := toCountry(t, h, "ob")
	h.press(t, "ob", "lang:de")
	n = bottest.WaitFor(t, h, "ob", n+1, "no longer active")
	bottest.WaitFor(t, h, "ob", n+1, "Which country")
}

// TestTypedNameOfAnOfferedButton: in the terminal a typed "Slovenia" after
// "Another country" is read as the earlier Slovenia button; it answers the
// question, in the set-up and in /settings; so does the zone.
func TestTypedNameOfAnOfferedButton(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := toCountry(t, h, "tn")
	h.Press(t, "tn", "Another country")
	n = bottest.WaitFor(t, h, "tn", n+1, "country")
	h.press(t, "tn", "country:SI")
	n = bottest.WaitFor(t, h, "tn", n+1, "Which time zone")
	h.Press(t, "tn", "Another time zone")
	n = bottest.WaitFor(t, h, "tn", n+1, "Type a city")
	h.press(t, "tn", "zone:Europe/Ljubljana")
	bottest.WaitFor(t, h, "tn", n+1, "Which skills")

	n = bottest.Onboard(t, h, "ts")
	h.Send(t, "ts", "/settings")
	n = bottest.WaitFor(t, h, "ts", n, "What would you like to change?")
	h.press(t, "ts", "set:country")
	n = bottest.WaitFor(t, h, "ts", n+1, "Which country")
	h.Press(t, "ts", "Another country")
	n = bottest.WaitFor(t, h, "ts", n+1, "country")
	h.press(t, "ts", "country:DE")
	n = bottest.WaitFor(t, h, "ts", n+1, "Saved")
	bottest.WaitFor(t, h, "ts", n+1, "Which time zone") // Ljubljana is not in Germany
	if s := h.state(t, "ts"); s.Profile.Country != "DE" {
		t.Fatalf("country %q, want DE", s.Profile.Country)
	}
}

// TestUnder16CannotBeATutor: a learner under 16 who picks "Tutor" is told
// tutors are 16 or older and continues as a learner.
func TestUnder16CannotBeATutor(t *testing.T) {
	h := newHarness(t, nil, bots.Config{EnrolmentCodes: []string{"school-42"},
		TutorCodes: []string{"tutor-code"}})
	h.Send(t, "kid", "/start")
	n := bottest.WaitFor(t, h, "kid", 0, "Do you agree?")
	h.Press(t, "kid", "Yes, I agree")
	n = bottest.WaitFor(t, h, "kid", n+1, "How old are you?")
	h.press(t, "kid", "age:minor")
	n = bottest.WaitFor(t, h, "kid", n+1, "enrolment code")
	h.Send(t, "kid", "school-42")
	n = bottest.WaitFor(t, h, "kid", n+1, "Which language")
	h.Press(t, "kid", "English")
	n = bottest.WaitFor(t, h, "kid", n+1, "learner or as a tutor")
	h.press(t, "kid", "role:tutor")
	n = bottest.WaitFor(t, h, "kid", n+1, "16 or older")
	bottest.WaitFor(t, h, "kid", n+1, "Which country")
	if s := h.state(t, "kid"); s.Profile.Role != bots.RoleLearner {
		t.Fatalf("role %q, want learner", s.Profile.Role)
	}
}

// TestNewCountryAsksTheZone: a country changed in /settings to one whose
// zones do not include the user's asks for the zone; one that does not.
func TestNewCountryAsksTheZone(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "nc")
	h.Send(t, "nc", "/settings")
	n = bottest.WaitFor(t, h, "nc", n, "What would you like to change?")
	h.press(t, "nc", "set:country")
	n = bottest.WaitFor(t, h, "nc", n+1, "Which country")
	h.press(t, "nc", "country:other")
	n = bottest.WaitFor(t, h, "nc", n+1, "country")
	h.Send(t, "nc", "Portugal")
	n = bottest.WaitFor(t, h, "nc", n+1, "Saved")
	n = bottest.WaitFor(t, h, "nc", n+1, "Which time zone")
	h.Press(t, "nc", h.Received(t, "nc")[n].Buttons[0])
	bottest.WaitFor(t, h, "nc", n+1, "Saved")
	s := h.state(t, "nc")
	if s.Profile.Country != "PT" || s.Profile.Zone != "Europe/Lisbon" || s.Step != "" {
		t.Fatalf("country %q zone %q step %q, want PT, Europe/Lisbon, none open",
			s.Profile.Country, s.Profile.Zone, s.Step)
	}
}

// TestHelpDuringSetUpAsksTheQuestionAgain: /help and /privacy answer during
// the set-up, and the open question follows (briefly, for consent).
func TestHelpDuringSetUpAsksTheQuestionAgain(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	h.Send(t, "hp", "/start")
	n := bottest.WaitFor(t, h, "hp", 0, "Do you agree?")
	h.Send(t, "hp", "/help")
	n = bottest.WaitFor(t, h, "hp", n+1, "/privacy")
	n = bottest.WaitFor(t, h, "hp", n+1, "Do you agree that I store this?")
	h.Press(t, "hp", "Yes, I agree")
	n = bottest.WaitFor(t, h, "hp", n+1, "How old are you?")
	h.Send(t, "hp", "/privacy")
	n = bottest.WaitFor(t, h, "hp", n+1, "What I store")
	bottest.WaitFor(t, h, "hp", n+1, "How old are you?")
}

// TestReviewBeforeAnyLesson says where review questions come from, and the
// summary of the set-up says "none" for no daily lesson.
func TestReviewBeforeAnyLesson(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := toCountry(t, h, "rb")
	for _, d := range []string{"country:SI", "zone:Europe/Ljubljana", "skill:mqtt.qos", "skills:done",
		"time:none"} {
		h.press(t, "rb", d)
	}
	n = bottest.WaitFor(t, h, "rb", n+1, "Daily lesson: none.")
	h.Send(t, "rb", "/review")
	bottest.WaitFor(t, h, "rb", n+1, "questions you miss in a /lesson come back here")
}

// TestHelpDuringQuietHoursAsksAgain: /help while the quiet hours are being
// typed answers, then asks for them again, and the answer is taken.
func TestHelpDuringQuietHoursAsksAgain(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "qh")
	h.Send(t, "qh", "/settings")
	n = bottest.WaitFor(t, h, "qh", n, "What would you like to change?")
	h.press(t, "qh", "set:quiet")
	n = bottest.WaitFor(t, h, "qh", n+1, "When should I not send reminders?")
	h.Send(t, "qh", "/help")
	n = bottest.WaitFor(t, h, "qh", n+1, "/privacy")
	n = bottest.WaitFor(t, h, "qh", n+1, "When should I not send reminders?")
	h.Send(t, "qh", "22:00 - 07:00")
	bottest.WaitFor(t, h, "qh", n+1, "Saved")
	if s := h.state(t, "qh"); s.Profile.Quiet != "22:00-07:00" {
		t.Fatalf("quiet hours %q, want 22:00-07:00", s.Profile.Quiet)
	}
}
