package bots_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/lessons"
	"github.com/talentjourney/talentbot/store/storetest"
)

// rttCounter counts Redis round trips: a command or a pipeline is one.
type rttCounter struct{ n atomic.Int64 }

func (c *rttCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *rttCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}

func (c *rttCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmds)
	}
}

// countingSender accepts every message.
type countingSender struct{ n atomic.Int64 }

func (s *countingSender) Send(context.Context, bots.Message) error {
	s.n.Add(1)
	return nil
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

// BenchmarkJourney runs simulated learners through onboarding, a lesson and
// its quiz, each waiting for one event to be handled before sending the
// next, and reports events per second, Redis round trips per event and
// the p50 and p99 time from Submit to the event being handled.
func BenchmarkJourney(b *testing.B) {
	if os.Getenv("REDIS_URL") == "" {
		b.Log("REDIS_URL not set: measuring against the embedded store")
	}
	st := storetest.New(b)
	rtt := &rttCounter{}
	st.Client.AddHook(rtt)
	handled := sync.Map{} // user -> chan struct{}
	eng, err := bots.New(st, bots.Config{OnHandled: func(ev bots.Event) {
		if ch, ok := handled.Load(ev.User); ok {
			ch.(chan struct{}) <- struct{}{}
		}
	}})
	if err != nil {
		b.Fatal(err)
	}
	snd := &countingSender{}
	eng.AddSender(bots.Terminal, snd)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go eng.Run(ctx)

	cat, _ := lessons.LoadDefault()
	first, _ := cat.Next(&lessons.Progress{}, []string{"mqtt.basics"}, "")
	concurrency := 16
	if v, err := strconv.Atoi(os.Getenv("BENCH_LEARNERS")); err == nil && v > 0 {
		concurrency = v
	}
	learners := b.N/len(journey("x", first)) + 1
	var (
		mu    sync.Mutex
		lat   []time.Duration
		next  atomic.Int64
		total atomic.Int64
	)
	rtt.n.Store(0)
	trips0 := eng.RoundTrips()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				i := next.Add(1)
				if i > int64(learners) {
					break
				}
				user := fmt.Sprintf("term:bench-%d-%d", time.Now().UnixNano()%1e6, i)
				ch := make(chan struct{}, 1)
				handled.Store(user, ch)
				for _, ev := range journey(user, first) {
					t0 := time.Now()
					if err := eng.Submit(ctx, ev); err != nil {
						b.Error(err)
						return
					}
					<-ch
					mine = append(mine, time.Since(t0))
					total.Add(1)
				}
				handled.Delete(user)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	// Let the outbox finish so its round trips are counted.
	time.Sleep(200 * time.Millisecond)

	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	n := total.Load()
	b.ReportMetric(float64(n)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(eng.RoundTrips()-trips0)/float64(n), "rtt/event")
	b.ReportMetric(float64(rtt.n.Load())/float64(n), "pipelines/event")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(snd.n.Load())/float64(n), "msgs/event")
}
