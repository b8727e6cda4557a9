package bots

import "strings"

// handleInternal handles events the bot made itself: delivery outcomes
// from the outbox and due scheduler jobs.
func (e *Engine) handleInternal(t *Turn) error {
	st := t.State
	if ok, err := e.coordInternal(t); ok {
		return err
	}
	if payloadPrefix(t.Event.Data) == "keep" && !st.Deleted {
		return e.retentionEnds(t)
	}
	if st.Deleted || st.Consent != "yes" {
		return nil
	}
	switch t.Event.Data {
	case "sys:blocked":
		return e.blocked(t)
	case "sys:migrated":
		// Only the user's own chat is stored here; a group's new id is
		// the platform adapter's to remember.
		if old, moved, ok := strings.Cut(t.Event.Args, " "); ok && old == st.Chat {
			st.Chat = moved
		}
		return nil
	}
	return e.handleJob(t)
}

// handleJob handles a due job of the user.
func (e *Engine) handleJob(t *Turn) error {
	if handled, err := e.handleMentorJob(t); handled {
		return err
	}
	st := t.State
	if st.Paused || st.Inactive {
		return nil
	}
	switch payloadPrefix(t.Event.Data) {
	case "daily":
		if !st.Onboarded {
			return nil
		}
		t.SayT("daily.nudge", nil)
		return e.cmdLesson(t)
	case "nudge":
		return e.nudge(t)
	case "review":
		return e.reviewReminder(t)
	}
	return nil
}
