package terminal

import (
	"bytes"
	"context"
	"testing"

	"github.com/talentjourney/talentbot/bots"
)

// A message that arrives while the prompt waits for a line is printed
// below the prompt (what was typed stays in sight), and the prompt comes
// again below it.
func TestMessageWhilePromptingShowsThePromptAgain(t *testing.T) {
	var out bytes.Buffer
	c := New(nil, "ana", &out, true)
	c.setPrompting(true)
	m := bots.Message{User: "term:ana", Text: bots.Text{{Text: "New mentoring request"}},
		Buttons: [][]bots.Button{{{Label: "Accept", Data: "a"}}}}
	if err := c.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	want := "\nNew mentoring request\n  1. Accept\n\n> "
	if out.String() != want {
		t.Fatalf("printed %q, want %q", out.String(), want)
	}
	out.Reset()
	c.setPrompting(false)
	if err := c.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if want := "New mentoring request\n  1. Accept\n\n"; out.String() != want {
		t.Fatalf("printed %q, want %q", out.String(), want)
	}
}
