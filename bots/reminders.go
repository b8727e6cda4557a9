package bots

import (
	"time"

	"github.com/talentjourney/talentbot/scheduler"
)

// Nudges: after NudgeAfter silent days a learner gets a nudge, at most
// maxNudges in a row; then nothing until the learner writes again.
const maxNudges = 3

// EffectOneOff schedules a one-off job of the user: ID, Data (payload),
// Args (the scheduler kind) and At.
const EffectOneOff EffectKind = "oneoff"

// planReminders keeps the user's nudge and review reminder scheduled. It
// reschedules the nudge at most once a day, so that most events cost no
// extra round trip.
func (e *Engine) planReminders(t *Turn) {
	st := t.State
	if e.cfg.Scheduler == nil || st.Deleted {
		return
	}
	day := t.Now.Unix() / 86400
	if st.KeepPlanned != day && t.Event.Platform != Internal {
		// The data goes Retention after the last message (/privacy),
		// whatever the user did: also a refusal or a half-done set-up.
		st.KeepPlanned = day
		t.Effect(Effect{Kind: EffectOneOff, ID: keepJobID(st.User), Data: "keep",
			Args: string(scheduler.KindDeadline), At: t.Now.Add(e.cfg.Retention)})
	}
	if !st.Onboarded {
		return
	}
	if st.NudgePlanned != day && t.Event.Platform != Internal {
		st.NudgePlanned, st.Nudges = day, 0
		t.Effect(Effect{Kind: EffectOneOff, ID: nudgeJobID(st.User), Data: "nudge",
			Args: string(scheduler.KindNudge), At: t.Now.Add(e.cfg.NudgeAfter)})
	}
	if due, ok := st.Progress.NextDue(); ok && !due.Equal(st.ReviewPlanned) {
		st.ReviewPlanned = due
		t.Effect(Effect{Kind: EffectOneOff, ID: reviewJobID(st.User), Data: "review",
			Args: string(scheduler.KindReview), At: due})
	}
}

// oneOffJob is the job of an EffectOneOff.
func (e *Engine) oneOffJob(st *State, ef Effect) scheduler.Job {
	quiet, _ := scheduler.ParseQuiet(quietText(st.Profile.Quiet))
	j := scheduler.Job{ID: ef.ID, User: st.User,
		Kind: scheduler.Kind(ef.Args), Payload: ef.Data, At: ef.At, Zone: st.Profile.Zone,
		Quiet: quiet, Holidays: holidays(st.Profile.Country)}
	if ef.Data == "keep" {
		j.Grace = e.cfg.Retention // however late, the data must go
	}
	return j
}

// retentionEnds runs when the keep job fires: a user silent for Retention
// is deleted as /delete does, without a goodbye (nobody is reading).
func (e *Engine) retentionEnds(t *Turn) error {
	st := t.State
	if st.LastSeen.IsZero() {
		st.Deleted = true // no state: nothing to keep or to bring back
		return nil
	}
	if t.Now.Sub(st.LastSeen) < e.cfg.Retention-time.Minute {
		return nil // the user wrote since; a later job is planned
	}
	e.deleteUser(t, "")
	return nil
}

// nudge runs when the nudge job fires: a learner silent for NudgeAfter
// gets a nudge, and the next one is planned until maxNudges.
func (e *Engine) nudge(t *Turn) error {
	st := t.State
	if t.Now.Sub(st.LastSeen) < e.cfg.NudgeAfter-time.Minute || st.Nudges >= maxNudges {
		return nil
	}
	st.Nudges++
	t.Send(Message{Kind: KindReminder, Text: Text{{Text: t.T("nudge.text")}},
		Buttons: [][]Button{{{Label: t.T("lesson.next"), Data: "next"}}}})
	if st.Nudges < maxNudges {
		t.Effect(Effect{Kind: EffectOneOff, ID: nudgeJobID(st.User), Data: "nudge",
			Args: string(scheduler.KindNudge), At: t.Now.Add(e.cfg.NudgeAfter)})
	}
	return nil
}

// reviewReminder runs when reviews come due.
func (e *Engine) reviewReminder(t *Turn) error {
	n := len(t.State.Progress.Due(t.Now))
	if n == 0 {
		return nil
	}
	t.Send(Message{Kind: KindReminder, Text: Text{{Text: t.TN("review.intro", n)}},
		Buttons: [][]Button{{{Label: t.T("review.now"), Data: "rv:start"}}}})
	return nil
}
