package bots_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
	"github.com/talentjourney/talentbot/lessons"
	"github.com/talentjourney/talentbot/scheduler"
	"github.com/talentjourney/talentbot/store/storetest"
)

// press submits a button payload for user.
func (h *harness) press(t testing.TB, user, data string) {
	t.Helper()
	h.submit(t, bots.Event{Platform: bots.Terminal, User: "term:" + user, Chat: user,
		Kind: bots.KindButton, Data: data})
}

// TestLanguageChangeChangesEveryMessage switches the language in /settings
// and checks that the following replies are German, lessons included.
func TestLanguageChangeChangesEveryMessage(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "lang")
	h.Send(t, "lang", "/settings")
	n = bottest.WaitFor(t, h, "lang", n, "What would you like to change?")
	h.press(t, "lang", "set:lang")
	n = bottest.WaitFor(t, h, "lang", n+1, "Which language")
	h.press(t, "lang", "lang:de")
	n = bottest.WaitFor(t, h, "lang", n+1, "Gespeichert")
	for _, c := range []struct{ cmd, want string }{
		{"/help", "Das kann ich"}, {"/progress", "Fortschritt"}, {"/privacy", "speichere"},
		{"hallo", "nicht verstanden"}, {"/lesson", "Quiz: Frage 1"}, {"/nonsense", "Befehl"},
		{"1", "Schaltflächen"},
	} {
		h.Send(t, "lang", c.cmd)
		n = bottest.WaitFor(t, h, "lang", n+1, c.want)
	}
}

// TestWholeTrackThenReview completes the MQTT track in order, answering the
// first question of one lesson wrongly; /review offers nothing before the
// question is due and offers it once the fake clock says so.
func TestWholeTrackThenReview(t *testing.T) {
	st := storetest.New(t)
	clock := scheduler.NewFakeClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	h := newHarness(t, st, bots.Config{Clock: clock.Now})
	cat, err := lessons.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	user := "track"
	n := bottest.Onboard(t, h, user)
	track := cat.Track("mqtt")
	missed := track[0]
	for _, l := range track {
		h.Send(t, user, "/lesson mqtt")
		n = bottest.WaitFor(t, h, user, n, "Quiz: question 1") + 1
		got := h.Received(t, user)
		if !strings.Contains(got[n-2].Text, l.Title) {
			t.Fatalf("lesson sent was %.60q, want %q next in the track", got[n-2].Text, l.Title)
		}
		for q := range l.Quiz {
			choice := l.Quiz[q].Correct
			if l == missed && q == 0 {
				choice = (choice + 1) % len(l.Quiz[q].Options)
			}
			h.press(t, user, fmt.Sprintf("q:%s:%d:%d", l.ID, q, choice))
		}
		n = bottest.WaitFor(t, h, user, n, "Lesson done") + 1
		if got := h.Received(t, user)[n-1].Text; l == missed &&
			!strings.Contains(got, "bring back the question you missed tomorrow") {
			t.Fatalf("after a missed question the lesson ends with %q", got)
		}
	}
	h.Send(t, user, "/progress")
	i := bottest.WaitFor(t, h, user, n, "Your progress")
	if got := h.Received(t, user)[i].Text; !strings.Contains(got, fmt.Sprintf("%d lessons done", len(track))) {
		t.Fatalf("progress after the track: %q", got)
	}
	h.Send(t, user, "/review")
	i = bottest.WaitFor(t, h, user, i+1, "")
	if got := h.Received(t, user)[i].Text; !strings.Contains(got, "Nothing to review") {
		t.Fatalf("right after the lesson /review said %q, want nothing due yet", got)
	}
	clock.Advance(25 * time.Hour)
	h.Send(t, user, "/review")
	i = bottest.WaitFor(t, h, user, i+1, "1 question to review")
	q := h.Received(t, user)[i+1]
	if !strings.Contains(q.Text, missed.Quiz[0].Text) {
		t.Fatalf("review question is %q, want the missed %q", q.Text, missed.Quiz[0].Text)
	}
	h.press(t, user, fmt.Sprintf("rv:%s:0:%d", missed.ID, missed.Quiz[0].Correct))
	bottest.WaitFor(t, h, user, i+2, "Right")
}

// TestOpenedAgainShowsTheOpenQuestion: a chat opened again (KindOpen) gets
// the open onboarding question or quiz question again, with its buttons;
// a new user gets nothing and nothing is stored for them.
func TestOpenedAgainShowsTheOpenQuestion(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	ctx := context.Background()

	h.open(t, "new")
	if got := h.rec.got("term:new"); len(got) != 0 {
		t.Fatalf("a new user opening the chat got %d messages", len(got))
	}
	if n, _ := h.st.Client.Exists(ctx, h.st.Keys.User("term:new", "state")).Result(); n != 0 {
		t.Fatal("a state was stored for a user who only opened the chat")
	}

	h.Send(t, "ob", "/start")
	n := bottest.WaitFor(t, h, "ob", 0, "Do you agree?")
	h.press(t, "ob", "consent:yes")
	n = bottest.WaitFor(t, h, "ob", n+1, "How old")
	h.press(t, "ob", "age:minor")
	n = bottest.WaitFor(t, h, "ob", n+1, "enrolment code")
	h.open(t, "ob")
	n = bottest.WaitFor(t, h, "ob", n+1, "enrolment code")
	h.Press(t, "ob", "I am 16 or older")
	n = bottest.WaitFor(t, h, "ob", n+1, "Which language")
	h.open(t, "ob")
	bottest.WaitFor(t, h, "ob", n+1, "Which language")

	n = bottest.Onboard(t, h, "quiz")
	h.Send(t, "quiz", "/lesson")
	n = bottest.WaitFor(t, h, "quiz", n+1, "Quiz: question 1")
	h.open(t, "quiz")
	bottest.WaitFor(t, h, "quiz", n+1, "Quiz: question 1")
}

// TestResumeWhenNotPaused says so instead of welcoming the user back.
func TestResumeWhenNotPaused(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "rs")
	h.Send(t, "rs", "/resume")
	n = bottest.WaitFor(t, h, "rs", n, "You are not paused")
	h.Send(t, "rs", "/pause")
	n = bottest.WaitFor(t, h, "rs", n+1, "Paused")
	h.Send(t, "rs", "/resume")
	bottest.WaitFor(t, h, "rs", n+1, "Welcome back")
}

// TestCancelAHalfTypedAnswer: /cancel while the bot waits for typed text
// (here quiet hours from /settings) says it cancelled, and the text typed
// next is not taken as the answer.
func TestCancelAHalfTypedAnswer(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "cn")
	h.Send(t, "cn", "/settings")
	n = bottest.WaitFor(t, h, "cn", n, "What would you like to change?")
	h.press(t, "cn", "set:quiet")
	n = bottest.WaitFor(t, h, "cn", n+1, "21:00-08:00")
	h.Send(t, "cn", "/cancel")
	n = bottest.WaitFor(t, h, "cn", n+1, "Cancelled")
	h.Send(t, "cn", "22:00-07:00")
	bottest.WaitFor(t, h, "cn", n+1, "did not understand")
}
