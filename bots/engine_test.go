package bots_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
	"github.com/talentjourney/talentbot/store"
	"github.com/talentjourney/talentbot/store/storetest"
)

// recorder is the test's platform: it records what each user receives.
type recorder struct {
	mu   sync.Mutex
	msgs map[string][]bots.Message
	// away are users whose chat is shown by no process: their messages
	// wait in the outbox, as for a terminal user who is not chatting.
	away map[string]bool
}

func (r *recorder) Send(_ context.Context, m bots.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.away[m.User] {
		return &bots.SendError{Kind: bots.ErrElsewhere, Err: errors.New("not chatting")}
	}
	r.msgs[m.User] = append(r.msgs[m.User], m)
	return nil
}

func (r *recorder) setAway(user string, away bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.away == nil {
		r.away = map[string]bool{}
	}
	r.away[user] = away
}

func (r *recorder) got(user string) []bots.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bots.Message(nil), r.msgs[user]...)
}

// harness is a running engine on a test store with a recording platform.
type harness struct {
	eng  *bots.Engine
	st   *store.Store
	rec  *recorder
	stop func()
}

func newHarness(t testing.TB, st *store.Store, cfg bots.Config) *harness {
	t.Helper()
	if st == nil {
		st = storetest.New(t)
	}
	cfg.SweepEvery = 100 * time.Millisecond
	eng, err := bots.New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{msgs: map[string][]bots.Message{}}
	eng.AddSender(bots.Terminal, rec)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { eng.Run(ctx); close(done) }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return &harness{eng: eng, st: st, rec: rec, stop: stop}
}

// Send implements bottest.Platform for users "term:<name>".
func (h *harness) Send(t testing.TB, user, text string) {
	t.Helper()
	ev := bots.Event{Platform: bots.Terminal, User: "term:" + user, Chat: user, Kind: bots.KindText,
		Text: text, Name: bottest.UserTextName}
	if strings.HasPrefix(text, "/") {
		name, args, _ := strings.Cut(text[1:], " ")
		ev.Kind, ev.Command, ev.Args, ev.Text = bots.KindCommand, name, args, ""
	}
	h.submit(t, ev)
}

func (h *harness) submit(t testing.TB, ev bots.Event) {
	t.Helper()
	if err := h.eng.Submit(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
}

// Press implements bottest.Platform.
func (h *harness) Press(t testing.TB, user, label string) {
	t.Helper()
	msgs := h.rec.got("term:" + user)
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Buttons {
			for _, b := range row {
				if b.Label == label {
					h.submit(t, bots.Event{Platform: bots.Terminal, User: "term:" + user, Chat: user,
						Kind: bots.KindButton, Data: b.Data})
					return
				}
			}
		}
	}
	t.Fatalf("%s has no button %q", user, label)
}

// Received implements bottest.Platform.
func (h *harness) Received(_ testing.TB, user string) []bottest.Received {
	var out []bottest.Received
	for _, m := range h.rec.got("term:" + user) {
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

func TestConformance(t *testing.T) {
	bottest.Run(t, func(t *testing.T) bottest.Platform { return newHarness(t, nil, bots.Config{}) })
}

// TestOrderOfOneUser appends 50 numbered messages of one user from 8
// goroutines, in a known order, and checks they are handled in that order.
func TestOrderOfOneUser(t *testing.T) {
	var mu sync.Mutex
	var handled []string
	h := newHarness(t, nil, bots.Config{OnHandled: func(ev bots.Event) {
		if ev.User == "term:fast" {
			mu.Lock()
			handled = append(handled, ev.Text)
			mu.Unlock()
		}
	}})
	// Goroutine g sends the numbers n with n%8 == g, each after n-1 is
	// stored, so the queue order is 0..49 while 8 goroutines submit.
	turn := make([]chan struct{}, 51)
	for i := range turn {
		turn[i] = make(chan struct{})
	}
	close(turn[0])
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for n := g; n < 50; n += 8 {
				<-turn[n]
				h.submit(t, bots.Event{Platform: bots.Terminal, User: "term:fast", Chat: "fast",
					Kind: bots.KindText, Text: fmt.Sprint(n)})
				close(turn[n+1])
			}
		}(g)
	}
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(handled)
		mu.Unlock()
		if n >= 50 && len(h.rec.got("term:fast")) >= 99 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(handled) != 50 {
		t.Fatalf("handled %d events, want 50", len(handled))
	}
	for i, text := range handled {
		if text != fmt.Sprint(i) {
			t.Fatalf("event %d handled was %q, want %q (order %v)", i, text, fmt.Sprint(i), handled)
		}
	}
	// The first text gets the consent question; each later one a note and
	// the question again.
	if got := len(h.rec.got("term:fast")); got != 99 {
		t.Fatalf("user got %d replies, want 99", got)
	}
}

// TestDuplicateEventHasEffectOnce submits one update id twice.
func TestDuplicateEventHasEffectOnce(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	ev := bots.Event{ID: "term:u:1", Platform: bots.Terminal, User: "term:dup", Chat: "dup",
		Kind: bots.KindCommand, Command: "start"}
	h.submit(t, ev)
	h.submit(t, ev)
	bottest.WaitFor(t, h, "dup", 0, "Do you agree?")
	time.Sleep(200 * time.Millisecond)
	if n := len(h.rec.got("term:dup")); n != 1 {
		t.Fatalf("got %d replies to one update sent twice, want 1", n)
	}
}

// TestRestartContinuesOnboarding stops the engine in the middle of
// onboarding; a new engine on the same store asks the same question.
func TestRestartContinuesOnboarding(t *testing.T) {
	st := storetest.New(t)
	h := newHarness(t, st, bots.Config{})
	h.Send(t, "re", "/start")
	n := bottest.WaitFor(t, h, "re", 0, "Do you agree?")
	h.Press(t, "re", "Yes, I agree")
	n = bottest.WaitFor(t, h, "re", n+1, "How old are you?")
	h.Press(t, "re", "16 or older")
	bottest.WaitFor(t, h, "re", n+1, "Which language")
	h.stop()

	h2 := newHarness(t, st, bots.Config{})
	h2.Send(t, "re", "hello")
	i := bottest.WaitFor(t, h2, "re", 0, "")
	if got := h2.Received(t, "re")[i].Text; !strings.Contains(got, "one of the buttons") {
		t.Fatalf("after restart the bot said %q, want a reminder to answer the language question", got)
	}
	i = bottest.WaitFor(t, h2, "re", i+1, "Which language")
	h2.submit(t, bots.Event{Platform: bots.Terminal, User: "term:re", Chat: "re",
		Kind: bots.KindButton, Data: "lang:de"})
	j := bottest.WaitFor(t, h2, "re", i+1, "")
	if got := h2.Received(t, "re")[j].Buttons; len(got) != 2 {
		t.Fatalf("after the language the bot offered %v, want the two role buttons", got)
	}
}

// TestDeleteLeavesNoTrace deletes a user and scans Redis for any key or
// value that names them.
func TestDeleteLeavesNoTrace(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "gone")
	h.Send(t, "gone", "/lesson")
	n = bottest.WaitFor(t, h, "gone", n, "Quiz")
	h.Press(t, "gone", h.Received(t, "gone")[n].Buttons[1])
	n = bottest.WaitFor(t, h, "gone", n+1, "")
	h.Send(t, "gone", "/delete")
	n = bottest.WaitFor(t, h, "gone", n, "Delete all your data?")
	h.Press(t, "gone", "Yes, delete everything")
	bottest.WaitFor(t, h, "gone", n+1, "All your data is deleted")

	ctx := context.Background()
	deadline := time.Now().Add(5 * time.Second)
	var traces []string
	for time.Now().Before(deadline) {
		traces = storetest.Traces(ctx, t, h.st, "term:gone")
		if len(traces) == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("after /delete Redis still names the user: %v", traces)
}

// TestDeleteQuestionStaysOpen: typed text while /delete waits for its
// answer asks the deletion question again instead of an older one (the
// quiz), and someone who never agreed is told that nothing is stored.
func TestDeleteQuestionStaysOpen(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "del")
	h.Send(t, "del", "/lesson")
	n = bottest.WaitFor(t, h, "del", n, "Quiz")
	h.Send(t, "del", "/delete")
	n = bottest.WaitFor(t, h, "del", n+1, "Delete all your data?")
	h.Send(t, "del", "3")
	n = bottest.WaitFor(t, h, "del", n+1, "one of the buttons")
	n = bottest.WaitFor(t, h, "del", n+1, "Delete all your data?")
	h.Press(t, "del", "No, keep it")
	n = bottest.WaitFor(t, h, "del", n+1, "Nothing was deleted")
	h.Send(t, "del", "4")
	bottest.WaitFor(t, h, "del", n+1, "Quiz") // the quiz is still open

	h.Send(t, "never", "/progress")
	n = bottest.WaitFor(t, h, "never", 0, "")
	h.Send(t, "never", "/delete")
	n = bottest.WaitFor(t, h, "never", n+1, "Nothing is stored about you")
	h.Send(t, "never", "1") // not taken as consent: the question is asked
	bottest.WaitFor(t, h, "never", n+1, "Do you agree?")
}

// TestSettingsMenuStaysOpen: a number that matches no button of the
// /settings menu shows the menu again; a quiz button pressed meanwhile
// leaves the menu, and later text shows the quiz again.
func TestSettingsMenuStaysOpen(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	n := bottest.Onboard(t, h, "menu")
	h.Send(t, "menu", "/lesson")
	n = bottest.WaitFor(t, h, "menu", n, "Quiz")
	quiz := h.Received(t, "menu")[n]
	h.Send(t, "menu", "/settings")
	n = bottest.WaitFor(t, h, "menu", n+1, "What would you like to change?")
	h.Send(t, "menu", "7")
	n = bottest.WaitFor(t, h, "menu", n+1, "one of the buttons")
	n = bottest.WaitFor(t, h, "menu", n+1, "What would you like to change?")
	h.Press(t, "menu", quiz.Buttons[0])
	n = bottest.WaitFor(t, h, "menu", n+1, "")
	h.Send(t, "menu", "7")
	n = bottest.WaitFor(t, h, "menu", n+1, "one of the buttons")
	n = bottest.WaitFor(t, h, "menu", n+1, "")
	if got := h.Received(t, "menu")[n].Text; !strings.Contains(got, "Quiz: question 2") {
		t.Fatalf("after a quiz answer, text brought back %q, want the quiz's next question", got)
	}
}

// TestEngineImportsNoPlatformLibrary reads `go list -deps` of the engine.
func TestEngineImportsNoPlatformLibrary(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, sdk := range []string{"go-telegram", "discordgo", "telegram-bot-api"} {
			if strings.Contains(dep, sdk) {
				t.Errorf("package bots depends on %s", dep)
			}
		}
	}
}

// A delivered batch is acknowledged soon after, whether or not the user
// writes again: the outbox is empty and its lease free, and the next reply
// is not held up.
func TestDeliveredRepliesAreAcknowledged(t *testing.T) {
	h := newHarness(t, nil, bots.Config{})
	ctx := context.Background()
	user := "term:ack"
	out, lease := h.st.Keys.User(user, "out"), h.st.Keys.User(user, "outlease")
	for i, cmd := range []string{"help", "privacy", "help"} {
		h.submit(t, bots.Event{Platform: bots.Terminal, User: user, Chat: user,
			Kind: bots.KindCommand, Command: cmd})
		deadline := time.Now().Add(5 * time.Second)
		for len(h.rec.got(user)) < i+1 {
			if time.Now().After(deadline) {
				t.Fatalf("no reply to /%s (event %d)", cmd, i+1)
			}
			time.Sleep(time.Millisecond)
		}
	}
	deadline := time.Now().Add(time.Second)
	for {
		n, _ := h.st.Client.LLen(ctx, out).Result()
		held, _ := h.st.Client.Exists(ctx, lease).Result()
		if n == 0 && held == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a second after the last reply: %d messages in the outbox, lease held %d", n, held)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := len(h.rec.got(user)); got != 3 {
		t.Fatalf("%d replies, want 3 (none twice)", got)
	}
}
