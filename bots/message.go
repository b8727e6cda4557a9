package bots

import (
	"strconv"
	"time"
)

// Style is a set of text styles.
type Style uint8

// Styles of a span.
const (
	Bold Style = 1 << iota
	Italic
	Code
)

// Span is a run of text in one style. Text is plain text (never markup):
// adapters escape it for their platform. A span with URL set is a link.
type Span struct {
	Text  string `json:"t"`
	Style Style  `json:"s,omitempty"`
	URL   string `json:"u,omitempty"`
}

// Text is formatted text: spans in order. Line breaks are "\n" inside span
// text; a blank line separates paragraphs.
type Text []Span

// Plain returns the text without formatting.
func (t Text) Plain() string {
	n := 0
	for _, s := range t {
		n += len(s.Text)
	}
	b := make([]byte, 0, n)
	for _, s := range t {
		b = append(b, s.Text...)
	}
	return string(b)
}

// Button is one button under a message. Exactly one of Data and URL is set.
type Button struct {
	// Label is what the button shows; at most 80 characters.
	Label string `json:"l"`
	// Data is the payload that comes back as Event.Data when pressed. It is
	// at most 48 bytes of ASCII; adapters may still map it to a shorter id.
	Data string `json:"d,omitempty"`
	// URL makes a link button.
	URL string `json:"u,omitempty"`
}

// Quiz is a quiz item that a platform may show natively (a Telegram quiz
// poll). Its answers come back as KindPollAnswer with the chosen option's
// Data. The message's Buttons carry the same options, for platforms or
// items that cannot use a native poll.
type Quiz struct {
	Question    string   `json:"q"`
	Options     []string `json:"o"`
	OptionData  []string `json:"od"`
	Correct     int      `json:"c"`
	Explanation string   `json:"e,omitempty"`
}

// MessageKind says why a message is sent; adapters and the outbox use it
// for pacing and reports.
type MessageKind string

// Kinds of messages.
const (
	KindReply     MessageKind = "reply"
	KindReminder  MessageKind = "reminder"
	KindBroadcast MessageKind = "broadcast"
	KindLesson    MessageKind = "lesson"
)

// Message is what the engine says, in platform-neutral terms.
type Message struct {
	// ID is unique per message (outbox id); adapters may use it to make a
	// send idempotent.
	ID string `json:"id"`
	// Platform and Chat say where it goes; User is the recipient's user key.
	Platform string `json:"p"`
	Chat     string `json:"c"`
	User     string `json:"u"`
	// Kind says why it is sent.
	Kind MessageKind `json:"k,omitempty"`
	// Text is the body.
	Text Text `json:"t"`
	// Buttons are rows of buttons; at most 5 rows of at most 5.
	Buttons [][]Button `json:"b,omitempty"`
	// Quiz, when set, may be shown as a native quiz.
	Quiz *Quiz `json:"qz,omitempty"`
	// Private asks for the message to go to the user privately even when the
	// event came from a group (lessons, progress): Discord sends a DM or an
	// ephemeral reply, Telegram a deep-link button to the private chat.
	Private bool `json:"pv,omitempty"`
	// Reply is the adapter's token copied from the event this answers.
	Reply string `json:"r,omitempty"`
	// Broadcast is the broadcast id, for a broadcast message.
	Broadcast string `json:"bc,omitempty"`
	// About is the mentorship or request a message is about, so that an
	// undelivered one can be taken back when the other person leaves.
	About string `json:"ab,omitempty"`
}

// TimeScheme starts the URL of a span that shows an instant: platforms that
// can show each reader the time in their own zone (Discord) do so; others
// print the span's text.
const TimeScheme = "time:"

// TimeSpan is a span showing at, with fallback text (the instant in the
// recipient's zone) for platforms that cannot localise times.
func TimeSpan(at time.Time, fallback string) Span {
	return Span{Text: fallback, URL: TimeScheme + strconv.FormatInt(at.Unix(), 10)}
}
