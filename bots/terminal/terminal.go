// Package terminal is the chat adapter for a terminal: one user types
// lines, the bot's replies are printed with their buttons numbered.
package terminal

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rivo/uniseg"

	"github.com/talentjourney/talentbot/bots"
)

// Engine is what the terminal chat needs of the engine.
type Engine interface {
	bots.Submitter
	Settle(ctx context.Context, user string) error
	Flush(ctx context.Context, user string) error
}

// Chat is one terminal conversation with the bot as user "term:<Name>".
type Chat struct {
	// Name is the user's name after "term:".
	Name string
	// Interactive shows a prompt and colours, and prints messages that
	// arrive between lines (a tutor's request). False when standard input
	// is not a terminal.
	Interactive bool

	// Width, when set, gives the terminal's width in columns; an
	// interactive chat wraps lines between words to fit it.
	Width func() int

	eng Engine
	out io.Writer

	mu      sync.Mutex
	buttons []bots.Button
	seq     int
	// prompting is true while the chat waits for a typed line; shown is
	// true while the prompt is the last thing printed. A message that
	// arrives meanwhile is printed below the prompt, and the prompt comes
	// again once no other message follows for promptDelay (a lesson and
	// its quiz arrive as several messages).
	prompting, shown bool
	reprompt         *time.Timer
}

// promptDelay is how long the prompt waits for the next arriving message.
const promptDelay = 150 * time.Millisecond

var _ bots.Sender = (*Chat)(nil)

// New returns a chat for user name writing to out.
func New(eng Engine, name string, out io.Writer, interactive bool) *Chat {
	return &Chat{Name: name, Interactive: interactive, eng: eng, out: out}
}

// User is the chat's user key.
func (c *Chat) User() string { return bots.Terminal + ":" + c.Name }

// Send prints m when it is for this chat's user. Messages for other
// terminal users wait in the outbox for the process that shows their chat.
func (c *Chat) Send(_ context.Context, m bots.Message) error {
	if m.User != c.User() {
		return &bots.SendError{Kind: bots.ErrElsewhere, Err: fmt.Errorf("not this terminal's user")}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	if c.shown {
		// Below the prompt, so that a half-typed line stays in sight; the
		// prompt is shown again after the message.
		b.WriteString("\n")
		c.shown = false
	}
	b.WriteString(c.render(m.Text))
	b.WriteByte('\n')
	var flat []bots.Button
	for _, row := range m.Buttons {
		for _, btn := range row {
			flat = append(flat, btn)
			n := len(flat)
			if btn.URL != "" {
				fmt.Fprintf(&b, "  %d. %s (%s)\n", n, btn.Label, btn.URL)
			} else {
				fmt.Fprintf(&b, "  %d. %s\n", n, btn.Label)
			}
		}
	}
	if len(flat) > 0 {
		c.buttons = flat
	}
	b.WriteByte('\n')
	if c.prompting {
		if c.reprompt == nil {
			c.reprompt = time.AfterFunc(promptDelay, c.prompt)
		} else {
			c.reprompt.Reset(promptDelay)
		}
	}
	_, err := io.WriteString(c.out, b.String())
	return err
}

// prompt shows the prompt again after messages that arrived while waiting.
func (c *Chat) prompt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.prompting && !c.shown {
		fmt.Fprint(c.out, "> ")
		c.shown = true
	}
}

// leave ends the line of a prompt left on the screen (Ctrl-C, Ctrl-D), so
// that the shell's prompt starts on a line of its own.
func (c *Chat) leave() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shown {
		fmt.Fprintln(c.out)
	}
	c.prompting, c.shown = false, false
	if c.reprompt != nil {
		c.reprompt.Stop()
	}
}

// setPrompting shows the prompt (on) or notes that a line was typed.
func (c *Chat) setPrompting(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prompting, c.shown = on, on
	if on {
		fmt.Fprint(c.out, "> ")
	} else if c.reprompt != nil {
		c.reprompt.Stop()
	}
}

// render turns formatted text into terminal text: ANSI bold, italic and
// colours when interactive, plain otherwise; links show their address.
// Lines are wrapped between words at the terminal's width (Width).
func (c *Chat) render(t bots.Text) string {
	var b strings.Builder
	w := wrapper{width: 0}
	if c.Interactive && c.Width != nil {
		w.width = c.Width()
	}
	for _, s := range t {
		text := w.wrap(s.Text)
		if s.URL != "" && !strings.HasPrefix(s.URL, bots.TimeScheme) {
			text += w.wrap(" <" + s.URL + ">")
		}
		if !c.Interactive || s.Style == 0 {
			b.WriteString(text)
			continue
		}
		var codes []string
		if s.Style&bots.Bold != 0 {
			codes = append(codes, "1")
		}
		if s.Style&bots.Italic != 0 {
			codes = append(codes, "3")
		}
		if s.Style&bots.Code != 0 {
			codes = append(codes, "36")
		}
		b.WriteString("\x1b[" + strings.Join(codes, ";") + "m" + text + "\x1b[0m")
	}
	return b.String()
}

// Run reads lines from in until it ends or ctx is done (Ctrl-C, SIGTERM:
// it returns at once, even while waiting for a line). Each line becomes an
// event; its replies are printed before the next line is read.
func (c *Chat) Run(ctx context.Context, in io.Reader) error {
	if c.Interactive {
		go c.poll(ctx)
		fmt.Fprint(c.out, c.render(bots.Text{{Text: "Chatting as " + c.User() +
			". Type /start to begin, Ctrl-D to leave."}})+"\n\n")
		defer c.leave()
	}
	// A question left open in an earlier run is shown again, so that its
	// buttons have numbers.
	if err := c.submit(ctx, bots.Event{Platform: bots.Terminal, User: c.User(), Chat: c.Name,
		Kind: bots.KindOpen, Time: time.Now()}); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	lines := make(chan string)
	errc := make(chan error, 1)
	next := make(chan struct{})
	go readLines(in, lines, next, errc)
	for {
		if c.Interactive {
			c.setPrompting(true)
		}
		select {
		case next <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		select {
		case line := <-lines:
			c.setPrompting(false)
			if err := c.line(ctx, line); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		case err := <-errc:
			return err
		case <-ctx.Done():
			return nil
		}
	}
}

// maxLine is the most of one line the chat keeps; the rest of a longer
// line is dropped (the bot answers that the message is too long).
const maxLine = 64 * 1024

// readLines sends a line of in on lines each time next is received, and
// nil (end of input) or the read error on errc at the end. Lines of any
// length are read; only their first maxLine bytes are kept.
func readLines(in io.Reader, lines chan<- string, next <-chan struct{}, errc chan<- error) {
	r := bufio.NewReaderSize(in, 64*1024)
	for range next {
		var line []byte
		var err error
		for {
			var part []byte
			part, err = r.ReadSlice('\n')
			if len(line) < maxLine {
				line = append(line, part[:min(len(part), maxLine-len(line))]...)
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if len(line) > 0 || err == nil {
			lines <- strings.TrimRight(string(line), "\r\n")
			continue
		}
		if err == io.EOF {
			err = nil
		}
		errc <- err
		return
	}
}

// line turns one typed line into an event and waits for its replies.
func (c *Chat) line(ctx context.Context, line string) error {
	ev := c.event(line)
	if ev.Kind == "" {
		return nil
	}
	return c.submit(ctx, ev)
}

// submit sends ev and waits until its replies are printed.
func (c *Chat) submit(ctx context.Context, ev bots.Event) error {
	if err := c.eng.Submit(ctx, ev); err != nil {
		return err
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return c.eng.Settle(wait, c.User())
}

// event reads a line: a command, a button number or label, or text.
func (c *Chat) event(line string) bots.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	ev := bots.Event{Platform: bots.Terminal, User: c.User(), Chat: c.Name, Time: time.Now()}
	if c.Name != "local" {
		// --user NAME is the name others see (a tutor, a learner).
		ev.Name = c.Name
	}
	// Invisible characters before a command (a byte-order mark, a
	// zero-width space) do not hide it.
	trimmed := strings.TrimLeft(strings.TrimSpace(line), "\ufeff\u200b\u2060")
	switch {
	case trimmed == "":
		// An empty line is a message too: the bot answers it.
		ev.Kind, ev.Text = bots.KindText, ""
	case strings.HasPrefix(trimmed, "/"):
		ev.Kind = bots.KindCommand
		name, args, _ := strings.Cut(trimmed[1:], " ")
		ev.Command, ev.Args = strings.ToLower(name), strings.TrimSpace(args)
	default:
		if b, ok := c.button(trimmed); ok {
			ev.Kind, ev.Data = bots.KindButton, b.Data
			return ev
		}
		ev.Kind, ev.Text = bots.KindText, line
	}
	return ev
}

// button finds the latest message's button by number or label. A label
// may be shortened to the part before " (" ("Europe/Ljubljana") or before
// ", " when no other label starts so ("yes" for "Yes, I agree").
func (c *Chat) button(s string) (bots.Button, bool) {
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(c.buttons) {
		return c.buttons[n-1], c.buttons[n-1].Data != ""
	}
	var first []bots.Button
	for _, b := range c.buttons {
		if b.Data == "" {
			continue
		}
		label := strings.TrimPrefix(b.Label, "✓ ")
		if short, _, ok := strings.Cut(label, " ("); ok && strings.EqualFold(short, s) {
			label = short
		}
		if strings.EqualFold(label, s) {
			return b, true
		}
		// Only an answer word set off by a comma: a quiz option is not
		// chosen by a word typed for another reason.
		if word, _, ok := strings.Cut(label, ", "); ok && strings.EqualFold(word, s) {
			first = append(first, b)
		}
	}
	if len(first) == 1 {
		return first[0], true
	}
	return bots.Button{}, false
}

// poll prints messages that arrive without a typed line (requests from
// other users, reminders).
func (c *Chat) poll(ctx context.Context) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = c.eng.Flush(ctx, c.User())
		}
	}
}

// wrapper breaks text into lines of at most width columns at the line
// break opportunities of Unicode (UAX #14, from uniseg), carrying the
// column from one piece of text to the next; width 0 leaves text as it is.
type wrapper struct {
	width, col int
}

func (w *wrapper) wrap(text string) string {
	if w.width <= 0 {
		return text
	}
	var b strings.Builder
	state := -1
	for text != "" {
		var seg string
		var must bool
		seg, text, must, state = uniseg.FirstLineSegmentInString(text, state)
		body := strings.TrimRight(seg, " \n")
		bw := uniseg.StringWidth(body)
		if w.col > 0 && w.col+bw > w.width {
			b.WriteByte('\n')
			w.col = 0
		}
		if must && strings.HasSuffix(seg, "\n") {
			b.WriteString(strings.TrimRight(seg, " \n") + "\n")
			w.col = 0
			continue
		}
		if w.col+uniseg.StringWidth(seg) > w.width {
			// The spaces after the last word of a full line are dropped,
			// lest the terminal wrap them onto a line of their own.
			b.WriteString(body)
			w.col += bw
			continue
		}
		b.WriteString(seg)
		w.col += uniseg.StringWidth(seg)
	}
	return b.String()
}
