package terminal

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
)

// Messages that arrive while the prompt waits for a line are printed below
// the prompt (what was typed stays in sight), and the prompt comes again
// once, below the last of them.
func TestMessageWhilePromptingShowsThePromptAgain(t *testing.T) {
	var buf bytes.Buffer
	c := New(nil, "ana", &buf, true)
	// Every write to the chat's output is made holding c.mu.
	printed := func() string {
		c.mu.Lock()
		defer c.mu.Unlock()
		return buf.String()
	}
	reset := func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		buf.Reset()
	}
	c.setPrompting(true)
	if got := printed(); got != "> " {
		t.Fatalf("prompt printed as %q", got)
	}
	reset()
	m := bots.Message{User: "term:ana", Text: bots.Text{{Text: "New mentoring request"}},
		Buttons: [][]bots.Button{{{Label: "Accept", Data: "a"}}}}
	lesson := bots.Message{User: "term:ana", Text: bots.Text{{Text: "Time for today's lesson!"}}}
	for _, msg := range []bots.Message{m, lesson} {
		if err := c.Send(context.Background(), msg); err != nil {
			t.Fatal(err)
		}
	}
	want := "\nNew mentoring request\n  1. Accept\n\nTime for today's lesson!\n\n> "
	deadline := time.Now().Add(2 * time.Second)
	for printed() != want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(2 * promptDelay) // no second prompt follows
	if printed() != want {
		t.Fatalf("printed %q, want %q", printed(), want)
	}
	reset()
	c.setPrompting(false)
	if err := c.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * promptDelay)
	if want := "New mentoring request\n  1. Accept\n\n"; printed() != want {
		t.Fatalf("printed %q, want %q", printed(), want)
	}
}

// A button is chosen by its number, its label, the label before " (", or
// the label before ", " when that is the start of no other label.
func TestButtonByNumberOrLabel(t *testing.T) {
	c := New(nil, "ana", &bytes.Buffer{}, false)
	c.buttons = []bots.Button{
		{Label: "Yes, I agree", Data: "consent:yes"},
		{Label: "No, I do not agree", Data: "consent:no"},
		{Label: "Europe/Ljubljana (18:00)", Data: "zone:Europe/Ljubljana"},
		{Label: "Another time zone", Data: "zone:other"},
		{Label: "Another country", Data: "country:other"},
		{Label: "Help page", URL: "https://example.org"},
		{Label: "Ask, then wait", Data: "x:1"},
		{Label: "Ask, now", Data: "x:2"},
		{Label: "MQTT over TLS", Data: "q:1"},
	}
	for in, want := range map[string]string{
		"1": "consent:yes", "yes": "consent:yes", "YES": "consent:yes", "no": "consent:no",
		"Yes, I agree": "consent:yes", "europe/ljubljana": "zone:Europe/Ljubljana",
		"another country": "country:other",
		"another":         "", // not set off by a comma
		"ask":             "", // two labels start with it
		"mqtt":            "", // a quiz option is not chosen by a word
		"6":               "", // a link, not a button
		"help":            "",
		"10":              "",
		"maybe":           "",
	} {
		b, ok := c.button(in)
		if got := b.Data; !ok && got != "" || ok && got != want || !ok && want != "" {
			t.Errorf("button(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// The name given with --user is the name others see; the default user
// "local" has none.
func TestUserNameIsShown(t *testing.T) {
	if ev := New(nil, "tiina", &bytes.Buffer{}, false).event("hello"); ev.Name != "tiina" {
		t.Errorf("term:tiina's event has name %q", ev.Name)
	}
	if ev := New(nil, "local", &bytes.Buffer{}, false).event("hello"); ev.Name != "" {
		t.Errorf("term:local's event has name %q", ev.Name)
	}
}

// Leaving the chat at the prompt (Ctrl-C, Ctrl-D) ends the prompt's line.
func TestLeavingEndsThePromptLine(t *testing.T) {
	var buf bytes.Buffer
	c := New(nil, "ana", &buf, true)
	c.setPrompting(true)
	c.leave()
	if got := buf.String(); got != "> \n" {
		t.Fatalf("printed %q, want the prompt and a newline", got)
	}
}

// An interactive chat wraps long lines between words at the terminal's
// width, keeps the message's own line breaks, and never cuts a word.
func TestLongLinesWrapBetweenWords(t *testing.T) {
	var buf bytes.Buffer
	c := New(nil, "ana", &buf, true)
	c.Width = func() int { return 20 }
	m := bots.Message{User: "term:ana", Text: bots.Text{
		{Text: "MQTT quality of service levels: "}, {Text: "QoS 2", Style: bots.Bold},
		{Text: " delivers exactly once.\nThe broker keeps state."}}}
	if err := c.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(buf.String(), "")
	for _, line := range strings.Split(plain, "\n") {
		if len(line) > 20 {
			t.Errorf("line %q is wider than 20 columns", line)
		}
	}
	// Spaces at the end of a line are invisible; the words are what count.
	plain = regexp.MustCompile(" +\n").ReplaceAllString(plain, "\n")
	want := "MQTT quality of\nservice levels: QoS\n2 delivers exactly\nonce.\nThe broker keeps\nstate.\n\n"
	if plain != want {
		t.Fatalf("printed\n%q\nwant\n%q", plain, want)
	}
}
