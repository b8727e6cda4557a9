package scheduler

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/talentjourney/talentbot/store"
)

// Config tunes a Scheduler. Shards and Buckets decide where jobs live: every
// process sharing a Redis must use the same values, and changing them
// strands the jobs already stored.
type Config struct {
	// Shards is the number of hash-tagged shards; zero means 16.
	Shards int
	// Buckets is the number of small sorted sets per shard; zero means
	// 1024. Keep jobs per bucket under 128 (Redis keeps such sets in
	// compact listpacks): 16 x 1024 buckets hold 1.5 million jobs so.
	Buckets int
	// Lease is how long a claim lasts without a heartbeat; zero means 30 s.
	// A claim is extended every Lease/3 while its handler runs.
	Lease time.Duration
	// Poll is how often Run looks for due jobs (real time); zero means
	// 100 ms.
	Poll time.Duration
	// Batch is the most jobs claimed from one shard per poll; zero means
	// 200.
	Batch int
	// Workers is how many handlers run at once; zero means 32.
	Workers int
	// LateAfter marks an occurrence late when it fires this long after its
	// instant; zero means 1 minute.
	LateAfter time.Duration
	// MaxAttempts is how often a failing handler is tried for one
	// occurrence; zero means 5.
	MaxAttempts int
	// RetryAfter is the wait before the first retry, doubling after each;
	// zero means 10 s.
	RetryAfter time.Duration
	// Clock tells the time; nil means RealClock.
	Clock Clock
	// Logger receives records about failed jobs; nil discards them.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Shards, 16)
	def(&c.Buckets, 1024)
	def(&c.Batch, 200)
	def(&c.Workers, 32)
	def(&c.MaxAttempts, 5)
	defDur(&c.Lease, 30*time.Second)
	defDur(&c.Poll, 100*time.Millisecond)
	defDur(&c.LateAfter, time.Minute)
	defDur(&c.RetryAfter, 10*time.Second)
	if c.Clock == nil {
		c.Clock = RealClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Scheduler stores jobs in Redis and runs them when due. Its methods are
// safe for concurrent use; calls about one user should come one at a time
// (the engine's per-user order gives that), or a job scheduled while the
// user is cancelled may survive the cancel. Errors: Schedule returns
// ErrInvalidJob for a job it cannot store, Cancel ErrNotFound for an
// unknown id; any other error comes from Redis (the call may then be
// repeated: every write is an idempotent upsert or delete).
type Scheduler struct {
	st  *store.Store
	c   redis.UniversalClient
	cfg Config
}

// New returns a Scheduler on st.
func New(st *store.Store, cfg Config) *Scheduler {
	return &Scheduler{st: st, c: st.Client, cfg: cfg.withDefaults()}
}

// ErrNotFound reports a job id that is not scheduled.
var ErrNotFound = errors.New("scheduler: job not found")

// loc is where one job is stored.
type loc struct{ shard, bucket int }

func (s *Scheduler) locate(id string) loc {
	h := fnv.New32a()
	h.Write([]byte(id))
	return loc{store.ShardOf(id, s.cfg.Shards), int(h.Sum32() % uint32(s.cfg.Buckets))}
}

// shardKeys returns the index key, the lease key and the key base of shard i.
func (s *Scheduler) shardKeys(i int) []string {
	return []string{s.st.Keys.Shard("sched", i, "i"), s.st.Keys.Shard("sched", i, "l")}
}

func (s *Scheduler) base(i int) string { return s.st.Keys.Shard("sched", i, "") }

func (s *Scheduler) userIndex(user string) string { return s.st.Keys.User(user, "jobs") }
func (s *Scheduler) pausedKey(user string) string { return s.st.Keys.User(user, "jobs:paused") }
func (s *Scheduler) missedKey(user string) string { return s.st.Keys.User(user, "jobs:missed") }
func (s *Scheduler) dataKey(l loc) string         { return s.base(l.shard) + "h" + strconv.Itoa(l.bucket) }
func (s *Scheduler) dueKey(l loc) string          { return s.base(l.shard) + "z" + strconv.Itoa(l.bucket) }
func (s *Scheduler) leaseKey(l loc) string        { return s.st.Keys.Shard("sched", l.shard, "l") }
func msArg(t time.Time) string                    { return strconv.FormatInt(t.UnixMilli(), 10) }

// fromMS parses a Redis score of Unix milliseconds.
func fromMS(s string) time.Time {
	ms, _ := strconv.ParseFloat(s, 64)
	return time.UnixMilli(int64(ms))
}

// pipe runs fill in a pipeline; when Redis lost the scripts (a restart),
// it loads them and runs the pipeline once more (every script is safe to
// repeat). It returns the commands of the last run.
func (s *Scheduler) pipe(ctx context.Context, fill func(redis.Pipeliner)) ([]redis.Cmder, error) {
	for try := 0; ; try++ {
		cmds, err := s.c.Pipelined(ctx, func(p redis.Pipeliner) error { fill(p); return nil })
		if err == nil || try > 0 || !isNoScript(cmds) {
			return cmds, err
		}
		if err := s.loadScripts(ctx); err != nil {
			return nil, err
		}
	}
}

func isNoScript(cmds []redis.Cmder) bool {
	for _, c := range cmds {
		if err := c.Err(); err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
			return true
		}
	}
	return false
}

func (s *Scheduler) loadScripts(ctx context.Context) error {
	for _, sc := range allScripts {
		if err := sc.Load(ctx, s.c).Err(); err != nil {
			return fmt.Errorf("scheduler: load scripts: %w", err)
		}
	}
	return nil
}

// Schedule stores jobs, replacing any job with the same ID (a run of the
// old job in flight loses its lease). A recurring job is due at its first
// occurrence after now, a one-off at At (already past: it fires at once,
// late, or is recorded missed past its grace); movable kinds move out of
// quiet hours and holidays. A job of a paused user is stored paused. All
// jobs are validated first: an invalid one (ErrInvalidJob) stores none.
func (s *Scheduler) Schedule(ctx context.Context, jobs ...Job) error {
	plans := make([]plan, len(jobs))
	for i, j := range jobs {
		p, err := newPlan(j)
		if err != nil {
			return err
		}
		plans[i] = p
	}
	const chunk = 200
	for len(plans) > 0 {
		n := min(chunk, len(plans))
		if err := s.scheduleChunk(ctx, plans[:n]); err != nil {
			return err
		}
		plans = plans[n:]
	}
	return nil
}

func (s *Scheduler) scheduleChunk(ctx context.Context, plans []plan) error {
	// Index first, so that CancelUser always finds what the shards hold.
	paused := make([]*redis.IntCmd, len(plans))
	_, err := s.pipe(ctx, func(p redis.Pipeliner) {
		for i, pl := range plans {
			p.HSet(ctx, s.userIndex(pl.User), pl.ID, "")
			paused[i] = p.Exists(ctx, s.pausedKey(pl.User))
		}
	})
	if err != nil {
		return fmt.Errorf("scheduler: schedule: %w", err)
	}
	now := s.cfg.Clock.Now()
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for i, pl := range plans {
			s.put(ctx, p, pl, paused[i].Val() > 0, now)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("scheduler: schedule: %w", err)
	}
	return nil
}

// Queue adds to p the commands that store jobs, for a caller that sends
// them with other commands in one round trip and knows whether the jobs'
// users are paused (PauseUser). Unlike Schedule the writes are not one
// transaction; each is safe to repeat.
func (s *Scheduler) Queue(ctx context.Context, p redis.Pipeliner, paused bool, jobs ...Job) error {
	now := s.cfg.Clock.Now()
	for _, j := range jobs {
		pl, err := newPlan(j)
		if err != nil {
			return err
		}
		// Index first, so that CancelUser always finds what the shards hold.
		p.HSet(ctx, s.userIndex(pl.User), pl.ID, "")
		s.put(ctx, p, pl, paused, now)
	}
	return nil
}

// put queues the commands that store pl in p, a transaction pipeline: the
// data, no lease (a run in flight loses it), and the due time unless
// paused.
func (s *Scheduler) put(ctx context.Context, p redis.Pipeliner, pl plan, paused bool, now time.Time) {
	l := s.locate(pl.ID)
	due := pl.first(now)
	p.HSet(ctx, s.dataKey(l), pl.ID, encodeJob(pl.Job, paused))
	p.HDel(ctx, s.leaseKey(l), pl.ID)
	if paused || due.IsZero() {
		p.ZRem(ctx, s.dueKey(l), pl.ID)
		return
	}
	ms := float64(due.UnixMilli())
	p.ZAdd(ctx, s.dueKey(l), redis.Z{Score: ms, Member: pl.ID})
	p.ZAddLT(ctx, s.shardKeys(l.shard)[0], redis.Z{Score: ms, Member: strconv.Itoa(l.bucket)})
}

// Cancel removes job id; ErrNotFound if there is none.
func (s *Scheduler) Cancel(ctx context.Context, id string) error {
	l := s.locate(id)
	data, err := s.c.HGet(ctx, s.dataKey(l), id).Result()
	if errors.Is(err, redis.Nil) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("scheduler: cancel: %w", err)
	}
	if err := s.remove(ctx, []string{id}); err != nil {
		return err
	}
	if j, _, err := decodeJob(id, data); err == nil {
		return s.c.HDel(ctx, s.userIndex(j.User), id).Err()
	}
	return nil
}

// remove deletes jobs ids from their shards.
func (s *Scheduler) remove(ctx context.Context, ids []string) error {
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, id := range ids {
			l := s.locate(id)
			p.ZRem(ctx, s.dueKey(l), id)
			p.HDel(ctx, s.leaseKey(l), id)
			p.HDel(ctx, s.dataKey(l), id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("scheduler: remove jobs: %w", err)
	}
	return nil
}

// CancelUser removes every job of user, the user's pause mark and missed
// records, leaving nothing of the user in the shared shards.
func (s *Scheduler) CancelUser(ctx context.Context, user string) error {
	ids, err := s.c.HKeys(ctx, s.userIndex(user)).Result()
	if err != nil {
		return fmt.Errorf("scheduler: cancel user: %w", err)
	}
	if err := s.remove(ctx, ids); err != nil {
		return err
	}
	err = s.c.Del(ctx, s.userIndex(user), s.pausedKey(user), s.missedKey(user)).Err()
	if err != nil {
		return fmt.Errorf("scheduler: cancel user: %w", err)
	}
	return nil
}
