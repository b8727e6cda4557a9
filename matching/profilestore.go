package matching

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/talentjourney/talentbot/store"
)

// ErrNotFound says a profile, request or mentorship does not exist.
var ErrNotFound = errors.New("matching: not found")

// changesMaxLen bounds the stream of tutor changes; an index that fell
// further behind reloads everything.
const changesMaxLen = 10000

// Profiles keeps tutor and learner profiles in Redis and keeps Indexes in
// step with them. It is safe for concurrent use.
//
// Every change of a tutor (profile, pause, load) is appended to a capped
// stream {g}:match:changes after the tutor's own keys are written; Sync
// reads the stream from where the index stopped and reloads the tutors it
// names, so several processes converge. The write and the append are two
// commands in two hash slots: a crash between them leaves other processes'
// indexes stale for that tutor until the next full Load (or the tutor's
// next change); ranking then errs on an old profile, and Accept still
// checks capacity against Redis.
type Profiles struct {
	st *store.Store
}

// NewProfiles returns the profile store on st.
func NewProfiles(st *store.Store) *Profiles { return &Profiles{st: st} }

func (p *Profiles) tutorKey(user string) string   { return p.st.Keys.User(user, "profile:tutor") }
func (p *Profiles) learnerKey(user string) string { return p.st.Keys.User(user, "profile:learner") }
func (p *Profiles) menteesKey(user string) string { return p.st.Keys.User(user, "match:mentees") }
func (p *Profiles) tutorsKey() string             { return p.st.Keys.Global("match:tutors") }
func (p *Profiles) changesKey() string            { return p.st.Keys.Global("match:changes") }
func (p *Profiles) learnersKey() string           { return p.st.Keys.Global("match:learners") }

// SaveTutor validates and stores t (its Load is ignored: it follows the
// tutor's mentorships).
func (p *Profiles) SaveTutor(ctx context.Context, t Tutor) error {
	if err := t.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if err := p.st.Client.Set(ctx, p.tutorKey(t.User), b, 0).Err(); err != nil {
		return err
	}
	if err := p.st.Client.SAdd(ctx, p.tutorsKey(), t.User).Err(); err != nil {
		return err
	}
	return p.touch(ctx, t.User)
}

// touch records that tutor changed, for other processes' indexes.
func (p *Profiles) touch(ctx context.Context, user string) error {
	return p.st.Client.XAdd(ctx, &redis.XAddArgs{
		Stream: p.changesKey(), MaxLen: changesMaxLen, Approx: true,
		Values: []string{"tutor", user},
	}).Err()
}

// Tutor reads a tutor's profile with their current load; ErrNotFound if
// they are not a tutor.
func (p *Profiles) Tutor(ctx context.Context, user string) (Tutor, error) {
	var t Tutor
	pipe := p.st.Client.Pipeline()
	get := pipe.Get(ctx, p.tutorKey(user))
	load := pipe.SCard(ctx, p.menteesKey(user))
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return t, err
	}
	b, err := get.Bytes()
	if errors.Is(err, redis.Nil) {
		return t, fmt.Errorf("%w: tutor %s", ErrNotFound, user)
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return t, fmt.Errorf("matching: tutor %s: %w", user, err)
	}
	t.Load = int(load.Val())
	return t, nil
}

// DeleteTutor removes a tutor's profile (their mentorships stay until
// ended).
func (p *Profiles) DeleteTutor(ctx context.Context, user string) error {
	if err := p.st.Client.Del(ctx, p.tutorKey(user)).Err(); err != nil {
		return err
	}
	if err := p.st.Client.SRem(ctx, p.tutorsKey(), user).Err(); err != nil {
		return err
	}
	return p.touch(ctx, user)
}

// Forget deletes the user's tutor and learner profiles and removes the
// user from the stream of tutor changes: the entries naming them are
// deleted and an entry {"reload": "1"} makes every index load again.
// Call it after the user's mentorships ended (ending one records a
// change).
func (p *Profiles) Forget(ctx context.Context, user string) error {
	if err := p.DeleteLearner(ctx, user); err != nil {
		return err
	}
	c := p.st.Client
	if err := c.Del(ctx, p.tutorKey(user)).Err(); err != nil {
		return err
	}
	if err := c.SRem(ctx, p.tutorsKey(), user).Err(); err != nil {
		return err
	}
	msgs, err := c.XRange(ctx, p.changesKey(), "-", "+").Result()
	if err != nil {
		return err
	}
	var ids []string
	for _, m := range msgs {
		if u, _ := m.Values["tutor"].(string); u == user {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if err := c.XDel(ctx, p.changesKey(), ids...).Err(); err != nil {
		return err
	}
	return c.XAdd(ctx, &redis.XAddArgs{
		Stream: p.changesKey(), MaxLen: changesMaxLen, Approx: true,
		Values: []string{"reload", "1"},
	}).Err()
}

// SaveLearner validates and stores l.
func (p *Profiles) SaveLearner(ctx context.Context, l Learner) error {
	if err := l.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	if err := p.st.Client.Set(ctx, p.learnerKey(l.User), b, 0).Err(); err != nil {
		return err
	}
	return p.st.Client.SAdd(ctx, p.learnersKey(), l.User).Err()
}

// Learner reads a learner's profile; ErrNotFound if there is none.
func (p *Profiles) Learner(ctx context.Context, user string) (Learner, error) {
	var l Learner
	b, err := p.st.Client.Get(ctx, p.learnerKey(user)).Bytes()
	if errors.Is(err, redis.Nil) {
		return l, fmt.Errorf("%w: learner %s", ErrNotFound, user)
	}
	if err != nil {
		return l, err
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return l, fmt.Errorf("matching: learner %s: %w", user, err)
	}
	return l, nil
}

// DeleteLearner removes a learner's profile.
func (p *Profiles) DeleteLearner(ctx context.Context, user string) error {
	if err := p.st.Client.Del(ctx, p.learnerKey(user)).Err(); err != nil {
		return err
	}
	return p.st.Client.SRem(ctx, p.learnersKey(), user).Err()
}

// Learners reads every learner profile (for a cohort).
func (p *Profiles) Learners(ctx context.Context) ([]Learner, error) {
	users, err := p.st.Client.SMembers(ctx, p.learnersKey()).Result()
	if err != nil {
		return nil, err
	}
	var out []Learner
	for start := 0; start < len(users); start += 500 {
		batch := users[start:min(start+500, len(users))]
		pipe := p.st.Client.Pipeline()
		gets := make([]*redis.StringCmd, len(batch))
		for i, u := range batch {
			gets[i] = pipe.Get(ctx, p.learnerKey(u))
		}
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, err
		}
		for _, g := range gets {
			var l Learner
			if b, err := g.Bytes(); err == nil && json.Unmarshal(b, &l) == nil {
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// Tutors reads every tutor profile with their loads.
func (p *Profiles) Tutors(ctx context.Context) ([]Tutor, error) {
	users, err := p.st.Client.SMembers(ctx, p.tutorsKey()).Result()
	if err != nil {
		return nil, err
	}
	return p.readTutors(ctx, users)
}

// readTutors reads the named tutors in batches; missing ones are skipped.
func (p *Profiles) readTutors(ctx context.Context, users []string) ([]Tutor, error) {
	var out []Tutor
	for start := 0; start < len(users); start += 500 {
		batch := users[start:min(start+500, len(users))]
		pipe := p.st.Client.Pipeline()
		gets := make([]*redis.StringCmd, len(batch))
		loads := make([]*redis.IntCmd, len(batch))
		for i, u := range batch {
			gets[i] = pipe.Get(ctx, p.tutorKey(u))
			loads[i] = pipe.SCard(ctx, p.menteesKey(u))
		}
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, err
		}
		for i := range batch {
			b, err := gets[i].Bytes()
			if err != nil {
				continue
			}
			var t Tutor
			if json.Unmarshal(b, &t) != nil {
				continue
			}
			t.Load = int(loads[i].Val())
			out = append(out, t)
		}
	}
	return out, nil
}

// Load fills x with every tutor in the store, replacing what it held.
func (p *Profiles) Load(ctx context.Context, x *Index, now time.Time) error {
	last, err := p.lastChange(ctx)
	if err != nil {
		return err
	}
	tutors, err := p.Tutors(ctx)
	if err != nil {
		return err
	}
	x.replace(tutors, last, now)
	return nil
}

func (p *Profiles) lastChange(ctx context.Context) (string, error) {
	msgs, err := p.st.Client.XRevRangeN(ctx, p.changesKey(), "+", "-", 1).Result()
	if err != nil || len(msgs) == 0 {
		return "0-0", err
	}
	return msgs[0].ID, nil
}

// Sync applies the tutor changes made since x was last loaded or synced,
// by any process. Call it before ranking or every few seconds; a single
// XRANGE when nothing changed. An index that fell behind the capped
// stream is loaded again in full.
func (p *Profiles) Sync(ctx context.Context, x *Index, now time.Time) error {
	cursor := x.Cursor()
	if cursor == "" {
		return p.Load(ctx, x, now)
	}
	msgs, err := p.st.Client.XRange(ctx, p.changesKey(), "("+cursor, "+").Result()
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		return nil
	}
	if first, err := p.st.Client.XRangeN(ctx, p.changesKey(), "-", "+", 1).Result(); err == nil &&
		len(first) > 0 && cursor != "0-0" && streamIDLess(cursor, first[0].ID) && msgs[0].ID == first[0].ID {
		return p.Load(ctx, x, now) // entries after cursor were trimmed away
	}
	seen := map[string]bool{}
	var users []string
	for _, m := range msgs {
		if _, ok := m.Values["reload"]; ok {
			return p.Load(ctx, x, now) // a tutor was deleted
		}
		if u, ok := m.Values["tutor"].(string); ok && !seen[u] {
			seen[u] = true
			users = append(users, u)
		}
	}
	tutors, err := p.readTutors(ctx, users)
	if err != nil {
		return err
	}
	x.apply(users, tutors, msgs[len(msgs)-1].ID, now)
	return nil
}

// streamIDLess compares two stream ids "ms-seq".
func streamIDLess(a, b string) bool {
	var am, as, bm, bs uint64
	fmt.Sscanf(a, "%d-%d", &am, &as)
	fmt.Sscanf(b, "%d-%d", &bm, &bs)
	return am < bm || (am == bm && as < bs)
}
