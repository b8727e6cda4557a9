package scheduler

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/store"
	"github.com/talentjourney/talentbot/store/storetest"
)

// proc is one simulated process: a Scheduler with its own Run.
type proc struct {
	s    *Scheduler
	stop context.CancelFunc
	done chan struct{}
}

// testEnv shares one Redis and one fake clock among several procs and
// records every delivery in Redis (a hash: occurrence key -> count).
type testEnv struct {
	t     *testing.T
	st    *store.Store
	clock *FakeClock
	cfg   Config

	mu   sync.Mutex
	got  []Due
	slow func(ctx context.Context, d Due) error // optional extra work
}

func newEnv(t *testing.T, start string) *testEnv {
	t.Helper()
	e := &testEnv{t: t, st: storetest.New(t), clock: NewFakeClock(mustTime(t, start))}
	e.cfg = Config{Clock: e.clock, Poll: 20 * time.Millisecond, Lease: 30 * time.Second, Shards: 2, Buckets: 8}
	return e
}

func (e *testEnv) sched() *Scheduler { return New(e.st, e.cfg) }

// deliveries is the Redis hash that counts deliveries per occurrence key.
func (e *testEnv) deliveries() string { return e.st.Keys.Global("deliveries") }

func (e *testEnv) handle(ctx context.Context, d Due) error {
	if e.slow != nil {
		if err := e.slow(ctx, d); err != nil {
			return err
		}
	}
	if err := e.st.Client.HIncrBy(ctx, e.deliveries(), d.Key, 1).Err(); err != nil {
		return err
	}
	e.mu.Lock()
	e.got = append(e.got, d)
	e.mu.Unlock()
	return nil
}

// start runs a new process until the test ends or proc.stop is called.
func (e *testEnv) start() *proc {
	ctx, cancel := context.WithCancel(context.Background())
	p := &proc{s: e.sched(), stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		if err := p.s.Run(ctx, e.handle); err != nil {
			e.t.Errorf("Run: %v", err)
		}
	}()
	e.t.Cleanup(func() { cancel(); <-p.done })
	return p
}

func (p *proc) halt() { p.stop(); <-p.done }

func (e *testEnv) delivered() []Due {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Due(nil), e.got...)
}

// waitFor polls cond (real time) for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// settle gives the runners some polls to act on the current fake time.
func settle() { time.Sleep(100 * time.Millisecond) }

func (e *testEnv) nextOf(s *Scheduler, user, id string) time.Time {
	jobs, err := s.Jobs(context.Background(), user)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, j := range jobs {
		if j.ID == id {
			return j.Next
		}
	}
	return time.Time{}
}

func daily(id, user, spec, zone string) Job {
	return Job{ID: id, User: user, Kind: KindLesson, Spec: spec, Zone: zone, Quiet: NoQuiet}
}

// Cases 1 and 2 of the issue: daily reminders on daylight-saving days.
func TestDailyReminderOnDaylightSavingDays(t *testing.T) {
	tests := []struct {
		name, zone, spec, from string
		want                   string // the one reminder of that day
		also                   string // a later instant of that day: still one
		next                   string // the next day's reminder
	}{
		{"helsinki clocks jump 03:00 to 04:00", "Europe/Helsinki", "30 3 * * *", "2027-03-27T12:00:00Z",
			"2027-03-28T01:00:00Z", "2027-03-28T20:00:00Z", "2027-03-29T00:30:00Z"},
		{"new york clocks jump 02:00 to 03:00", "America/New_York", "30 2 * * *", "2027-03-13T12:00:00Z",
			"2027-03-14T07:00:00Z", "2027-03-15T03:00:00Z", "2027-03-15T06:30:00Z"},
		{"helsinki clocks go back 04:00 to 03:00", "Europe/Helsinki", "30 3 * * *", "2027-10-30T12:00:00Z",
			"2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z", "2027-11-01T01:30:00Z"},
		{"lord howe goes back 30 minutes", "Australia/Lord_Howe", "45 1 * * *", "2027-04-03T00:00:00Z",
			"2027-04-03T14:45:00Z", "2027-04-03T15:15:00Z", "2027-04-04T15:15:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.from)
			p := e.start()
			ctx := context.Background()
			if err := p.s.Schedule(ctx, daily("l:tg:1", "tg:1", tt.spec, tt.zone)); err != nil {
				t.Fatal(err)
			}
			want := mustTime(t, tt.want)
			if got := e.nextOf(p.s, "tg:1", "l:tg:1"); !got.Equal(want) {
				t.Fatalf("scheduled for %v, want %v", got.UTC(), want)
			}
			e.clock.Set(want.Add(-time.Second))
			settle()
			if n := len(e.delivered()); n != 0 {
				t.Fatalf("%d reminders a second early", n)
			}
			e.clock.Set(want)
			waitFor(t, "the reminder", func() bool { return len(e.delivered()) == 1 })
			next := mustTime(t, tt.next)
			waitFor(t, "the next day's schedule", func() bool { return e.nextOf(p.s, "tg:1", "l:tg:1").Equal(next) })
			e.clock.Set(mustTime(t, tt.also))
			settle()
			got := e.delivered()
			if len(got) != 1 || !got[0].Occurrence.Equal(want) || got[0].Late {
				t.Fatalf("got %+v, want one on-time reminder at %v", got, want)
			}
			if key := fmt.Sprintf("l:tg:1@%d", want.Unix()); got[0].Key != key {
				t.Errorf("key %q, want %q", got[0].Key, key)
			}
			e.clock.Set(next)
			waitFor(t, "the next day's reminder", func() bool { return len(e.delivered()) == 2 })
		})
	}
}

// Case 3 of the issue: downtime within and past the grace window.
func TestReminderAfterDowntime(t *testing.T) {
	ctx := context.Background()
	due := mustTime(t, "2027-05-12T06:00:00Z") // 08:00 Europe/Berlin
	tomorrow := mustTime(t, "2027-05-13T06:00:00Z")
	tests := []struct {
		name, restart string
		wantSent      int
		wantMissed    int
	}{
		{"down 07:50-08:20 sends once, late", "2027-05-12T08:20:00+02:00", 1, 0},
		{"down 07:50-11:00 sends nothing, records missed", "2027-05-12T11:00:00+02:00", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "2027-05-12T07:40:00+02:00")
			p := e.start()
			if err := p.s.Schedule(ctx, daily("l:tg:7", "tg:7", "0 8 * * *", "Europe/Berlin")); err != nil {
				t.Fatal(err)
			}
			e.clock.Set(mustTime(t, "2027-05-12T07:50:00+02:00"))
			settle()
			p.halt() // the bot goes down

			e.clock.Set(mustTime(t, tt.restart))
			p = e.start()
			waitFor(t, "the job to move to tomorrow", func() bool { return e.nextOf(p.s, "tg:7", "l:tg:7").Equal(tomorrow) })
			got := e.delivered()
			if len(got) != tt.wantSent {
				t.Fatalf("sent %d, want %d", len(got), tt.wantSent)
			}
			if tt.wantSent == 1 && (!got[0].Late || !got[0].Occurrence.Equal(due)) {
				t.Errorf("got %+v, want late reminder of %v", got[0], due)
			}
			missed, err := p.s.Missed(ctx, "tg:7")
			if err != nil {
				t.Fatal(err)
			}
			if len(missed) != tt.wantMissed {
				t.Fatalf("missed %+v, want %d records", missed, tt.wantMissed)
			}
			if tt.wantMissed == 1 && (!missed[0].Occurrence.Equal(due) || missed[0].Reason != ReasonDowntime) {
				t.Errorf("missed %+v", missed[0])
			}
			e.clock.Set(tomorrow)
			waitFor(t, "tomorrow's reminder", func() bool { return len(e.delivered()) == tt.wantSent+1 })
			if d := e.delivered()[tt.wantSent]; d.Late || !d.Occurrence.Equal(tomorrow) {
				t.Errorf("tomorrow's reminder %+v", d)
			}
		})
	}
}

// Case 4 of the issue: the lease is 30 s and one send takes 45 s.
func TestSlowSendIsDeliveredOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "2027-05-12T10:00:00Z")
	var calls sync.Map
	e.slow = func(ctx context.Context, d Due) error {
		n, _ := calls.LoadOrStore(d.Key, new(int))
		*n.(*int)++
		for range 9 { // 45 s on the fake clock while the other process polls
			e.clock.Advance(5 * time.Second)
			time.Sleep(50 * time.Millisecond)
		}
		return ctx.Err()
	}
	a, _ := e.start(), e.start()
	at := mustTime(t, "2027-05-12T10:01:00Z")
	job := Job{ID: "m:1", User: "tg:4", Kind: KindMeeting, At: at, Quiet: NoQuiet}
	if err := a.s.Schedule(ctx, job); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at)
	waitFor(t, "the reminder to finish", func() bool {
		jobs, _ := a.s.Jobs(ctx, "tg:4")
		return len(jobs) == 0
	})
	e.clock.Advance(2 * time.Minute)
	settle()
	n, err := e.st.Client.HGet(ctx, e.deliveries(), fmt.Sprintf("m:1@%d", at.Unix())).Int()
	if err != nil || n != 1 || len(e.delivered()) != 1 {
		t.Fatalf("delivered %d times (%v), %d handler completions; want exactly one", n, err, len(e.delivered()))
	}
}

// A job whose process died runs again, with the same key, after its lease
// expires.
func TestDeadProcessJobRunsAgainAfterLease(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "2027-05-12T10:00:00Z")
	started := make(chan struct{}, 1)
	e.slow = func(ctx context.Context, d Due) error {
		if d.Attempt == 1 {
			started <- struct{}{}
			<-ctx.Done() // the process dies mid-send
			return ctx.Err()
		}
		return nil
	}
	a := e.start()
	at := mustTime(t, "2027-05-12T10:01:00Z")
	if err := a.s.Schedule(ctx, Job{ID: "o:1", User: "tg:5", Kind: KindReview, At: at, Quiet: NoQuiet}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at)
	<-started
	a.halt()
	e.start()
	e.clock.Advance(29 * time.Second)
	settle()
	if n := len(e.delivered()); n != 0 {
		t.Fatalf("ran again before the lease expired (%d)", n)
	}
	e.clock.Advance(2 * time.Second)
	waitFor(t, "the second attempt", func() bool { return len(e.delivered()) == 1 })
	d := e.delivered()[0]
	if d.Attempt != 2 || d.Key != fmt.Sprintf("o:1@%d", at.Unix()) || !d.Occurrence.Equal(at) {
		t.Fatalf("got %+v", d)
	}
}

// Case 5 of the issue, in one process: three runners, 1,000 reminders due
// within one minute, each delivered once.
func TestThreeRunnersDeliverEachOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "2027-05-12T09:59:59Z")
	e.cfg.Shards, e.cfg.Buckets, e.cfg.Batch = 4, 16, 50
	t0 := mustTime(t, "2027-05-12T10:00:00Z")
	jobs := make([]Job, 1000)
	for i := range jobs {
		jobs[i] = Job{ID: fmt.Sprintf("r:%d", i), User: fmt.Sprintf("tg:%d", i), Kind: KindMeeting,
			At: t0.Add(time.Duration(i) * 60 * time.Millisecond), Quiet: NoQuiet}
	}
	if err := e.sched().Schedule(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	procs := []*proc{e.start(), e.start(), e.start()}
	// Step through the minute; each step waits until what is due is sent, so
	// that a slow embedded store cannot let leases expire on the fake clock.
	for sec := 0; sec <= 60; sec += 6 {
		e.clock.Set(t0.Add(time.Duration(sec) * time.Second))
		due := min(1000, sec*1000/60+1)
		waitFor(t, fmt.Sprintf("%d deliveries", due), func() bool { return len(e.delivered()) >= due })
	}
	settle()
	counts, err := e.st.Client.HGetAll(ctx, e.deliveries()).Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 1000 || len(e.delivered()) != 1000 {
		t.Fatalf("%d distinct, %d deliveries; want 1000 each", len(counts), len(e.delivered()))
	}
	for k, v := range counts {
		if v != "1" {
			t.Errorf("%s delivered %s times", k, v)
		}
	}
	if left, _ := procs[1].s.Jobs(ctx, "tg:999"); len(left) != 0 {
		t.Errorf("one-off still scheduled after delivery: %+v", left)
	}
}
