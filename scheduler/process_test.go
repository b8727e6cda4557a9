package scheduler

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/store"
	"github.com/talentjourney/talentbot/store/storetest"
)

// helperEnv names the key prefix a helper process works under; set only in
// the processes TestThreeProcessesDeliverEachOnce starts.
const helperEnv = "SCHEDULER_TEST_HELPER_PREFIX"

// TestHelperProcess is one of the processes of
// TestThreeProcessesDeliverEachOnce: it runs the scheduler on the real clock
// until the parent sets the stop key, counting deliveries in Redis.
func TestHelperProcess(t *testing.T) {
	prefix := os.Getenv(helperEnv)
	if prefix == "" {
		t.Skip("a helper process of TestThreeProcessesDeliverEachOnce")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := store.Open(ctx, store.Config{URL: os.Getenv("REDIS_URL"), Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	go func() {
		for ctx.Err() == nil && st.Client.Exists(ctx, st.Keys.Global("stop")).Val() == 0 {
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
	}()
	pid := strconv.Itoa(os.Getpid())
	err = New(st, Config{Shards: 4, Buckets: 16}).Run(ctx, func(ctx context.Context, d Due) error {
		st.Client.HIncrBy(ctx, st.Keys.Global("by-process"), pid, 1)
		return st.Client.HIncrBy(ctx, st.Keys.Global("deliveries"), d.Key, 1).Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Case 5 of the issue with real processes: three processes on one Redis,
// 1,000 reminders due within one minute (most of it already past when the
// processes start, the rest coming due), each delivered once.
func TestThreeProcessesDeliverEachOnce(t *testing.T) {
	if os.Getenv("REDIS_URL") == "" {
		t.Skip("REDIS_URL not set: this test starts processes that share a real Redis")
	}
	ctx := context.Background()
	st := storetest.New(t)
	prefix := strings.TrimSuffix(st.Keys.Base(), ":"+store.SchemaVersion+":")
	start := time.Now().Add(-45 * time.Second)
	jobs := make([]Job, 1000)
	for i := range jobs {
		jobs[i] = Job{ID: fmt.Sprintf("r:%d", i), User: fmt.Sprintf("tg:%d", i), Kind: KindMeeting,
			At: start.Add(time.Duration(i) * 60 * time.Millisecond), Quiet: NoQuiet}
	}
	if err := New(st, Config{Shards: 4, Buckets: 16}).Schedule(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	var procs []*exec.Cmd
	var outs []*bytes.Buffer
	for range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), helperEnv+"="+prefix)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		outs = append(outs, &out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	defer func() {
		st.Client.Set(ctx, st.Keys.Global("stop"), "1", 0)
		for i, p := range procs {
			if err := p.Wait(); err != nil {
				t.Errorf("helper process: %v\n%s", err, outs[i])
			}
		}
	}()

	deliveries := st.Keys.Global("deliveries")
	for end := time.Now().Add(50 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if st.Client.HLen(ctx, deliveries).Val() >= 1000 {
			break
		}
	}
	time.Sleep(time.Second) // a duplicate would show up now
	counts := st.Client.HGetAll(ctx, deliveries).Val()
	if len(counts) != 1000 {
		t.Fatalf("%d of 1000 reminders delivered", len(counts))
	}
	for k, v := range counts {
		if v != "1" {
			t.Errorf("%s delivered %s times", k, v)
		}
	}
	t.Logf("deliveries per process: %v", st.Client.HGetAll(ctx, st.Keys.Global("by-process")).Val())
}
