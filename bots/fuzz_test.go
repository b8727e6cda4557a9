package bots_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/bottest"
)

// FuzzEvents feeds arbitrary events to the engine: every one must get a
// polite answer or none, never a panic, and the user must still be able to
// use /help afterwards. The seed corpus runs in every go test.
func FuzzEvents(f *testing.F) {
	seeds := []struct {
		kind          string
		cmd, text, dt string
	}{
		{"command", "start", "", ""},
		{"command", "lesson", "junk junk 🤖", ""},
		{"command", "", "", ""},
		{"command", "DELETE", "", ""},
		{"text", "", strings.Repeat("x", 10000), ""},
		{"text", "", "", ""},
		{"text", "", "😀😀😀", ""},
		{"text", "", "שלום עולם", ""},
		{"text", "", "\x00\x01\x1b[31m\u202e", ""},
		{"text", "", "\xff\xfe", ""},
		{"button", "", "", "q:nope:0:0"},
		{"button", "", "", "q:mqtt-qos:9:9"},
		{"button", "", "", "lang:xx"},
		{"button", "", "", "zone:../../etc/passwd"},
		{"button", "", "", "del:yes"},
		{"button", "", "", ":::"},
		{"poll", "", "", "rv:mqtt-topics:0:-1"},
		{"job", "", "", "daily"},
		{"blocked", "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.kind, s.cmd, s.text, s.dt)
	}
	h := newHarness(f, nil, bots.Config{})
	n := 0
	f.Fuzz(func(t *testing.T, kind, cmd, text, data string) {
		n++
		user := "fuzz"
		ev := bots.Event{Platform: bots.Terminal, User: "term:" + user, Chat: user,
			Kind: bots.EventKind(kind), Command: cmd, Text: text, Data: data}
		if kind == "job" || kind == "blocked" {
			ev.Kind = bots.KindJob
			if kind == "blocked" {
				ev.Kind = bots.KindBlocked
			}
		}
		before := len(h.Received(t, user))
		if err := h.eng.Submit(context.Background(), ev); err != nil {
			return // refused at the door (no kind): nothing stored
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := h.eng.Settle(ctx, "term:"+user); err != nil {
			t.Fatalf("engine did not settle: %v", err)
		}
		for _, m := range h.Received(t, user)[before:] {
			if !utf8.ValidString(m.Text) {
				t.Fatalf("reply is not valid UTF-8: %q", m.Text)
			}
			if strings.Contains(m.Text, "went wrong") {
				t.Fatalf("event %+v made an internal error", ev)
			}
		}
		// The user can still get help (after consent the list, before it a
		// pointer to /start): the bot is not stuck.
		h.Send(t, user, "/help")
		bottest.WaitFor(t, h, user, before, "")
	})
}
