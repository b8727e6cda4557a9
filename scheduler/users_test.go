package scheduler

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestCancelUserLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "2027-05-12T10:00:00Z")
	s := e.sched()
	err := s.Schedule(ctx,
		daily("l:tg:ana", "tg:ana", "0 18 * * *", "Europe/Ljubljana"),
		Job{ID: "n:tg:ana", User: "tg:ana", Kind: KindNudge, At: mustTime(t, "2027-05-14T10:00:00Z")},
		daily("l:tg:bo", "tg:bo", "0 7 * * *", "Europe/Rome"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PauseUser(ctx, "tg:ana"); err != nil {
		t.Fatal(err)
	}
	if err := s.CancelUser(ctx, "tg:ana"); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := s.Jobs(ctx, "tg:ana"); len(jobs) != 0 {
		t.Fatalf("jobs left: %+v", jobs)
	}
	for _, key := range e.st.Client.Keys(ctx, e.st.Keys.Base()+"*").Val() {
		if strings.Contains(key, "tg:ana") {
			t.Errorf("key %s left", key)
		}
		if dump := dumpKey(ctx, e.st.Client, key); strings.Contains(dump, "tg:ana") {
			t.Errorf("key %s still mentions the user: %q", key, dump)
		}
	}
	if jobs, _ := s.Jobs(ctx, "tg:bo"); len(jobs) != 1 {
		t.Fatalf("the other user's jobs: %+v", jobs)
	}
}

// dumpKey returns the members, fields and values of a key as text.
func dumpKey(ctx context.Context, c redis.UniversalClient, key string) string {
	switch c.Type(ctx, key).Val() {
	case "hash":
		return strings.Join(mapText(c.HGetAll(ctx, key).Val()), " ")
	case "zset":
		return strings.Join(c.ZRange(ctx, key, 0, -1).Val(), " ")
	case "list":
		return strings.Join(c.LRange(ctx, key, 0, -1).Val(), " ")
	default:
		return c.Get(ctx, key).Val()
	}
}

func mapText(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

func TestPausedUserGetsNothingUntilResumed(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "2027-05-12T10:00:00Z")
	p := e.start()
	if err := p.s.Schedule(ctx, daily("l:tg:9", "tg:9", "0 13 * * *", "Europe/Berlin")); err != nil {
		t.Fatal(err)
	}
	if err := p.s.PauseUser(ctx, "tg:9"); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(mustTime(t, "2027-05-12T11:00:00Z")) // 13:00 Berlin
	settle()
	if n := len(e.delivered()); n != 0 {
		t.Fatalf("paused user got %d reminders", n)
	}
	jobs, _ := p.s.Jobs(ctx, "tg:9")
	if len(jobs) != 1 || !jobs[0].Paused {
		t.Fatalf("jobs %+v, want one paused", jobs)
	}
	if err := p.s.ResumeUser(ctx, "tg:9"); err != nil {
		t.Fatal(err)
	}
	if next := e.nextOf(p.s, "tg:9", "l:tg:9"); !next.Equal(mustTime(t, "2027-05-13T11:00:00Z")) {
		t.Fatalf("resumed for %v, want tomorrow 13:00 Berlin", next)
	}
	e.clock.Set(mustTime(t, "2027-05-13T11:00:00Z"))
	waitFor(t, "the reminder after resuming", func() bool { return len(e.delivered()) == 1 })
}

func TestMovableJobsAvoidQuietHoursAndHolidays(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "2027-05-16T10:00:00Z")
	s := e.sched()
	err := s.Schedule(ctx,
		Job{ID: "n:1", User: "tg:1", Kind: KindNudge, Spec: "30 22 * * *", Zone: "Europe/Berlin", Holidays: "DE"},
		Job{ID: "l:1", User: "tg:1", Kind: KindLesson, Spec: "30 22 * * *", Zone: "Europe/Berlin", Holidays: "DE"},
		Job{ID: "m:1", User: "tg:1", Kind: KindMeeting, At: mustTime(t, "2027-05-17T04:00:00Z"), Zone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"n:1": "2027-05-18T06:00:00Z", // 22:30 is quiet, 17 May is Whit Monday: Tuesday 08:00
		"l:1": "2027-05-16T20:30:00Z", // the learner's chosen time never moves
		"m:1": "2027-05-17T04:00:00Z", // nor does a meeting reminder
	}
	for id, w := range want {
		if got := e.nextOf(s, "tg:1", id); !got.Equal(mustTime(t, w)) {
			t.Errorf("%s next %v, want %s", id, got.UTC(), w)
		}
	}
}

func TestFailingHandlerRetriesSameOccurrence(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "2027-05-12T10:00:00Z")
	e.cfg.RetryAfter = 10 * time.Second
	var attempts []int
	e.slow = func(ctx context.Context, d Due) error {
		e.mu.Lock()
		attempts = append(attempts, d.Attempt)
		e.mu.Unlock()
		if d.Attempt < 3 {
			return errors.New("platform unavailable")
		}
		return nil
	}
	p := e.start()
	at := mustTime(t, "2027-05-12T10:01:00Z")
	if err := p.s.Schedule(ctx, Job{ID: "r:1", User: "tg:3", Kind: KindReview, At: at, Quiet: NoQuiet}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []time.Duration{0, 10 * time.Second, 30 * time.Second} {
		e.clock.Set(at.Add(step))
		n := e.countAttempts(&attempts) + 1
		waitFor(t, "an attempt", func() bool { return e.countAttempts(&attempts) >= n })
	}
	waitFor(t, "delivery", func() bool { return len(e.delivered()) == 1 })
	if d := e.delivered()[0]; d.Attempt != 3 || !d.Occurrence.Equal(at) {
		t.Fatalf("got %+v", d)
	}
}

func (e *testEnv) countAttempts(a *[]int) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(*a)
}

func TestScheduleRejectsInvalidJobs(t *testing.T) {
	e := newEnv(t, "2027-05-12T10:00:00Z")
	s := e.sched()
	for name, j := range map[string]Job{
		"no id":       {User: "tg:1", Spec: "@daily"},
		"no user":     {ID: "x", Spec: "@daily"},
		"both":        {ID: "x", User: "tg:1", Spec: "@daily", At: time.Now()},
		"neither":     {ID: "x", User: "tg:1"},
		"bad spec":    {ID: "x", User: "tg:1", Spec: "99 * * * *"},
		"bad zone":    {ID: "x", User: "tg:1", Spec: "@daily", Zone: "Mars/Olympus"},
		"bad country": {ID: "x", User: "tg:1", Spec: "@daily", Holidays: "XX"},
	} {
		if err := s.Schedule(context.Background(), j); !errors.Is(err, ErrInvalidJob) {
			t.Errorf("%s: got %v, want ErrInvalidJob", name, err)
		}
	}
	if err := s.Cancel(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Cancel of an unknown job: %v", err)
	}
}

func TestQueuedJobsRunLikeScheduledOnes(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "2027-05-12T10:00:00Z")
	p := e.start()
	pipe := e.st.Client.Pipeline()
	if err := p.s.Queue(ctx, pipe, false, daily("l:tg:7", "tg:7", "0 13 * * *", "Europe/Berlin")); err != nil {
		t.Fatal(err)
	}
	if err := p.s.Queue(ctx, pipe, true, daily("l:tg:8", "tg:8", "0 13 * * *", "Europe/Berlin")); err != nil {
		t.Fatal(err)
	}
	if err := p.s.Queue(ctx, pipe, false, Job{ID: "x", User: "tg:7"}); err == nil {
		t.Fatal("a job without a time was queued")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := p.s.Jobs(ctx, "tg:8"); len(jobs) != 1 || !jobs[0].Paused {
		t.Fatalf("jobs of the paused user %+v, want one paused", jobs)
	}
	e.clock.Set(mustTime(t, "2027-05-12T11:00:00Z")) // 13:00 Berlin
	waitFor(t, "the queued reminder", func() bool { return len(e.delivered()) == 1 })
	settle()
	if got := e.delivered(); len(got) != 1 {
		t.Fatalf("delivered %v, want only the job of the user not paused", got)
	}
}
