package bots

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/talentjourney/talentbot/lessons"
	"github.com/talentjourney/talentbot/store"
)

// Engine is the platform-neutral dialogue engine. Adapters Submit events;
// the engine handles each user's events in order, one at a time, keeps all
// state in Redis, and delivers its answers through the outbox to the
// Sender registered for each platform. Safe for concurrent use.
type Engine struct {
	st     *store.Store
	rdb    redis.UniversalClient
	keys   store.Keys
	cfg    Config
	log    *slog.Logger
	router *Router
	m      *metrics
	i18n   *catalog
	batch  *batcher

	forgetters []Forgetter
	ment       *mentoring

	work    chan drainJob
	outWork chan outJob

	// states and sent keep what this process committed (a user's state,
	// outgoing messages by id), so that reading it back needs no decoding.
	states *memo[*State]
	sent   *memo[Message]

	// acks are outbox acknowledgements held back, by user (acks.go).
	acksMu   sync.Mutex
	acks     map[string]pendingAck
	ackTimer bool

	mu      sync.RWMutex
	senders map[string]Sender

	wg sync.WaitGroup
}

// drainJob is a user whose lease this process holds, with the state and
// events the claiming script returned.
type drainJob struct {
	user   string
	token  string
	state  string
	events []string
	// fx is the number of the last commit whose effects were applied.
	fx string
	// ev is the event this process queued, in memory, and evRaw its
	// stored form: when the queue gives back evRaw it needs no decoding.
	ev    *Event
	evRaw string
	// keys are the user's keys, when known.
	keys userKeys
}

// outJob is a user whose outbox lease this process holds.
type outJob struct {
	user  string
	token string
	msgs  []string
	// keys are the user's keys, when known.
	keys userKeys
}

// New returns an engine on st. Call Run to start handling events.
func New(st *store.Store, cfg Config) (*Engine, error) {
	cfg.setDefaults()
	if cfg.Lessons == nil {
		cat, err := lessons.LoadDefault()
		if err != nil {
			return nil, err
		}
		cfg.Lessons = cat
	}
	e := &Engine{
		st: st, rdb: st.Client, keys: st.Keys, cfg: cfg, log: cfg.Logger,
		work:    make(chan drainJob, 1024),
		outWork: make(chan outJob, 1024),
		senders: map[string]Sender{},
		states:  newMemo[*State](256),
		sent:    newMemo[Message](1024),
		acks:    map[string]pendingAck{},
	}
	e.m = newMetrics(cfg.Registerer)
	e.registerDepths(cfg.Registerer)
	cat, err := newCatalog()
	if err != nil {
		return nil, err
	}
	e.i18n = cat
	e.batch = newBatcher(st.Client, 4)
	e.router = newRouter(e)
	if cfg.Scheduler != nil {
		e.AddForgetter(cfg.Scheduler.CancelUser)
	}
	if err := e.loadScripts(context.Background()); err != nil {
		return nil, err
	}
	return e, nil
}

// AddSender registers the sender for platform ("tg", "dc", "term").
func (e *Engine) AddSender(platform string, s Sender) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.senders[platform] = s
}

func (e *Engine) sender(platform string) Sender {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.senders[platform]
}

func (e *Engine) loadScripts(ctx context.Context) error {
	load := func(ctx context.Context, c redis.Scripter) error {
		for _, s := range allScripts {
			if err := s.Load(ctx, c).Err(); err != nil {
				return fmt.Errorf("bots: load script: %w", err)
			}
		}
		return nil
	}
	if cc, ok := e.rdb.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			return load(ctx, m)
		})
	}
	return load(ctx, e.rdb)
}

// evalSha runs a loaded script, loading the scripts again when the server
// lost them (a restart).
func (e *Engine) evalSha(ctx context.Context, s *redis.Script, keys []string,
	args ...any) (any, error) {
	v, err := s.EvalSha(ctx, e.rdb, keys, args...).Result()
	if err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
		return s.Run(ctx, e.rdb, keys, args...).Result()
	}
	return v, err
}

// Submit stores ev in its user's queue and returns once it is stored. A
// duplicate ID is dropped without error. Handling happens in Run's workers.
func (e *Engine) Submit(ctx context.Context, ev Event) error {
	if ev.User == "" || ev.Kind == "" {
		return fmt.Errorf("bots: submit: %w", ErrInvalidEvent)
	}
	if ev.Time.IsZero() {
		ev.Time = e.cfg.Clock()
	}
	ev.Time = ev.Time.Round(0) // as it reads back: no monotonic clock reading
	raw, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	token := newToken()
	now := e.cfg.Clock()
	k := e.userKeys(ev.User)
	var res *redis.Cmd
	var zadd *redis.IntCmd
	e.batch.do(func(pipe redis.Pipeliner) {
		zadd = pipe.ZAddArgs(ctx, e.pendingKey(ev.User), zNow(now, ev.User))
		res = enqueueScript.EvalSha(ctx, pipe, []string{k.q, k.seen, k.lease, k.state, k.fx},
			raw, ev.ID, token, e.cfg.LeaseTTL.Milliseconds(), e.cfg.Batch, now.UnixMilli())
	})
	err = res.Err()
	if err == nil {
		err = zadd.Err()
	}
	if err != nil {
		if isNoScript(err) {
			if lerr := e.loadScripts(ctx); lerr != nil {
				return lerr
			}
			return e.Submit(ctx, ev)
		}
		return fmt.Errorf("bots: store event of %s: %w", ev.User, err)
	}
	e.m.received.WithLabelValues(ev.Platform).Inc()
	vals, _ := res.Slice()
	if len(vals) == 4 && vals[0].(int64) == 1 {
		j := drainJob{user: ev.User, token: token, state: str(vals[1]),
			events: strs(vals[2]), fx: str(vals[3]), keys: k}
		if ev.readsBackSame() {
			j.ev, j.evRaw = &ev, string(raw)
		}
		e.queueDrain(j)
	}
	return nil
}

// ErrInvalidEvent is returned by Submit for an event without user or kind.
var ErrInvalidEvent = errors.New("invalid event")

// Run handles events and delivers messages until ctx ends, then finishes
// the events in hand and sends what their handling produced.
func (e *Engine) Run(ctx context.Context) error {
	n := e.cfg.Workers
	for i := 0; i < n; i++ {
		e.wg.Add(2)
		go e.drainWorker(ctx)
		go e.outWorker(ctx)
	}
	e.wg.Add(2)
	go e.sweeper(ctx)
	go func() {
		defer e.wg.Done()
		if err := e.runJobs(ctx); err != nil && ctx.Err() == nil {
			e.log.Error("bots: scheduler stopped", "err", err)
		}
	}()
	<-ctx.Done()
	e.wg.Wait()
	e.flushAcks()
	return nil
}

type userKeys struct{ q, seen, lease, state, out, outlease, fx string }

var userKeyParts = [...]string{"q", "seen", "lease", "state", "out", "outlease", "fx"}

// userKeys returns the keys of user the engine's scripts use, cut from one
// string (one allocation for all of them).
func (e *Engine) userKeys(user string) userKeys {
	tag := e.keys.UserTag(user)
	var b strings.Builder
	b.Grow(len(userKeyParts)*(len(tag)+1) + 30)
	var ends [len(userKeyParts)]int
	for i, p := range userKeyParts {
		b.WriteString(tag)
		b.WriteByte(':')
		b.WriteString(p)
		ends[i] = b.Len()
	}
	all := b.String()
	var k [len(userKeyParts)]string
	start := 0
	for i, end := range ends {
		k[i], start = all[start:end], end
	}
	return userKeys{q: k[0], seen: k[1], lease: k[2], state: k[3], out: k[4], outlease: k[5], fx: k[6]}
}

// keysOf returns k, or user's keys when k is not set.
func (e *Engine) keysOf(k userKeys, user string) userKeys {
	if k.q == "" {
		return e.userKeys(user)
	}
	return k
}

func (e *Engine) pendingKey(user string) string {
	return e.keys.Shard("q", store.ShardOf(user, e.cfg.Shards), "pending")
}

func (e *Engine) readyKey(user string) string {
	return e.keys.Shard("ob", store.ShardOf(user, e.cfg.Shards), "ready")
}

func newToken() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, str(x))
	}
	return out
}

func defaultWorkers() int { return 8 * runtime.GOMAXPROCS(0) }
