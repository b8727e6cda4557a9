package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"
)

// Scheduled is a stored job and when it fires next.
type Scheduled struct {
	Job
	// Next is the instant the job fires next (for a job running now, the
	// occurrence it runs); zero while paused.
	Next time.Time
	// Paused is true while the user's jobs are paused.
	Paused bool
}

// Jobs returns the jobs of user, ordered by ID.
func (s *Scheduler) Jobs(ctx context.Context, user string) ([]Scheduled, error) {
	ids, err := s.c.HKeys(ctx, s.userIndex(user)).Result()
	if err != nil {
		return nil, fmt.Errorf("scheduler: jobs: %w", err)
	}
	slices.Sort(ids)
	type cmds struct {
		data, lease *redis.StringCmd
		due         *redis.FloatCmd
	}
	cs := make([]cmds, len(ids))
	_, err = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			l := s.locate(id)
			cs[i] = cmds{p.HGet(ctx, s.dataKey(l), id), p.HGet(ctx, s.leaseKey(l), id),
				p.ZScore(ctx, s.dueKey(l), id)}
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("scheduler: jobs: %w", err)
	}
	var out []Scheduled
	for i, id := range ids {
		j, paused, err := decodeJob(id, cs[i].data.Val())
		if err != nil {
			continue // removed meanwhile
		}
		sc := Scheduled{Job: j, Paused: paused}
		if due, err := cs[i].due.Result(); err == nil && !paused {
			sc.Next = time.UnixMilli(int64(due))
		}
		if l, ok := parseLease(cs[i].lease.Val()); ok && !paused {
			sc.Next = l.occ
		}
		out = append(out, sc)
	}
	return out, nil
}

// PauseUser pauses every job of user (for example when they blocked the
// bot): nothing fires until ResumeUser, and jobs scheduled meanwhile are
// stored paused. A run already in flight finishes.
func (s *Scheduler) PauseUser(ctx context.Context, user string) error {
	if err := s.c.Set(ctx, s.pausedKey(user), "1", 0).Err(); err != nil {
		return fmt.Errorf("scheduler: pause: %w", err)
	}
	ids, err := s.c.HKeys(ctx, s.userIndex(user)).Result()
	if err != nil {
		return fmt.Errorf("scheduler: pause: %w", err)
	}
	_, err = s.pipe(ctx, func(p redis.Pipeliner) {
		for _, id := range ids {
			l := s.locate(id)
			parkScript.EvalSha(ctx, p, s.shardKeys(l.shard), id, l.bucket, s.base(l.shard))
		}
	})
	if err != nil {
		return fmt.Errorf("scheduler: pause: %w", err)
	}
	return nil
}

// ResumeUser resumes the jobs of user: a recurring job fires at its next
// occurrence after now (occurrences while paused are not sent), a one-off at
// its At (already past: at once, late, or missed past its grace).
func (s *Scheduler) ResumeUser(ctx context.Context, user string) error {
	if err := s.c.Del(ctx, s.pausedKey(user)).Err(); err != nil {
		return fmt.Errorf("scheduler: resume: %w", err)
	}
	jobs, err := s.Jobs(ctx, user)
	if err != nil {
		return err
	}
	now := s.cfg.Clock.Now()
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, sc := range jobs {
			if pl, err := newPlan(sc.Job); err == nil && sc.Paused {
				s.put(ctx, p, pl, false, now)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("scheduler: resume: %w", err)
	}
	return nil
}

// Missed is an occurrence that was not sent.
type Missed struct {
	// Job is the job's ID.
	Job string `json:"job"`
	// Kind is the job's kind.
	Kind Kind `json:"kind"`
	// Occurrence is the instant it was due.
	Occurrence time.Time `json:"at"`
	// Reason says why it was not sent, for example ReasonDowntime.
	Reason string `json:"reason"`
}

// Reasons of Missed records.
const (
	// ReasonDowntime: no process ran until the grace window had passed.
	ReasonDowntime = "not run within the grace window (downtime)"
	// ReasonFailed: the handler failed on every attempt.
	ReasonFailed = "handler failed on every attempt"
)

// missedKeep is how many missed records a user keeps.
const missedKeep = 100

// Missed returns the user's missed records, newest first (at most 100).
func (s *Scheduler) Missed(ctx context.Context, user string) ([]Missed, error) {
	raw, err := s.c.LRange(ctx, s.missedKey(user), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("scheduler: missed: %w", err)
	}
	out := make([]Missed, 0, len(raw))
	for _, r := range raw {
		var m Missed
		if json.Unmarshal([]byte(r), &m) == nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// recordMissed keeps a missed record once per (job, occurrence, reason).
func (s *Scheduler) recordMissed(ctx context.Context, j Job, occ time.Time, reason string) error {
	b, _ := json.Marshal(Missed{Job: j.ID, Kind: j.Kind, Occurrence: occ.UTC(), Reason: reason})
	key := []string{s.missedKey(j.User)}
	return missedScript.Run(ctx, s.c, key, string(b), missedKeep).Err()
}
