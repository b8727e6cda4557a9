package bots

import (
	"time"
	"unicode/utf8"
)

// Platform names a chat platform. It is also the prefix of user keys:
// a Telegram user is "tg:123", a Discord user "dc:456", a terminal user
// "term:ana".
const (
	Telegram = "tg"
	Discord  = "dc"
	Terminal = "term"
	// Internal is the platform of events the bot makes itself (scheduler
	// jobs, broadcasts, messages between users).
	Internal = "internal"
)

// EventKind says what a user did.
type EventKind string

// Kinds of events.
const (
	// KindText is typed text that is not a command.
	KindText EventKind = "text"
	// KindCommand is "/name args"; Command holds "name" (lower case, no
	// slash, no @botname) and Args the rest.
	KindCommand EventKind = "command"
	// KindButton is a press of a button the bot sent; Data holds its
	// payload as the engine wrote it.
	KindButton EventKind = "button"
	// KindPollAnswer is an answer to a native quiz poll; Data holds the
	// payload of the option chosen, as for a button.
	KindPollAnswer EventKind = "poll"
	// KindBlocked says the user blocked the bot or left (Telegram
	// my_chat_member "kicked", a 403 from a send).
	KindBlocked EventKind = "blocked"
	// KindJob is a due scheduler job for this user; Data holds its payload.
	KindJob EventKind = "job"
	// KindOpen says the user opened the chat again where earlier messages
	// and their buttons are not shown (the terminal chat starting): an open
	// question is asked again; otherwise nothing happens and nothing is
	// stored.
	KindOpen EventKind = "open"
)

// Event is one thing that happened, in platform-neutral terms. Adapters
// build it; the engine consumes it. It is stored (as JSON) in the user's
// queue before anything else happens.
type Event struct {
	// ID identifies the platform update (for example "tg:u:123456" for
	// Telegram update_id 123456). An ID seen before is dropped, so that an
	// update delivered twice has its effect once. Empty: no deduplication.
	ID string `json:"id,omitempty"`
	// Platform is Telegram, Discord, Terminal or Internal.
	Platform string `json:"p"`
	// User is the user key, platform prefix included: "tg:123".
	User string `json:"u"`
	// Chat is the platform's chat (or channel) id where the event happened,
	// as text. For a private chat it is the user's own chat.
	Chat string `json:"c,omitempty"`
	// Group is true when the event happened in a group or server channel
	// rather than a private chat.
	Group bool `json:"g,omitempty"`
	// Kind says what happened.
	Kind EventKind `json:"k"`
	// Text is what the user typed (KindText), untrusted.
	Text string `json:"t,omitempty"`
	// Command and Args: see KindCommand.
	Command string `json:"cmd,omitempty"`
	Args    string `json:"a,omitempty"`
	// Data is a button or poll payload (KindButton, KindPollAnswer) or a job
	// payload (KindJob).
	Data string `json:"d,omitempty"`
	// Locale is the platform's language hint ("de", "en-GB"); may be empty.
	Locale string `json:"l,omitempty"`
	// Name is the user's display name as the platform gives it; used in
	// introductions only, never logged.
	Name string `json:"n,omitempty"`
	// Handle is a platform handle (Telegram @username), shared with a
	// mentor only when both agree.
	Handle string `json:"h,omitempty"`
	// Reply is an opaque token of the adapter (for example a Discord
	// interaction token); the engine copies it into the messages that
	// answer this event.
	Reply string `json:"r,omitempty"`
	// Time is when the platform says the event happened.
	Time time.Time `json:"ts"`
}

// readsBackSame reports whether ev decodes from its JSON form unchanged
// (JSON replaces invalid UTF-8).
func (ev *Event) readsBackSame() bool {
	for _, s := range [...]string{ev.ID, ev.Platform, ev.User, ev.Chat, ev.Text, ev.Command,
		ev.Args, ev.Data, ev.Locale, ev.Name, ev.Handle, ev.Reply} {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
