package bots

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/talentjourney/talentbot/lessons"
	"github.com/talentjourney/talentbot/scheduler"
)

// Config holds the engine's settings. The zero value works, with the
// defaults named on each field.
type Config struct {
	// Lessons is the catalogue; nil means the embedded one.
	Lessons *lessons.Catalog
	// Logger receives the engine's records; nil means slog.Default().
	Logger *slog.Logger
	// Clock returns the current time; nil means time.Now. Tests pass a fake.
	Clock func() time.Time
	// Workers is the number of goroutines that handle events and the number
	// that deliver messages; zero means 8 per CPU.
	Workers int
	// LeaseTTL is how long a user's lease lasts without renewal; zero means
	// 30 seconds. A process that dies holding it delays that user this long.
	LeaseTTL time.Duration
	// Batch is how many queued events or messages one round trip takes;
	// zero means 32.
	Batch int
	// Shards is the number of shards of the shared waiting sets; zero
	// means 16.
	Shards int
	// SweepEvery is how often waiting sets are checked for work that no
	// process took (a process died); zero means 1 second.
	SweepEvery time.Duration
	// TutorCodes are invite codes that make a user a tutor
	// (TALENTBOT_TUTOR_CODES).
	TutorCodes []string
	// EnrolmentCodes are codes a learner under 16 needs
	// (TALENTBOT_ENROLMENT_CODES).
	EnrolmentCodes []string
	// Coordinators are user keys that are coordinators
	// (TALENTBOT_COORDINATORS).
	Coordinators []string
	// BotUsername is the Telegram bot's username, for invite deep links
	// (t.me/<username>?start=<code>); empty means invites carry no link.
	BotUsername string
	// InviteTTL is how long an invite code works; zero means 7 days.
	InviteTTL time.Duration
	// BotName is the bot's public name, used in texts; empty means
	// "Talentjourney".
	BotName string
	// Registerer receives the engine's Prometheus metrics; nil means none
	// are registered.
	Registerer prometheus.Registerer
	// Scheduler stores reminders and daily lessons; nil means none are
	// scheduled (tests of the dialogue alone).
	Scheduler *scheduler.Scheduler
	// NudgeAfter is how long a learner may be silent before a nudge; zero
	// means 3 days.
	NudgeAfter time.Duration
	// Retention is how long a user's data is kept after their last
	// message (what /privacy promises); zero means 365 days.
	Retention time.Duration
	// OnHandled, when set, is called after each event is handled, in the
	// order events are handled (observability and tests); it must be fast.
	OnHandled func(ev Event)
	// MeetingURL is the template of mentoring meeting links; {id} becomes
	// a unique room id (TALENTBOT_MEETING_URL). Empty means
	// "https://meet.jit.si/talentjourney-{id}".
	MeetingURL string
	// HandleTimeout bounds the handling of one event; zero means 10 s.
	HandleTimeout time.Duration
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Workers <= 0 {
		c.Workers = defaultWorkers()
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 30 * time.Second
	}
	if c.Batch <= 0 {
		c.Batch = 32
	}
	if c.Shards <= 0 {
		c.Shards = 16
	}
	if c.SweepEvery <= 0 {
		c.SweepEvery = time.Second
	}
	if c.BotName == "" {
		c.BotName = "Talentjourney"
	}
	if c.MeetingURL == "" {
		c.MeetingURL = "https://meet.jit.si/talentjourney-{id}"
	}
	if c.NudgeAfter <= 0 {
		c.NudgeAfter = 3 * 24 * time.Hour
	}
	if c.Retention <= 0 {
		c.Retention = 365 * 24 * time.Hour
	}
	if c.HandleTimeout <= 0 {
		c.HandleTimeout = 10 * time.Second
	}
}
