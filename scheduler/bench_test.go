package scheduler

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/talentjourney/talentbot/store"
)

// BenchmarkPendingAndDue is the speed target, against the Redis of
// REDIS_URL: 1,000,000 pending daily lessons, then 2,000 reminders coming
// due per second for 10 s, handled by three runners (three processes'
// worth). It reports the growth of used_memory per pending daily lesson and
// the lateness of the reminders (handler start minus due instant). The
// scenario runs once whatever b.N is; its keys are deleted afterwards.
func BenchmarkPendingAndDue(b *testing.B) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		b.Skip("REDIS_URL not set")
	}
	ctx := context.Background()
	// A two-letter prefix, as long as the product's "tj", so key names
	// weigh what they weigh in production.
	st, err := store.Open(ctx, store.Config{URL: url, Prefix: "tb"})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if n := len(st.Client.Keys(ctx, st.Keys.Base()+"{sched:0}*").Val()); n > 0 {
		b.Skip("keys under the benchmark's prefix exist: another run is going on")
	}
	defer func() {
		if err := unlinkAll(ctx, st); err != nil {
			b.Errorf("clean up: %v", err)
		}
	}()
	s := New(st, Config{})

	perJob, load := loadDailyLessons(b, ctx, s, 1_000_000)
	b.ReportMetric(perJob, "bytes/pending-job")
	b.ReportMetric(1e6/load.Seconds(), "scheduled/s")

	late, rate := runDueBurst(b, ctx, st, 2000, 10*time.Second)
	b.ReportMetric(rate, "due/s")
	b.ReportMetric(float64(pct(late, 50).Milliseconds()), "p50-late-ms")
	b.ReportMetric(float64(pct(late, 99).Milliseconds()), "p99-late-ms")
	b.ReportMetric(float64(pct(late, 100).Milliseconds()), "max-late-ms")
	if p99 := pct(late, 99); p99 > time.Second {
		b.Errorf("lateness p99 %v, want at most 1 s", p99)
	}
	if perJob > 256 {
		b.Errorf("%.0f bytes per pending job, want at most 256", perJob)
	}
}

func usedMemory(b *testing.B, ctx context.Context, st *store.Store) int64 {
	info := st.Client.Info(ctx, "memory").Val()
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	b.Fatal("no used_memory in INFO")
	return 0
}

// loadDailyLessons schedules n daily lessons of n learners, each first due
// 2 to 22 hours from now, and returns the memory growth per job.
func loadDailyLessons(b *testing.B, ctx context.Context, s *Scheduler, n int) (float64, time.Duration) {
	zones := []string{"Europe/Ljubljana", "Europe/Helsinki", "Europe/Tallinn", "Europe/Berlin",
		"Europe/Rome", "Asia/Kolkata"}
	locs := make([]*time.Location, len(zones))
	for i, z := range zones {
		locs[i] = mustLoc(b, z)
	}
	before := usedMemory(b, ctx, s.st)
	start := time.Now()
	const chunk = 10_000
	jobs := make([]Job, 0, chunk)
	for i := range n {
		z := i % len(zones)
		due := start.Add(2*time.Hour + time.Duration(rand.Int64N(int64(20*time.Hour)))).In(locs[z])
		user := "tg:" + strconv.Itoa(6_000_000_000+i)
		jobs = append(jobs, Job{ID: "l:" + user, User: user, Kind: KindLesson, Zone: zones[z],
			Spec: fmt.Sprintf("%d %d * * *", due.Minute(), due.Hour())})
		if len(jobs) == chunk || i == n-1 {
			if err := s.Schedule(ctx, jobs...); err != nil {
				b.Fatal(err)
			}
			jobs = jobs[:0]
		}
	}
	load := time.Since(start)
	after := usedMemory(b, ctx, s.st)
	return float64(after-before) / float64(n), load
}

// runDueBurst schedules perSec one-off reminders per second for d, starting
// 2 s from now, runs three runners and returns each reminder's lateness.
func runDueBurst(b *testing.B, ctx context.Context, st *store.Store, perSec int, d time.Duration) ([]time.Duration, float64) {
	total := perSec * int(d/time.Second)
	t0 := time.Now().Add(2 * time.Second)
	jobs := make([]Job, total)
	for i := range jobs {
		user := "tg:" + strconv.Itoa(7_000_000_000+i)
		jobs[i] = Job{ID: "m:" + user, User: user, Kind: KindMeeting,
			At: t0.Add(time.Duration(i) * time.Second / time.Duration(perSec))}
	}
	if err := New(st, Config{}).Schedule(ctx, jobs...); err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	late := make([]time.Duration, 0, total)
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			New(st, Config{}).Run(runCtx, func(_ context.Context, d Due) error {
				l := time.Since(d.Occurrence)
				mu.Lock()
				if d.Job.Kind == KindMeeting {
					late = append(late, l)
				}
				mu.Unlock()
				return nil
			})
		}()
	}
	deadline := t0.Add(d + 30*time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(late)
		mu.Unlock()
		if n >= total {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	elapsed := time.Since(t0)
	stop()
	wg.Wait()
	if len(late) < total {
		b.Fatalf("%d of %d reminders delivered", len(late), total)
	}
	return late, float64(total) / elapsed.Seconds()
}

func pct(xs []time.Duration, p int) time.Duration {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

// unlinkAll deletes every key under the store's prefix, many per round trip.
func unlinkAll(ctx context.Context, st *store.Store) error {
	iter := st.Client.Scan(ctx, 0, st.Keys.Base()+"*", 5000).Iterator()
	batch := make([]string, 0, 5000)
	flush := func() error {
		_, err := st.Client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range batch {
				p.Unlink(ctx, k)
			}
			return nil
		})
		batch = batch[:0]
		return err
	}
	for iter.Next(ctx) {
		if batch = append(batch, iter.Val()); len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := iter.Err(); err != nil {
		return err
	}
	return flush()
}
