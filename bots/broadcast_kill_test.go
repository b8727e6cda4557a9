package bots_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
	"github.com/talentjourney/talentbot/store/storetest"
)

// TestBroadcastSurvivesSIGKILL is the case 4: the bot process is
// killed with SIGKILL at about 40 % of a 2,000-recipient broadcast and
// started again. Every recipient ends with one copy, except at most as
// many duplicates as sends can be in flight, and the report is right. It
// needs a real Redis (REDIS_URL) and builds the binary.
func TestBroadcastSurvivesSIGKILL(t *testing.T) {
	url := os.Getenv("REDIS_URL")
	if url == "" || testing.Short() {
		t.Skip("needs REDIS_URL and real processes")
	}
	bin := filepath.Join(t.TempDir(), "talentbot")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/talentbot").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const n = 2000
	srv := telegramtest.NewServer(t)
	st := storetest.New(t)
	users := []seed{{"tg:1", bots.Telegram, "1", "en", bots.RoleCoordinator, "SI"}}
	for i := range n {
		id := strconv.Itoa(1001 + i)
		users = append(users, seed{"tg:" + id, bots.Telegram, id, "en", bots.RoleLearner, "FI"})
	}
	seedUsers(t, st, users)
	// This engine only stores the broadcast; its short lease lets the
	// bot process take the coordinator's queue at once.
	eng, err := bots.New(st, bots.Config{LeaseTTL: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	id, err := eng.StartBroadcast(context.Background(), "tg:1",
		map[string]string{"": "Kick-off on Friday"}, bots.Segment{Role: bots.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}

	env := append(os.Environ(), "REDIS_URL="+url,
		"TALENTBOT_PREFIX="+strings.TrimSuffix(st.Keys.Base(), ":v1:"),
		"TALENTBOT_DATA="+t.TempDir(), "TELEGRAM_TOKEN="+telegramtest.Token,
		"TELEGRAM_API_URL="+srv.URL, "TELEGRAM_RATE=400", "TALENTBOT_COORDINATORS=tg:1",
		"TALENTBOT_HTTP_ADDR=127.0.0.1:0")
	start := func() *exec.Cmd {
		cmd := exec.Command(bin)
		cmd.Env = env
		cmd.Stderr = &logTail{}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	first := start()
	deadline := time.Now().Add(60 * time.Second)
	for countCopies(srv) < n*4/10 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			t.Fatalf("only %d copies sent in 60 s; the bot logged:\n%s", countCopies(srv),
				first.Stderr.(*logTail).String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	atKill := countCopies(srv)
	t.Logf("killed after %d of %d copies", atKill, n)

	second := start()
	t.Cleanup(func() { second.Process.Signal(syscall.SIGTERM); second.Wait() })
	var r bots.BroadcastReport
	deadline = time.Now().Add(90 * time.Second)
	for {
		r, err = eng.Report(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status == "done" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("broadcast not done after the restart: %+v", r)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r.Total != n || r.Counts[bots.DeliverySent] != n {
		t.Errorf("report %+v, want %d recipients, all sent", r, n)
	}
	copies := map[string]int{}
	for _, c := range srv.Calls("sendMessage") {
		if c.Status == 200 && c.Params["text"] == "Kick-off on Friday" {
			copies[c.Params["chat_id"]]++
		}
	}
	// Sends in flight at the kill: one per delivery worker at most.
	inFlight := 8 * runtime.GOMAXPROCS(0)
	dups := 0
	for i := range n {
		switch c := copies[strconv.Itoa(1001+i)]; {
		case c == 0:
			t.Errorf("learner %d got no copy", 1001+i)
		case c > 1:
			dups += c - 1
		}
	}
	t.Logf("%d duplicates (bound %d)", dups, inFlight)
	if dups > inFlight {
		t.Errorf("%d duplicates, more than the %d sends that can be in flight", dups, inFlight)
	}
}

// logTail keeps the last 4 KB a process wrote.
type logTail struct {
	mu sync.Mutex
	b  []byte
}

func (l *logTail) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	if len(l.b) > 4096 {
		l.b = l.b[len(l.b)-4096:]
	}
	return len(p), nil
}

func (l *logTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b)
}

// countCopies counts broadcast copies the fake accepted.
func countCopies(srv *telegramtest.Server) int {
	n := 0
	for _, c := range srv.Calls("sendMessage") {
		if c.Status == 200 && c.Params["text"] == "Kick-off on Friday" {
			n++
		}
	}
	return n
}
