package bots

import (
	"context"
	"errors"
	"strings"

	"github.com/talentjourney/talentbot/scheduler"
)

// Job ids are short: they are stored several times per job.
func dailyJobID(user string) string  { return "l:" + user }
func nudgeJobID(user string) string  { return "n:" + user }
func reviewJobID(user string) string { return "r:" + user }
func keepJobID(user string) string   { return "k:" + user }

// runJobs passes due jobs to their users' queues as internal events, so
// that reminders leave through the same path as replies. The event id is
// the occurrence's key: an occurrence handed out twice has its effect once.
func (e *Engine) runJobs(ctx context.Context) error {
	if e.cfg.Scheduler == nil {
		return nil
	}
	return e.cfg.Scheduler.Run(ctx, func(ctx context.Context, d scheduler.Due) error {
		data := d.Job.Payload
		if d.Late {
			data += ":late"
		}
		return e.Submit(ctx, Event{ID: "job:" + d.Key, Platform: Internal, User: d.Job.User,
			Kind: KindJob, Data: data, Time: d.Occurrence})
	})
}

// applyJobEffect changes the user's scheduled jobs.
func (e *Engine) applyJobEffect(ctx context.Context, st *State, ef Effect) error {
	s := e.cfg.Scheduler
	if s == nil {
		return nil
	}
	switch ef.Kind {
	case EffectPauseJobs:
		return s.PauseUser(ctx, st.User)
	case EffectResumeJobs:
		if st.Inactive {
			return nil
		}
		return s.ResumeUser(ctx, st.User)
	}
	// EffectDaily without a time: no daily lesson. (One with a time is a
	// plain write: queueWrite.)
	err := s.Cancel(ctx, dailyJobID(st.User))
	if errors.Is(err, scheduler.ErrNotFound) {
		return nil
	}
	return err
}

// dailyJob is the daily lesson job of an EffectDaily with a time: Data is
// "HH:MM", Args the zone.
func (e *Engine) dailyJob(st *State, ef Effect) scheduler.Job {
	h, m, _ := strings.Cut(ef.Data, ":")
	return scheduler.Job{ID: dailyJobID(st.User), User: st.User,
		Kind: scheduler.KindLesson, Payload: "daily", Spec: trimZero(m) + " " + trimZero(h) + " * * *",
		Zone: ef.Args, Holidays: holidays(st.Profile.Country)}
}

// holidays is the country whose public holidays the scheduler knows, or
// "" (no holidays) for others.
func holidays(country string) string {
	if scheduler.KnownCountry(country) {
		return country
	}
	return ""
}

func trimZero(s string) string {
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "0"
	}
	return s
}
