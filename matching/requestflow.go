package matching

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// casScript replaces a request if its version is still ARGV[1], and in the
// same step updates the learner's open requests, the tutors who declined
// and the learner's mentorships. All keys are the learner's.
var casScript = redis.NewScript(`
local v = redis.call('HGET', KEYS[1], 'ver')
if (v or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'ver', tostring(tonumber(v) + 1))
if ARGV[5] == '0' and redis.call('HGET', KEYS[2], ARGV[3]) == ARGV[4] then
  redis.call('HDEL', KEYS[2], ARGV[3])
end
if ARGV[6] ~= '' then redis.call('SADD', KEYS[3], ARGV[6]) end
if ARGV[7] ~= '' then
  redis.call('SET', KEYS[4], ARGV[7])
  redis.call('SADD', KEYS[5], ARGV[8])
end
return 1
`)

// reserveScript takes a place in a tutor's mentee set for mentorship
// ARGV[1] unless the set already holds ARGV[2] (capacity) others.
var reserveScript = redis.NewScript(`
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
`)

// errStale says the request changed under us; the caller reads it again.
var errStale = errors.New("matching: request changed meanwhile")

type change struct {
	declined   string      // tutor to record as having declined
	mentorship *Mentorship // to create
}

// save writes r if nobody changed it since it was read.
func (rs *Requests) save(ctx context.Context, r *Request, c change) error {
	key, err := rs.reqKey(r.ID)
	if err != nil {
		return err
	}
	data, _ := json.Marshal(r)
	keepOpen := "0"
	if r.State == StateOpen {
		keepOpen = "1"
	}
	var ment []byte
	mentID := ""
	if c.mentorship != nil {
		ment, _ = json.Marshal(c.mentorship)
		mentID = c.mentorship.ID
	}
	p := pseudOf(r.ID)
	keys := []string{key, rs.openKey(p), rs.declinedKey(p, r.Skill),
		rs.mentKey(p, mentID), rs.mentsKey(p)}
	ok, err := casScript.Run(ctx, rs.st.Client, keys, strconv.Itoa(r.version), data,
		r.Skill, r.ID, keepOpen, c.declined, ment, mentID).Int()
	if err != nil {
		return err
	}
	if ok == 0 {
		return errStale
	}
	r.version++
	return nil
}

func mentorshipID(r *Request) string { return r.ID + "." + strconv.Itoa(r.Current) }

// release gives back a place held in the tutor's mentee set for the
// request's current candidate (idempotent; usually there is none).
func (rs *Requests) release(ctx context.Context, r *Request) error {
	n, err := rs.st.Client.SRem(ctx, rs.profiles.menteesKey(r.Tutor), mentorshipID(r)).Result()
	if err == nil && n > 0 {
		err = rs.profiles.touch(ctx, r.Tutor)
	}
	return err
}

// Accept records that tutor accepts request id and starts the
// mentorship. If the tutor has no place left (capacity lowered meanwhile)
// the request moves on as if they had not answered. ErrNotYours when the
// request waits for someone else; ErrClosed when it is no longer open.
func (rs *Requests) Accept(ctx context.Context, id, tutor string, now time.Time) (Outcome, error) {
	for {
		r, err := rs.Get(ctx, id)
		if err != nil {
			return Outcome{}, err
		}
		if r.State == StateAccepted && r.Tutor == tutor {
			m, err := rs.Mentorship(ctx, r.Mentorship)
			return Outcome{Request: r, Mentorship: &m}, err
		}
		if err := checkTurn(&r, tutor); err != nil {
			return Outcome{Request: r}, err
		}
		t, err := rs.profiles.Tutor(ctx, tutor)
		if err != nil {
			return Outcome{}, err
		}
		m := &Mentorship{ID: mentorshipID(&r), Learner: r.Learner, Tutor: tutor, Skill: r.Skill, Started: now}
		ok, err := reserveScript.Run(ctx, rs.st.Client, []string{rs.profiles.menteesKey(tutor)},
			m.ID, t.Capacity).Int()
		if err != nil {
			return Outcome{}, err
		}
		if ok == 0 {
			return rs.moveOn(ctx, id, tutor, "", now, true)
		}
		prev := r
		r.State, r.AnsweredAt, r.Mentorship = StateAccepted, now, m.ID
		err = rs.save(ctx, &r, change{mentorship: m})
		if errors.Is(err, errStale) {
			if err := rs.release(ctx, &prev); err != nil {
				return Outcome{}, err
			}
			continue
		}
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{Request: r, Changed: true, Mentorship: m}, rs.profiles.touch(ctx, tutor)
	}
}

func checkTurn(r *Request, tutor string) error {
	if r.State != StateOpen {
		return fmt.Errorf("%w: %s is %s", ErrClosed, r.ID, r.State)
	}
	if r.Tutor != tutor {
		return ErrNotYours
	}
	return nil
}

// Decline records that tutor declines request id: they are never offered
// to this learner for this skill again, and the request moves on to the
// next candidate (Outcome.Offered) or ends declined.
func (rs *Requests) Decline(ctx context.Context, id, tutor string, now time.Time) (Outcome, error) {
	return rs.moveOn(ctx, id, tutor, tutor, now, true)
}

// Expire ends tutor's turn on request id when its deadline has passed, and
// moves on to the next candidate or ends the request expired. A deadline
// job that comes late or twice is harmless: when the request no longer
// waits for tutor, or now is before the deadline, nothing changes.
func (rs *Requests) Expire(ctx context.Context, id, tutor string, now time.Time) (Outcome, error) {
	r, err := rs.Get(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	if r.State != StateOpen || r.Tutor != tutor || now.Before(r.Deadline) {
		return Outcome{Request: r}, nil
	}
	out, err := rs.moveOn(ctx, id, tutor, "", now, false)
	if errors.Is(err, ErrClosed) || errors.Is(err, ErrNotYours) {
		return out, nil
	}
	return out, err
}

// moveOn takes the request from tutor to the next candidate that can take
// it, recording declined (if set) as having declined. answered says the
// tutor answered (decline, or an accept without a place).
func (rs *Requests) moveOn(ctx context.Context, id, tutor, declined string, now time.Time, answered bool) (Outcome, error) {
	for {
		r, err := rs.Get(ctx, id)
		if err != nil {
			return Outcome{}, err
		}
		if err := checkTurn(&r, tutor); err != nil {
			return Outcome{Request: r}, err
		}
		prev := r
		if answered {
			r.AnsweredAt = now
		}
		next, err := rs.nextCandidate(ctx, pseudOf(r.ID), &r, r.Current+1)
		if err != nil {
			return Outcome{}, err
		}
		out := Outcome{Changed: true, Previous: tutor}
		switch {
		case next >= 0:
			rs.offer(&r, next, now)
			out.Offered = true
			if err := rs.noteOffered(ctx, r.Tutor, r.ID); err != nil {
				return Outcome{}, err
			}
		case declined != "":
			r.State = StateDeclined
		default:
			r.State = StateExpired
		}
		err = rs.save(ctx, &r, change{declined: declined})
		if errors.Is(err, errStale) {
			continue
		}
		if err != nil {
			return Outcome{}, err
		}
		out.Request = r
		return out, rs.release(ctx, &prev)
	}
}

// Cancel withdraws the learner's request id.
func (rs *Requests) Cancel(ctx context.Context, id, learner string, now time.Time) (Outcome, error) {
	for {
		r, err := rs.Get(ctx, id)
		if err != nil {
			return Outcome{}, err
		}
		if r.Learner != learner {
			return Outcome{}, fmt.Errorf("%w: request %s", ErrNotFound, id)
		}
		if r.State != StateOpen {
			return Outcome{Request: r}, nil
		}
		prev := r
		r.State = StateCancelled
		if err := rs.save(ctx, &r, change{}); errors.Is(err, errStale) {
			continue
		} else if err != nil {
			return Outcome{}, err
		}
		return Outcome{Request: r, Changed: true, Previous: prev.Tutor}, rs.release(ctx, &prev)
	}
}

// Mentorship reads a mentorship by id; ErrNotFound if there is none.
func (rs *Requests) Mentorship(ctx context.Context, id string) (Mentorship, error) {
	var m Mentorship
	p, _, ok := splitID(id[:max(strings.LastIndexByte(id, '.'), 0)])
	if !ok {
		return m, fmt.Errorf("%w: mentorship %q", ErrNotFound, id)
	}
	b, err := rs.st.Client.Get(ctx, rs.mentKey(p, id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return m, fmt.Errorf("%w: mentorship %s", ErrNotFound, id)
	}
	if err != nil {
		return m, err
	}
	err = json.Unmarshal(b, &m)
	return m, err
}

// LearnerMentorships gives the learner's mentorships, running and ended.
func (rs *Requests) LearnerMentorships(ctx context.Context, learner string) ([]Mentorship, error) {
	p, err := rs.pseudonymIfAny(ctx, learner)
	if err != nil || p == "" {
		return nil, err
	}
	ids, err := rs.st.Client.SMembers(ctx, rs.mentsKey(p)).Result()
	if err != nil {
		return nil, err
	}
	return rs.mentorships(ctx, ids)
}

// TutorMentorships gives the tutor's running mentorships.
func (rs *Requests) TutorMentorships(ctx context.Context, tutor string) ([]Mentorship, error) {
	ids, err := rs.st.Client.SMembers(ctx, rs.profiles.menteesKey(tutor)).Result()
	if err != nil {
		return nil, err
	}
	return rs.mentorships(ctx, ids)
}

func (rs *Requests) mentorships(ctx context.Context, ids []string) ([]Mentorship, error) {
	var out []Mentorship
	for _, id := range ids {
		m, err := rs.Mentorship(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue // a place reserved by an accept that did not finish
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// SetMeetings replaces the planned meetings of a mentorship.
func (rs *Requests) SetMeetings(ctx context.Context, id string, meetings []Meeting) error {
	m, err := rs.Mentorship(ctx, id)
	if err != nil {
		return err
	}
	m.Meetings = meetings
	b, _ := json.Marshal(m)
	return rs.st.Client.Set(ctx, rs.mentKey(pseudOf(id), id), b, 0).Err()
}

// End ends mentorship id at the wish of by (its learner or tutor) and
// frees the tutor's place. Ending twice is harmless: the second call only
// makes sure the place is free.
func (rs *Requests) End(ctx context.Context, id, by string, now time.Time) (Mentorship, error) {
	m, err := rs.Mentorship(ctx, id)
	if err != nil {
		return m, err
	}
	if by != m.Learner && by != m.Tutor {
		return m, fmt.Errorf("%w: mentorship %s", ErrNotFound, id)
	}
	if m.Ended.IsZero() {
		m.Ended = now
		b, _ := json.Marshal(m)
		if err := rs.st.Client.Set(ctx, rs.mentKey(pseudOf(id), id), b, 0).Err(); err != nil {
			return m, err
		}
	}
	if m.Tutor == "" {
		return m, nil // the tutor was deleted
	}
	if err := rs.st.Client.SRem(ctx, rs.profiles.menteesKey(m.Tutor), id).Err(); err != nil {
		return m, err
	}
	return m, rs.profiles.touch(ctx, m.Tutor)
}
