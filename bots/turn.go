package bots

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Turn is the handling of one event: the event, the user's state (changed
// in place), and the messages and effects the handling produces.
type Turn struct {
	Ctx   context.Context
	Event Event
	State *State
	// Now is the engine clock's time when handling started.
	Now time.Time

	e   *Engine
	out []Message
	// abandoned is set when the command being handled left a half-typed
	// answer (a /msg text, a note) unfinished.
	abandoned bool
	// about tags the messages of this turn (Message.About).
	about string
}

// T returns the message id in the user's language, with kv as template
// data ("Name", value, ...).
func (t *Turn) T(id string, kv ...any) string {
	return t.e.i18n.text(t.State.lang(), id, -1, kv...)
}

// TN is T with a plural count.
func (t *Turn) TN(id string, n int, kv ...any) string {
	return t.e.i18n.text(t.State.lang(), id, n, append(kv, "Count", n)...)
}

// Say sends text with rows of buttons to the user's current chat.
func (t *Turn) Say(text Text, buttons ...[]Button) {
	t.Send(Message{Text: text, Buttons: buttons})
}

// SayT sends a translated plain text with rows of buttons.
func (t *Turn) SayT(id string, buttons [][]Button, kv ...any) {
	t.Send(Message{Text: Text{{Text: t.T(id, kv...)}}, Buttons: buttons})
}

// Send queues m, filling in recipient, id and reply token from the event.
func (t *Turn) Send(m Message) {
	st := t.State
	if m.User == "" {
		m.User = st.User
	}
	if m.Platform == "" {
		m.Platform = st.Platform
		if t.Event.Platform != Internal && t.Event.Platform != "" {
			m.Platform = t.Event.Platform
		}
	}
	if m.Chat == "" {
		m.Chat = st.Chat
		if t.Event.Chat != "" && t.Event.Platform != Internal {
			m.Chat = t.Event.Chat
		}
	}
	if m.Reply == "" {
		m.Reply = t.Event.Reply
	}
	if m.About == "" {
		m.About = t.about
	}
	if m.Kind == "" {
		m.Kind = KindReply
	}
	st.Seq++
	m.ID = st.User + "#" + strconv.FormatInt(st.Seq, 36)
	t.out = append(t.out, m)
}

// Effect records a change outside the user's own keys, made after the
// state is committed.
func (t *Turn) Effect(ef Effect) {
	t.State.Effects = append(t.State.Effects, ef)
}

// Errorf logs an internal error once and tells the user sorry.
func (t *Turn) Errorf(format string, args ...any) {
	t.e.log.Error("bots: "+fmt.Sprintf(format, args...), "learner_id", t.State.User)
	t.SayT("error.internal", nil)
}

// whenMarker stands for the time in a rendered template until TTime puts
// a time span there.
const whenMarker = "\x00when\x00"

// TTime renders message id with its {{.When}} as a time span for at: the
// text shows at in the user's zone (when), and platforms that show each
// reader their own local time (Discord) do so.
func (t *Turn) TTime(id string, at time.Time, when string, kv ...any) Text {
	s := t.T(id, append(kv, "When", whenMarker)...)
	before, after, ok := strings.Cut(s, whenMarker)
	if !ok {
		return Text{{Text: s}}
	}
	return Text{{Text: before}, TimeSpan(at, when), {Text: after}}
}
