// Package bottest is the conformance suite every chat adapter runs against
// its fake platform: the learner's journey, ordering of one user's events,
// formatting of user text, and bad input. An adapter's test wires the real
// engine (bots.New on a storetest store), the adapter and a fake platform
// server, and passes a Platform to Run.
package bottest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Received is one message a user got, as the fake platform recorded it:
// the text as a reader sees it (formatting removed, entities decoded) and
// the labels of its buttons in order.
type Received struct {
	Text    string
	Buttons []string
}

// Platform drives one adapter through its fake platform.
type Platform interface {
	// Send delivers text typed by user (a short name unique in the test,
	// such as "ana"; the adapter maps it to a platform user) to the bot.
	// Text starting with "/" is a command.
	Send(t testing.TB, user, text string)
	// Press presses the button labelled label on the latest message user
	// received that has such a button.
	Press(t testing.TB, user, label string)
	// Received returns every message user has received so far, in order.
	Received(t testing.TB, user string) []Received
}

// Timeout is how long the suite waits for a reply.
var Timeout = 10 * time.Second

// Run runs the suite; newPlatform is called once per subtest.
func Run(t *testing.T, newPlatform func(t *testing.T) Platform) {
	t.Run("Journey", func(t *testing.T) { testJourney(t, newPlatform(t)) })
	t.Run("Ordering", func(t *testing.T) { testOrdering(t, newPlatform(t)) })
	t.Run("UserTextUnchanged", func(t *testing.T) { testUserText(t, newPlatform(t)) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, newPlatform(t)) })
}

// WaitFor waits until user has received a message containing substr after
// the first `after` messages, and returns its index.
func WaitFor(t testing.TB, p Platform, user string, after int, substr string) int {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for time.Now().Before(deadline) {
		got := p.Received(t, user)
		for i := after; i < len(got); i++ {
			if strings.Contains(got[i].Text, substr) {
				return i
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	got := p.Received(t, user)
	t.Fatalf("%s did not receive %q within %v; got %d messages: %s", user, substr, Timeout,
		len(got), lastTexts(got, after))
	return -1
}

func lastTexts(got []Received, after int) string {
	var b strings.Builder
	for i := after; i < len(got); i++ {
		fmt.Fprintf(&b, "\n  [%d] %.120q %v", i, got[i].Text, got[i].Buttons)
	}
	return b.String()
}

// Onboard takes user through onboarding as a learner in Slovenia, with the
// first MQTT skill and a daily lesson at 18:00, and returns the number of
// messages received by then.
func Onboard(t testing.TB, p Platform, user string) int {
	t.Helper()
	p.Send(t, user, "/start")
	n := WaitFor(t, p, user, 0, "Do you agree?")
	for _, s := range []struct{ press, next string }{
		{"Yes, I agree", "How old are you?"}, {"16 or older", "Which language"},
		{"English", "learner or as a tutor"}, {"Learner", "Which country"},
		{"Slovenia", "Which time zone"}, {"Another time zone", "Type a city"},
	} {
		p.Press(t, user, s.press)
		n = WaitFor(t, p, user, n+1, s.next)
	}
	p.Send(t, user, "Ljubljana")
	n = WaitFor(t, p, user, n+1, "Europe/Ljubljana?")
	got := p.Received(t, user)
	p.Press(t, user, got[n].Buttons[0])
	n = WaitFor(t, p, user, n+1, "Which skills")
	p.Press(t, user, "▶")
	n = WaitFor(t, p, user, n+1, "Industrial networks")
	p.Press(t, user, "▶")
	n = WaitFor(t, p, user, n+1, "MQTT")
	got = p.Received(t, user)
	p.Press(t, user, got[n].Buttons[0])
	n = WaitFor(t, p, user, n+1, "1 chosen")
	p.Press(t, user, "Done")
	n = WaitFor(t, p, user, n+1, "daily lesson come")
	p.Press(t, user, "18:00")
	return WaitFor(t, p, user, n+1, "All set!") + 1
}

func testJourney(t *testing.T, p Platform) {
	n := Onboard(t, p, "ana")
	p.Send(t, "ana", "/lesson")
	n = WaitFor(t, p, "ana", n, "Quiz: question 1")
	got := p.Received(t, "ana")
	if len(got[n].Buttons) < 3 {
		t.Fatalf("quiz question has %d buttons, want 3 or 4", len(got[n].Buttons))
	}
	p.Press(t, "ana", got[n].Buttons[0])
	n = WaitFor(t, p, "ana", n+1, "") // feedback
	fb := p.Received(t, "ana")[n].Text
	if !strings.Contains(fb, "Right") && !strings.Contains(fb, "Not quite") {
		t.Fatalf("feedback %q says neither right nor wrong", fb)
	}
	p.Send(t, "ana", "/progress")
	i := WaitFor(t, p, "ana", n+1, "Your progress")
	if txt := p.Received(t, "ana")[i].Text; !strings.Contains(txt, "/1 right") {
		t.Fatalf("progress %q does not count the one quiz answer", txt)
	}
}

func testOrdering(t *testing.T, p Platform) {
	n := Onboard(t, p, "olli")
	cmds := []string{"/help", "/privacy", "/progress", "/help", "/privacy", "/progress",
		"/help", "/progress", "/privacy", "/help"}
	marks := map[string]string{"/help": "What I can do", "/privacy": "What I store",
		"/progress": "Your progress"}
	for _, c := range cmds {
		p.Send(t, "olli", c)
	}
	WaitFor(t, p, "olli", n, "")
	deadline := time.Now().Add(Timeout)
	for len(p.Received(t, "olli")) < n+len(cmds) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	got := p.Received(t, "olli")[n:]
	if len(got) < len(cmds) {
		t.Fatalf("got %d replies to %d commands", len(got), len(cmds))
	}
	for i, c := range cmds {
		if !strings.Contains(got[i].Text, marks[c]) {
			t.Fatalf("reply %d is %.60q, want the answer to %s", i, got[i].Text, c)
		}
	}
}

// UserTextName and UserTextAnswer are the name and answer of the user-text
// case: adapters' fakes give the user this display name.
const (
	UserTextName   = "Mary-Jane O'Neil (Kate_99)!"
	UserTextAnswer = "5.0 (I think) <b>*_`[x](y)`_*</b> & ~||"
)

func testUserText(t *testing.T, p Platform) {
	n := Onboard(t, p, "mary")
	p.Send(t, "mary", UserTextAnswer)
	i := WaitFor(t, p, "mary", n, "did not understand")
	txt := p.Received(t, "mary")[i].Text
	if !strings.Contains(txt, UserTextAnswer) || !strings.Contains(txt, UserTextName) {
		t.Fatalf("reply %q does not quote the name %q and the answer %q unchanged", txt,
			UserTextName, UserTextAnswer)
	}
}

func testBadInput(t *testing.T, p Platform) {
	n := Onboard(t, p, "bad")
	inputs := []struct{ text, want string }{
		{strings.Repeat("x", 10000), "too long"},
		{"😀😀😀", "did not understand “😀😀😀”"},
		{"שלום עולם", "did not understand “שלום עולם”"},
		{"\x01\x02\x7f", "empty message"},
		{"/lesson junk junk 🤖", "do not know that track"},
		{"/nosuchcommand", "do not know that command"},
	}
	for _, in := range inputs {
		p.Send(t, "bad", in.text)
		n = WaitFor(t, p, "bad", n, in.want) + 1
	}
	p.Send(t, "bad", "/progress")
	WaitFor(t, p, "bad", n, "Your progress")
}
