package matching

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Forgotten is what deleting a user changed for other people; the engine
// tells them and cancels their jobs. It is the only place the deleted
// user's key still appears, and it lives in memory only.
type Forgotten struct {
	// Withdrawn are the deleted learner's requests that were open;
	// Request.Tutor was waiting to answer.
	Withdrawn []Request
	// Ended are the mentorships that ran until the deletion.
	Ended []Mentorship
	// Moved are requests that waited for the deleted tutor: they moved
	// on to the next candidate or closed. Prev is the tutor's index.
	Moved []Moved
}

// Moved is a request taken from a deleted tutor.
type Moved struct {
	Request Request
	Prev    int
}

// ForgetLearner withdraws the learner's open requests, ends their
// mentorships (freeing the tutors' places) and deletes every key under
// their pseudonym.
func (rs *Requests) ForgetLearner(ctx context.Context, learner string, now time.Time) (Forgotten, error) {
	var f Forgotten
	p, err := rs.pseudonymIfAny(ctx, learner)
	if err != nil || p == "" {
		return f, err
	}
	open, err := rs.st.Client.HGetAll(ctx, rs.openKey(p)).Result()
	if err != nil {
		return f, err
	}
	for _, id := range open {
		out, err := rs.Cancel(ctx, id, learner, now)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return f, err
		}
		if out.Changed {
			f.Withdrawn = append(f.Withdrawn, out.Request)
		}
	}
	ms, err := rs.LearnerMentorships(ctx, learner)
	if err != nil {
		return f, err
	}
	for _, m := range ms {
		running := m.Ended.IsZero()
		if _, err := rs.End(ctx, m.ID, learner, now); err != nil && !errors.Is(err, ErrNotFound) {
			return f, err
		}
		if running {
			f.Ended = append(f.Ended, m)
		}
	}
	return f, rs.deletePseudonym(ctx, p, ms)
}

// deletePseudonym deletes the keys of a learner's pseudonym: requests,
// mentorships, open requests, declines and the counter.
func (rs *Requests) deletePseudonym(ctx context.Context, p string, ms []Mentorship) error {
	n, err := rs.st.Client.Get(ctx, rs.seqKey(p)).Int()
	if err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	keys := []string{rs.openKey(p), rs.mentsKey(p), rs.seqKey(p)}
	skills := map[string]bool{}
	for i := 1; i <= n; i++ {
		id := p + "#" + itoa(i)
		if r, err := rs.Get(ctx, id); err == nil {
			skills[r.Skill] = true
		}
		key, _ := rs.reqKey(id)
		keys = append(keys, key)
	}
	for _, m := range ms {
		keys = append(keys, rs.mentKey(p, m.ID))
	}
	for s := range skills {
		keys = append(keys, rs.declinedKey(p, s))
	}
	for start := 0; start < len(keys); start += 500 {
		if err := rs.st.Client.Del(ctx, keys[start:min(start+500, len(keys))]...).Err(); err != nil {
			return err
		}
	}
	return nil
}

// ForgetTutor takes the tutor out of every request ever offered to them:
// a request waiting for them moves on, a running mentorship ends, and
// the request, mentorship and declines no longer name them.
func (rs *Requests) ForgetTutor(ctx context.Context, tutor string, now time.Time) (Forgotten, error) {
	var f Forgotten
	ids, err := rs.st.Client.SMembers(ctx, rs.offeredKey(tutor)).Result()
	if err != nil {
		return f, err
	}
	for _, id := range ids {
		r, err := rs.Get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return f, err
		}
		if r.State == StateOpen && r.Tutor == tutor {
			out, err := rs.moveOn(ctx, id, tutor, "", now, false)
			if err != nil && !errors.Is(err, ErrClosed) && !errors.Is(err, ErrNotYours) {
				return f, err
			}
			if out.Changed {
				f.Moved = append(f.Moved, Moved{Request: out.Request, Prev: r.Current})
			}
		}
		if err := rs.unnameTutor(ctx, id, tutor, now, &f); err != nil {
			return f, err
		}
	}
	return f, rs.st.Client.Del(ctx, rs.offeredKey(tutor)).Err()
}

// unnameTutor ends request id's mentorship with tutor, if it runs, and
// removes the tutor's key from the request, the mentorship and the
// learner's declines.
func (rs *Requests) unnameTutor(ctx context.Context, id, tutor string, now time.Time, f *Forgotten) error {
	for {
		r, err := rs.Get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if r.Mentorship != "" {
			if err := rs.unnameMentor(ctx, r.Mentorship, tutor, now, f); err != nil {
				return err
			}
		}
		if err := rs.st.Client.SRem(ctx, rs.declinedKey(pseudOf(id), r.Skill), tutor).Err(); err != nil {
			return err
		}
		named := r.Tutor == tutor
		for i, c := range r.Candidates {
			if c == tutor {
				r.Candidates[i], named = "", true
			}
		}
		if r.Tutor == tutor {
			r.Tutor = ""
		}
		if !named {
			return nil
		}
		if err := rs.save(ctx, &r, change{}); !errors.Is(err, errStale) {
			return err
		}
	}
}

// unnameMentor ends mentorship id if tutor still runs it and removes the
// tutor from it.
func (rs *Requests) unnameMentor(ctx context.Context, id, tutor string, now time.Time, f *Forgotten) error {
	m, err := rs.Mentorship(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && m.Tutor != tutor) {
		return nil
	}
	if err != nil {
		return err
	}
	if m.Ended.IsZero() {
		f.Ended = append(f.Ended, m)
	}
	m, err = rs.End(ctx, id, tutor, now)
	if err != nil {
		return err
	}
	m.Tutor = ""
	b, _ := json.Marshal(m)
	return rs.st.Client.Set(ctx, rs.mentKey(pseudOf(id), id), b, 0).Err()
}

// Declined gives the tutors who declined learner for skill.
func (rs *Requests) Declined(ctx context.Context, learner, skill string) ([]string, error) {
	p, err := rs.pseudonymIfAny(ctx, learner)
	if err != nil || p == "" {
		return nil, err
	}
	return rs.st.Client.SMembers(ctx, rs.declinedKey(p, skill)).Result()
}

func itoa(i int) string { return strconv.Itoa(i) }
