package matching

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/talentjourney/talentbot/store"
)

// RequestState is where a mentoring request stands.
type RequestState string

// Request states. Only StateOpen changes further.
const (
	StateOpen      RequestState = "open"      // waiting for Candidates[Current]
	StateAccepted  RequestState = "accepted"  // Tutor accepted; Mentorship is set
	StateDeclined  RequestState = "declined"  // the last candidate declined
	StateExpired   RequestState = "expired"   // the last candidate did not answer in time
	StateCancelled RequestState = "cancelled" // the learner withdrew it
)

// Errors of requests.
var (
	// ErrRequestOpen says the learner already has an open request for the skill.
	ErrRequestOpen = errors.New("matching: a request for this skill is already open")
	// ErrNoTutorAvailable says no candidate can be offered the request.
	ErrNoTutorAvailable = errors.New("matching: no tutor available")
	// ErrNotYours says the user is not the one the request waits for.
	ErrNotYours = errors.New("matching: not the request's current tutor")
	// ErrClosed says the request is no longer open.
	ErrClosed = errors.New("matching: request is no longer open")
)

// Request is a learner's request for a mentor in one skill, offered to
// ranked candidates one at a time.
type Request struct {
	// ID is "<pseudonym>#<n>": opaque, it names no user (see Requests).
	ID      string `json:"id"`
	Learner string `json:"learner"`
	Skill   string `json:"skill"`
	// Note is the learner's own words for the tutor (never logged).
	Note string `json:"note,omitempty"`
	// Candidates are the ranked tutors; Current is the one asked now.
	Candidates []string     `json:"candidates"`
	Current    int          `json:"current"`
	Tutor      string       `json:"tutor"` // Candidates[Current]
	State      RequestState `json:"state"`
	// Deadline is when the current tutor's turn ends; RemindAt is the
	// reminder half way. The engine schedules both (package scheduler).
	Deadline   time.Time `json:"deadline"`
	RemindAt   time.Time `json:"remind_at"`
	CreatedAt  time.Time `json:"created_at"`
	AnsweredAt time.Time `json:"answered_at,omitzero"` // last accept or decline
	Mentorship string    `json:"mentorship,omitempty"` // id once accepted
	version    int
}

// Meeting is one planned meeting of a mentorship.
type Meeting struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Mentorship is an accepted request: a tutor mentors a learner in a skill
// until either ends it.
type Mentorship struct {
	ID       string    `json:"id"` // "<request id>.<candidate index>"
	Learner  string    `json:"learner"`
	Tutor    string    `json:"tutor"`
	Skill    string    `json:"skill"`
	Started  time.Time `json:"started"`
	Ended    time.Time `json:"ended,omitzero"` // zero while it runs
	Meetings []Meeting `json:"meetings,omitempty"`
}

// Outcome is what a request operation did, for the engine to tell people
// and schedule: when Offered is true Request.Tutor is newly asked and the
// engine schedules Request.RemindAt and Request.Deadline.
type Outcome struct {
	Request    Request
	Changed    bool        // false: nothing to do (a stale deadline, a repeated answer)
	Previous   string      // the tutor who declined or let the time run out
	Offered    bool        // a (new) tutor was asked
	Mentorship *Mentorship // set on accept
}

// RequestConfig tunes Requests.
type RequestConfig struct {
	// Deadline is how long a tutor has to answer; zero means 24 h. The
	// reminder is due at half time.
	Deadline time.Duration
}

// Requests keeps requests and mentorships in Redis. It is safe for
// concurrent use, also across processes.
//
// A request and everything about its learner (open requests by skill,
// tutors who declined, mentorships) live under the learner's hash tag and
// change in one script guarded by a version. A tutor's load is the set of
// mentorship ids under the tutor's tag. Accept first reserves a place in
// that set (idempotent: the id is fixed by request and candidate, and the
// script refuses beyond capacity), then moves the request; if the process
// dies between the two, the request is still open for that tutor: the
// tutor may accept again (the place is already theirs) or the deadline
// runs out, and Expire and Decline give back any place held under the id.
//
// Ids name no user: the learner's keys live under a pseudonym, a random
// name kept under the learner's own hash tag (deleted with them), and
// request, mentorship, event and job ids are built from it. Deleting
// a user (ForgetLearner, ForgetTutor) removes the pseudonym's keys and
// every value naming them, so nothing left points back at them.
type Requests struct {
	st       *store.Store
	profiles *Profiles
	cfg      RequestConfig
}

// NewRequests returns requests on st, reading tutors through profiles.
func NewRequests(st *store.Store, profiles *Profiles, cfg RequestConfig) *Requests {
	if cfg.Deadline <= 0 {
		cfg.Deadline = 24 * time.Hour
	}
	return &Requests{st: st, profiles: profiles, cfg: cfg}
}

func (rs *Requests) reqKey(id string) (string, error) {
	p, n, ok := splitID(id)
	if !ok {
		return "", fmt.Errorf("%w: request %q", ErrNotFound, id)
	}
	return rs.st.Keys.User(p, "match:req:"+n), nil
}

func splitID(id string) (pseud, n string, ok bool) {
	i := strings.LastIndexByte(id, '#')
	if i <= 0 || i == len(id)-1 {
		return "", "", false
	}
	return id[:i], id[i+1:], true
}

// pseudOf is the pseudonym part of a request or mentorship id.
func pseudOf(id string) string {
	if i := strings.LastIndexByte(id, '#'); i > 0 {
		return id[:i]
	}
	return ""
}

// Pseudonym is the opaque name under which user's requests are kept: a
// random name kept under the user's own hash tag, made on first use. It is
// deleted with the user's keys, and then nothing left in shared keys (ids
// in other users' sets, events, streams) can be traced back to them. The
// engine may use it to build ids (events, jobs) that must not name the
// user.
func (rs *Requests) Pseudonym(ctx context.Context, user string) (string, error) {
	p, err := rs.pseudonymIfAny(ctx, user)
	if err != nil || p != "" {
		return p, err
	}
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	key := rs.st.Keys.User(user, "match:pseud")
	if err := rs.st.Client.SetNX(ctx, key, "p"+hex.EncodeToString(b), 0).Err(); err != nil {
		return "", err
	}
	return rs.st.Client.Get(ctx, key).Result()
}

// pseudonymIfAny is user's pseudonym, or "" when they have none (never
// asked for mentoring, or deleted).
func (rs *Requests) pseudonymIfAny(ctx context.Context, user string) (string, error) {
	p, err := rs.st.Client.Get(ctx, rs.st.Keys.User(user, "match:pseud")).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return p, err
}

// Keys of a learner's requests, under the learner's pseudonym p.
func (rs *Requests) openKey(p string) string { return rs.st.Keys.User(p, "match:open") }
func (rs *Requests) declinedKey(p, skill string) string {
	return rs.st.Keys.User(p, "match:declined:"+skill)
}
func (rs *Requests) mentKey(p, id string) string { return rs.st.Keys.User(p, "match:ment:"+id) }
func (rs *Requests) mentsKey(p string) string    { return rs.st.Keys.User(p, "match:ments") }
func (rs *Requests) seqKey(p string) string      { return rs.st.Keys.User(p, "match:seq") }

// offeredKey is the set of request ids ever offered to tutor, so that
// deleting the tutor finds every request that names them.
func (rs *Requests) offeredKey(tutor string) string { return rs.st.Keys.User(tutor, "match:offered") }

// noteOffered records that request id is offered to tutor.
func (rs *Requests) noteOffered(ctx context.Context, tutor, id string) error {
	return rs.st.Client.SAdd(ctx, rs.offeredKey(tutor), id).Err()
}

var openScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then return cur end
redis.call('HSET', KEYS[2], 'data', ARGV[3], 'ver', '1')
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ''
`)

// Open creates a request of learner for skill and offers it to the first
// of candidates (ranked tutor users) that can take it: not the learner,
// not a tutor who declined this learner for skill, active and under
// capacity. ErrRequestOpen (with the open request) when one is open for
// the skill; ErrNoTutorAvailable when no candidate fits.
func (rs *Requests) Open(ctx context.Context, learner, skill, note string, candidates []string, now time.Time) (Request, error) {
	if r, err := rs.OpenFor(ctx, learner, skill); err == nil {
		return r, ErrRequestOpen
	} else if !errors.Is(err, ErrNotFound) {
		return Request{}, err
	}
	r := Request{Learner: learner, Skill: skill, Note: note, State: StateOpen, CreatedAt: now}
	for _, c := range candidates {
		if c != learner && !slices.Contains(r.Candidates, c) {
			r.Candidates = append(r.Candidates, c)
		}
	}
	p, err := rs.Pseudonym(ctx, learner)
	if err != nil {
		return Request{}, err
	}
	next, err := rs.nextCandidate(ctx, p, &r, 0)
	if err != nil {
		return Request{}, err
	}
	if next < 0 {
		return Request{}, ErrNoTutorAvailable
	}
	rs.offer(&r, next, now)
	n, err := rs.st.Client.Incr(ctx, rs.seqKey(p)).Result()
	if err != nil {
		return Request{}, err
	}
	r.ID = p + "#" + strconv.FormatInt(n, 10)
	if err := rs.noteOffered(ctx, r.Tutor, r.ID); err != nil {
		return Request{}, err
	}
	data, _ := json.Marshal(r)
	key, _ := rs.reqKey(r.ID)
	res, err := openScript.Run(ctx, rs.st.Client, []string{rs.openKey(p), key},
		skill, r.ID, data).Text()
	if err != nil {
		return Request{}, err
	}
	if res != "" {
		existing, err := rs.Get(ctx, res)
		if err != nil {
			return Request{}, err
		}
		return existing, ErrRequestOpen
	}
	r.version = 1
	return r, rs.st.Client.XAdd(ctx, &redis.XAddArgs{
		Stream: rs.OpenedStream(), MaxLen: changesMaxLen, Approx: true,
		Values: []string{"request", r.ID},
	}).Err()
}

// OpenedStream is the stream to which Open appends {"request": id} after
// each new request, so that the engine of any process can tell the first
// tutor and schedule the deadline of requests that another process (the
// cohort command) opened. It is capped at about 10,000 entries.
func (rs *Requests) OpenedStream() string { return rs.st.Keys.Global("match:opened") }

// offer makes candidate k the one asked, from now.
func (rs *Requests) offer(r *Request, k int, now time.Time) {
	r.Current, r.Tutor = k, r.Candidates[k]
	r.Deadline = now.Add(rs.cfg.Deadline)
	r.RemindAt = now.Add(rs.cfg.Deadline / 2)
}

// nextCandidate gives the first candidate from index from who may be
// offered the request now, or -1; p is the learner's pseudonym.
func (rs *Requests) nextCandidate(ctx context.Context, p string, r *Request, from int) (int, error) {
	declined, err := rs.st.Client.SMembers(ctx, rs.declinedKey(p, r.Skill)).Result()
	if err != nil {
		return -1, err
	}
	for k := from; k < len(r.Candidates); k++ {
		c := r.Candidates[k]
		if c == "" || slices.Contains(declined, c) {
			continue
		}
		t, err := rs.profiles.Tutor(ctx, c)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return -1, err
		}
		if t.Free() {
			return k, nil
		}
	}
	return -1, nil
}

// Get reads a request by id; ErrNotFound if there is none.
func (rs *Requests) Get(ctx context.Context, id string) (Request, error) {
	key, err := rs.reqKey(id)
	if err != nil {
		return Request{}, err
	}
	vals, err := rs.st.Client.HMGet(ctx, key, "data", "ver").Result()
	if err != nil {
		return Request{}, err
	}
	data, ok1 := vals[0].(string)
	ver, ok2 := vals[1].(string)
	if !ok1 || !ok2 {
		return Request{}, fmt.Errorf("%w: request %s", ErrNotFound, id)
	}
	var r Request
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return Request{}, fmt.Errorf("matching: request %s: %w", id, err)
	}
	r.version, _ = strconv.Atoi(ver)
	return r, nil
}

// OpenFor gives the learner's open request for skill; ErrNotFound if none.
func (rs *Requests) OpenFor(ctx context.Context, learner, skill string) (Request, error) {
	p, err := rs.pseudonymIfAny(ctx, learner)
	if err != nil {
		return Request{}, err
	}
	if p == "" {
		return Request{}, fmt.Errorf("%w: no request of %s for %s", ErrNotFound, learner, skill)
	}
	id, err := rs.st.Client.HGet(ctx, rs.openKey(p), skill).Result()
	if errors.Is(err, redis.Nil) {
		return Request{}, fmt.Errorf("%w: open request of %s", ErrNotFound, learner)
	}
	if err != nil {
		return Request{}, err
	}
	return rs.Get(ctx, id)
}
