package telegram_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/talentjourney/talentbot/bots"
	"github.com/talentjourney/talentbot/bots/telegram"
	"github.com/talentjourney/talentbot/bots/telegram/telegramtest"
	"github.com/talentjourney/talentbot/store"
)

// TestHelperBot is the bot process of TestKilledBotLosesNoUpdate; it runs
// only when that test starts it, and until it is killed.
func TestHelperBot(t *testing.T) {
	api := os.Getenv("TG_HELPER_API")
	if api == "" {
		t.Skip("started by TestKilledBotLosesNoUpdate only")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{URL: os.Getenv("TG_HELPER_REDIS"), Prefix: os.Getenv("TG_HELPER_PREFIX")})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, err := bots.New(st, bots.Config{Logger: log, LeaseTTL: 3 * time.Second, SweepEvery: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	a, err := telegram.New(telegram.Config{Token: telegramtest.Token, APIURL: api, PollTimeout: time.Second,
		Logger: log, Rate: -1, ChatRate: -1, GroupRate: -1}, eng, st)
	if err != nil {
		t.Fatal(err)
	}
	eng.AddSender(bots.Telegram, a)
	go func() { _ = eng.Run(ctx) }()
	_ = a.Run(ctx)
}

func randomDuration(min, max time.Duration) time.Duration {
	n, _ := rand.Int(rand.Reader, big.NewInt(int64(max-min)))
	return min + time.Duration(n.Int64())
}

// TestKilledBotLosesNoUpdate sends 200 updates while the bot, a real child
// process, is killed with SIGKILL three times at random moments and
// started again: every update is answered, in order, as if handled once.
func TestKilledBotLosesNoUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		// miniredis keeps TTLs still unless told the time: leases of the
		// killed processes must expire as on a real server.
		m := miniredis.RunT(t)
		stop := make(chan struct{})
		t.Cleanup(func() { close(stop) })
		go func() {
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					m.FastForward(50 * time.Millisecond)
				}
			}
		}()
		redisURL = "redis://" + m.Addr()
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "test-" + hex.EncodeToString(b)
	t.Cleanup(func() {
		if st, err := store.Open(context.Background(), store.Config{URL: redisURL, Prefix: prefix}); err == nil {
			_ = st.DeleteAll(context.Background())
			st.Close()
		}
	})
	srv := telegramtest.NewServer(t)
	logs, err := os.Create(t.TempDir() + "/bot.log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(logs.Name())
			t.Logf("bot logs:\n%s", b)
		}
	})
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperBot$")
		cmd.Stdout, cmd.Stderr = logs, logs
		cmd.Env = append(os.Environ(), "TG_HELPER_API="+srv.URL, "TG_HELPER_REDIS="+redisURL, "TG_HELPER_PREFIX="+prefix)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	// 20 users send 10 commands each, alternating, so each update has a
	// known answer in a known place.
	const users, perUser = 20, 10
	cmds := []string{"/help", "/privacy"}
	marks := map[string]string{"/help": "/lesson", "/privacy": "store"}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := range users * perUser {
			u := int64(7000 + i%users)
			srv.AddUpdate(telegramtest.TextUpdate(u, cmds[(i/users)%2]))
			time.Sleep(25 * time.Millisecond)
		}
	}()
	child := start()
	for range 3 {
		time.Sleep(randomDuration(300*time.Millisecond, 1500*time.Millisecond))
		_ = child.Process.Kill() // SIGKILL
		_ = child.Wait()
		child = start()
	}
	t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })
	<-sent

	replies := func(u int64) []string {
		var out []string
		for _, c := range srv.Calls("sendMessage") {
			if c.Status == 200 && c.Params["chat_id"] == telegramtest.ChatID(u) {
				out = append(out, c.Text)
			}
		}
		return out
	}
	deadline := time.Now().Add(60 * time.Second)
	for u := int64(7000); u < 7000+users; u++ {
		for len(replies(u)) < perUser && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		got := dropRepeats(replies(u))
		if len(got) != perUser {
			t.Errorf("user %d: %d distinct answers in a row to %d commands", u, len(got), perUser)
			debugUser(t, redisURL, prefix, u)
			for _, c := range srv.Calls("sendMessage") {
				if c.Params["chat_id"] == telegramtest.ChatID(u) {
					t.Logf("  call %s status %d %.30q", c.Time.Format("15:04:05.000"), c.Status, c.Text)
				}
			}
			continue
		}
		for i, text := range got {
			if want := marks[cmds[i%2]]; !strings.Contains(text, want) {
				t.Errorf("user %d answer %d does not answer %s", u, i, cmds[i%2])
			}
		}
	}
	if srv.Pending() != 0 {
		t.Errorf("%d updates never confirmed", srv.Pending())
	}
	if dups := len(srv.Calls("sendMessage")) - users*perUser; dups > 0 {
		t.Logf("%d answers were sent twice (a kill between send and its record)", dups)
	}
}

// dropRepeats removes a message equal to the one before it: the outbox
// may send a message again when the process died right after sending it.
func dropRepeats(texts []string) []string {
	var out []string
	for i, s := range texts {
		if i == 0 || s != texts[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func debugUser(t *testing.T, redisURL, prefix string, u int64) {
	st, err := store.Open(context.Background(), store.Config{URL: redisURL, Prefix: prefix})
	if err != nil {
		return
	}
	defer st.Close()
	ctx := context.Background()
	keys, _ := st.Client.Keys(ctx, st.Keys.UserTag("tg:"+telegramtest.ChatID(u))+"*").Result()
	for _, k := range keys {
		typ, _ := st.Client.Type(ctx, k).Result()
		var n int64
		switch typ {
		case "list":
			n, _ = st.Client.LLen(ctx, k).Result()
		case "zset":
			n, _ = st.Client.ZCard(ctx, k).Result()
		case "set":
			n, _ = st.Client.SCard(ctx, k).Result()
		}
		ttl, _ := st.Client.PTTL(ctx, k).Result()
		t.Logf("  %s %s len=%d ttl=%v", k, typ, n, ttl)
	}
	all, _ := st.Client.Keys(ctx, st.Keys.Base()+"{q:*").Result()
	for _, k := range all {
		m, _ := st.Client.ZRangeWithScores(ctx, k, 0, -1).Result()
		t.Logf("  %s %v", k, m)
	}
}
