package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Due is one occurrence of a job, handed to the handler.
type Due struct {
	// Job is the job as stored.
	Job Job
	// Occurrence is the instant the occurrence was scheduled to fire
	// (after quiet hours and holidays moved it).
	Occurrence time.Time
	// Key identifies the occurrence: "jobID@unixsec". The same occurrence
	// may be handed out again (its process died, or its lease was lost);
	// make its effect once per Key.
	Key string
	// Late is true when it fires LateAfter or more after Occurrence, for
	// example at start after downtime.
	Late bool
	// Attempt counts the times this occurrence was handed out, from 1.
	Attempt int
}

// Handler handles a due occurrence. A nil error ends the occurrence (a
// recurring job moves to its next one); an error retries it later, up to
// Config.MaxAttempts. Handlers run concurrently (Config.Workers); ctx ends
// when the lease is lost or Run stops.
type Handler func(ctx context.Context, d Due) error

// claim is a job this process holds a lease on.
type claim struct {
	id      string
	at      loc
	token   string
	occ     time.Time
	attempt int
	data    string
	ctx     context.Context
	cancel  context.CancelFunc
	lost    atomic.Bool
}

// lease is a parsed lease value.
type lease struct {
	token   string
	occ     time.Time
	attempt int
}

func parseLease(v string) (lease, bool) {
	f := strings.Split(v, "|")
	if len(f) != 4 {
		return lease{}, false
	}
	a, _ := strconv.Atoi(f[3])
	return lease{token: f[0], occ: fromMS(f[2]), attempt: a}, true
}

// runner is the state of one Run call.
type runner struct {
	s       *Scheduler
	handle  Handler
	id      string // this runner's token prefix
	seq     atomic.Uint64
	queue   chan *claim
	mu      sync.Mutex
	held    map[*claim]struct{}
	lastHB  time.Time
	backlog atomic.Int64
	fin     chan finishReq
}

// Run claims due jobs and passes them to handle until ctx ends; it returns
// nil then, after the handlers in flight have returned. Several processes
// (and several Run calls) may run against one Redis: each occurrence is
// handed to one handler at a time. Claims not started when Run stops are
// released for others at once; a started one whose handler did not finish
// runs again after its lease expires.
func (s *Scheduler) Run(ctx context.Context, handle Handler) error {
	if err := s.loadScripts(ctx); err != nil {
		return err
	}
	r := &runner{
		s: s, handle: handle, id: randomToken(),
		queue:  make(chan *claim, s.cfg.Shards*s.cfg.Batch+2*s.cfg.Workers),
		held:   map[*claim]struct{}{},
		lastHB: s.cfg.Clock.Now(),
	}
	r.fin = make(chan finishReq, 4*s.cfg.Workers)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		r.finisher()
	}()
	runCtx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range s.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(runCtx)
		}()
	}
	r.loop(ctx)
	close(r.queue)
	stop() // handlers still running see their context end
	wg.Wait()
	close(r.fin)
	<-finished
	return nil
}

// loop polls for due jobs and keeps leases alive until ctx ends.
func (r *runner) loop(ctx context.Context) {
	t := time.NewTicker(r.s.cfg.Poll)
	defer t.Stop()
	for {
		full := false
		if r.backlog.Load() <= int64(2*r.s.cfg.Workers) {
			full = r.poll(ctx)
		}
		r.heartbeat(ctx)
		if full {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func randomToken() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// poll claims due jobs from every shard; it reports whether a shard had
// more due than one batch.
func (r *runner) poll(ctx context.Context) bool {
	s := r.s
	now := s.cfg.Clock.Now()
	shards, err := r.dueShards(ctx, now)
	if err != nil || len(shards) == 0 {
		return false
	}
	token := r.id + "." + strconv.FormatUint(r.seq.Add(1), 36)
	deadline := msArg(now.Add(s.cfg.Lease))
	cmds := make([]*redis.Cmd, len(shards))
	_, err = s.pipe(ctx, func(p redis.Pipeliner) {
		for k, i := range shards {
			cmds[k] = claimScript.EvalSha(ctx, p, s.shardKeys(i),
				now.UnixMilli(), deadline, token, s.cfg.Batch, s.base(i))
		}
	})
	if err != nil {
		if ctx.Err() == nil {
			s.cfg.Logger.Warn("scheduler: claim due jobs", "err", err)
		}
		return false
	}
	full := false
	for k, c := range cmds {
		i := shards[k]
		vals, _ := c.StringSlice()
		for k := 0; k+4 < len(vals); k += 5 {
			b, _ := strconv.Atoi(vals[k+1])
			att, _ := strconv.Atoi(vals[k+3])
			cl := &claim{id: vals[k], at: loc{i, b}, token: token, occ: fromMS(vals[k+2]),
				attempt: att, data: vals[k+4]}
			r.hold(cl)
			r.backlog.Add(1)
			r.queue <- cl
		}
		full = full || len(vals)/5 >= s.cfg.Batch
	}
	return full
}

// dueShards returns the shards with a due bucket: a plain read first, so
// that an idle poll runs no script.
func (r *runner) dueShards(ctx context.Context, now time.Time) ([]int, error) {
	s := r.s
	max := strconv.FormatInt(now.UnixMilli(), 10)
	cmds := make([]*redis.StringSliceCmd, s.cfg.Shards)
	_, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range cmds {
			cmds[i] = p.ZRangeArgs(ctx, redis.ZRangeArgs{Key: s.shardKeys(i)[0],
				Start: "-inf", Stop: max, ByScore: true, Count: 1})
		}
		return nil
	})
	if err != nil {
		if ctx.Err() == nil {
			s.cfg.Logger.Warn("scheduler: look for due jobs", "err", err)
		}
		return nil, err
	}
	var due []int
	for i, c := range cmds {
		if len(c.Val()) > 0 {
			due = append(due, i)
		}
	}
	return due, nil
}

func (r *runner) hold(c *claim) {
	r.mu.Lock()
	r.held[c] = struct{}{}
	r.mu.Unlock()
}

func (r *runner) drop(c *claim) {
	r.mu.Lock()
	delete(r.held, c)
	r.mu.Unlock()
}

// heartbeat extends every held lease once a third of the lease has passed
// on the Clock since the last beat.
func (r *runner) heartbeat(ctx context.Context) {
	s := r.s
	now := s.cfg.Clock.Now()
	if now.Sub(r.lastHB) < s.cfg.Lease/3 {
		return
	}
	r.lastHB = now
	r.mu.Lock()
	byShard := map[int][]*claim{}
	for c := range r.held {
		byShard[c.at.shard] = append(byShard[c.at.shard], c)
	}
	r.mu.Unlock()
	if len(byShard) == 0 {
		return
	}
	deadline := msArg(now.Add(s.cfg.Lease))
	cmds := map[int]*redis.Cmd{}
	_, err := s.pipe(ctx, func(p redis.Pipeliner) {
		for shard, cs := range byShard {
			args := []any{deadline, s.base(shard)}
			for _, c := range cs {
				args = append(args, c.id, c.at.bucket, c.token)
			}
			cmds[shard] = extendScript.EvalSha(ctx, p, s.shardKeys(shard), args...)
		}
	})
	if err != nil {
		s.cfg.Logger.Warn("scheduler: extend leases", "err", err)
		return
	}
	for shard, cmd := range cmds {
		lost, _ := cmd.StringSlice()
		for _, c := range byShard[shard] {
			if contains(lost, c.id) {
				c.lost.Store(true)
				r.mu.Lock()
				if c.cancel != nil {
					c.cancel()
				}
				r.mu.Unlock()
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// work runs claims from the queue until it closes.
func (r *runner) work(runCtx context.Context) {
	for c := range r.queue {
		r.backlog.Add(-1)
		if runCtx.Err() != nil {
			r.finish(c, r.s.cfg.Clock.Now(), "retry") // not started: give it back now
		} else if !r.process(runCtx, c) {
			r.drop(c)
		}
	}
}

// finishReq asks the finisher to end a claim.
type finishReq struct {
	c    *claim
	at   time.Time
	mode string // "next", "remove" or "retry"
}

// finish hands the end of claim c to the finisher; the lease stays held
// (and extended) until it is done. A "next" without a time removes the job.
func (r *runner) finish(c *claim, at time.Time, mode string) {
	if mode == "next" && at.IsZero() {
		mode = "remove"
	}
	r.fin <- finishReq{c, at, mode}
}

// finisher ends claims in batches, one script call per shard, until fin
// closes.
func (r *runner) finisher() {
	for req := range r.fin {
		batch := []finishReq{req}
	more:
		for len(batch) < 500 {
			select {
			case req, ok := <-r.fin:
				if !ok {
					break more
				}
				batch = append(batch, req)
			default:
				break more
			}
		}
		r.flush(batch)
	}
}

// flush runs one batch of finishes, then drops removed jobs from their
// users' indexes.
func (r *runner) flush(batch []finishReq) {
	s := r.s
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	byShard := map[int][]finishReq{}
	for _, f := range batch {
		byShard[f.c.at.shard] = append(byShard[f.c.at.shard], f)
	}
	cmds := map[int]*redis.Cmd{}
	_, err := s.pipe(ctx, func(p redis.Pipeliner) {
		for shard, fs := range byShard {
			args := []any{s.base(shard)}
			for _, f := range fs {
				args = append(args, f.c.id, f.c.at.bucket, f.c.token, msArg(f.at), f.mode)
			}
			cmds[shard] = finishScript.EvalSha(ctx, p, s.shardKeys(shard), args...)
		}
	})
	if err != nil {
		s.cfg.Logger.Warn("scheduler: finish jobs; their leases will expire", "err", err)
	}
	_, err = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for shard, fs := range byShard {
			res, _ := cmds[shard].Int64Slice()
			for k, f := range fs {
				if f.mode == "remove" && k < len(res) && res[k] == 1 {
					if j, _, err := decodeJob(f.c.id, f.c.data); err == nil {
						p.HDel(ctx, s.userIndex(j.User), f.c.id)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		s.cfg.Logger.Warn("scheduler: drop finished jobs from user index", "err", err)
	}
	for _, f := range batch {
		r.drop(f.c)
	}
}

// process runs one claim: a stale occurrence is recorded missed, others go
// to the handler; then the job moves on. It reports whether it handed the
// claim to the finisher.
func (r *runner) process(runCtx context.Context, c *claim) bool {
	s := r.s
	j, _, err := decodeJob(c.id, c.data)
	var pl plan
	if err == nil {
		pl, err = newPlan(j)
	}
	if err != nil {
		s.cfg.Logger.Error("scheduler: dropping unreadable job", "job", c.id, "err", err)
		r.finish(c, time.Time{}, "remove")
		return true
	}
	now := s.cfg.Clock.Now()
	if now.Sub(c.occ) > pl.policy.Grace {
		return r.missed(runCtx, c, pl, now)
	}
	ctx, cancel := context.WithCancel(runCtx)
	defer cancel()
	r.mu.Lock()
	c.ctx, c.cancel = ctx, cancel
	r.mu.Unlock()
	if c.lost.Load() {
		return false
	}
	d := Due{Job: j, Occurrence: c.occ, Key: c.id + "@" + strconv.FormatInt(c.occ.Unix(), 10),
		Late: now.Sub(c.occ) >= s.cfg.LateAfter, Attempt: c.attempt}
	herr := r.call(c, d)
	if c.lost.Load() || runCtx.Err() != nil {
		return false
	}
	now = s.cfg.Clock.Now()
	switch {
	case herr == nil:
		r.finish(c, pl.nextAfter(later(c.occ, now)), "next")
	case c.attempt >= s.cfg.MaxAttempts:
		s.cfg.Logger.Warn("scheduler: job failed, giving up this occurrence", "job", c.id, "err", herr)
		if err := s.recordMissed(runCtx, j, c.occ, ReasonFailed); err != nil {
			s.cfg.Logger.Warn("scheduler: record missed", "job", c.id, "err", err)
		}
		r.finish(c, pl.nextAfter(later(c.occ, now)), "next")
	default:
		s.cfg.Logger.Warn("scheduler: job failed, will retry", "job", c.id, "err", herr)
		wait := s.cfg.RetryAfter << min(c.attempt-1, 10)
		r.finish(c, now.Add(wait), "retry")
	}
	return true
}

// call runs the handler, turning a panic into an error.
func (r *runner) call(c *claim, d Due) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("scheduler: handler panicked: %v", p)
		}
	}()
	return r.handle(c.ctx, d)
}

// missed records a stale occurrence and moves the job to its first
// occurrence still inside the grace window (which then fires, late) or
// else its next one.
func (r *runner) missed(ctx context.Context, c *claim, pl plan, now time.Time) bool {
	s := r.s
	if err := s.recordMissed(ctx, pl.Job, c.occ, ReasonDowntime); err != nil {
		s.cfg.Logger.Warn("scheduler: record missed", "job", c.id, "err", err)
		return false // the lease expires and the claim is tried again
	}
	r.finish(c, pl.nextAfter(now.Add(-pl.policy.Grace)), "next")
	return true
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
