package bots

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/talentjourney/talentbot/skills"
)

// EffectKind names a change outside the user's own keys.
type EffectKind string

// Kinds of effects.
const (
	// EffectIndex writes the user's summary into the shared user index
	// (segments, statistics).
	EffectIndex EffectKind = "index"
	// EffectDaily schedules (or cancels) the user's daily lesson.
	EffectDaily EffectKind = "daily"
	// EffectPauseJobs and EffectResumeJobs pause and resume the user's
	// reminders (a user who blocked the bot, or /pause).
	EffectPauseJobs  EffectKind = "pause"
	EffectResumeJobs EffectKind = "resume"
	// EffectNotify submits an internal event to another user (Target), with
	// a stable ID so that it has its effect once.
	EffectNotify EffectKind = "notify"
	// EffectForget removes every trace of the user from shared keys.
	EffectForget EffectKind = "forget"
	// EffectMentor changes matching profiles, request jobs or meeting
	// reminders (see applyMentorEffect).
	EffectMentor EffectKind = "mentor"
	// EffectUnsend takes back the user's undelivered messages about ID (a
	// mentorship or request of someone who left).
	EffectUnsend EffectKind = "unsend"
)

// Effect is one change outside the user's own keys. Applying it twice has
// the effect of applying it once.
type Effect struct {
	Kind   EffectKind `json:"k"`
	ID     string     `json:"id,omitempty"`
	Target string     `json:"to,omitempty"`
	Data   string     `json:"d,omitempty"`
	Args   string     `json:"a,omitempty"`
	// At is the instant of an EffectOneOff job.
	At time.Time `json:"at,omitzero"`
	// Summary is the index entry for EffectIndex.
	Summary *Summary `json:"s,omitempty"`
}

// Summary is what the shared user index holds of a user: enough to choose
// broadcast segments and count statistics, nothing typed by the user.
type Summary struct {
	Role     string   `json:"r"`
	Country  string   `json:"c,omitempty"`
	Lang     string   `json:"l,omitempty"`
	Platform string   `json:"p,omitempty"`
	Skills   []string `json:"s,omitempty"`
	Tracks   []string `json:"t,omitempty"`
	Cohort   string   `json:"co,omitempty"`
	// Seen is the day (Unix days) the user was last seen.
	Seen int64 `json:"d"`
	// Lessons is the number of lessons completed.
	Lessons  int  `json:"n,omitempty"`
	Inactive bool `json:"i,omitempty"`
}

// usersKey is the shared index of users (hash user -> Summary JSON).
func (e *Engine) usersKey() string { return e.keys.Global("users") }

// reindex records an index effect with the user's current summary.
func (e *Engine) reindex(t *Turn) {
	st := t.State
	if !st.Onboarded || st.Consent != "yes" {
		return
	}
	t.Effect(Effect{Kind: EffectIndex, Summary: e.summary(st)})
}

func (e *Engine) summary(st *State) *Summary {
	s := &Summary{Role: e.role(st), Country: st.Profile.Country, Lang: st.lang(),
		Platform: st.Platform, Skills: st.Profile.Skills, Seen: st.LastSeen.Unix() / 86400,
		Lessons: st.Progress.LessonsDone(), Inactive: st.Inactive, Cohort: st.Cohort}
	seen := map[string]bool{}
	for _, id := range st.Profile.Skills {
		if sk, ok := skills.ByID(id); ok && !seen[sk.Track] {
			seen[sk.Track] = true
			s.Tracks = append(s.Tracks, sk.Track)
		}
	}
	return s
}

// applyEffects applies st.Effects in order and reports whether all were
// applied; failures are logged. Effects that are plain writes (the index,
// the daily lesson, one-off reminders) go together in one round trip, with
// the mark that commit st.FxSeq's effects are applied when mark is set; a
// failure clears the mark, so that the user's next event applies them
// again.
func (e *Engine) applyEffects(ctx context.Context, st *State, mark bool) bool {
	ok := true
	var writes []Effect
	for _, ef := range st.Effects {
		if e.isWrite(ef) {
			writes = append(writes, ef)
			continue
		}
		ok = e.applyWrites(ctx, st, writes, false) && ok
		writes = nil
		if err := e.applyEffect(ctx, st, ef); err != nil {
			e.log.Warn("bots: effect not applied", "learner_id", st.User, "effect",
				string(ef.Kind), "err", err)
			ok = false
		}
	}
	return e.applyWrites(ctx, st, writes, mark && ok) && ok
}

// isWrite reports whether ef is a plain write that applyWrites sends.
func (e *Engine) isWrite(ef Effect) bool {
	switch ef.Kind {
	case EffectIndex:
		return true
	case EffectDaily:
		return ef.Data != "" && ef.Args != ""
	case EffectOneOff:
		return true
	}
	return false
}

// applyWrites sends the plain-write effects and, when mark is set, the
// mark that the commit's effects are applied, in one round trip.
func (e *Engine) applyWrites(ctx context.Context, st *State, effects []Effect, mark bool) bool {
	if len(effects) == 0 && !mark {
		return true
	}
	var cmds []redis.Cmder
	var failed error
	fx := e.keys.User(st.User, "fx")
	e.batch.do(func(p redis.Pipeliner) {
		n := p.Len()
		for _, ef := range effects {
			if err := e.queueWrite(ctx, p, st, ef); err != nil && failed == nil {
				failed = fmt.Errorf("effect %s: %w", ef.Kind, err)
			}
		}
		if mark {
			p.Set(ctx, fx, st.FxSeq, 0)
		}
		cmds = p.Cmds()[n:]
	})
	err := failed
	for _, c := range cmds {
		if err == nil {
			err = c.Err()
		}
	}
	if err != nil {
		e.log.Warn("bots: effects not applied", "learner_id", st.User, "err", err)
		if mark {
			e.rdb.Del(ctx, fx) // applied again with the next event
		}
		return false
	}
	return true
}

// queueWrite adds the commands of a plain-write effect to p.
func (e *Engine) queueWrite(ctx context.Context, p redis.Pipeliner, st *State, ef Effect) error {
	switch ef.Kind {
	case EffectIndex:
		b, err := json.Marshal(ef.Summary)
		if err != nil {
			return err
		}
		p.HSet(ctx, e.usersKey(), st.User, b)
	case EffectDaily:
		if e.cfg.Scheduler != nil {
			return e.cfg.Scheduler.Queue(ctx, p, st.Paused || st.Inactive, e.dailyJob(st, ef))
		}
	case EffectOneOff:
		if e.cfg.Scheduler != nil {
			return e.cfg.Scheduler.Queue(ctx, p, st.Paused || st.Inactive, e.oneOffJob(st, ef))
		}
	}
	return nil
}

// applyEffect applies an effect that is not a plain write (isWrite).
func (e *Engine) applyEffect(ctx context.Context, st *State, ef Effect) error {
	switch ef.Kind {
	case EffectNotify:
		// Effects are applied again with the sender's next event; a
		// target deleted meanwhile (no state) must not come back.
		if gone, err := e.deleted(ctx, ef.Target); err != nil || gone {
			return err
		}
		return e.Submit(ctx, Event{ID: ef.ID, Platform: Internal, User: ef.Target,
			Kind: KindJob, Data: ef.Data, Args: ef.Args, Time: e.cfg.Clock()})
	case EffectDaily, EffectPauseJobs, EffectResumeJobs:
		return e.applyJobEffect(ctx, st, ef)
	case EffectForget:
		return e.forget(ctx, st.User)
	case EffectMentor:
		return e.applyMentorEffect(ctx, st, ef)
	case EffectUnsend:
		return e.unsend(ctx, st.User, ef.ID)
	}
	return nil
}

// unsend takes back user's undelivered messages about id. A sender holds
// the outbox only while it tries a batch (this turn's own reply has just
// gone to it), so a held outbox is tried again a few times, briefly; if it
// stays held, the user's next event applies the effect again.
func (e *Engine) unsend(ctx context.Context, user, id string) error {
	k := e.userKeys(user)
	for wait := 5 * time.Millisecond; ; wait *= 2 {
		n, err := unsendScript.Run(ctx, e.rdb, []string{k.out, k.outlease}, id).Int()
		if err != nil || n >= 0 {
			return err
		}
		if wait > time.Second {
			return errors.New("outbox held by a sender; taken back with the next event")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// scheduleDaily records the effect that (re)schedules the daily lesson.
func (e *Engine) scheduleDaily(t *Turn) {
	t.Effect(Effect{Kind: EffectDaily, Data: t.State.Profile.LessonTime, Args: t.State.Profile.Zone})
}

// forget removes the user from every shared key: the user index, the
// shards' waiting sets, scheduled jobs, matching and broadcast reports.
func (e *Engine) forget(ctx context.Context, user string) error {
	pipe := e.rdb.Pipeline()
	pipe.HDel(ctx, e.usersKey(), user)
	pipe.ZRem(ctx, e.pendingKey(user), user)
	pipe.ZRem(ctx, e.readyKey(user), user)
	if _, err := pipe.Exec(ctx); err != nil {
		return err
	}
	for _, f := range e.forgetters {
		if err := f(ctx, user); err != nil {
			return err
		}
	}
	return nil
}

// Forgetter removes a user's traces from keys a package owns (jobs,
// matching, broadcast reports); /delete calls every registered one.
type Forgetter func(ctx context.Context, user string) error

// AddForgetter registers f to run when a user is deleted.
func (e *Engine) AddForgetter(f Forgetter) { e.forgetters = append(e.forgetters, f) }

// finishDelete removes the user's own keys after the shared traces are
// gone, leaving the outbox (the goodbye message) to drain by itself.
func (e *Engine) finishDelete(ctx context.Context, st *State) {
	k := e.userKeys(st.User)
	if err := e.rdb.Del(ctx, k.state, k.seen, k.q, k.fx).Err(); err != nil {
		e.log.Warn("bots: delete user keys", "learner_id", st.User, "err", err)
	}

	// Keys of other packages under the user's tag.
	pattern := e.keys.UserTag(st.User) + ":*"
	iter := e.rdb.Scan(ctx, 0, pattern, 500).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		if key == k.out || key == k.outlease || key == k.lease {
			continue
		}
		e.rdb.Del(ctx, key)
	}
	// An event submitted while the forgetters ran (another user's turn
	// they woke) is gone with the queue; so is its waiting entry.
	e.rdb.ZRem(ctx, e.pendingKey(st.User), st.User)
}

// deleted is true when user has no state or is being deleted.
func (e *Engine) deleted(ctx context.Context, user string) (bool, error) {
	b, err := e.rdb.Get(ctx, e.userKeys(user).state).Bytes()
	if errors.Is(err, redis.Nil) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	var s struct {
		Deleted bool `json:"deleted"`
	}
	return json.Unmarshal(b, &s) == nil && s.Deleted, nil
}
