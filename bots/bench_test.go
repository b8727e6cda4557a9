package bots_test

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/lessons"
	"github.com/talentjourney/talentbot/scheduler"
	"github.com/talentjourney/talentbot/store/storetest"
)

// rttCounter counts Redis round trips: a command or a pipeline is one.
// The handshake of a new connection (HELLO, CLIENT SETINFO) is not an
// event's work and is not counted.
type rttCounter struct{ n atomic.Int64 }

func (c *rttCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *rttCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() != "hello" {
			c.n.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (c *rttCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) == 0 || cmds[0].Name() != "client" {
			c.n.Add(1)
		}
		return next(ctx, cmds)
	}
}

// replySender accepts every message and tells the learner waiting for
// the reply to an event (by the event's Reply token) when its first
// message arrives.
type replySender struct {
	n       atomic.Int64
	waiting sync.Map // reply token -> chan struct{}
}

func (s *replySender) Send(_ context.Context, m bots.Message) error {
	s.n.Add(1)
	if ch, ok := s.waiting.LoadAndDelete(m.Reply); ok {
		close(ch.(chan struct{}))
	}
	return nil
}

// ask submits ev with a fresh reply token and waits for its first reply.
func (s *replySender) ask(ctx context.Context, eng *bots.Engine, ev bots.Event, token string) error {
	ch := make(chan struct{})
	ev.Reply = token
	s.waiting.Store(token, ch)
	if err := eng.Submit(ctx, ev); err != nil {
		return err
	}
	select {
	case <-ch:
		return nil
	case <-time.After(10 * time.Second):
		return fmt.Errorf("no reply to %s %s%s within 10 s", ev.User, ev.Command, ev.Data)
	}
}

// journey is the events of one learner: onboarding, a lesson and its quiz.
func journey(user string, l *lessons.Lesson) []bots.Event {
	btn := func(d string) bots.Event {
		return bots.Event{Platform: bots.Terminal, User: user, Chat: user, Kind: bots.KindButton, Data: d}
	}
	cmd := func(c string) bots.Event {
		return bots.Event{Platform: bots.Terminal, User: user, Chat: user, Kind: bots.KindCommand, Command: c}
	}
	evs := []bots.Event{cmd("start"), btn("consent:yes"), btn("age:adult"), btn("lang:en"),
		btn("role:learner"), btn("country:SI"), btn("zone:Europe/Ljubljana"),
		btn("skill:mqtt.basics"), btn("skills:done"), btn("time:18:00"), cmd("lesson")}
	for q := range l.Quiz {
		evs = append(evs, btn(fmt.Sprintf("q:%s:%d:%d", l.ID, q, l.Quiz[q].Correct)))
	}
	return append(evs, cmd("progress"))
}

// benchEngine starts an engine as the product runs it (with its
// scheduler) on a store of its own, counting the store's round trips.
func benchEngine(b *testing.B, cfg bots.Config, sc scheduler.Config) (*bots.Engine, *replySender,
	*rttCounter) {
	st := storetest.New(b)
	rtt := &rttCounter{}
	st.Client.AddHook(rtt)
	cfg.Scheduler = scheduler.New(st, sc)
	eng, err := bots.New(st, cfg)
	if err != nil {
		b.Fatal(err)
	}
	snd := &replySender{}
	eng.AddSender(bots.Terminal, snd)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		eng.Run(ctx)
		close(done)
	}()
	b.Cleanup(func() {
		cancel()
		<-done
	})
	return eng, snd, rtt
}

// roundTrips runs one learner's journey alone, waiting after each event
// until the engine is idle, and returns the mean and the most Redis round
// trips (commands and pipelines, every one the process sent) per event.
func roundTrips(b *testing.B, first *lessons.Lesson) (float64, int64) {
	// No sweeps or job polls during the count: only the events' own work.
	eng, snd, rtt := benchEngine(b, bots.Config{SweepEvery: time.Hour},
		scheduler.Config{Poll: time.Hour})
	ctx := context.Background()
	var total, most int64
	evs := journey("term:rtt", first)
	time.Sleep(50 * time.Millisecond) // the engine's start-up calls
	for i, ev := range evs {
		n0 := rtt.n.Load()
		if err := snd.ask(ctx, eng, ev, "rtt-"+strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
		// Wait until the engine is idle: the outbox and the effects done.
		for last := int64(-1); rtt.n.Load() != last; {
			last = rtt.n.Load()
			time.Sleep(40 * time.Millisecond)
		}
		d := rtt.n.Load() - n0
		total += d
		most = max(most, d)
	}
	return float64(total) / float64(len(evs)), most
}

// BenchmarkJourney runs simulated learners through onboarding, a lesson and
// its quiz against the store (REDIS_URL), the engine set up as the product
// runs it (with its scheduler); each learner waits for the reply to one
// event before sending the next. Latency is the time from an event's
// submission (or, at a set rate, from when it was due) until its first
// reply reaches the platform's sender: stored, handled, committed, sent.
//
//   - max: BENCH_LEARNERS learners at a time (default 8), as fast as they
//     can, one after another until b.N events: events per second, p50 and
//     p99.
//   - rate (only when BENCH_RATE is set): events due at BENCH_RATE per
//     second, each sent by an idle learner (a new one when none is idle),
//     latency counted from when the event was due: p50 and p99 at that
//     load.
//
// Both report Redis round trips per event (mean and most), counted on one
// learner alone: every command and pipeline the process sends for it.
func BenchmarkJourney(b *testing.B) {
	defer keepRuntime()()
	bots.TuneRuntime() // as the binary runs
	if os.Getenv("REDIS_URL") == "" {
		b.Log("REDIS_URL not set: measuring against the embedded store")
	}
	cat, _ := lessons.LoadDefault()
	first, _ := cat.Next(&lessons.Progress{}, []string{"mqtt.basics"}, "")
	var trips float64
	var most int64
	report := func(b *testing.B, lat []time.Duration, elapsed time.Duration, msgs int64) {
		if len(lat) == 0 {
			b.Fatal("no event handled")
		}
		if trips == 0 {
			trips, most = roundTrips(b, first)
		}
		slices.Sort(lat)
		n := len(lat)
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(float64(n)/elapsed.Seconds(), "events/s")
		b.ReportMetric(ms(lat[n/2]), "p50-ms")
		b.ReportMetric(ms(lat[n*99/100]), "p99-ms")
		b.ReportMetric(trips, "rtt/event")
		b.ReportMetric(float64(most), "rtt-max")
		b.ReportMetric(float64(msgs)/float64(n), "msgs/event")
	}
	b.Run("max", func(b *testing.B) {
		concurrency := envInt("BENCH_LEARNERS", 8)
		eng, snd, _ := benchEngine(b, bots.Config{}, scheduler.Config{})
		lat, elapsed := journeysAtOnce(b, eng, snd, first, concurrency)
		report(b, lat, elapsed, snd.n.Load())
	})
	b.Run("rate", func(b *testing.B) {
		rate := envInt("BENCH_RATE", 0)
		if rate == 0 {
			b.Skip("set BENCH_RATE to run events at a set rate")
		}
		eng, snd, _ := benchEngine(b, bots.Config{}, scheduler.Config{})
		lat, elapsed := journeysAtRate(b, eng, snd, first, rate)
		report(b, lat, elapsed, snd.n.Load())
	})
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// journeysAtOnce runs b.N events: concurrency learners at a time, each
// sending its next event as soon as the last is answered.
func journeysAtOnce(b *testing.B, eng *bots.Engine, snd *replySender, first *lessons.Lesson,
	concurrency int) ([]time.Duration, time.Duration) {
	ctx := context.Background()
	perJourney := len(journey("x", first))
	learners := (b.N + perJourney - 1) / perJourney
	run := time.Now().UnixNano() % 1e6
	var (
		mu   sync.Mutex
		lat  []time.Duration
		next atomic.Int64
	)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			defer func() {
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			}()
			for {
				i := next.Add(1)
				if i > int64(learners) {
					return
				}
				user := fmt.Sprintf("term:bench-%d-%d", run, i)
				for k, ev := range journey(user, first) {
					t0 := time.Now()
					if err := snd.ask(ctx, eng, ev, user+"/"+strconv.Itoa(k)); err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t0))
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	return lat, elapsed
}

// journeysAtRate runs b.N events due at rate per second: each due event
// is sent by an idle learner (one whose last event was answered; a new
// learner when none is idle), and its latency counts from when it was due,
// so that a late start is not hidden.
func journeysAtRate(b *testing.B, eng *bots.Engine, snd *replySender, first *lessons.Lesson,
	rate int) ([]time.Duration, time.Duration) {
	ctx := context.Background()
	type learner struct {
		user   string
		events []bots.Event
		k      int
	}
	run := time.Now().UnixNano() % 1e6
	made := 0
	idle := make(chan *learner, b.N+1)
	lat := make([]time.Duration, b.N)
	interval := time.Second / time.Duration(rate)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		var l *learner
		select {
		case l = <-idle:
		default:
			made++
			user := fmt.Sprintf("term:rate-%d-%d", run, made)
			l = &learner{user: user, events: journey(user, first)}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev := l.events[l.k]
			if err := snd.ask(ctx, eng, ev, l.user+"/"+strconv.Itoa(l.k)); err != nil {
				b.Error(err)
				return
			}
			lat[i] = time.Since(due)
			if l.k++; l.k < len(l.events) {
				idle <- l
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	return lat, elapsed
}

// keepRuntime returns a function that restores the garbage collector's
// settings, for benchmarks that apply the bot's own.
func keepRuntime() func() {
	gc := debug.SetGCPercent(100)
	debug.SetGCPercent(gc)
	limit := debug.SetMemoryLimit(-1)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}
